package webchat

import (
	"strings"
	"testing"
)

// The widget links to the official channels and the impostor report form
// of the desk's public page, in every language.
func TestWidgetLinksOfficialChannelsAndReport(t *testing.T) {
	src := string(widgetJS)
	for _, must := range []string{"/verify-agent#official", "/verify-agent?report=1#report", "'official-link'", "'report-link'",
		`"pii_official":"官方渠道"`, `"pii_report":"檢舉冒充客服"`, `"pii_report":"Report a fake agent"`} {
		if !strings.Contains(src, must) {
			t.Errorf("widget.js lacks %q", must)
		}
	}
}
