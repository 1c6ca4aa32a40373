package desk_test

import (
	"slices"
	"strings"
	"testing"

	"huiliu/desk"
)

func findingFacts(fs []desk.DisclosureFinding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Fact+"="+f.Text)
	}
	slices.Sort(out)
	return out
}

func TestFindDisclosuresInManyWrittenForms(t *testing.T) {
	f := sampleFacts()
	cases := []struct {
		text string
		want []string
	}{
		{"本期应还1234.5元", []string{"next_due=1234.5元"}},
		{"本期应还 1,234.50", []string{"next_due=1,234.50"}},
		{"本期应还¥1234.50", []string{"next_due=¥1234.50"}},
		{"本期应还￥1,234.5 元", []string{"next_due=￥1,234.5 元"}},
		{"amount due RMB 1234.50", []string{"next_due=RMB 1234.50"}},
		{"全角１２３４．５０元", nil}, // a full-width point is not a decimal point: 1234 and 50 alone
		{"全角１２３４.50元", []string{"next_due=1234.50元"}},
		{"剩余本金 12345.6", []string{"balance=12345.6"}},
		{"押金2000元", []string{"deposit=2000元"}},
		{"逾期 860 元，已逾期12天", []string{"overdue=12天", "overdue=860 元"}},
		{"overdue for 12 days", []string{"overdue=12 days"}},
		{"还款日 2026-12-05", []string{"next_due=2026-12-05"}},
		{"还款日 2026/12/5", []string{"next_due=2026/12/5"}},
		{"还款日 2026年12月5日", []string{"next_due=2026年12月5日"}},
		{"还款日12月5日", []string{"next_due=12月5日"}},
		{"还款日 12月05号", []string{"next_due=12月05号"}},
		{"due 12/05", []string{"next_due=12/05"}},
		{"due on Dec 5", []string{"next_due=Dec 5"}},
		{"due on December 5.", []string{"next_due=December 5"}},
		{"上次还款 2026-11-03", []string{"last_payment=2026-11-03"}},
		{"合同 HT-2026-0001", []string{"contract_no=HT-2026-0001"}},
		{"合同 ht20260001 的情况", []string{"contract_no=HT-2026-0001"}},
		{"合同号 zl 2025 0042", []string{"contract_no=ZL-2025-0042"}},
		{"身份证后四位 123x", []string{"id_last4=123x"}},
		{"手机 138-1234-8001", []string{"phone=13812348001"}},
		{"尾号8001的手机", []string{"phone=8001"}},
		{"邮箱 Fang@Example.com", []string{"email=fang@example.com"}},
		{"王芳您好", []string{"name=王芳"}},
	}
	for _, c := range cases {
		got := findingFacts(desk.FindDisclosures(c.text, f, desk.DefaultFactPolicy, desk.LevelNone))
		want := slices.Clone(c.want)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%q: got %v, want %v", c.text, got, want)
		}
	}
}

func TestFindDisclosuresLeavesUnrelatedNumbersAlone(t *testing.T) {
	f := sampleFacts()
	for _, text := range []string{
		"请稍等 5 分钟，我们 2 小时内回复",
		"工单号 123450，订单 ORD1234.50X",
		"金额 1234.51 元",                  // near an amount, not equal
		"金额 11234.50 元",                 // a longer number
		"还款日 2026-12-06，或 12月6日",        // another day
		"2025-12-05 的账单",                // another year
		"合同 HT-2026-00011",              // a longer contract number
		"版本 v12/05",                     // glued to a letter
		"12/05/2027 与 1/2",              // a three-part date, a fraction
		"电话 13812348002，分机 80011",       // another phone, a longer number
		"客服热线 400-800-1234，工号 HL101024", // unrelated digits
		"平均 1,2345.00",                  // bad grouping
		"1234.505 是三位小数",                // three decimals
	} {
		if got := desk.FindDisclosures(text, f, desk.DefaultFactPolicy, desk.LevelNone); len(got) != 0 {
			t.Errorf("%q: found %v", text, findingFacts(got))
		}
	}
}

func TestFindDisclosuresOnlyAboveTheLevel(t *testing.T) {
	f := sampleFacts()
	text := "王芳您好，合同 HT-2026-0001 本期应还 1234.50 元，身份证尾号 123X。"
	at := func(level int) []string {
		var out []string
		for _, d := range desk.FindDisclosures(text, f, desk.DefaultFactPolicy, level) {
			out = append(out, d.Fact)
		}
		slices.Sort(out)
		return out
	}
	if got := at(desk.LevelNone); strings.Join(got, " ") != "contract_no id_last4 name next_due" {
		t.Fatalf("level 0: %v", got)
	}
	if got := at(desk.LevelChannel); strings.Join(got, " ") != "contract_no id_last4 next_due" {
		t.Fatalf("level 1: %v", got)
	}
	if got := at(desk.LevelOTP); strings.Join(got, " ") != "id_last4" {
		t.Fatalf("level 2: %v", got)
	}
	if got := at(desk.LevelKnowledge); len(got) != 0 {
		t.Fatalf("level 3: %v", got)
	}
	// A policy that lets balances through at level 1 finds them no more.
	p := desk.FactPolicy{desk.FactNextDue: desk.LevelChannel, desk.FactPlan: desk.LevelChannel}
	for _, d := range desk.FindDisclosures(text, f, p, desk.LevelChannel) {
		if d.Fact == desk.FactNextDue || d.Fact == desk.FactPlan {
			t.Fatalf("policy ignored: %+v", d)
		}
	}
}

func FuzzFindDisclosures(f *testing.F) {
	for _, s := range []string{"本期应还 ¥1,234.50，还款日 12月5日", "合同 ht20260001", "2026年12月5日 1/2 12/05/2027",
		"１２３４．５０", "尾号8001 123X", "Dec 5 12 days 12天", "1,2,3,,.5.", "¥", "年月日"} {
		f.Add(s)
	}
	facts := sampleFacts()
	f.Fuzz(func(t *testing.T, text string) {
		for _, d := range desk.FindDisclosures(text, facts, desk.DefaultFactPolicy, desk.LevelNone) {
			if d.Need <= desk.LevelNone || d.Text == "" {
				t.Fatalf("finding %+v", d)
			}
		}
		if len(desk.FindDisclosures(text, facts, desk.DefaultFactPolicy, desk.LevelKnowledge)) != 0 {
			t.Fatal("found facts at the highest level")
		}
	})
}

func TestAmountParsesDecimalsExactly(t *testing.T) {
	for in, want := range map[string]desk.Amount{"1234.5": 123450, "1,234.50": 123450, "0.01": 1, "-12": -1200, "100": 10000} {
		if got, err := desk.ParseAmount(in); err != nil || got != want {
			t.Errorf("%q: %d %v", in, got, err)
		}
	}
	for _, in := range []string{"", "1.234", "1,23", "12,34.5", "abc", "1.", ".5", "99999999999999"} {
		if _, err := desk.ParseAmount(in); err == nil {
			t.Errorf("%q parsed", in)
		}
	}
	if s := desk.Amount(123456789).Display(); s != "¥1,234,567.89" {
		t.Fatal(s)
	}
	if s := desk.Amount(-5).String(); s != "-0.05" {
		t.Fatal(s)
	}
}
