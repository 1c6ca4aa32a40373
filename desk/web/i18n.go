package web

import (
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// The desk speaks zh-CN (the default: most agents read Chinese) and en.
// Every string a person reads comes from these catalogs; a test keeps the
// two in step and checks that every key the templates and scripts use exists.
const (
	langZH      = "zh-CN"
	langEN      = "en"
	langCookie  = "lang"
	defaultLang = langZH
)

var languages = []string{langZH, langEN}

var catalogs = map[string]map[string]string{
	langZH: {
		"app.name":        "汇流客服台",
		"nav.skip":        "跳到正文",
		"nav.main":        "主导航",
		"nav.inbox":       "工单",
		"nav.canned":      "快捷回复",
		"nav.sites":       "网站接入",
		"nav.logout":      "退出登录",
		"nav.views":       "视图",
		"me.employee_no":  "工号",
		"lang.label":      "语言",
		"role.agent":      "客服",
		"role.supervisor": "主管",
		"role.admin":      "管理员",

		"live.connecting": "连接中…",
		"live.open":       "实时",
		"live.closed":     "已断开",

		"help.title":  "键盘快捷键",
		"help.jk":     "在工单列表中下移 / 上移",
		"help.enter":  "打开选中的工单",
		"help.r":      "写回复",
		"help.n":      "写内部备注",
		"help.send":   "发送",
		"help.search": "搜索",
		"help.help":   "显示本帮助",
		"help.esc":    "关闭 / 离开输入框",
		"help.close":  "关闭",

		"login.title":        "客服登录",
		"login.email":        "邮箱",
		"login.password":     "密码",
		"login.submit":       "登录",
		"login.bad":          "邮箱或密码错误。",
		"login.rate_limited": "登录尝试次数过多，请 {n} 秒后再试。",
		"login.csrf":         "登录请求来源无效，请刷新页面后重试。",
		"login.unavailable":  "登录暂时不可用，请稍后再试。",

		"error.title":       "出错了",
		"error.back":        "返回工单列表",
		"error.invalid":     "请求无效。",
		"error.not_found":   "找不到该页面或工单，或您无权查看。",
		"error.forbidden":   "您没有权限执行此操作。",
		"error.unavailable": "服务暂时不可用，请稍后再试。",
		"error.internal":    "内部错误，已记录。",
		"error.too_large":   "内容太大。",

		"view.mine":       "我的工单",
		"view.unassigned": "待分配",
		"view.owned":      "我首问负责",
		"view.all":        "全部工单",

		"inbox.search":       "搜索",
		"inbox.search_hint":  "搜索主题或消息内容（按 / ）",
		"inbox.status":       "状态",
		"inbox.channel":      "渠道",
		"inbox.any_channel":  "全部渠道",
		"inbox.apply":        "筛选",
		"inbox.next_ticket":  "下一个工单",
		"inbox.col.subject":  "主题",
		"inbox.col.contact":  "客户",
		"inbox.col.channel":  "渠道",
		"inbox.col.status":   "状态",
		"inbox.col.owner":    "首问负责人",
		"inbox.col.assignee": "处理人",
		"inbox.col.activity": "最近活动",
		"inbox.col.tags":     "标签",
		"inbox.no_subject":   "（无主题）",
		"inbox.nobody":       "未分配",
		"inbox.empty":        "没有符合条件的工单。",
		"inbox.pages":        "分页",
		"inbox.first_page":   "第一页",
		"inbox.next_page":    "下一页",

		"filter.active": "进行中",
		"filter.any":    "全部状态",

		"status.bot":      "机器人处理中",
		"status.open":     "待处理",
		"status.pending":  "等待客户",
		"status.resolved": "已解决",
		"status.closed":   "已关闭",

		"priority.low":    "低",
		"priority.normal": "普通",
		"priority.high":   "高",
		"priority.urgent": "紧急",

		"channel.webchat":  "网页聊天",
		"channel.telegram": "Telegram",
		"channel.email":    "邮件",
		"channel.phone":    "电话",
		"channel.api":      "API",

		"identity.webchat":     "网页访客",
		"identity.telegram":    "Telegram",
		"identity.email":       "邮箱",
		"identity.phone":       "手机",
		"identity.customer_no": "客户号",
		"identity.api":         "API 用户",

		"delivery.pending": "发送中",
		"delivery.sent":    "已发送",
		"delivery.failed":  "发送失败",

		"ticket.confirm_pending":    "须由首问负责人 {owner} 确认已告知客户处理结果，工单才能解决或关闭",
		"ticket.confirm_outcome":    "确认已告知客户",
		"ticket.confirm_reason":     "代负责人确认的原因（必填）",
		"ticket.confirm_note":       "告知客户的内容（可选）",
		"ticket.confirmed":          "{by} 已确认告知客户处理结果",
		"sys.outcome_confirmed":     "{by} 确认已告知客户处理结果",
		"sys.outcome_confirmed_for": "{by} 代 {for} 确认已告知客户处理结果（原因：{reason}）",
		"sys.returned_to_owner":     "客户再次来信，工单回到首问负责人 {owner}",
		"sys.owner_notified":        "客户再次来信，首问负责人 {owner} 不在线：工单留在团队队列，已通知 {owner}",
		"js.owner_toast_message":    "您负责的工单 #{n} 有客户新消息：{text}",
		"js.owner_toast_reply":      "您负责的工单 #{n} 有新回复",
		"js.owner_toast_change":     "您负责的工单 #{n}：{text}",
		"js.sla_toast_warning":      "工单 #{n} 的{target}即将超时",
		"js.sla_toast_breached":     "工单 #{n} 的{target}已超时",
		"js.owner_toast_update":     "您负责的工单 #{n} 有更新",
		"js.dismiss":                "关闭",
		"js.confirm_reason_needed":  "代负责人确认时请填写原因。",

		"ticket.timeline":        "时间线",
		"ticket.customer_typing": "客户正在输入…",
		"ticket.owner":           "首问负责人",
		"ticket.no_owner":        "尚无",
		"ticket.assignee":        "处理人",
		"ticket.team":            "团队",
		"ticket.status":          "状态",
		"ticket.priority":        "优先级",
		"ticket.channel":         "渠道",
		"ticket.created":         "创建于",
		"ticket.tags":            "标签",
		"ticket.tag_remove":      "移除标签",
		"ticket.actions":         "操作",
		"ticket.assign_me":       "分配给我",
		"ticket.transfer_team":   "转给团队",
		"ticket.transfer_agent":  "转给客服",
		"ticket.choose":          "请选择",
		"ticket.transfer":        "转交",
		"ticket.tag_add":         "添加标签",
		"ticket.add":             "添加",

		"entry.system":         "系统",
		"entry.employee_no":    "工号",
		"entry.note":           "内部备注",
		"entry.verify_request": "身份验证请求",
		"entry.bot":            "机器人",
		"entry.customer":       "客户",
		"entry.agent":          "客服",

		"reply.note_toggle":   "内部备注（客户不可见）",
		"reply.canned":        "快捷回复",
		"reply.canned_choose": "插入快捷回复…",
		"reply.attach":        "附件",
		"reply.label":         "回复内容",
		"reply.placeholder":   "输入回复，Ctrl/⌘ + Enter 发送",
		"reply.verify":        "请客户验证身份",
		"reply.send":          "发送",

		"contact.title":      "客户信息",
		"contact.no_name":    "（未留姓名）",
		"contact.verified":   "已验证",
		"contact.unverified": "未验证",

		"canned.title":  "快捷回复",
		"canned.team":   "团队",
		"canned.global": "全部团队（通用）",
		"canned.name":   "标题",
		"canned.text":   "内容",
		"canned.add":    "添加快捷回复",

		"sites.title":        "网站聊天接入",
		"sites.name":         "网站名称",
		"sites.origins":      "允许的来源",
		"sites.origins_hint": "每行一个，例如 https://www.example.com",
		"sites.greeting":     "欢迎语",
		"sites.hours":        "服务时间说明",
		"sites.save":         "保存",
		"sites.new":          "新建",

		"time.just_now": "刚刚",
		"time.minutes":  "{n} 分钟前",
		"time.hours":    "{n} 小时前",
		"time.days":     "{n} 天前",

		"sys.assign":          "{by} 将工单分配给 {to}",
		"sys.requeue_offline": "{from} 已离线，工单回到团队队列",
		"sys.bot_handoff":     "机器人转人工：{reason}",
		"sys.requeue_silent":  "{from} 未及时回复客户，工单回到团队队列",

		"routing.title":            "分配规则",
		"routing.rules":            "规则（按顺序匹配）",
		"routing.rules_hint":       "新工单按顺序匹配规则，第一条满足全部条件的规则决定团队；都不满足时进入默认团队。可在下方表单新建和编辑规则，也可通过 API（见 docs/api.md）。",
		"routing.rule_name":        "名称",
		"routing.conditions":       "条件",
		"routing.action":           "分配到",
		"routing.disabled":         "已停用",
		"routing.up":               "上移",
		"routing.down":             "下移",
		"routing.delete":           "删除",
		"routing.no_rules":         "还没有规则：所有新工单进入默认团队。",
		"routing.teams":            "团队",
		"routing.team":             "团队",
		"routing.mode":             "方式",
		"routing.mode_pull":        "坐席领取",
		"routing.mode_auto":        "自动分配",
		"routing.reassign_minutes": "未回复多少分钟后收回（0 为不收回）",
		"routing.default":          "默认团队",
		"routing.save":             "保存",
		"routing.segments":         "客户分群",
		"routing.segments_csv":     "CSV（kind,value,segment）",
		"routing.import":           "导入",
		"routing.cond.channels":    "渠道",
		"routing.cond.languages":   "语言",
		"routing.cond.categories":  "分类",
		"routing.cond.keywords":    "关键词",
		"routing.cond.segments":    "分群",
		"routing.cond.inside":      "工作时间内",
		"routing.cond.outside":     "工作时间外",
		"routing.cond.any":         "任意工单",
		"routing.edit":             "编辑",
		"routing.new_rule":         "新建规则",
		"routing.enabled":          "启用",
		"routing.list_hint":        "多个值用逗号分隔；留空表示不限。",
		"routing.hours":            "工作时间",
		"routing.hours_on":         "按工作时间匹配",
		"routing.hours_match":      "匹配",
		"routing.timezone":         "时区（IANA，如 Asia/Shanghai）",
		"routing.days":             "星期",
		"routing.schedule":         "每天的时段",
		"routing.pick_team":        "选择团队",
		"routing.set_category":     "同时设置分类（可选）",
		"routing.set_priority":     "同时设置优先级（可选）",
		"routing.keep_priority":    "不修改",
		"routing.save_rule":        "保存规则",
		"js.rule_editing":          "编辑规则：{name}",
		"js.segments_imported":     "已导入：收到 {received} 条，新增 {added} 条",

		"sys.unassign":          "{by} 取消了分配",
		"sys.unroute":           "{by} 将工单移出了团队",
		"sys.transfer":          "{by} 将工单转给团队 {team}",
		"sys.status":            "{by} 将状态改为 {status}",
		"sys.priority":          "{by} 将优先级改为 {priority}",
		"sys.tag_add":           "{by} 添加了标签 {tag}",
		"sys.tag_remove":        "{by} 移除了标签 {tag}",
		"sys.category":          "{by} 将分类设为 {category}",
		"sys.identity_verified": "身份已验证：{kind} {value}（{method}）",
		"sys.merge_refused":     "未合并：{kind} {value} 属于另一位客户且未验证",
		"sys.contacts_merged":   "已合并客户：{kind} {value} 已在另一位客户上验证",
		"sys.sla_escalation":    "SLA {target} {level}：第 {step} 级升级 {actions}",
		"sla.act.raised":        "优先级升为{priority}",
		"sla.act.moved":         "转给团队 {team}",
		"sla.act.tagged":        "加标签 {tag}",
		"sla.act.notified":      "通知{who}",
		"sla.act.and":           "、",
		"sla.act.sep":           "，",
		"sla.who.owner":         "首问负责人",
		"sla.who.assignee":      "处理人",
		"sla.who.supervisors":   "团队主管",
		"sys.sla_followup_due":  "承诺的跟进已逾期（{due}）：{note}",
		"sys.followup_set":      "{by} 承诺在 {due} 前跟进：{note}",

		"method.site_signature":    "网站签名",
		"method.telegram_deeplink": "Telegram 签名链接",
		"method.telegram_contact":  "Telegram 分享手机号",

		"contact.visitor": "访客 {id}",

		"js.sending":        "发送中…",
		"js.sent":           "已发送",
		"js.send_failed":    "发送失败：{reason}",
		"js.empty_reply":    "请先输入内容或选择附件。",
		"js.saved":          "已保存",
		"js.next_none":      "队列里暂时没有您能接的工单。",
		"js.failed":         "操作失败：{reason}",
		"js.unsupported":    "服务器尚不支持此功能。",
		"js.delete":         "删除",
		"js.edit":           "编辑",
		"js.confirm_delete": "确定删除「{name}」吗？",
		"js.key":            "站点 Key",
		"js.secret":         "签名密钥",
		"js.embed":          "嵌入代码",
		"js.preview":        "预览聊天窗口",
		"js.origins":        "来源",
		"js.none":           "暂无",
		"js.note_mode":      "正在写内部备注",
		"js.reply_mode":     "正在回复客户",
		"js.agent_typing":   "{name} 正在输入…",
		"js.reloaded":       "已重新加载",
		"js.global":         "通用",
		"js.rotate":         "更换密钥",
		"js.confirm_rotate": "确定更换「{name}」的签名密钥吗？使用旧密钥的网站将无法验证。",
		"health.title":      "系统状态",
		"health.degraded":   "降级（仍可服务）",
		"health.down":       "不可用",
	},
	langEN: {
		"app.name":        "Huiliu Desk",
		"nav.skip":        "Skip to content",
		"nav.main":        "Main navigation",
		"nav.inbox":       "Tickets",
		"nav.canned":      "Canned replies",
		"nav.sites":       "Website chat",
		"nav.logout":      "Log out",
		"nav.views":       "Views",
		"me.employee_no":  "Employee number",
		"lang.label":      "Language",
		"role.agent":      "Agent",
		"role.supervisor": "Supervisor",
		"role.admin":      "Admin",

		"live.connecting": "Connecting…",
		"live.open":       "Live",
		"live.closed":     "Offline",

		"help.title":  "Keyboard shortcuts",
		"help.jk":     "Move down / up in the ticket list",
		"help.enter":  "Open the selected ticket",
		"help.r":      "Write a reply",
		"help.n":      "Write an internal note",
		"help.send":   "Send",
		"help.search": "Search",
		"help.help":   "Show this help",
		"help.esc":    "Close / leave the input",
		"help.close":  "Close",

		"login.title":        "Agent sign-in",
		"login.email":        "Email",
		"login.password":     "Password",
		"login.submit":       "Sign in",
		"login.bad":          "Wrong email or password.",
		"login.rate_limited": "Too many sign-in attempts. Try again in {n} seconds.",
		"login.csrf":         "The sign-in request came from an unknown page. Reload and try again.",
		"login.unavailable":  "Sign-in is unavailable right now. Try again shortly.",

		"error.title":       "Something went wrong",
		"error.back":        "Back to tickets",
		"error.invalid":     "The request is not valid.",
		"error.not_found":   "This page or ticket does not exist, or you may not see it.",
		"error.forbidden":   "You are not allowed to do this.",
		"error.unavailable": "The service is unavailable. Try again shortly.",
		"error.internal":    "Internal error; it has been logged.",
		"error.too_large":   "That is too large.",

		"view.mine":       "My tickets",
		"view.unassigned": "Unassigned",
		"view.owned":      "Owned by me",
		"view.all":        "All tickets",

		"inbox.search":       "Search",
		"inbox.search_hint":  "Search subjects and messages (press /)",
		"inbox.status":       "Status",
		"inbox.channel":      "Channel",
		"inbox.any_channel":  "All channels",
		"inbox.apply":        "Filter",
		"inbox.next_ticket":  "Next ticket",
		"inbox.col.subject":  "Subject",
		"inbox.col.contact":  "Customer",
		"inbox.col.channel":  "Channel",
		"inbox.col.status":   "Status",
		"inbox.col.owner":    "Owner",
		"inbox.col.assignee": "Assignee",
		"inbox.col.activity": "Last activity",
		"inbox.col.tags":     "Tags",
		"inbox.no_subject":   "(no subject)",
		"inbox.nobody":       "Unassigned",
		"inbox.empty":        "No tickets match.",
		"inbox.pages":        "Pages",
		"inbox.first_page":   "First page",
		"inbox.next_page":    "Next page",

		"filter.active": "Active",
		"filter.any":    "Any status",

		"status.bot":      "With the bot",
		"status.open":     "Open",
		"status.pending":  "Pending",
		"status.resolved": "Resolved",
		"status.closed":   "Closed",

		"priority.low":    "Low",
		"priority.normal": "Normal",
		"priority.high":   "High",
		"priority.urgent": "Urgent",

		"channel.webchat":  "Web chat",
		"channel.telegram": "Telegram",
		"channel.email":    "Email",
		"channel.phone":    "Phone",
		"channel.api":      "API",

		"identity.webchat":     "Web visitor",
		"identity.telegram":    "Telegram",
		"identity.email":       "Email",
		"identity.phone":       "Phone",
		"identity.customer_no": "Customer no.",
		"identity.api":         "API user",

		"delivery.pending": "Sending",
		"delivery.sent":    "Sent",
		"delivery.failed":  "Failed",

		"ticket.confirm_pending":    "{owner}, the first-contact owner, must confirm the customer was told the outcome before the ticket can be resolved or closed",
		"ticket.confirm_outcome":    "Confirm the customer was told",
		"ticket.confirm_reason":     "Why you confirm for the owner (required)",
		"ticket.confirm_note":       "What the customer was told (optional)",
		"ticket.confirmed":          "{by} confirmed the customer was told the outcome",
		"sys.outcome_confirmed":     "{by} confirmed the customer was told the outcome",
		"sys.outcome_confirmed_for": "{by} confirmed for {for} that the customer was told the outcome (reason: {reason})",
		"sys.returned_to_owner":     "The customer wrote again; the ticket went back to its owner {owner}",
		"sys.owner_notified":        "The customer wrote again while the owner {owner} is away: the ticket stays with the team and {owner} was notified",
		"js.owner_toast_message":    "Ticket #{n} you own: the customer wrote: {text}",
		"js.owner_toast_reply":      "Ticket #{n} you own has a new reply",
		"js.owner_toast_change":     "Ticket #{n} you own: {text}",
		"js.sla_toast_warning":      "Ticket #{n}: {target} is at risk",
		"js.sla_toast_breached":     "Ticket #{n}: {target} is breached",
		"js.owner_toast_update":     "Ticket #{n} you own was updated",
		"js.dismiss":                "Dismiss",
		"js.confirm_reason_needed":  "Give a reason when you confirm for the owner.",

		"ticket.timeline":        "Timeline",
		"ticket.customer_typing": "The customer is typing…",
		"ticket.owner":           "Owner (first contact)",
		"ticket.no_owner":        "None yet",
		"ticket.assignee":        "Assignee",
		"ticket.team":            "Team",
		"ticket.status":          "Status",
		"ticket.priority":        "Priority",
		"ticket.channel":         "Channel",
		"ticket.created":         "Created",
		"ticket.tags":            "Tags",
		"ticket.tag_remove":      "Remove tag",
		"ticket.actions":         "Actions",
		"ticket.assign_me":       "Assign to me",
		"ticket.transfer_team":   "Transfer to team",
		"ticket.transfer_agent":  "Transfer to agent",
		"ticket.choose":          "Choose",
		"ticket.transfer":        "Transfer",
		"ticket.tag_add":         "Add tag",
		"ticket.add":             "Add",

		"entry.system":         "System",
		"entry.employee_no":    "No.",
		"entry.note":           "Internal note",
		"entry.verify_request": "Verification request",
		"entry.bot":            "Bot",
		"entry.customer":       "Customer",
		"entry.agent":          "Agent",

		"reply.note_toggle":   "Internal note (the customer does not see it)",
		"reply.canned":        "Canned reply",
		"reply.canned_choose": "Insert a canned reply…",
		"reply.attach":        "Files",
		"reply.label":         "Reply",
		"reply.placeholder":   "Write a reply; Ctrl/⌘ + Enter sends",
		"reply.verify":        "Ask to verify",
		"reply.send":          "Send",

		"contact.title":      "Customer",
		"contact.no_name":    "(no name given)",
		"contact.verified":   "Verified",
		"contact.unverified": "Not verified",

		"canned.title":  "Canned replies",
		"canned.team":   "Team",
		"canned.global": "All teams (global)",
		"canned.name":   "Title",
		"canned.text":   "Text",
		"canned.add":    "Add canned reply",

		"sites.title":        "Website chat",
		"sites.name":         "Site name",
		"sites.origins":      "Allowed origins",
		"sites.origins_hint": "One per line, e.g. https://www.example.com",
		"sites.greeting":     "Greeting",
		"sites.hours":        "Opening hours note",
		"sites.save":         "Save",
		"sites.new":          "New",

		"time.just_now": "just now",
		"time.minutes":  "{n} min ago",
		"time.hours":    "{n} h ago",
		"time.days":     "{n} d ago",

		"sys.assign":          "{by} assigned the ticket to {to}",
		"sys.requeue_offline": "{from} went offline; the ticket is back in the team's queue",
		"sys.bot_handoff":     "The bot handed the ticket to the desk: {reason}",
		"sys.requeue_silent":  "{from} did not answer the customer in time; the ticket is back in the team's queue",

		"routing.title":            "Routing",
		"routing.rules":            "Rules (matched in order)",
		"routing.rules_hint":       "A new ticket goes to the team of the first rule whose conditions all hold, else to the default team. Create and edit rules with the form below, or through the API (see docs/api.md).",
		"routing.rule_name":        "Name",
		"routing.conditions":       "Conditions",
		"routing.action":           "Goes to",
		"routing.disabled":         "disabled",
		"routing.up":               "Up",
		"routing.down":             "Down",
		"routing.delete":           "Delete",
		"routing.no_rules":         "No rules yet: every new ticket goes to the default team.",
		"routing.teams":            "Teams",
		"routing.team":             "Team",
		"routing.mode":             "Mode",
		"routing.mode_pull":        "Agents pull",
		"routing.mode_auto":        "Auto-assign",
		"routing.reassign_minutes": "Take back after minutes without a reply (0: never)",
		"routing.default":          "Default team",
		"routing.save":             "Save",
		"routing.segments":         "Customer segments",
		"routing.segments_csv":     "CSV (kind,value,segment)",
		"routing.import":           "Import",
		"routing.cond.channels":    "channels",
		"routing.cond.languages":   "languages",
		"routing.cond.categories":  "categories",
		"routing.cond.keywords":    "keywords",
		"routing.cond.segments":    "segments",
		"routing.cond.inside":      "inside hours",
		"routing.cond.outside":     "outside hours",
		"routing.cond.any":         "any ticket",
		"routing.edit":             "Edit",
		"routing.new_rule":         "New rule",
		"routing.enabled":          "Enabled",
		"routing.list_hint":        "Separate values with commas; leave empty for any.",
		"routing.hours":            "Business hours",
		"routing.hours_on":         "Match on business hours",
		"routing.hours_match":      "Match",
		"routing.timezone":         "Time zone (IANA, e.g. Asia/Shanghai)",
		"routing.days":             "Days",
		"routing.schedule":         "Hours of each day",
		"routing.pick_team":        "Choose a team",
		"routing.set_category":     "Also set category (optional)",
		"routing.set_priority":     "Also set priority (optional)",
		"routing.keep_priority":    "Leave as is",
		"routing.save_rule":        "Save rule",
		"js.rule_editing":          "Editing rule: {name}",
		"js.segments_imported":     "Imported: {received} received, {added} new",

		"sys.unassign":          "{by} unassigned the ticket",
		"sys.unroute":           "{by} removed the ticket from its team",
		"sys.transfer":          "{by} transferred the ticket to team {team}",
		"sys.status":            "{by} set the status to {status}",
		"sys.priority":          "{by} set the priority to {priority}",
		"sys.tag_add":           "{by} added the tag {tag}",
		"sys.tag_remove":        "{by} removed the tag {tag}",
		"sys.category":          "{by} set the category to {category}",
		"sys.identity_verified": "Identity verified: {kind} {value} ({method})",
		"sys.merge_refused":     "Not merged: {kind} {value} belongs, unverified, to another customer",
		"sys.contacts_merged":   "Customers merged: {kind} {value} is verified on another customer",
		"sys.sla_escalation":    "SLA {target} {level}: escalation step {step} {actions}",
		"sla.act.raised":        "priority raised to {priority}",
		"sla.act.moved":         "moved to team {team}",
		"sla.act.tagged":        "tagged {tag}",
		"sla.act.notified":      "notified {who}",
		"sla.act.and":           " and ",
		"sla.act.sep":           ", ",
		"sla.who.owner":         "the owner",
		"sla.who.assignee":      "the assignee",
		"sla.who.supervisors":   "the team's supervisors",
		"sys.sla_followup_due":  "Promised follow-up overdue ({due}): {note}",
		"sys.followup_set":      "{by} promised a follow-up by {due}: {note}",

		"method.site_signature":    "signed by the website",
		"method.telegram_deeplink": "Telegram signed link",
		"method.telegram_contact":  "phone shared on Telegram",

		"contact.visitor": "Visitor {id}",

		"js.sending":        "Sending…",
		"js.sent":           "Sent",
		"js.send_failed":    "Not sent: {reason}",
		"js.empty_reply":    "Write something or choose a file first.",
		"js.saved":          "Saved",
		"js.next_none":      "No ticket is waiting that you can take.",
		"js.failed":         "Failed: {reason}",
		"js.unsupported":    "The server does not support this yet.",
		"js.delete":         "Delete",
		"js.edit":           "Edit",
		"js.confirm_delete": "Delete “{name}”?",
		"js.key":            "Site key",
		"js.secret":         "Signing secret",
		"js.embed":          "Embed code",
		"js.preview":        "Preview the widget",
		"js.origins":        "Origins",
		"js.none":           "None yet",
		"js.note_mode":      "Writing an internal note",
		"js.reply_mode":     "Replying to the customer",
		"js.agent_typing":   "{name} is typing…",
		"js.reloaded":       "Reloaded",
		"js.global":         "Global",
		"js.rotate":         "Rotate secret",
		"js.confirm_rotate": "Rotate the signing secret of “{name}”? Sites using the old one stop verifying.",
		"health.title":      "System status",
		"health.degraded":   "degraded (still serving)",
		"health.down":       "down",
	},
}

// jsPrefixes select the catalog entries the scripts need; only those are
// sent to the browser, as JSON in a data block (never inline script).
var jsPrefixes = []string{"js.", "sla.target.", "sla.level.", "sla.act.", "sla.who.", "live.", "time.", "sys.", "status.", "priority.", "delivery.", "entry.", "channel.", "identity.", "view.", "method."}

// jsExtra are single keys the scripts need outside those prefixes.
var jsExtra = []string{"ticket.customer_typing"}

// jsCatalog is the part of lang's catalog the scripts use.
func jsCatalog(lang string) map[string]string {
	out := map[string]string{}
	for k, v := range catalogs[lang] {
		if slices.Contains(jsExtra, k) || slices.ContainsFunc(jsPrefixes, func(p string) bool { return strings.HasPrefix(k, p) }) {
			out[k] = v
		}
	}
	return out
}

// translate looks key up in lang; a missing key shows itself, so a gap is
// visible on the page rather than an empty label (the catalog test keeps
// that from shipping).
func translate(lang, key string) string {
	if v, ok := catalogs[lang][key]; ok {
		return v
	}
	if v, ok := catalogs[defaultLang][key]; ok {
		return v
	}
	return key
}

// format fills {name} placeholders from pairs of name, value.
func format(s string, pairs ...string) string {
	if len(pairs) < 2 {
		return s
	}
	args := make([]string, 0, len(pairs))
	for i := 0; i+1 < len(pairs); i += 2 {
		args = append(args, "{"+pairs[i]+"}", pairs[i+1])
	}
	return strings.NewReplacer(args...).Replace(s)
}

// pickLanguage honours the switcher's cookie, then the browser's
// Accept-Language, then falls back to Chinese.
func pickLanguage(r *http.Request) string {
	if ck, err := r.Cookie(langCookie); err == nil && slices.Contains(languages, ck.Value) {
		return ck.Value
	}
	return fromAcceptLanguage(r.Header.Get("Accept-Language"))
}

func fromAcceptLanguage(h string) string {
	type choice struct {
		lang string
		q    float64
	}
	var cs []choice
	for _, part := range strings.Split(h, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				continue
			}
			q = f
		}
		tag = strings.ToLower(strings.TrimSpace(tag))
		var lang string
		switch {
		case tag == "zh" || strings.HasPrefix(tag, "zh-"):
			lang = langZH
		case tag == "en" || strings.HasPrefix(tag, "en-"):
			lang = langEN
		default:
			continue
		}
		if q > 0 {
			cs = append(cs, choice{lang, q})
		}
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].q > cs[j].q })
	if len(cs) > 0 {
		return cs[0].lang
	}
	return defaultLang
}
