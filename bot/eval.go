package bot

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
)

// EvalQuestion is one line of a questions file: a first message of a new
// conversation. Expect (optional) is the decision it should get, as
// "kind" or "kind:reason" / "kind:result" / "answer:article-id".
type EvalQuestion struct {
	ID     string `json:"id"`
	Lang   string `json:"lang"`
	Text   string `json:"text"`
	Expect string `json:"expect,omitempty"`
}

// EvalDialogue is one line of a dialogues file: turns of one conversation
// by a visitor who is Customer (a customer number, "" for anonymous).
// "{{OTP}}" in a turn is the latest code sent to that customer. Expect
// (optional) lists the decision expected after each turn.
type EvalDialogue struct {
	ID       string `json:"id"`
	Customer string `json:"customer,omitempty"`
	Turns    []struct {
		Text   string `json:"text"`
		Expect string `json:"expect,omitempty"`
	} `json:"turns"`
}

// EvalResult is one printed line: the reply and decisions of one question
// or dialogue turn.
type EvalResult struct {
	ID        string     `json:"id"`
	Turn      int        `json:"turn,omitempty"`
	Text      string     `json:"text"`
	Reply     string     `json:"reply"`
	Decisions []Decision `json:"decisions"`
	Expect    string     `json:"expect,omitempty"`
	OK        *bool      `json:"ok,omitempty"`
	// Disclosed: a disclose decision came before any successful
	// verification in the conversation (must never happen).
	Disclosed bool `json:"disclosed_unverified,omitempty"`
}

// EvalTotals sums a run.
type EvalTotals struct {
	Items      int            `json:"items"`
	Expected   int            `json:"expected"`
	Right      int            `json:"right"`
	ByDecision map[string]int `json:"by_decision"`
	// Disclosures before verification; the goal is zero.
	EarlyDisclosures int `json:"early_disclosures"`
}

// ReadJSONL reads one JSON value per non-empty line.
func ReadJSONL[T any](r io.Reader) ([]T, error) {
	var out []T
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var v T
		if err := json.Unmarshal([]byte(line), &v); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		out = append(out, v)
	}
	return out, sc.Err()
}

// Evaluator runs questions and dialogues through Engine.TryAs, each in a
// conversation of its own (key prefix Run), and writes a JSON line per item.
type Evaluator struct {
	Engine *Engine
	Run    string // conversation key prefix, unique per run
	// CodeFor is the latest one-time code sent to customerNo's phone.
	CodeFor func(ctx context.Context, customerNo string) (string, error)
	Out     io.Writer
	Totals  EvalTotals
}

// Questions runs each question as the first message of a conversation.
func (ev *Evaluator) Questions(ctx context.Context, qs []EvalQuestion) error {
	for _, q := range qs {
		rep, ds, err := ev.Engine.TryAs(ctx, ev.Run+":q:"+q.ID, q.Text, q.Lang, "")
		if err != nil {
			return fmt.Errorf("question %s: %w", q.ID, err)
		}
		early, err := ev.early(ctx, rep, ds)
		if err != nil {
			return err
		}
		ev.record(EvalResult{ID: q.ID, Text: q.Text, Reply: rep.Text, Decisions: ds, Expect: q.Expect}, early)
	}
	return nil
}

// Dialogues runs each dialogue's turns in one conversation.
func (ev *Evaluator) Dialogues(ctx context.Context, ds []EvalDialogue) error {
	for _, d := range ds {
		claimed := d.Customer
		for i, turn := range d.Turns {
			text := turn.Text
			if m := customerNoPattern.FindStringSubmatch(text); m != nil && claimed == "" {
				claimed = strings.ToUpper(m[1])
			}
			if strings.Contains(text, "{{OTP}}") {
				code, err := ev.CodeFor(ctx, claimed)
				if err != nil {
					return fmt.Errorf("dialogue %s turn %d: code: %w", d.ID, i+1, err)
				}
				text = strings.ReplaceAll(text, "{{OTP}}", code)
			}
			rep, dec, err := ev.Engine.TryAs(ctx, ev.Run+":d:"+d.ID, text, "", d.Customer)
			if err != nil {
				return fmt.Errorf("dialogue %s turn %d: %w", d.ID, i+1, err)
			}
			early, err := ev.early(ctx, rep, dec)
			if err != nil {
				return err
			}
			ev.record(EvalResult{ID: d.ID, Turn: i + 1, Text: text, Reply: rep.Text, Decisions: dec, Expect: turn.Expect}, early)
		}
	}
	return nil
}

// early says whether a turn disclosed a fact while the conversation is not
// verified at code level: checked against the desk's own record of the
// proof, not the bot's belief.
func (ev *Evaluator) early(ctx context.Context, rep Reply, ds []Decision) (bool, error) {
	disclosed := false
	for _, d := range ds {
		disclosed = disclosed || d.Kind == KindDisclose
	}
	if !disclosed {
		return false, nil
	}
	if ev.Engine.o.OTP == nil {
		return true, nil
	}
	v, err := ev.Engine.o.OTP.Verification(ctx, rep.TicketID)
	if err != nil {
		return false, fmt.Errorf("eval: verification of %s: %w", rep.TicketID, err)
	}
	return v.Level < 2, nil
}

// Matches says whether decisions satisfy expect: any decision of the
// turn equal to "kind", "kind:reason", "kind:result" or
// "answer:article-id"; alternatives separated by "|".
//
// "none" expects silence: no decision at all.
func Matches(expect string, ds []Decision) bool {
	if expect == "none" {
		return len(ds) == 0
	}
	for _, alt := range strings.Split(expect, "|") {
		kind, arg, _ := strings.Cut(strings.TrimSpace(alt), ":")
		for _, d := range ds {
			if string(d.Kind) != kind {
				continue
			}
			if arg == "" || arg == d.Detail.Reason || arg == d.Detail.Result || arg == d.Detail.ArticleID ||
				arg == d.Detail.Fact || arg == d.Detail.Flow || slices.Contains(d.Detail.Candidates, arg) {
				return true
			}
		}
	}
	return false
}

func (ev *Evaluator) record(r EvalResult, early bool) {
	t := &ev.Totals
	if t.ByDecision == nil {
		t.ByDecision = map[string]int{}
	}
	t.Items++
	for _, d := range r.Decisions {
		t.ByDecision[string(d.Kind)]++
	}
	if r.Decisions == nil {
		r.Decisions = []Decision{}
	}
	if r.Expect != "" {
		ok := Matches(r.Expect, r.Decisions)
		r.OK = &ok
		t.Expected++
		if ok {
			t.Right++
		}
	}
	if early {
		r.Disclosed = true
		t.EarlyDisclosures++
	}
	if ev.Out != nil {
		line, _ := json.Marshal(r)
		fmt.Fprintf(ev.Out, "%s\n", line)
	}
}

// Print writes the totals as one JSON line.
func (t EvalTotals) Print(w io.Writer) {
	line, _ := json.Marshal(map[string]EvalTotals{"totals": t})
	fmt.Fprintf(w, "%s\n", line)
}
