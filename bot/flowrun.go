package bot

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"huiliu/desk"
	"huiliu/kb"
)

// outOfHours is the flow marked out_of_hours.
func (fs Flows) outOfHours() (Flow, bool) {
	for _, f := range fs.List {
		if f.OutOfHours {
			return f, true
		}
	}
	return Flow{}, false
}

// factFlow is the facts flow telling fact (its Done text follows the fact).
func (fs Flows) factFlow(fact string) (Flow, bool) {
	for _, f := range fs.List {
		if f.Action == ActionFacts && f.Fact == fact {
			return f, true
		}
	}
	return Flow{}, false
}

// startFlow begins f: through verification first when it needs it.
func (e *Engine) startFlow(ctx context.Context, tn *turn, f Flow) error {
	tn.st.Flow, tn.st.Clarify = nil, nil
	if f.Verify > 0 || f.Action == ActionVerify || f.Action == ActionFacts {
		return e.askFact(ctx, tn, f.Fact, f.ID)
	}
	return e.runFlow(ctx, tn, f)
}

// runFlow does f once the customer is verified as it needs.
func (e *Engine) runFlow(ctx context.Context, tn *turn, f Flow) error {
	switch f.Action {
	case ActionVerify:
		tn.lines = append(tn.lines, f.Done.In(tn.lang))
		tn.decide(KindAnswer, Detail{Flow: f.ID})
		return nil
	case ActionFacts:
		return e.disclose(ctx, tn, f.Fact)
	case ActionAgentCheck:
		if m := employeePattern.FindStringSubmatch(normalize(tn.msg.Text)); m != nil {
			tn.st.Flow = nil
			return e.checkAgent(ctx, tn, f, "HL"+m[1])
		}
	}
	if len(f.Steps) == 0 {
		return e.finishFlow(ctx, tn, f)
	}
	if len(f.Intro) > 0 {
		tn.lines = append(tn.lines, f.Intro.In(tn.lang))
	}
	tn.st.Flow = &flowState{ID: f.ID, Fields: map[string]string{}}
	e.ask(tn, f.Steps[0])
	tn.decide(KindAnswer, Detail{Flow: f.ID})
	return nil
}

func (e *Engine) ask(tn *turn, s Step) {
	tn.lines = append(tn.lines, s.Ask.In(tn.lang))
	for _, c := range s.Choices {
		tn.choices = append(tn.choices, c.Label.In(tn.lang))
	}
}

// continueFlow takes the answer to the current step.
func (e *Engine) continueFlow(ctx context.Context, tn *turn, f Flow, s string) error {
	fs := tn.st.Flow
	if fs.Step >= len(f.Steps) {
		// The flow was edited under a running conversation.
		tn.st.Flow = nil
		return e.respond(ctx, tn)
	}
	step := f.Steps[fs.Step]
	value := strings.TrimSpace(cutRunes(tn.msg.Text, step.MaxRunes))
	if len(step.Choices) > 0 {
		v, ok := pickChoice(s, step.Choices)
		if !ok {
			fs.Bad++
			if fs.Bad > 2 {
				tn.say("bot.handoff")
				return e.handOff(tn, ReasonUnknown)
			}
			tn.say("bot.flow_bad_choice")
			e.ask(tn, step)
			tn.decide(KindClarify, Detail{Flow: f.ID, Reason: "bad_choice"})
			return nil
		}
		value = v
	}
	if f.Action == ActionAgentCheck {
		m := employeePattern.FindStringSubmatch(normalize(tn.msg.Text))
		if m == nil {
			fs.Bad++
			if fs.Bad > 2 {
				tn.say("bot.handoff")
				return e.handOff(tn, ReasonUnknown)
			}
			tn.say("bot.agent_bad_no")
			tn.decide(KindClarify, Detail{Flow: f.ID, Reason: "bad_employee_no"})
			return nil
		}
		tn.st.Flow = nil
		return e.checkAgent(ctx, tn, f, "HL"+m[1])
	}
	if fs.Fields == nil {
		fs.Fields = map[string]string{}
	}
	fs.Fields[step.Field] = value
	fs.Step++
	fs.Bad = 0
	if fs.Step < len(f.Steps) {
		e.ask(tn, f.Steps[fs.Step])
		tn.decide(KindAnswer, Detail{Flow: f.ID, Fields: fs.Fields})
		return nil
	}
	return e.finishFlow(ctx, tn, f)
}

// pickChoice reads a step's answer: its number, its value or its label.
func pickChoice(s string, cs []StepChoice) (string, bool) {
	if n, ok := pickNumber(s, len(cs)); ok {
		return cs[n].Value, true
	}
	for _, c := range cs {
		if s == c.Value {
			return c.Value, true
		}
		for _, l := range c.Label {
			if l = kb.Fold(l); l != "" && (strings.Contains(s, l) || (len([]rune(s)) >= 2 && strings.Contains(l, s))) {
				return c.Value, true
			}
		}
	}
	return "", false
}

// finishFlow files the flow's task and says what happens next. The task
// needs people, so the ticket leaves the bot for its team either way; a
// flow with task.handoff says so and records a hand-off, the others end
// as answered (the customer is not waiting for a person now).
func (e *Engine) finishFlow(ctx context.Context, tn *turn, f Flow) error {
	var fields map[string]string
	if tn.st.Flow != nil {
		fields = tn.st.Flow.Fields
	}
	t := f.Task
	task := desk.BotTask{Category: t.Category, Tags: t.Tags, Priority: desk.Priority(t.Priority), Team: t.Team}
	due := ""
	if d := f.DueIn(); d > 0 {
		at := e.o.Now().Add(d)
		task.FollowupDue = at
		task.FollowupNote = cutRunes(f.ID+": "+fieldsLine(fields), 400)
		due = at.In(e.o.Location).Format("2006-01-02 15:04")
	}
	tn.task = &task
	tn.note = fieldsNote(f.ID, fields)
	tn.lines = append(tn.lines, strings.NewReplacer("{due}", due, "{number}", strconv.FormatInt(tn.t.Number, 10)).Replace(f.Done.In(tn.lang)))
	if t.Handoff {
		return e.handOff(tn, t.Reason)
	}
	tn.decide(KindAnswer, Detail{Flow: f.ID, Fields: fields})
	tn.handoff = "flow:" + f.ID
	tn.quiet = true
	tn.st.Flow = nil
	return nil
}

func fieldsLine(fields map[string]string) string {
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, k+"="+fields[k])
	}
	return strings.Join(parts, "; ")
}

// fieldsNote is the agent's internal note of what a flow collected.
func fieldsNote(id string, fields map[string]string) string {
	if len(fields) == 0 {
		return ""
	}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	fmt.Fprintf(&b, "[bot] %s\n", id)
	for _, k := range keys {
		fmt.Fprintf(&b, "%s: %s\n", k, fields[k])
	}
	return strings.TrimSpace(b.String())
}

// checkAgent checks an employee number for the customer.
func (e *Engine) checkAgent(ctx context.Context, tn *turn, f Flow, no string) error {
	chk, err := e.o.Desk.CheckEmployeeNoIn(ctx, no, "bot:"+tn.t.ID, tn.t.ID)
	if err != nil {
		if de, ok := err.(*desk.Error); ok && de.Code == desk.CodeRateLimited {
			tn.say("bot.handoff")
			return e.handOff(tn, ReasonUnknown)
		}
		return fmt.Errorf("bot: agent check: %w", err)
	}
	if chk.Current {
		tn.say("bot.agent_found", "no", no)
		tn.decide(KindAgentCheck, Detail{Result: ResultFound, Flow: f.ID})
	} else {
		tn.say("bot.agent_not_found", "no", no)
		tn.decide(KindAgentCheck, Detail{Result: ResultNotFound, Flow: f.ID})
	}
	tn.lines = append(tn.lines, f.Done.In(tn.lang))
	return nil
}
