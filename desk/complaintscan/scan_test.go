package complaintscan

import (
	"slices"
	"strings"
	"testing"
)

func TestScan(t *testing.T) {
	cases := []struct {
		text   string
		terms  []string
		source string
	}{
		// Complaints in Simplified Chinese.
		{"你们再不处理我就去投诉", []string{"投诉"}, SourceCustomer},
		{"我要打12315投诉你们乱扣费", []string{"投诉", "12315"}, SourceRegulator},
		{"已经向12378反映了", []string{"12378"}, SourceRegulator},
		{"我会找媒体曝光你们", []string{"曝光", "媒体"}, SourceSocial},
		{"我已经请了律师，准备起诉", []string{"律师", "起诉"}, SourceCustomer},
		{"再不退押金我就去消协", []string{"消协"}, SourceRegulator},
		{"再不解决我就投诉", []string{"投诉"}, SourceCustomer},
		// Traditional Chinese.
		{"我要投訴你們的客服態度", []string{"投訴"}, SourceCustomer},
		{"我會請律師處理，也會向監管機關反映", []string{"监管", "律师"}, SourceRegulator},
		{"準備起訴", []string{"起诉"}, SourceCustomer},
		// English.
		{"I want to complain about the fee", []string{"complain"}, SourceCustomer},
		{"This is a formal COMPLAINT.", []string{"complain"}, SourceCustomer},
		{"I will report you to the regulator", []string{"regulator"}, SourceRegulator},
		{"My lawyer will contact you", []string{"lawyer"}, SourceCustomer},
		{"If this is not fixed I will complain", []string{"complain"}, SourceCustomer},
		{"I'll go to the media", []string{"media"}, SourceSocial},
		// Negated or unrelated: no finding.
		{"不是投诉，只是想问一下还款日", nil, ""},
		{"我没有要投诉的意思", nil, ""},
		{"無意投訴，想確認一下", nil, ""},
		{"别担心，不起诉", nil, ""},
		{"This is not a complaint, just a question", nil, ""},
		{"I'm not complaining, thanks", nil, ""},
		{"No complaints, the car was great", nil, ""},
		{"I don't want to complain", nil, ""},
		{"订单号 8812315990 的还款", nil, ""},
		{"请拨打 4001237800", nil, ""},
		{"你好，我想查询还款计划", nil, ""},
		{"the sue-shi restaurant", nil, ""},
		{"uncomplained", nil, ""},
		{"", nil, ""},
	}
	for _, c := range cases {
		f := Scan(c.text)
		var want []string
		for _, w := range c.terms {
			want = append(want, canonical(w))
		}
		slices.Sort(want)
		got := slices.Clone(f.Terms)
		slices.Sort(got)
		if !slices.Equal(got, want) || f.Source != c.source {
			t.Errorf("Scan(%q) = %v %q, want %v %q", c.text, f.Terms, f.Source, want, c.source)
		}
		if f.Suspected() != (len(c.terms) > 0) {
			t.Errorf("Scan(%q).Suspected() = %v", c.text, f.Suspected())
		}
	}
}

// canonical names a written form by its term's name.
func canonical(form string) string {
	for _, t := range terms {
		if slices.Contains(t.forms, strings.ToLower(form)) {
			return t.name
		}
	}
	return form
}

func TestScanCutsLongText(t *testing.T) {
	long := strings.Repeat("好", MaxScanBytes) + "投诉"
	if Scan(long).Suspected() {
		t.Fatal("a term past the scanned length was found")
	}
	if !Scan("投诉" + long).Suspected() {
		t.Fatal("a term at the start of a long text was missed")
	}
}

func FuzzScan(f *testing.F) {
	for _, s := range []string{"不是投诉", "12315", "I'm not complaining", "曝光\n律师", "\xff投诉", "n't complain"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fd := Scan(s)
		if fd.Suspected() && fd.Source == "" {
			t.Fatalf("Scan(%q) found %v without a source", s, fd.Terms)
		}
	})
}
