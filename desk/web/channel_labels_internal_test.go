package web

import "testing"

// TestChannelLabelsAreWorded: the labels a channel stores in English read
// in the desk's language, details kept, and text that only looks like a
// label later in the message is left alone.
func TestChannelLabelsAreWorded(t *testing.T) {
	for _, tc := range []struct{ lang, text, want string }{
		{"zh-CN", "[photo] 收据", "[图片] 收据"},
		{"zh-CN", "[shared own phone number]", "[客户分享了本人手机号]"},
		{"zh-TW", "[edited] [voice 12s]", "[已編輯] [語音 12 秒]"},
		{"zh-CN", "[document 合同.pdf] 请看", "[文件 合同.pdf] 请看"},
		{"en", "[photo] receipt", "[photo] receipt"},
		{"zh-CN", "我发了 [photo] 给你", "我发了 [photo] 给你"},
		{"zh-CN", "[refund] please", "[refund] please"},
	} {
		if got := channelLabels(tc.lang, tc.text); got != tc.want {
			t.Errorf("%s %q = %q, want %q", tc.lang, tc.text, got, tc.want)
		}
	}
}
