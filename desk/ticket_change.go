package desk

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// TicketChange is what an agent changes on a ticket; nil fields stay.
type TicketChange struct {
	Status *Status
	// AssigneeID "" unassigns; otherwise an active agent.
	AssigneeID *string
	// TeamID moves the ticket to another team's queue (a transfer); ""
	// unroutes it. A transfer without an AssigneeID clears the assignee,
	// so the new team picks it up. The owner never changes.
	TeamID     *string
	Priority   *Priority
	Category   *string
	AddTags    []string
	RemoveTags []string
}

// TicketFields are the columns an agent's change writes; nil fields stay.
type TicketFields struct {
	Status     *Status
	AssigneeID *string
	TeamID     *string
	Priority   *Priority
	Tags       *[]string
	Category   *string
	// Handoff and ConfirmedBy ("" withdraws it) are first-contact
	// ownership's (desk/ownership.go).
	Handoff     *bool
	ConfirmedBy *string
}

// Limits of tags.
const (
	MaxTags         = 20
	maxTagRunes     = 32
	systemEventText = 200
)

// ChangeTicket applies an agent's change, records one system entry per
// change on the timeline (and in the audit log) and publishes the ticket.
func (s *Service) ChangeTicket(ctx context.Context, a Agent, id string, c TicketChange) (Ticket, error) {
	if _, err := s.VisibleTicket(ctx, a, id); err != nil {
		return Ticket{}, err
	}
	add, err := normalizeTags(c.AddTags)
	if err != nil {
		return Ticket{}, err
	}
	remove, err := normalizeTags(c.RemoveTags)
	if err != nil {
		return Ticket{}, err
	}
	var t Ticket
	var entries []SystemEvent
	err = s.store.Tx(ctx, func(tx Tx) error {
		entries = entries[:0]
		cur, err := tx.Ticket(ctx, id)
		if err != nil {
			return err
		}
		if cur.Status == StatusClosed {
			return Errorf(CodeConflict, "ticket %d is closed; the customer's next message opens a new one", cur.Number).Say("err.ticket_closed_reply",
				"number", strconv.FormatInt(cur.Number, 10))
		}
		var f TicketFields
		by := a.Name
		if c.Status != nil && *c.Status != cur.Status {
			if err := checkTransition(cur.Status, *c.Status); err != nil {
				return err
			}
			f.Status = c.Status
			entries = append(entries, SystemEvent{Action: "status", Args: map[string]string{"by": by, "from": string(cur.Status), "status": string(*c.Status)}})
		}
		if c.Priority != nil && *c.Priority != cur.Priority {
			if !c.Priority.Valid() {
				return Errorf(CodeInvalid, "priority must be low, normal, high or urgent")
			}
			f.Priority = c.Priority
			entries = append(entries, SystemEvent{Action: "priority", Args: map[string]string{"by": by, "priority": string(*c.Priority)}})
		}
		if c.Category != nil && *c.Category != cur.Category {
			cat := strings.TrimSpace(*c.Category)
			if utf8.RuneCountInString(cat) > maxTagRunes || !ValidText(cat) || strings.ContainsAny(cat, "\n\r\t") {
				return Errorf(CodeInvalid, "category must be text of at most %d characters", maxTagRunes)
			}
			f.Category = &cat
			entries = append(entries, SystemEvent{Action: "category", Args: map[string]string{"by": by, "category": cat}})
		}
		if c.TeamID != nil && *c.TeamID != cur.TeamID {
			name := ""
			if *c.TeamID != "" {
				team, err := tx.Team(ctx, *c.TeamID)
				if err != nil {
					return notFoundAs(err, "team %s not found", *c.TeamID)
				}
				name = team.Name
			}
			f.TeamID = c.TeamID
			entries = append(entries, SystemEvent{Action: "transfer", Args: map[string]string{"by": by, "team": name}})
			if c.AssigneeID == nil && cur.AssigneeID != "" {
				none := ""
				c.AssigneeID = &none
			}
		}
		if c.AssigneeID != nil && *c.AssigneeID != cur.AssigneeID {
			if *c.AssigneeID == "" {
				entries = append(entries, SystemEvent{Action: "unassign", Args: map[string]string{"by": by}})
			} else {
				who, err := tx.Agent(ctx, *c.AssigneeID)
				if err != nil {
					return notFoundAs(err, "agent %s not found", *c.AssigneeID)
				}
				if !who.Active {
					return Errorf(CodeInvalid, "agent %s is deactivated", who.Name).Say("err.agent_deactivated", "name", who.Name)
				}
				entries = append(entries, SystemEvent{Action: "assign", Args: map[string]string{"by": by, "to": who.Name, "employee_no": who.EmployeeNo}})
			}
			f.AssigneeID = c.AssigneeID
		}
		if len(add) > 0 || len(remove) > 0 {
			tags := slices.Clone(cur.Tags)
			for _, tag := range add {
				if !slices.Contains(tags, tag) {
					tags = append(tags, tag)
					entries = append(entries, SystemEvent{Action: "tag_add", Args: map[string]string{"by": by, "tag": tag}})
				}
			}
			for _, tag := range remove {
				if i := slices.Index(tags, tag); i >= 0 {
					tags = slices.Delete(tags, i, i+1)
					entries = append(entries, SystemEvent{Action: "tag_remove", Args: map[string]string{"by": by, "tag": tag}})
				}
			}
			if len(tags) > MaxTags {
				return Errorf(CodeInvalid, "a ticket has at most %d tags", MaxTags).Say("err.too_many_tags", "max", strconv.Itoa(MaxTags))
			}
			f.Tags = &tags
		}
		noteHandoff(cur, &f)
		if err := checkOutcomeConfirmed(ctx, tx, cur, f); err != nil {
			return err
		}
		if len(entries) == 0 {
			t = cur
			return nil
		}
		now := s.now().UTC()
		if t, err = tx.SetTicketFields(ctx, id, f, now); err != nil {
			return err
		}
		for _, e := range entries {
			m := Message{ID: NewID(), TicketID: id, Direction: DirSystem, AuthorKind: AuthorAgent, AuthorID: a.ID,
				Channel: t.Channel, Text: e.text(), Event: &e, CreatedAt: now}
			if err := tx.InsertMessage(ctx, m); err != nil {
				return err
			}
			t.LastSeq++
			if err := s.audit(ctx, tx, Actor{Agent: &a}, "ticket."+e.Action, t.ID, m.Text); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return Ticket{}, fmt.Errorf("desk: change ticket %s: %w", id, err)
	}
	if len(entries) > 0 {
		s.publish(ctx, ticketEvent(EventTicketUpdated, t, t))
		s.notify(ctx, Change{Kind: ChangeChanged, Ticket: t, Actor: Actor{Agent: &a}})
	}
	return t, nil
}

// checkTransition allows the moves an agent makes by hand: between open
// and pending, to resolved, a reopen, and a close. Closed is final and bot
// belongs to the bot.
func checkTransition(from, to Status) error {
	switch to {
	case StatusOpen, StatusPending, StatusResolved, StatusClosed:
		return nil
	case StatusBot:
		return Errorf(CodeInvalid, "only the bot hands a ticket to the bot")
	}
	return Errorf(CodeInvalid, "status must be open, pending, resolved or closed, not %q (from %s)", to, from)
}

// normalizeTags lower-cases and trims tags and refuses ones that cannot be
// stored (commas separate them in the record).
func normalizeTags(in []string) ([]string, error) {
	out := make([]string, 0, len(in))
	for _, tag := range in {
		tag = strings.ToLower(strings.TrimSpace(tag))
		switch {
		case tag == "":
			continue
		case strings.ContainsAny(tag, ",\n\r\t") || !ValidText(tag):
			return nil, Errorf(CodeInvalid, "tag %q must not contain commas or control characters", tag)
		case utf8.RuneCountInString(tag) > maxTagRunes:
			return nil, Errorf(CodeInvalid, "tag %q is longer than %d characters", tag, maxTagRunes).Say("err.tag_too_long", "max", strconv.Itoa(maxTagRunes))
		}
		if !slices.Contains(out, tag) {
			out = append(out, tag)
		}
	}
	if len(out) > MaxTags {
		return nil, Errorf(CodeInvalid, "at most %d tags at once", MaxTags)
	}
	return out, nil
}

// text is the English form of a system entry, for the API and logs; desks
// translate Action and Args instead.
func (e SystemEvent) text() string {
	a := e.Args
	var s string
	switch e.Action {
	case "status":
		s = fmt.Sprintf("%s set the status to %s", a["by"], a["status"])
	case "priority":
		s = fmt.Sprintf("%s set the priority to %s", a["by"], a["priority"])
	case "transfer":
		if a["team"] == "" {
			s = fmt.Sprintf("%s removed the ticket from its team", a["by"])
		} else {
			s = fmt.Sprintf("%s transferred the ticket to team %s", a["by"], a["team"])
		}
	case "assign":
		s = fmt.Sprintf("%s assigned the ticket to %s", a["by"], a["to"])
	case "unassign":
		s = fmt.Sprintf("%s unassigned the ticket", a["by"])
	case "category":
		s = fmt.Sprintf("%s set the category to %s", a["by"], a["category"])
	case "tag_add":
		s = fmt.Sprintf("%s added the tag %s", a["by"], a["tag"])
	case "tag_remove":
		s = fmt.Sprintf("%s removed the tag %s", a["by"], a["tag"])
	case "identity_verified":
		s = fmt.Sprintf("identity verified: %s %s (%s)", a["kind"], a["value"], a["method"])
	case "merge_refused":
		s = fmt.Sprintf("not merged: %s %s belongs, unverified, to another contact", a["kind"], a["value"])
	case "contacts_merged":
		s = fmt.Sprintf("contacts merged: %s %s is verified on contact %s", a["kind"], a["value"], a["into"])
	case "conversation_verified":
		s = fmt.Sprintf("conversation verified by %s (code to %s)", a["method"], a["to"])
	case "bot_handoff":
		s = "handed over from the bot to the desk"
		if a["reason"] != "" {
			s += ": " + a["reason"]
		}
	case "outcome_confirmed", "returned_to_owner", "owner_notified":
		s = ownershipText(e)
	default:
		s = e.Action
	}
	if utf8.RuneCountInString(s) > systemEventText {
		s = string([]rune(s)[:systemEventText])
	}
	return s
}
