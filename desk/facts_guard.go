package desk

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// CodeDisclosure: a public reply names facts of the customer's record the
// conversation is not verified for; HTTP 409 with the findings. Sending it
// anyway needs an override reason.
const CodeDisclosure Code = "disclosure"

// DisclosureFinding is one fact of the record found in a draft.
type DisclosureFinding struct {
	Fact string `json:"fact"` // a Fact* name
	// Text is the fact as the draft writes it (digits made half-width).
	Text string `json:"text"`
	Need int    `json:"need"` // the level the policy asks for it
}

// DisclosureCheck is the guard's answer for a draft.
type DisclosureCheck struct {
	// Level is the conversation's active verification level.
	Level    int                 `json:"level"`
	Findings []DisclosureFinding `json:"findings"`
}

// MaxOverrideReasonBytes bounds the reason for sending despite the guard.
const MaxOverrideReasonBytes = 500

// CheckDisclosure finds in text the facts of ticketID's customer record
// whose policy level is above the conversation's active level. No record
// (or no customer number) finds nothing. The desk calls it before sending
// and Post applies it to agents' and the bot's public replies.
func (s *Service) CheckDisclosure(ctx context.Context, ticketID, text string) (DisclosureCheck, error) {
	t, err := s.store.Ticket(ctx, ticketID)
	if err != nil {
		return DisclosureCheck{}, notFoundAs(fmt.Errorf("desk: ticket %s: %w", ticketID, err), "ticket not found")
	}
	return s.checkDisclosure(ctx, t, text)
}

func (s *Service) checkDisclosure(ctx context.Context, t Ticket, text string) (DisclosureCheck, error) {
	out := DisclosureCheck{Findings: []DisclosureFinding{}}
	if s.facts == nil {
		return out, nil
	}
	v, err := s.activeVerification(ctx, t.ID)
	if err != nil {
		return DisclosureCheck{}, err
	}
	out.Level = v.Level
	no, _, _, err := s.conversationCustomer(ctx, t)
	if err != nil {
		return DisclosureCheck{}, err
	}
	f, ok, err := s.customerFacts(ctx, no)
	if err != nil || !ok {
		return out, err
	}
	pol, err := s.FactPolicy(ctx)
	if err != nil {
		return DisclosureCheck{}, err
	}
	out.Findings = FindDisclosures(text, f, pol.Policy, v.Level)
	return out, nil
}

// DisclosureError is the CodeDisclosure refusal of a reply, with the
// findings for the client.
func DisclosureError(c DisclosureCheck) *Error {
	return &Error{Code: CodeDisclosure, Message: "the reply names facts the customer has not verified for; give a reason to send it anyway",
		Details: c}
}

// disclosureGate is Post's guard: nil when the reply may go as it is, the
// entry to record when it goes by override, or the refusal.
func (s *Service) disclosureGate(ctx context.Context, actor Actor, t Ticket, req PostRequest) (*SystemEvent, error) {
	if req.Kind == KindNote || (actor.Agent == nil && actor.Kind != AuthorBot) {
		return nil, nil
	}
	c, err := s.checkDisclosure(ctx, t, req.Text)
	if err != nil || len(c.Findings) == 0 {
		return nil, err
	}
	reason := strings.TrimSpace(req.OverrideReason)
	if reason == "" {
		return nil, DisclosureError(c)
	}
	var facts []string
	for _, f := range c.Findings {
		if !slices.Contains(facts, f.Fact) {
			facts = append(facts, f.Fact)
		}
	}
	return &SystemEvent{Action: "disclosure_override", Args: map[string]string{
		"facts": strings.Join(facts, ","), "level": strconv.Itoa(c.Level), "reason": reason}}, nil
}

// factsEventText is the English form of the entries this part records
// (desks translate them from the catalog's sys.* keys).
func factsEventText(e SystemEvent) string {
	a := e.Args
	switch e.Action {
	case "customer_claimed":
		return fmt.Sprintf("claimed customer number %s (not verified)", a["customer_no"])
	case "knowledge_verified":
		return fmt.Sprintf("conversation verified by knowledge questions (%s): %s, level %s", a["questions"], a["method"], a["level"])
	case "disclosure_override":
		return fmt.Sprintf("reply sent despite the disclosure guard (facts %s, verified level %s): %s",
			a["facts"], a["level"], a["reason"])
	}
	return e.Action
}

var (
	// Dates: 2026-12-05, 2026/12/5, 2026.12.05, 2026年12月5日; 12月5日,
	// 12月5号; 12/05; Dec 5.
	dateFull  = regexp.MustCompile(`(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?`)
	dateCN    = regexp.MustCompile(`(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]`)
	dateSlash = regexp.MustCompile(`(\d{1,2})/(\d{1,2})`)
	dateEN    = regexp.MustCompile(`(?i)\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})\b`)
	// A number as amounts are written: 1234, 1234.5, 1,234.50.
	numberRe = regexp.MustCompile(`\d[\d,]*(?:\.\d+)?`)
	// Overdue days: 12天, 12 days.
	daysRe = regexp.MustCompile(`(?i)(\d+)\s*(?:天|days?\b)`)
)

var monthNames = []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}

// FindDisclosures finds in text the facts of f that need more than level
// under p: amounts however written (1234.5, 1,234.50, ¥1234.50, 1234.50元),
// dates (2026-12-05, 2026年12月5日, 12月5日, 12/05, Dec 5), contract numbers
// (any case, with or without '-' and spaces), overdue days, the ID's last
// four, the phone (whole or its last four), the email and the name. Other
// numbers are left alone: an amount must equal a fact to count, and digits
// inside a longer number or glued to letters are not a match.
func FindDisclosures(text string, f CustomerFacts, p FactPolicy, level int) []DisclosureFinding {
	out := []DisclosureFinding{}
	hidden := func(fact string) bool { return p.Need(fact) > level }
	add := func(fact, s string) {
		d := DisclosureFinding{Fact: fact, Text: s, Need: p.Need(fact)}
		if !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	text = halfWidth(text)

	amounts := map[Amount]string{}
	dates := map[string]string{}
	putAmount := func(a Amount, fact string) {
		if a > 0 && hidden(fact) {
			if _, ok := amounts[a]; !ok {
				amounts[a] = fact
			}
		}
	}
	putDate := func(d, fact string) {
		if d != "" && hidden(fact) {
			if _, ok := dates[d]; !ok {
				dates[d] = fact
			}
		}
	}
	for _, c := range f.Contracts {
		putAmount(c.NextDueAmount, FactNextDue)
		putAmount(c.OverdueAmount, FactOverdue)
		putAmount(c.Balance, FactBalance)
		putAmount(c.Principal, FactPrincipal)
		putAmount(c.Deposit, FactDeposit)
		putDate(c.NextDueDate, FactNextDue)
		putDate(c.LastPaymentDay, FactLastPayment)
		for _, in := range c.Plan {
			putAmount(in.Amount, FactPlan)
			putDate(in.DueDate, FactPlan)
		}
	}

	// Dates first; the numbers inside a date are not amounts.
	var taken [][2]int
	matchDate := func(loc []int, year, month, day string) {
		taken = append(taken, [2]int{loc[0], loc[1]})
		m, _ := strconv.Atoi(month)
		d, _ := strconv.Atoi(day)
		for fd, fact := range dates {
			var fy, fm, fdd int
			if _, err := fmt.Sscanf(fd, "%d-%d-%d", &fy, &fm, &fdd); err != nil {
				continue
			}
			if fm == m && fdd == d && (year == "" || year == strconv.Itoa(fy)) {
				add(fact, text[loc[0]:loc[1]])
			}
		}
	}
	for _, loc := range dateFull.FindAllStringSubmatchIndex(text, -1) {
		if boundedDigits(text, loc[0], loc[1]) {
			matchDate(loc, text[loc[2]:loc[3]], text[loc[4]:loc[5]], text[loc[6]:loc[7]])
		}
	}
	for _, loc := range dateCN.FindAllStringSubmatchIndex(text, -1) {
		if !overlaps(taken, loc[0], loc[1]) && boundedDigits(text, loc[0], loc[1]) {
			matchDate(loc, "", text[loc[2]:loc[3]], text[loc[4]:loc[5]])
		}
	}
	for _, loc := range dateSlash.FindAllStringSubmatchIndex(text, -1) {
		if !overlaps(taken, loc[0], loc[1]) && boundedDigits(text, loc[0], loc[1]) &&
			(loc[1] >= len(text) || text[loc[1]] != '/') {
			matchDate(loc, "", text[loc[2]:loc[3]], text[loc[4]:loc[5]])
		}
	}
	for _, loc := range dateEN.FindAllStringSubmatchIndex(text, -1) {
		if !overlaps(taken, loc[0], loc[1]) {
			m := slices.Index(monthNames, strings.ToLower(text[loc[2]:loc[2]+3])) + 1
			matchDate(loc, "", strconv.Itoa(m), text[loc[4]:loc[5]])
		}
	}

	var idLast4, phoneLast4 string
	if hidden(FactIDLast4) {
		idLast4 = strings.ToUpper(f.IDLast4)
	}
	phone := digitsOnly(f.Phone)
	if hidden(FactPhone) && len(phone) >= 7 {
		if containsBounded(digitsRun(text), phone) {
			add(FactPhone, f.Phone)
		} else {
			phoneLast4 = phone[len(phone)-4:]
		}
	}
	for _, loc := range numberRe.FindAllStringIndex(text, -1) {
		s, e := loc[0], loc[1]
		tok := strings.TrimRight(text[s:e], ",")
		e = s + len(tok)
		if overlaps(taken, s, e) || !boundedDigits(text, s, e) {
			continue
		}
		if a, err := ParseAmount(tok); err == nil {
			if fact, ok := amounts[a]; ok {
				add(fact, amountContext(text, s, e))
			}
		}
		if len(tok) == 4 && allDigits(tok) {
			if tok == idLast4 {
				add(FactIDLast4, tok)
			}
			if tok == phoneLast4 {
				add(FactPhone, tok)
			}
		}
	}
	if idLast4 != "" && strings.HasSuffix(idLast4, "X") {
		if i := strings.Index(strings.ToUpper(text), idLast4); i >= 0 && boundedDigits(text, i, i+4) {
			add(FactIDLast4, text[i:i+4])
		}
	}

	for _, c := range f.Contracts {
		if c.OverdueDays <= 0 || !hidden(FactOverdue) {
			continue
		}
		for _, m := range daysRe.FindAllStringSubmatchIndex(text, -1) {
			if text[m[2]:m[3]] == strconv.Itoa(c.OverdueDays) && boundedDigits(text, m[0], m[1]) {
				add(FactOverdue, text[m[0]:m[1]])
			}
		}
	}

	compact := compactUpper(text)
	if hidden(FactContractNo) {
		for _, c := range f.Contracts {
			if no := compactUpper(c.No); len(no) >= 4 && containsBounded(compact, no) {
				add(FactContractNo, c.No)
			}
		}
	}
	if hidden(FactEmail) && f.Email != "" && strings.Contains(strings.ToLower(text), strings.ToLower(f.Email)) {
		add(FactEmail, f.Email)
	}
	if hidden(FactName) && len([]rune(f.Name)) >= 2 && strings.Contains(text, f.Name) {
		add(FactName, f.Name)
	}
	return out
}

// amountContext is the amount with a currency sign before or 元 after, as
// written, so the agent recognises it.
func amountContext(text string, s, e int) string {
	for _, p := range []string{"¥", "￥", "RMB", "CNY"} {
		if strings.HasSuffix(strings.TrimRight(text[:s], " "), p) {
			s = strings.LastIndex(text[:s], p)
			break
		}
	}
	rest := strings.TrimLeft(text[e:], " ")
	for _, sfx := range []string{"元", "块", "yuan"} {
		if strings.HasPrefix(rest, sfx) {
			e = len(text) - len(rest) + len(sfx)
			break
		}
	}
	return text[s:e]
}

// boundedDigits says the match [s,e) is not part of a longer number or a
// code: no digit, ASCII letter or decimal point glued before or after.
func boundedDigits(text string, s, e int) bool {
	glued := func(b byte) bool {
		return b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
	}
	if s > 0 && (glued(text[s-1]) || (text[s-1] == '.' && s > 1 && text[s-2] >= '0' && text[s-2] <= '9')) {
		return false
	}
	if e < len(text) && (glued(text[e]) || (text[e] == '.' && e+1 < len(text) && text[e+1] >= '0' && text[e+1] <= '9')) {
		return false
	}
	return true
}

func overlaps(spans [][2]int, s, e int) bool {
	for _, sp := range spans {
		if s < sp[1] && sp[0] < e {
			return true
		}
	}
	return false
}

// halfWidth turns full-width digits and letters into ASCII.
func halfWidth(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '０' && r <= '～' {
			return r - '０' + '0'
		}
		return r
	}, s)
}

// compactUpper drops spaces and '-' and upper-cases, so HT-2026-001,
// ht 2026 001 and HT2026001 compare equal.
func compactUpper(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || unicode.IsSpace(r) {
			return -1
		}
		return unicode.ToUpper(r)
	}, s)
}

// digitsRun drops the spaces and '-' that group a phone number.
func digitsRun(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' {
			return -1
		}
		return r
	}, s)
}

func digitsOnly(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// containsBounded finds needle in hay not glued to ASCII letters or digits.
func containsBounded(hay, needle string) bool {
	for i := 0; ; {
		j := strings.Index(hay[i:], needle)
		if j < 0 {
			return false
		}
		s := i + j
		if boundedDigits(hay, s, s+len(needle)) {
			return true
		}
		i = s + 1
	}
}
