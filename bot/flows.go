package bot

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
)

// Flow actions: what a flow does once started.
const (
	// ActionCollect asks the steps in order, then files the task (and
	// hands off when Task.Handoff).
	ActionCollect = "collect"
	// ActionVerify runs the verification flow (a one-time code to the
	// phone on record) and says Done.
	ActionVerify = "verify"
	// ActionFacts verifies, then tells the customer Fact from their record.
	ActionFacts = "facts"
	// ActionAgentCheck asks for an employee number and checks it.
	ActionAgentCheck = "agent_check"
)

// Limits of a flows document (admins edit it; botdesk stores versions).
const (
	MaxFlowsBytes = 256 << 10
	MaxFlows      = 50
	MaxSteps      = 20
	MaxExamples   = 100 // per language
	MaxTextRunes  = 1000
	MaxChoices    = 9 // answered by one digit
	maxIDBytes    = 40
)

// Languages the bot speaks; every text of a flow must have all three.
var Languages = []string{"zh-CN", "zh-TW", "en"}

// Text is one text per language.
type Text map[string]string

// In returns the text in lang, else in zh-CN.
func (t Text) In(lang string) string {
	if s := t[lang]; s != "" {
		return s
	}
	return t["zh-CN"]
}

// StepChoice is one answer a step offers; the customer may type its number,
// its value or its label.
type StepChoice struct {
	Value string `toml:"value" json:"value"`
	Label Text   `toml:"label" json:"label"`
}

// Step asks for one field.
type Step struct {
	Field    string       `toml:"field" json:"field"`
	Ask      Text         `toml:"ask" json:"ask"`
	Choices  []StepChoice `toml:"choices" json:"choices,omitempty"`
	MaxRunes int          `toml:"max_runes" json:"max_runes,omitempty"` // default 500
}

// Task is what a collecting flow files on the ticket when it is done.
type Task struct {
	Team     string   `toml:"team" json:"team,omitempty"` // team name; "" keeps the routing's choice
	Category string   `toml:"category" json:"category,omitempty"`
	Tags     []string `toml:"tags" json:"tags,omitempty"`
	Priority string   `toml:"priority" json:"priority,omitempty"` // low, normal, high, urgent
	// Due is the follow-up promised to the customer ("48h", "30m"); none
	// when empty.
	Due     string `toml:"due" json:"due,omitempty"`
	Handoff bool   `toml:"handoff" json:"handoff"`
	// Reason is the hand-off reason recorded (a Reason* value); default
	// unknown.
	Reason string `toml:"reason" json:"reason,omitempty"`
}

// Flow is one dialogue the bot can run.
type Flow struct {
	ID     string `toml:"id" json:"id"`
	Action string `toml:"action" json:"action"`
	// Examples are phrases that start the flow, per language; the intent
	// matcher learns them with its built-in ones.
	Examples map[string][]string `toml:"examples" json:"examples"`
	// Verify is the verification level the flow needs before its steps
	// (0: none). ActionFacts and ActionVerify need at least 2.
	Verify int    `toml:"verify" json:"verify"`
	Fact   string `toml:"fact" json:"fact,omitempty"` // ActionFacts: a desk.FactPolicy key
	Intro  Text   `toml:"intro" json:"intro,omitempty"`
	Steps  []Step `toml:"step" json:"steps,omitempty"`
	Task   Task   `toml:"task" json:"task"`
	// Done is said when the flow ends; {due} is the follow-up time,
	// {number} the ticket number.
	Done Text `toml:"done" json:"done"`
	// OutOfHours marks the flow the bot runs outside business hours.
	OutOfHours bool `toml:"out_of_hours" json:"out_of_hours,omitempty"`

	due time.Duration
}

// DueIn is the parsed Task.Due (0: no follow-up).
func (f Flow) DueIn() time.Duration { return f.due }

// Flows is a validated flows document.
type Flows struct {
	List []Flow `toml:"flow" json:"flows"`
}

// Get returns the flow with id.
func (fs Flows) Get(id string) (Flow, bool) {
	for _, f := range fs.List {
		if f.ID == id {
			return f, true
		}
	}
	return Flow{}, false
}

// facts the bot may tell (keys of desk.FactPolicy it knows how to word).
var tellableFacts = []string{"balance", "next_due", "overdue", "plan", "deposit", "contract"}

var idPattern = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// ParseFlows reads and validates a flows document (TOML, one [[flow]]
// table per flow). Every problem is reported, one per line, so an admin
// fixes them all at once; nothing partial is returned on error.
func ParseFlows(data []byte) (Flows, error) {
	if len(data) > MaxFlowsBytes {
		return Flows{}, fmt.Errorf("bot: flows: %d bytes, at most %d", len(data), MaxFlowsBytes)
	}
	if !utf8.Valid(data) || bytes.IndexByte(data, 0) >= 0 {
		return Flows{}, fmt.Errorf("bot: flows: not UTF-8 text")
	}
	var fl Flows
	md, err := toml.Decode(string(data), &fl)
	if err != nil {
		return Flows{}, fmt.Errorf("bot: flows: %w", err)
	}
	var probs []string
	bad := func(format string, a ...any) { probs = append(probs, fmt.Sprintf(format, a...)) }
	if und := md.Undecoded(); len(und) > 0 {
		for _, k := range und {
			bad("unknown key %s", k.String())
		}
	}
	if len(fl.List) == 0 {
		bad("no [[flow]]")
	}
	if len(fl.List) > MaxFlows {
		bad("%d flows, at most %d", len(fl.List), MaxFlows)
	}
	seen := map[string]bool{}
	outOfHours := 0
	for i := range fl.List {
		f := &fl.List[i]
		name := fmt.Sprintf("flow %d", i+1)
		if !idPattern.MatchString(f.ID) || len(f.ID) > maxIDBytes {
			bad("%s: id %q: want lower-case letters, digits and _ (at most %d)", name, f.ID, maxIDBytes)
		} else {
			name = "flow " + f.ID
			if seen[f.ID] {
				bad("%s: id used twice", name)
			}
			seen[f.ID] = true
		}
		if f.Action == "" {
			f.Action = ActionCollect
		}
		switch f.Action {
		case ActionCollect, ActionAgentCheck:
		case ActionVerify:
			if f.Verify < 2 {
				f.Verify = 2
			}
		case ActionFacts:
			if f.Verify < 2 {
				f.Verify = 2
			}
			if !slices.Contains(tellableFacts, f.Fact) {
				bad("%s: fact %q: want one of %s", name, f.Fact, strings.Join(tellableFacts, ", "))
			}
		default:
			bad("%s: action %q: want collect, verify, facts or agent_check", name, f.Action)
		}
		if f.Verify < 0 || f.Verify > 3 {
			bad("%s: verify %d: want 0 to 3", name, f.Verify)
		}
		if f.OutOfHours {
			outOfHours++
		}
		for lang, ex := range f.Examples {
			if !slices.Contains(Languages, lang) {
				bad("%s: examples: unknown language %q", name, lang)
			}
			if len(ex) > MaxExamples {
				bad("%s: examples.%s: %d, at most %d", name, lang, len(ex), MaxExamples)
			}
			for _, e := range ex {
				if strings.TrimSpace(e) == "" || utf8.RuneCountInString(e) > 100 {
					bad("%s: examples.%s: %q: want 1 to 100 characters", name, lang, e)
				}
			}
		}
		checkText(bad, name+": done", f.Done, true)
		checkText(bad, name+": intro", f.Intro, false)
		if f.Action == ActionCollect && len(f.Steps) == 0 && !f.Task.Handoff {
			bad("%s: a collect flow needs a step or task.handoff", name)
		}
		if len(f.Steps) > MaxSteps {
			bad("%s: %d steps, at most %d", name, len(f.Steps), MaxSteps)
		}
		fields := map[string]bool{}
		for j := range f.Steps {
			s := &f.Steps[j]
			sn := fmt.Sprintf("%s: step %d", name, j+1)
			if !idPattern.MatchString(s.Field) || len(s.Field) > maxIDBytes {
				bad("%s: field %q: want lower-case letters, digits and _", sn, s.Field)
			} else if fields[s.Field] {
				bad("%s: field %q asked twice", sn, s.Field)
			}
			fields[s.Field] = true
			checkText(bad, sn+": ask", s.Ask, true)
			if len(s.Choices) > MaxChoices {
				bad("%s: %d choices, at most %d", sn, len(s.Choices), MaxChoices)
			}
			for k, c := range s.Choices {
				if !idPattern.MatchString(c.Value) {
					bad("%s: choice %d: value %q: want lower-case letters, digits and _", sn, k+1, c.Value)
				}
				checkText(bad, fmt.Sprintf("%s: choice %d: label", sn, k+1), c.Label, true)
			}
			if s.MaxRunes == 0 {
				s.MaxRunes = 500
			}
			if s.MaxRunes < 1 || s.MaxRunes > 2000 {
				bad("%s: max_runes %d: want 1 to 2000", sn, s.MaxRunes)
			}
		}
		t := &f.Task
		if t.Priority != "" && !slices.Contains([]string{"low", "normal", "high", "urgent"}, t.Priority) {
			bad("%s: task.priority %q: want low, normal, high or urgent", name, t.Priority)
		}
		if t.Reason == "" {
			t.Reason = ReasonUnknown
		}
		if !slices.Contains([]string{ReasonHumanRequest, ReasonComplaint, ReasonLegal, ReasonNegotiation,
			ReasonAngry, ReasonUrgent, ReasonUnknown}, t.Reason) {
			bad("%s: task.reason %q: not a hand-off reason", name, t.Reason)
		}
		if utf8.RuneCountInString(t.Team) > 80 || utf8.RuneCountInString(t.Category) > 40 || len(t.Tags) > 10 {
			bad("%s: task: team at most 80, category at most 40 characters, at most 10 tags", name)
		}
		if t.Due != "" {
			d, err := time.ParseDuration(t.Due)
			if err != nil || d < time.Minute || d > 30*24*time.Hour {
				bad("%s: task.due %q: want a duration from 1m to 720h", name, t.Due)
			}
			f.due = d
		}
	}
	if outOfHours > 1 {
		bad("%d flows marked out_of_hours, at most one", outOfHours)
	}
	if len(probs) > 0 {
		return Flows{}, fmt.Errorf("bot: flows:\n%s", strings.Join(probs, "\n"))
	}
	return fl, nil
}

func checkText(bad func(string, ...any), name string, t Text, required bool) {
	if len(t) == 0 && !required {
		return
	}
	for _, l := range Languages {
		if strings.TrimSpace(t[l]) == "" {
			bad("%s: missing %s", name, l)
		}
	}
	for l, s := range t {
		if !slices.Contains(Languages, l) {
			bad("%s: unknown language %q", name, l)
		}
		if utf8.RuneCountInString(s) > MaxTextRunes {
			bad("%s.%s: at most %d characters", name, l, MaxTextRunes)
		}
	}
}

//go:embed flows/*.toml
var defaultFlowFiles embed.FS

// DefaultFlowsTOML is the built-in flows document: the embedded
// bot/flows/*.toml files joined in name order. botdesk shows it as version
// 0 until an admin saves one.
func DefaultFlowsTOML() []byte {
	var b bytes.Buffer
	names, _ := fs.Glob(defaultFlowFiles, "flows/*.toml")
	for _, n := range names {
		data, _ := defaultFlowFiles.ReadFile(n)
		b.Write(data)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// DefaultFlows parses DefaultFlowsTOML; a test keeps it valid.
func DefaultFlows() Flows {
	fl, err := ParseFlows(DefaultFlowsTOML())
	if err != nil {
		panic(err)
	}
	return fl
}
