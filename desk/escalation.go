package desk

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// escalation collects the steps one sync takes on a ticket: their field
// changes merge into one update, each is one timeline entry and one audit
// entry, and each publishes one event after the commit.
type escalation struct {
	w      *SLAWorker
	tx     Tx
	t      Ticket
	now    time.Time
	fields TicketFields
	notes  []SystemEvent
	acts   []slaAction
}

var priorityUp = map[Priority]Priority{PriorityLow: PriorityNormal, PriorityNormal: PriorityHigh, PriorityHigh: PriorityUrgent}

// take claims step st and applies its actions; a step another node (or an
// earlier sync) took already is skipped.
func (e *escalation) take(ctx context.Context, st slaStep) error {
	ok, err := e.tx.ClaimEscalation(ctx, st.key, e.now)
	if err != nil || !ok {
		return err
	}
	if st.f != nil {
		action, who := "sla_followup_due", []string{"owner", "assignee"}
		if st.f.Kind == FollowupCallback {
			// A broken callback promise is the team's, not one agent's.
			action, who = "sla_callback_due", []string{"owner", "assignee", "supervisors"}
		}
		e.notes = append(e.notes, SystemEvent{Action: action, Args: map[string]string{
			"note": st.f.Note, "due": st.f.DueAt.UTC().Format(time.RFC3339)}})
		rcpt := e.recipients(ctx, who)
		if st.f.CreatedBy != "" && !slices.Contains(rcpt, st.f.CreatedBy) {
			rcpt = append(rcpt, st.f.CreatedBy)
		}
		e.acts = append(e.acts, slaAction{typ: EventSLABreached, data: SLAEventData{Ticket: e.t, Target: st.key.Target, Recipients: rcpt}})
		return nil
	}
	s := st.step
	var done []string
	// args repeats each part of "actions" as its own argument, for desks
	// that translate them.
	args := map[string]string{}
	level := "warning"
	typ := EventSLAWarning
	if s.breach() {
		level, typ = "breached", EventSLABreached
	}
	if s.RaisePriority {
		if up, ok := priorityUp[e.t.Priority]; ok {
			e.t.Priority = up
			e.fields.Priority = &up
			done = append(done, "priority "+string(up))
			args["raised_to"] = string(up)
		}
	}
	if s.Team != "" && s.Team != e.t.TeamID {
		team, err := e.tx.Team(ctx, s.Team)
		if err != nil {
			// A deleted team must not stop the rest of the ladder.
			e.w.log.Warn("desk: sla escalation team", "ticket", e.t.ID, "team", s.Team, "err", err)
		} else {
			e.t.TeamID, e.t.AssigneeID = team.ID, ""
			none := ""
			e.fields.TeamID, e.fields.AssigneeID = &team.ID, &none
			done = append(done, "team "+team.Name)
			args["moved_to"] = team.Name
		}
	}
	if s.Tag != "" && !slices.Contains(e.t.Tags, s.Tag) && len(e.t.Tags) < MaxTags {
		tags := append(slices.Clone(e.t.Tags), s.Tag)
		e.t.Tags = tags
		e.fields.Tags = &tags
		done = append(done, "tag "+s.Tag)
		args["tagged"] = s.Tag
	}
	rcpt := e.recipients(ctx, s.Notify)
	if len(s.Notify) > 0 {
		done = append(done, "notify "+strings.Join(s.Notify, "+"))
		args["notified"] = strings.Join(s.Notify, "+")
	}
	args["target"], args["step"], args["cycle"] = st.key.Target, strconv.Itoa(st.key.Step+1), strconv.Itoa(st.key.Cycle)
	args["level"], args["actions"] = level, strings.Join(done, ", ")
	e.notes = append(e.notes, SystemEvent{Action: "sla_escalation", Args: args})
	e.acts = append(e.acts, slaAction{typ: typ, data: SLAEventData{Ticket: e.t, Target: st.key.Target,
		Step: st.key.Step + 1, Cycle: st.key.Cycle, Recipients: rcpt}})
	return nil
}

// recipients resolves owner, assignee and the supervisors of the ticket's
// team (every supervisor while it has no team) to agent ids.
func (e *escalation) recipients(ctx context.Context, who []string) []string {
	out := []string{}
	add := func(id string) {
		if id != "" && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	for _, w := range who {
		switch w {
		case "owner":
			add(e.t.OwnerID)
		case "assignee":
			add(e.t.AssigneeID)
		case "supervisors":
			ids, err := e.supervisors(ctx)
			if err != nil {
				e.w.log.Warn("desk: sla supervisors", "ticket", e.t.ID, "err", err)
				continue
			}
			for _, id := range ids {
				add(id)
			}
		}
	}
	return out
}

// supervisors are the active supervisors of the ticket's team. A ticket no
// rule routed yet belongs, for this purpose, to the default team; with no
// default team, or none of its supervisors active, every supervisor is
// told, so an unrouted breach never goes unseen.
func (e *escalation) supervisors(ctx context.Context) ([]string, error) {
	return teamSupervisors(ctx, e.tx, e.t.TeamID)
}

// teamSupervisors is the rule above for a ticket of teamID; low-score
// surveys tell the same people (desk/csat_answer.go).
func teamSupervisors(ctx context.Context, r Reader, teamID string) ([]string, error) {
	agents, err := r.Agents(ctx)
	if err != nil {
		return nil, err
	}
	team := teamID
	if team == "" {
		routings, err := r.TeamRoutings(ctx)
		if err != nil {
			return nil, err
		}
		for _, r := range routings {
			if r.Default {
				team = r.TeamID
			}
		}
	}
	pick := func(team string) []string {
		var ids []string
		for _, a := range agents {
			if a.Active && a.Role == RoleSupervisor && (team == "" || slices.Contains(a.TeamIDs, team)) {
				ids = append(ids, a.ID)
			}
		}
		return ids
	}
	ids := pick(team)
	if len(ids) == 0 && teamID == "" && team != "" {
		ids = pick("")
	}
	return ids, nil
}

// record writes the timeline and audit entries of the steps taken.
func (e *escalation) record(ctx context.Context) error {
	for _, n := range e.notes {
		text := slaEventText(n)
		m := Message{ID: NewID(), TicketID: e.t.ID, Direction: DirSystem, AuthorKind: AuthorSystem,
			Channel: e.t.Channel, Text: text, Event: &n, CreatedAt: e.now}
		if err := e.tx.InsertMessage(ctx, m); err != nil {
			return err
		}
		if err := e.w.s.audit(ctx, e.tx, Actor{}, "ticket."+n.Action, e.t.ID, text); err != nil {
			return err
		}
	}
	return nil
}

// slaEventText is the English form of the SLA system entries.
func slaEventText(n SystemEvent) string {
	a := n.Args
	switch n.Action {
	case "sla_escalation":
		s := fmt.Sprintf("SLA %s %s: escalation step %s", strings.ReplaceAll(a["target"], "_", " "), a["level"], a["step"])
		if a["actions"] != "" {
			s += " (" + a["actions"] + ")"
		}
		return s
	case "sla_followup_due":
		return fmt.Sprintf("promised follow-up due at %s is overdue: %s", a["due"], a["note"])
	case "sla_callback_due":
		return fmt.Sprintf("callback due at %s is overdue: %s", a["due"], a["note"])
	case "followup_set":
		return fmt.Sprintf("%s promised a follow-up by %s: %s", a["by"], a["due"], a["note"])
	}
	return n.Action
}
