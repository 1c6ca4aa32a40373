package desk

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// BotTask is what the bot files on a ticket at the end of a flow: the
// category, tags and priority the right team's queue and SLA policy match
// on, the team by name, and the follow-up promised to the customer.
type BotTask struct {
	Category string
	Tags     []string
	Priority Priority // "" leaves it
	Team     string   // team name; "" or an unknown name leaves the team
	// FollowupDue, when set, is a promise to the customer with its own
	// deadline (as AddFollowup), FollowupNote its text.
	FollowupDue  time.Time
	FollowupNote string
}

// FileBotTask applies a bot's task to ticketID in one commit, each change a
// system entry under the bot's name (the desk translates them like an
// agent's). Only the bot or the system may call it.
func (s *Service) FileBotTask(ctx context.Context, actor Actor, ticketID string, task BotTask) (Ticket, error) {
	if actor.Agent != nil {
		return Ticket{}, Errorf(CodeForbidden, "only the bot files bot tasks")
	}
	tags, err := normalizeTags(task.Tags)
	if err != nil {
		return Ticket{}, err
	}
	if task.Priority != "" && !task.Priority.Valid() {
		return Ticket{}, Errorf(CodeInvalid, "priority %q is not low, normal, high or urgent", task.Priority)
	}
	note := strings.TrimSpace(task.FollowupNote)
	if utf8.RuneCountInString(note) > maxFollowupNoteRunes || !ValidText(note) || !ValidText(task.Category) {
		return Ticket{}, Errorf(CodeInvalid, "note: at most %d characters of text", maxFollowupNoteRunes)
	}
	by := actor.Name
	var t Ticket
	err = s.store.Tx(ctx, func(tx Tx) error {
		cur, err := tx.Ticket(ctx, ticketID)
		if err != nil {
			return notFoundAs(err, "ticket %s not found", ticketID)
		}
		if cur.Status == StatusClosed {
			return Errorf(CodeConflict, "ticket %d is closed", cur.Number)
		}
		now := s.now().UTC()
		var f TicketFields
		var events []SystemEvent
		if c := strings.TrimSpace(task.Category); c != "" && c != cur.Category {
			f.Category = &c
			events = append(events, SystemEvent{Action: "category", Args: map[string]string{"by": by, "category": c}})
		}
		if p := task.Priority; p != "" && p != cur.Priority {
			f.Priority = &p
			events = append(events, SystemEvent{Action: "priority", Args: map[string]string{"by": by, "priority": string(p)}})
		}
		all := slices.Clone(cur.Tags)
		for _, tag := range tags {
			if !slices.Contains(all, tag) && len(all) < MaxTags {
				all = append(all, tag)
				events = append(events, SystemEvent{Action: "tag_add", Args: map[string]string{"by": by, "tag": tag}})
			}
		}
		if len(all) != len(cur.Tags) {
			f.Tags = &all
		}
		if name := strings.TrimSpace(task.Team); name != "" {
			team, err := tx.TeamByName(ctx, name)
			switch {
			case errors.Is(err, ErrNotFound):
				s.log.Warn("desk: bot task names an unknown team", "team", name, "ticket", ticketID)
			case err != nil:
				return err
			case team.ID != cur.TeamID:
				f.TeamID = &team.ID
				events = append(events, SystemEvent{Action: "transfer", Args: map[string]string{"by": by, "team": team.Name}})
			}
		}
		if t, err = tx.SetTicketFields(ctx, ticketID, f, now); err != nil {
			return err
		}
		for _, e := range events {
			if _, err := s.recordEntry(ctx, tx, &t, actor, AuthorSystem, e, e.text(), now); err != nil {
				return err
			}
		}
		if !task.FollowupDue.IsZero() {
			fu := Followup{ID: NewID(), TicketID: t.ID, DueAt: task.FollowupDue.UTC().Truncate(time.Millisecond), Note: note, CreatedAt: now}
			if !fu.DueAt.After(now) {
				return Errorf(CodeInvalid, "follow-up due: must be a time in the future")
			}
			if err := tx.InsertFollowup(ctx, fu); err != nil {
				return err
			}
			ev := SystemEvent{Action: "followup_set", Args: map[string]string{"by": by, "due": fu.DueAt.Format(time.RFC3339), "note": note}}
			if _, err := s.recordEntry(ctx, tx, &t, actor, AuthorSystem, ev, slaEventText(ev), now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return Ticket{}, fmt.Errorf("desk: bot task on ticket %s: %w", ticketID, err)
	}
	s.publish(ctx, ticketEvent(EventTicketUpdated, t, t))
	s.notify(ctx, Change{Kind: ChangeChanged, Ticket: t, Actor: actor})
	return t, nil
}

// QueuePosition is the place of ticketID in its team's queue: how many open
// tickets nobody works yet wait in that team, this one included (for a
// ticket routed to no team, every waiting ticket counts). 0 when the
// ticket is not waiting.
func (s *Service) QueuePosition(ctx context.Context, ticketID string) (int, error) {
	t, err := s.BotTicket(ctx, ticketID)
	if err != nil {
		return 0, err
	}
	if t.Status != StatusOpen || t.AssigneeID != "" {
		return 0, nil
	}
	n, err := s.store.CountTickets(ctx, TicketFilter{Team: t.TeamID, Unassigned: true, Status: []Status{StatusOpen}})
	if err != nil {
		return 0, fmt.Errorf("desk: queue of ticket %s: %w", ticketID, err)
	}
	return max(n, 1), nil
}

// BotTicket reads a ticket for the bot and the system (no agent's view).
func (s *Service) BotTicket(ctx context.Context, id string) (Ticket, error) {
	t, err := s.store.Ticket(ctx, id)
	if err != nil {
		return Ticket{}, notFoundAs(fmt.Errorf("desk: ticket %s: %w", id, err), "ticket %s not found", id)
	}
	return t, nil
}
