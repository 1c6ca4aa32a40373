package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"huiliu/desk"
	"huiliu/i18n"
	"huiliu/kb"
)

// turn is one exchange being worked out: what the bot will say and what it
// decided.
type turn struct {
	t     desk.Ticket
	msg   desk.Message
	lang  string
	name  string // the bot's name for this site
	st    *state
	flows Flows
	lines []string
	// choices are numbered options appended to the reply.
	choices   []string
	decisions []Decision
	// handoff, when set, is the reason the ticket goes to a person after
	// the reply; task is filed first.
	handoff string
	task    *desk.BotTask
	note    string // internal note for the agent (collected fields)
	// quiet: the ticket goes to its team without a hand-off message
	// (a filed task, not a customer waiting for a person).
	quiet bool
	// greeting opens the conversation, posted before the reply.
	greeting string
}

func (tn *turn) say(key string, pairs ...string) {
	tn.lines = append(tn.lines, i18n.T(tn.lang, key, pairs...))
}

func (tn *turn) decide(k Kind, d Detail) {
	tn.decisions = append(tn.decisions, Decision{Kind: k, Detail: d})
}

// respond decides the reply to the customer's message in tn. It changes
// nothing outside tn; commit does.
func (e *Engine) respond(ctx context.Context, tn *turn) error {
	s := normalize(cutRunes(tn.msg.Text, maxUnderstoodRunes))
	if s == "" {
		// A sticker or a photo alone: nothing to understand, nothing said.
		return nil
	}
	in := classify(s, tn.flows)
	st := tn.st
	switch in.name {
	case intentUrgent:
		st.Flow, st.Verify, st.Clarify = nil, nil, nil
		tn.say("bot.handoff_urgent")
		tn.task = &desk.BotTask{Priority: desk.PriorityUrgent, Tags: []string{"urgent", "distress"}}
		return e.handOff(tn, ReasonUrgent)
	case intentInjection:
		tn.say("bot.refuse.prompt_injection")
		tn.decide(KindRefuse, Detail{Reason: RefusePromptInjection})
		return nil
	case intentAbuse:
		tn.say("bot.refuse.abuse")
		tn.decide(KindRefuse, Detail{Reason: RefuseAbuse})
		return nil
	case intentLegal:
		tn.say("bot.handoff_legal")
		tn.task = &desk.BotTask{Tags: []string{"legal-threat"}, Priority: desk.PriorityHigh}
		return e.handOff(tn, ReasonLegal)
	case intentRegulator:
		tn.say("bot.handoff_legal")
		tn.task = &desk.BotTask{Category: "complaint", Tags: []string{"complaint", "regulator"}, Priority: desk.PriorityHigh}
		return e.handOff(tn, ReasonComplaint)
	case intentNegotiation:
		tn.say("bot.handoff_negotiation")
		tn.task = &desk.BotTask{Category: "repayment", Tags: []string{"negotiation"}}
		return e.handOff(tn, ReasonNegotiation)
	case intentAngry:
		tn.say("bot.handoff")
		return e.handOff(tn, ReasonAngry)
	case intentHuman:
		if !e.open() {
			if f, ok := tn.flows.outOfHours(); ok {
				tn.say("bot.out_of_hours")
				return e.startFlow(ctx, tn, f)
			}
		}
		tn.say("bot.handoff")
		return e.handOff(tn, ReasonHumanRequest)
	case intentOthersData:
		tn.say("bot.refuse.others_data")
		tn.decide(KindRefuse, Detail{Reason: RefuseOthersData})
		return nil
	}
	if (st.Flow != nil || st.Verify != nil) && cancelRule.match(s) && utf8.RuneCountInString(s) <= 12 {
		st.Flow, st.Verify = nil, nil
		tn.say("bot.flow_cancelled")
		tn.decide(KindAnswer, Detail{Reason: "cancelled"})
		return nil
	}
	if st.Verify != nil {
		return e.continueVerify(ctx, tn, s)
	}
	if st.Flow != nil {
		// Inside a flow an answer is an answer, even when it sounds like
		// another flow's example ("they phone my family").
		if f, ok := tn.flows.Get(st.Flow.ID); ok {
			return e.continueFlow(ctx, tn, f, s)
		}
		st.Flow = nil
	}
	st.Flow = nil
	if len(st.Clarify) > 0 {
		ids := st.Clarify
		st.Clarify = nil
		if n, ok := pickNumber(s, len(ids)); ok {
			return e.answerArticle(ctx, tn, ids[n])
		}
	}
	switch {
	case strings.HasPrefix(in.name, flowIntentPrefix):
		// An admin may have removed the built-in flow a rule points at.
		if f, ok := tn.flows.Get(strings.TrimPrefix(in.name, flowIntentPrefix)); ok {
			return e.startFlow(ctx, tn, f)
		}
	case in.name == intentAccount:
		return e.askFact(ctx, tn, in.fact, "")
	case in.name == intentOffTopic:
		tn.say("bot.refuse.off_topic")
		tn.decide(KindRefuse, Detail{Reason: RefuseOffTopic})
		return nil
	case in.name == intentGreeting:
		if tn.greeting == "" {
			tn.lines = append(tn.lines, greetingText(e.settings(ctx, tn.t), tn.lang))
			tn.decide(KindGreet, Detail{})
		}
		return nil
	}
	// The knowledge base gets the text with slang and typos fixed.
	return e.answerFromKB(ctx, tn, s)
}

// greetingText is the site's greeting in lang, else the catalog's.
func greetingText(set SiteSettings, lang string) string {
	if g := strings.TrimSpace(set.Greeting[lang]); g != "" {
		return g
	}
	return i18n.T(lang, "bot.greeting")
}

// answerFromKB answers from the best article, asks which one when two are
// close, or admits it did not understand (and hands off the second time).
func (e *Engine) answerFromKB(ctx context.Context, tn *turn, text string) error {
	hits, err := e.o.KB.Suggest(ctx, text, tn.lang, kb.AudiencePublic, 3)
	if err != nil {
		return fmt.Errorf("bot: search: %w", err)
	}
	var good []kb.Hit
	for _, h := range hits {
		if h.Score >= e.o.Threshold {
			good = append(good, h)
		}
	}
	if len(good) == 0 {
		tn.st.Fails++
		if tn.st.Fails >= 2 {
			tn.st.Fails = 0
			tn.say("bot.handoff")
			return e.handOff(tn, ReasonUnknown)
		}
		tn.say("bot.not_understood")
		tn.decide(KindClarify, Detail{Reason: "not_understood"})
		return nil
	}
	tn.st.Fails = 0
	if len(good) >= 2 && good[1].Score >= good[0].Score*e.o.ClarifyRatio {
		ids := []string{good[0].Article.ID, good[1].Article.ID}
		tn.st.Clarify = ids
		tn.say("bot.clarify")
		tn.choices = []string{good[0].Article.Title, good[1].Article.Title}
		tn.decide(KindClarify, Detail{Candidates: ids})
		return nil
	}
	return e.writeAnswer(ctx, tn, good[0].Article)
}

// answerArticle answers with one article by id (a clarify choice).
func (e *Engine) answerArticle(ctx context.Context, tn *turn, id string) error {
	a, err := e.o.KB.Published(ctx, id, tn.lang, kb.AudiencePublic)
	if err != nil {
		return fmt.Errorf("bot: article %s: %w", id, err)
	}
	return e.writeAnswer(ctx, tn, a)
}

func (e *Engine) writeAnswer(ctx context.Context, tn *turn, a kb.Article) error {
	summary := a.Summary
	if e.o.LLM != nil {
		if full, err := e.o.KB.Published(ctx, a.ID, a.Locale, kb.AudiencePublic); err == nil {
			if r, err := e.o.LLM.Rephrase(ctx, tn.lang, tn.msg.Text, full.Title, full.Body); err == nil {
				summary = r
			} else {
				e.o.Log.Warn("bot: language model failed; quoting the article", "err", err)
			}
		}
	}
	tn.say("bot.answer", "title", a.Title, "summary", summary, "link", "/help/a/"+a.ID)
	tn.decide(KindAnswer, Detail{ArticleID: a.ID})
	return nil
}

// pickNumber reads "1", "２", "第1个", "1." as a choice of n options.
func pickNumber(s string, n int) (int, bool) {
	s = strings.Trim(s, " .。、)）#第个項项")
	i, err := strconv.Atoi(s)
	if err != nil || i < 1 || i > n {
		return 0, false
	}
	return i - 1, true
}

// handOff marks the turn to end with a hand-off for reason.
func (e *Engine) handOff(tn *turn, reason string) error {
	tn.handoff = reason
	d := Detail{Reason: reason}
	if f := tn.st.Flow; f != nil {
		d.Flow, d.Fields = f.ID, f.Fields
	}
	tn.decide(KindHandoff, d)
	tn.st.Flow, tn.st.Verify, tn.st.Clarify = nil, nil, nil
	return nil
}

func cutRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// isCodeError tells the one-time code refusals apart.
func codeError(err error) string {
	switch {
	case errors.Is(err, desk.ErrOTPLocked):
		return "locked"
	case errors.Is(err, desk.ErrOTPExpired):
		return "expired"
	case errors.Is(err, desk.ErrOTPWrong):
		return "wrong"
	case errors.Is(err, desk.ErrOTPSendLimit):
		return "send_limit"
	}
	return ""
}
