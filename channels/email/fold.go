package email

import (
	"regexp"
	"strings"
)

// quoteStart matches the line that introduces quoted history in the
// common clients: Gmail/Apple ("On ... wrote:"), Chinese clients ("在
// ... 写道："), Outlook and Foxmail ("-----Original Message-----",
// "发件人:"), QQ Mail ("------------------ 原始邮件 ------------------").
var quoteStart = regexp.MustCompile(`(?m)^(On .{1,200} wrote:\s*$|在 ?.{1,200}(写道|寫道)[:：]\s*$|-{2,} ?(Original Message|原始邮件|原始郵件|Forwarded message|转发的邮件) ?-{2,}|(From|发件人|寄件者|發件人) ?[:：].+\n(Sent|Date|发送时间|日期|寄件日期|發送時間) ?[:：])`)

// quotedBlock is a run of "> " lines.
var quotedBlock = regexp.MustCompile(`(?m)^>`)

// sigStart is the RFC 3676 signature separator and the phone clients'
// sign-offs.
var sigStart = regexp.MustCompile(`(?m)^(-- $|--$|发自我的|發自我的|Sent from my )`)

// foldPoints finds where quoted history and the signature begin in a
// mail's text, as byte offsets (0: none). Nothing is removed; the desk
// folds from there.
func foldPoints(text string) (quoteAt, sigAt int) {
	if loc := quoteStart.FindStringIndex(text); loc != nil && loc[0] > 0 {
		quoteAt = loc[0]
	}
	if loc := quotedBlock.FindStringIndex(text); loc != nil && loc[0] > 0 && (quoteAt == 0 || loc[0] < quoteAt) {
		// Only a trailing quote folds; interleaved answers stay open.
		if !strings.Contains(text[loc[0]:], "\n\n") || allQuotedAfter(text[loc[0]:]) {
			quoteAt = loc[0]
		}
	}
	end := len(text)
	if quoteAt > 0 {
		end = quoteAt
	}
	if locs := sigStart.FindAllStringIndex(text[:end], -1); len(locs) > 0 && locs[len(locs)-1][0] > 0 {
		sigAt = locs[len(locs)-1][0]
	}
	return quoteAt, sigAt
}

// allQuotedAfter: every non-empty line is quoted.
func allQuotedAfter(s string) bool {
	for _, l := range strings.Split(s, "\n") {
		if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, ">") {
			return false
		}
	}
	return true
}
