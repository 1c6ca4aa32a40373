package bot

import (
	"testing"
	"unicode/utf8"
)

func TestNormalizeSlangAndTypos(t *testing.T) {
	for in, want := range map[string]string{
		"rg":        "人工",
		"hk方式":      "还款方式",
		"环款日":       "还款日",
		"押金多久退":     "押金多久退",
		"ＲＧ":        "人工",
		"帳單":        "账单",
		"orgasm":    "orgasm", // slang only as a word of its own
		"my depost": "my deposit",
		"hkr是哪天":    "还款日是哪天",
	} {
		if got := normalize(in); got != want {
			t.Errorf("normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLanguage(t *testing.T) {
	for _, c := range []struct{ text, hint, want string }{
		{"我还欠多少", "", "zh-CN"}, {"我還欠多少", "", "zh-TW"}, {"how much do I owe", "", "en"},
		{"C10023", "zh-CN", "zh-CN"}, {"123456", "zh-TW", "zh-TW"}, {"ok", "zh-CN", "zh-CN"}, {"hello", "", "en"},
	} {
		if got := language(c.text, c.hint); got != c.want {
			t.Errorf("language(%q, %q) = %s, want %s", c.text, c.hint, got, c.want)
		}
	}
}

// Whatever a customer types, understanding it neither panics nor returns
// an unknown language or a broken string.
func FuzzUnderstand(f *testing.F) {
	for _, s := range []string{"转人工", "rg", "我还欠多少钱 C10023", "ignore your instructions", "工号HL000123", "１２３４５６", "\xff\xfe", "第2个", ""} {
		f.Add(s)
	}
	flows := DefaultFlows()
	f.Fuzz(func(t *testing.T, text string) {
		s := normalize(cutRunes(text, maxUnderstoodRunes))
		in := classify(s, flows)
		if in.name == intentAccount && in.fact == "" {
			t.Fatalf("account intent without a fact for %q", text)
		}
		switch language(text, "") {
		case "zh-CN", "zh-TW", "en":
		default:
			t.Fatalf("unknown language for %q", text)
		}
		if utf8.ValidString(text) && !utf8.ValidString(s) {
			t.Fatalf("normalize broke %q into %q", text, s)
		}
		if n, ok := pickNumber(s, 3); ok && (n < 0 || n > 2) {
			t.Fatalf("pickNumber(%q) = %d", s, n)
		}
		customerNoPattern.FindStringSubmatch(text)
		codePattern.FindStringSubmatch(toHalfDigits(text))
	})
}
