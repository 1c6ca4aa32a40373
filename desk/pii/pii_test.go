package pii

import (
	"reflect"
	"strings"
	"testing"
)

func TestFind(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []Kind
	}{
		{"id", "身份证110101199003071233", []Kind{IDNumber}},
		{"id with X", "11010519491231002X", []Kind{IDNumber}},
		{"id lower x", "11010519491231002x。", []Kind{IDNumber}},
		{"id leap day", "310115200002290013", []Kind{IDNumber}},
		{"id grouped", "110101 19900307 1233", []Kind{IDNumber}},
		{"id full-width", "１１０１０１１９９００３０７１２３３", []Kind{IDNumber}},
		{"id wrong checksum", "110101199003071234", nil},
		{"id bad province", "990101199003071233", nil},
		{"id bad date", "110101199002301233", nil},
		{"id old 15-digit form", "110101900307123", nil},
		{"card", "卡号6222020200001234562", []Kind{BankCard}},
		{"card grouped", "6222 0202 0000 1234 562", []Kind{BankCard}},
		{"card dashes", "6217-0000-0000-0014", []Kind{BankCard}},
		{"card 16", "4111111111111111", []Kind{BankCard}},
		{"card wrong luhn", "6222020200001234563", nil},
		{"card too short", "411111111116", nil},
		{"card leading zero", "0000000000000", nil},
		{"mobile", "手机13800138000", []Kind{Mobile}},
		{"mobile grouped", "138 0013 8000", []Kind{Mobile}},
		{"mobile +86", "+86 138-0013-8000", []Kind{Mobile}},
		{"mobile 0086", "008613800138000", []Kind{Mobile}},
		{"mobile full-width", "１３８００１３８０００", []Kind{Mobile}},
		{"mobile second digit 2", "12800138000", nil},
		{"mobile too long", "138001380001", nil},
		{"mobile in order number", "ORD13800138000", nil},
		{"email", "mail zhang.san@example.com.", []Kind{Email}},
		{"email with digits", "13800138000@163.com", []Kind{Email}},
		{"email one-letter tld", "a@b.c", nil},
		{"email no dot", "root@localhost", nil},
		{"email already masked", "z***@example.com", nil},
		{"several", "身份证11010519491231002X 手机13800138000 邮箱a@b.cn", []Kind{IDNumber, Mobile, Email}},
		{"number after domain dot", "a@x.cn.4111111111111111", []Kind{Email, BankCard}},
		{"kept digits of a mask", "1101**********1233 138****8000", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []Kind
			for _, m := range Find(tt.text) {
				got = append(got, m.Kind)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Find(%q) kinds = %v, want %v", tt.text, got, tt.want)
			}
		})
	}
}

func TestFindOffsets(t *testing.T) {
	text := "电话：+86 13800138000。"
	got := Find(text)
	want := []Match{{Kind: Mobile, Start: strings.Index(text, "+"), End: strings.Index(text, "。")}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Find = %+v, want %+v", got, want)
	}
}

func TestMask(t *testing.T) {
	tests := []struct{ in, want string }{
		{"110101199003071233", "1101**********1233"},
		{"11010519491231002X", "1101**********002X"},
		{"110101 19900307 1233", "1101** ******** 1233"},
		{"6222020200001234562", "***************4562"},
		{"6222 0202 0000 1234 562", "**** **** **** ***4 562"},
		{"13800138000", "138****8000"},
		{"+86 138-0013-8000", "+86 138-****-8000"},
		{"0086 13800138000", "0086 138****8000"},
		{"电话１３８００１３８０００", "电话１３８****８０００"},
		{"zhang.san@example.com", "z***@example.com"},
		{"ab@example.com", "a*@example.com"},
		{"a@example.com", "*@example.com"},
		{"13800138000@163.com", "1***@163.com"},
		// near misses stay as they are
		{"110101199003071234", "110101199003071234"},
		{"6222020200001234563", "6222020200001234563"},
		{"订单ORD13800138000", "订单ORD13800138000"},
		{"您好，请问有什么可以帮您？", "您好，请问有什么可以帮您？"},
	}
	for _, tt := range tests {
		if got := Mask(tt.in); got != tt.want {
			t.Errorf("Mask(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// checkMask holds the properties FuzzMask checks for every input.
func checkMask(t *testing.T, in string) {
	t.Helper()
	out := Mask(in)
	if len(out) > len(in) {
		t.Fatalf("Mask(%q) = %q is longer than its input", in, out)
	}
	if again := Mask(out); again != out {
		t.Fatalf("Mask not idempotent: %q -> %q -> %q", in, out, again)
	}
	if ms := Find(out); len(ms) > 0 {
		t.Fatalf("Mask(%q) = %q still holds %+v", in, out, ms)
	}
	prev := 0
	for _, m := range Find(in) {
		if m.Start < prev || m.End <= m.Start || m.End > len(in) {
			t.Fatalf("Find(%q): bad or overlapping match %+v", in, m)
		}
		prev = m.End
	}
}

func FuzzMask(f *testing.F) {
	for _, s := range []string{
		"身份证 11010519491231002X，手机 +86 138-0013-8000，卡号 6222 0202 0000 1234 562，邮箱 zhang.san@example.com",
		"a@x.cn-4111111111111111 a@x.cn.4111111111111111",
		"138 0013 110101199003071233",
	} {
		f.Add(s)
	}
	f.Fuzz(checkMask)
}

func TestMaskProperties(t *testing.T) {
	for _, in := range []string{
		"a@b@c.com", "x@y.com.b@z.com", "１３８００１３８０００@qq.com",
		"1380 0138000 4111111111111111 1380 0138000", "+8613800138000x", "\xff13800138000\xfe",
	} {
		checkMask(t, in)
	}
}

// message4K is a Chinese customer message of about 4 KB with some numbers.
func message4K() string {
	var b strings.Builder
	for b.Len() < 4096 {
		b.WriteString("您好，我想查询一下我的贷款还款计划，身份证号11010519491231002X，")
		b.WriteString("手机138 0013 8000，还款卡6222 0202 0000 1234 562，订单号20261203001。")
		b.WriteString("邮箱是zhang.san@example.com，谢谢！这个月的账单金额是3500元，已经逾期3天了。")
	}
	return b.String()
}

func BenchmarkMask(b *testing.B) {
	msg := message4K()
	b.SetBytes(int64(len(msg)))
	for b.Loop() {
		Mask(msg)
	}
}

func TestMaskCut(t *testing.T) {
	for in, want := range map[string]string{
		"邮箱 zhang.san@examp…":   "邮箱 ***************…",
		"手机 1380013…":           "手机 *******…",
		"卡号 6222 0202 0000 12…": "卡号 **** **** **** **…",
		"手机 13800138000，邮箱 zh…": "手机 138****8000，邮箱 zh…",
		"hello world…":          "hello world…",
		"订单 ORD1234…":           "订单 *******…",
		"手机 13800138000":        "手机 138****8000",
		"…":                     "…",
		"1…":                    "*…",
	} {
		got := MaskCut(in)
		if got != want {
			t.Errorf("MaskCut(%q) = %q, want %q", in, got, want)
		}
		if again := MaskCut(got); again != got {
			t.Errorf("MaskCut not idempotent on %q: %q", got, again)
		}
	}
}
