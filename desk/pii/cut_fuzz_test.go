package pii

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzMaskCut cuts a text where the fuzzer says, as a preview does, and
// checks that MaskCut never panics, never grows the text, is idempotent,
// leaves nothing Find reports, and is Mask on a text that was not cut.
func FuzzMaskCut(f *testing.F) {
	for _, s := range []string{
		"邮箱 zhang.san@example.com，手机 13800138000",
		"卡号 6222 0202 0000 1234 562 身份证 110101199003071233",
		"１３８００１３８０００ 订单 ORD1234",
	} {
		f.Add(s, uint8(12))
	}
	f.Fuzz(func(t *testing.T, text string, n uint8) {
		if !utf8.ValidString(text) {
			return
		}
		rs := []rune(text)
		cut := text
		if int(n) < len(rs) {
			cut = string(rs[:n]) + Ellipsis
		}
		got := MaskCut(cut)
		if len(got) > len(cut) {
			t.Fatalf("MaskCut grew %q to %q", cut, got)
		}
		if again := MaskCut(got); again != got {
			t.Fatalf("MaskCut not idempotent: %q → %q → %q", cut, got, again)
		}
		if ms := Find(got); len(ms) > 0 {
			t.Fatalf("MaskCut(%q) = %q still holds %+v", cut, got, ms)
		}
		if cut == text && !strings.HasSuffix(text, Ellipsis) && got != Mask(text) {
			t.Fatalf("MaskCut(%q) = %q, Mask gives %q", text, got, Mask(text))
		}
	})
}
