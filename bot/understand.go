package bot

import (
	"regexp"
	"strings"
	"unicode"

	"huiliu/kb"
)

// intent is what a message asks for, before the knowledge base is asked.
type intent struct {
	name string // one of the intent* constants or "flow:<id>"
	fact string // account intents: the fact asked about
}

// Intents the rules below recognise. Checked in this order: safety first
// (self-harm, injection, abuse), then what forces a person, then account
// questions and flows; anything else goes to the knowledge base.
const (
	intentUrgent       = "urgent"
	intentInjection    = "prompt_injection"
	intentAbuse        = "abuse"
	intentLegal        = "legal"
	intentRegulator    = "regulator"
	intentNegotiation  = "negotiation"
	intentAngry        = "angry"
	intentHuman        = "human"
	intentOthersData   = "others_data"
	intentOffTopic     = "off_topic"
	intentGreeting     = "greeting"
	intentAccount      = "account"
	intentCancel       = "cancel"
	flowIntentPrefix   = "flow:"
	maxUnderstoodRunes = 500
)

// slang expands pinyin-initial shorthand customers type ("rg" for 人工)
// when it stands as a word of its own.
var slang = map[string]string{
	"rg": "人工", "zrg": "转人工", "hk": "还款", "yq": "逾期", "fq": "分期", "tk": "退款", "kf": "客服",
	"yj": "押金", "zd": "账单", "ts": "投诉", "ye": "余额", "hkr": "还款日", "yqfy": "逾期费用",
	"zhrg": "转人工", "pls": "please", "u": "you", "ur": "your", "plz": "please",
}

// typos are frequent misspellings, folded to the word meant. Chinese ones
// are homophone slips of pinyin input methods.
var typos = strings.NewReplacer(
	"环款", "还款", "换款", "还款", "还宽", "还款", "于期", "逾期", "愈期", "逾期", "预期了", "逾期了", "压金", "押金",
	"鸭金", "押金", "认工", "人工", "人公", "人工", "分其", "分期", "退宽", "退款", "推款", "退款", "帐单", "账单",
	"余貊", "余额", "投述", "投诉", "头诉", "投诉", "客戶", "客户",
	"refnd", "refund", "refun ", "refund ", "depost", "deposit", "deposite", "deposit", "balnce", "balance",
	"ballance", "balance", "humna", "human", "overdu ", "overdue ", "repaymnt", "repayment", "instalment", "installment",
	"paymnet", "payment", "complain ", "complaint ",
)

// normalize is the text the rules see: folded like the knowledge base
// (Traditional → Simplified, width, case), typos fixed, slang expanded.
func normalize(text string) string {
	s := kb.Fold(strings.TrimSpace(text))
	s = typos.Replace(s + " ")
	words := strings.FieldsFunc(s, func(r rune) bool { return !(r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r))) })
	for _, w := range words {
		if x, ok := slang[w]; ok {
			s = replaceWord(s, w, x)
		}
	}
	return strings.TrimSpace(s)
}

// replaceWord replaces w where it is not part of a longer Latin word.
func replaceWord(s, w, with string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, w)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		end := i + len(w)
		if (i > 0 && isASCIIAlnum(s[i-1])) || (end < len(s) && isASCIIAlnum(s[end])) {
			b.WriteString(s[:end])
		} else {
			b.WriteString(s[:i])
			b.WriteString(with)
		}
		s = s[end:]
	}
}

func isASCIIAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// rule is a list of phrases; Chinese phrases match anywhere, Latin ones
// on word boundaries.
type rule []string

func (r rule) match(s string) bool {
	for _, p := range r {
		if containsPhrase(s, p) {
			return true
		}
	}
	return false
}

func containsPhrase(s, p string) bool {
	if p == "" {
		return false
	}
	if !isASCIIAlnum(p[0]) {
		return strings.Contains(s, p)
	}
	for off := 0; ; {
		i := strings.Index(s[off:], p)
		if i < 0 {
			return false
		}
		i += off
		end := i + len(p)
		if (i == 0 || !isASCIIAlnum(s[i-1])) && (end == len(s) || !isASCIIAlnum(s[end])) {
			return true
		}
		off = i + 1
	}
}

var (
	urgentRule = rule{"想死", "不想活", "自杀", "活不下去", "跳楼", "轻生", "割腕", "结束生命", "去死了", "活着没意思",
		"kill myself", "suicide", "end my life", "want to die", "don't want to live", "dont want to live"}
	injectionRule = rule{"ignore your instructions", "ignore previous", "ignore all previous", "ignore the above",
		"ignore all instructions", "disregard your", "system prompt", "you are now", "developer mode", "jailbreak",
		"reveal your", "print your instructions", "your configuration", "your config", "[system]", "system:", "<system>",
		"忽略之前", "忽略你的", "忽略以上", "忽略上面", "忽略所有", "系统提示", "提示词", "你的指令", "你的配置", "你的设定",
		"管理员模式", "开发者模式", "你现在是", "系统消息:", "系统:", "[系统]"}
	abuseRule = rule{"傻逼", "傻b", "sb客服", "煞笔", "操你", "草你", "你妈", "滚蛋", "去死吧", "智障", "脑残", "狗东西",
		"fuck", "idiot", "stupid bot", "moron", "shut up", "bitch", "asshole"}
	legalRule     = rule{"起诉", "律师", "法院", "告你们", "诉讼", "报警", "仲裁", "法律途径", "sue you", "lawyer", "court", "legal action", "attorney", "police"}
	regulatorRule = rule{"银保监", "金融监管", "监管局", "监管部门", "12378", "消协", "12315", "人民银行", "投诉到监管", "黑猫投诉",
		"regulator", "financial regulator", "consumer association"}
	negotiationRule = rule{"减免", "免息", "免除", "少还", "罚息能不能", "罚息可以", "停止催收", "停催", "协商还款", "个性化分期",
		"还不起", "还不上", "没钱还", "失业", "破产", "waive", "waiver", "hardship", "can't afford", "cannot afford", "reduce the fee", "lost my job"}
	angryRule = rule{"气死", "太差", "垃圾服务", "垃圾公司", "什么破", "受够了", "太过分", "欺负人", "愤怒", "恶心", "骗子公司",
		"ridiculous", "terrible service", "unacceptable", "so angry", "fed up", "wtf", "worst"}
	humanRule = rule{"转人工", "人工", "真人", "找客服", "客服人员", "活人", "坐席", "接线员", "找个人",
		"human", "real person", "live agent", "talk to an agent", "speak to an agent", "operator", "representative", "talk to someone"}
	othersRule = rule{"朋友的", "老公的", "老婆的", "他的账", "她的账", "别人的", "我妈的", "我爸的", "同事的", "家人的", "帮他查", "帮她查",
		"帮朋友查", "替别人", "someone else", "my friend's", "my husband's", "my wife's", "another customer", "other customer",
		"his account", "her account", "their account"}
	offTopicRule = rule{"天气", "笑话", "写首诗", "写诗", "写代码", "股票", "彩票", "菜谱", "电影", "翻译一下", "比特币", "星座", "谁赢了",
		"weather", "joke", "poem", "write code", "stock", "stocks", "lottery", "recipe", "movie", "bitcoin", "horoscope", "football"}
	greetingRule = rule{"你好", "您好", "在吗", "在不在", "哈喽", "嗨", "早上好", "晚上好", "hi", "hello", "hey", "good morning", "有人吗"}
	// policyRule marks a question about the rules ("can the due date be
	// changed?") rather than about the customer's own figures.
	policyRule = rule{"能改", "修改", "更改", "怎么算", "怎么计算", "可以改", "change", "how is", "calculated"}
	cancelRule = rule{"取消", "算了", "不用了", "退出", "cancel", "never mind", "nevermind", "stop"}
)

// account facts the bot answers after verification, by what the customer
// says. Order matters: the first matching fact is asked about.
var accountRules = []struct {
	fact string
	r    rule
}{
	{"overdue", rule{"逾期多少", "逾期金额", "逾期几天", "逾期了多少", "逾期多久", "欠了多少天", "how much overdue", "overdue amount", "how many days overdue", "my overdue"}},
	{"next_due", rule{"还款日", "哪天还", "几号还", "下次还", "下一期", "下期", "什么时候还款", "这个月还多少", "本期", "due date", "next payment", "when is my payment", "when do i pay", "payment due", "next instalment", "next installment"}},
	{"plan", rule{"我的还款计划", "还款计划是", "还款明细", "剩几期", "还有几期", "my repayment plan", "my payment schedule", "payment schedule", "how many instalments left", "how many installments left"}},
	{"balance", rule{"余额", "还欠多少", "欠多少", "还剩多少", "待还", "欠款多少", "还要还多少", "总共还", "欠你们多少", "how much do i owe", "my balance", "outstanding", "how much left", "amount owed"}},
	{"contract", rule{"订单状态", "我的订单", "合同状态", "订单到哪", "租赁状态", "order status", "my order", "contract status", "my contract"}},
}

var (
	customerNoPattern = regexp.MustCompile(`(?i)\b([a-z]{1,3}-?\d{4,12})\b`)
	codePattern       = regexp.MustCompile(`(?:^|\D)(\d{6})(?:\D|$)`)
	employeePattern   = regexp.MustCompile(`(?i)\bhl-?\s?(\d{6})\b`)
	phonePattern      = regexp.MustCompile(`1[3-9]\d{9}`)
)

// classify finds the rule intent of a normalised message ("" when none).
func classify(s string, flows Flows) intent {
	switch {
	case urgentRule.match(s):
		return intent{name: intentUrgent}
	case injectionRule.match(s):
		return intent{name: intentInjection}
	case abuseRule.match(s):
		return intent{name: intentAbuse}
	case legalRule.match(s):
		return intent{name: intentLegal}
	case regulatorRule.match(s):
		return intent{name: intentRegulator}
	case negotiationRule.match(s):
		return intent{name: intentNegotiation}
	case angryRule.match(s):
		return intent{name: intentAngry}
	case humanRule.match(s) && !strings.Contains(s, "人工费"):
		return intent{name: intentHuman}
	case othersRule.match(s) || (phonePattern.MatchString(s) && anyAccount(s)):
		return intent{name: intentOthersData}
	}
	if id := flowByExample(s, flows); id != "" {
		return intent{name: flowIntentPrefix + id}
	}
	if !policyRule.match(s) {
		for _, a := range accountRules {
			if a.r.match(s) {
				return intent{name: intentAccount, fact: a.fact}
			}
		}
	}
	if employeePattern.MatchString(s) {
		return intent{name: flowIntentPrefix + "agent_check"}
	}
	if offTopicRule.match(s) {
		return intent{name: intentOffTopic}
	}
	if greetingRule.match(s) && len([]rune(s)) <= 12 {
		return intent{name: intentGreeting}
	}
	return intent{}
}

func anyAccount(s string) bool {
	for _, a := range accountRules {
		if a.r.match(s) {
			return true
		}
	}
	return false
}

// flowByExample is the flow one of whose example phrases the message
// contains (the longest example wins, so 申请延期 beats 延期).
func flowByExample(s string, flows Flows) string {
	best, bestLen := "", 0
	for _, f := range flows.List {
		for _, ex := range f.Examples {
			for _, e := range ex {
				e = kb.Fold(e)
				if len(e) > bestLen && containsPhrase(s, e) {
					best, bestLen = f.ID, len(e)
				}
			}
		}
	}
	return best
}

// language is the customer's language from what they wrote, else hint:
// Han characters say Chinese (Traditional ones zh-TW), English words say
// en; a customer number, a code or one short word says nothing.
func language(text, hint string) string {
	han := 0
	for _, r := range text {
		if unicode.Is(unicode.Han, r) {
			han++
		}
	}
	words := 0
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if len(w) >= 2 && strings.IndexFunc(w, func(r rune) bool { return r >= 128 || unicode.IsDigit(r) }) < 0 {
			words++
		}
	}
	switch {
	case han > 0 && kb.HasTraditional(text):
		return "zh-TW"
	case han > 0:
		if hint == "zh-TW" {
			return hint
		}
		return "zh-CN"
	case words >= 2 || (words == 1 && hint == ""):
		return "en"
	}
	switch hint {
	case "zh-CN", "zh-TW", "en":
		return hint
	}
	return "zh-CN"
}
