package desk

import (
	"sync"

	"github.com/microcosm-cc/bluemonday"
)

// htmlPolicy is what inbound HTML (mail bodies, rich web messages) keeps
// before it is stored: the user-generated-content elements, without
// scripts, styles, event handlers or script URLs. Links are marked
// nofollow and noreferrer (which implies noopener) and lose any target, so
// a desk that renders them neither lends them ranking nor hands them a
// window.opener.
var htmlPolicy = sync.OnceValue(func() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.RequireNoFollowOnLinks(true)
	p.RequireNoReferrerOnLinks(true)
	// Inline mail images point at their part (cid:...); the desk maps
	// them to the stored attachment when it shows the mail.
	p.AllowURLSchemes("cid")
	return p
})

// SanitizeHTML returns the part of untrusted HTML a desk may render.
func SanitizeHTML(html string) string {
	if html == "" {
		return ""
	}
	return htmlPolicy().Sanitize(html)
}
