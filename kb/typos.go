package kb

import "strings"

// misspellings are wrong characters customers type for words of this desk:
// same sound picked from the input method's list (压金 for 押金, 换款 for
// 还款) or a character that looks alike (逾其 for 逾期, 摧收 for 催收).
// Chinese bigrams match exactly, so one wrong character loses the word;
// these are put right in queries (never in articles) before searching.
// Only words whose wrong form means nothing else a customer of this desk
// would ask about are listed (预期 "expected" is not, though people type
// it for 逾期). Supervisors can add their own as synonyms (压金 ~ 押金).
var misspellings = strings.NewReplacer(
	// 押金 deposit
	"压金", "押金", "鸭金", "押金", "呀金", "押金",
	// 还款 repayment
	"换款", "还款", "环款", "还款", "还欵", "还款",
	// 逾期 overdue
	"逾其", "逾期", "愈期", "逾期", "渝期", "逾期", "瑜期", "逾期",
	// 账单 bill (帐单 is folded to 账单 for every text)
	"张单", "账单", "胀单", "账单",
	// 分期 instalments
	"分其", "分期",
	// 发票 invoice
	"发漂", "发票", "发飘", "发票",
	// 续租 extend the rental
	"续祖", "续租", "序租", "续租",
	// 征信 credit record
	"证信", "征信", "争信", "征信",
	// 注销 close an account
	"注消", "注销",
	// 催收 collection
	"摧收", "催收", "崔收", "催收",
	// 投诉 complaint
	"投述", "投诉", "投素", "投诉",
	// 冒充 impersonate, 诈骗 scam
	"冒冲", "冒充", "炸骗", "诈骗", "乍骗", "诈骗",
	// 滞纳金 late fee, 罚息 penalty interest
	"滞纳今", "滞纳金", "罚习", "罚息",
)

// correctMisspellings puts right the known wrong characters of a folded
// query.
func correctMisspellings(q string) string { return misspellings.Replace(q) }
