package desk

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// MaxTranscriptMessages bounds one transcript export.
const MaxTranscriptMessages = 10000

// Transcript is a ticket's whole timeline as an export carries it.
type Transcript struct {
	Ticket   Ticket    `json:"ticket"`
	Contact  Contact   `json:"contact"`
	Messages []Message `json:"messages"`
	// Authors maps agent ids of the messages to their names.
	Authors map[string]string `json:"authors"`
	// Unmasked is true when the exporter revealed personal data with a
	// purpose; otherwise it is masked like everywhere on the desk.
	Unmasked bool `json:"unmasked"`
}

// Transcript reads a ticket the agent may see for export: masked, or with
// a purpose (which needs pii.reveal) unmasked. Every export is audited
// (ticket.export), an unmasked one also as a revelation (pii.reveal).
func (s *Service) Transcript(ctx context.Context, actor Actor, ticketID, purpose string) (Transcript, error) {
	if actor.Agent == nil {
		return Transcript{}, Errorf(CodeForbidden, "only an agent exports a conversation")
	}
	a := *actor.Agent
	t, err := s.VisibleTicket(ctx, a, ticketID)
	if err != nil {
		return Transcript{}, err
	}
	unmasked := strings.TrimSpace(purpose) != ""
	if unmasked {
		if purpose, err = checkReveal(a, purpose); err != nil {
			return Transcript{}, err
		}
	}
	c, err := s.store.Contact(ctx, t.ContactID)
	if err != nil {
		return Transcript{}, fmt.Errorf("desk: transcript %s: contact: %w", ticketID, err)
	}
	ms, err := s.storedMessages(ctx, t.ID, "", MaxTranscriptMessages)
	if err != nil {
		return Transcript{}, err
	}
	out := Transcript{Ticket: t, Contact: c, Messages: ms, Authors: map[string]string{}, Unmasked: unmasked}
	if !unmasked {
		out.Ticket, out.Contact = maskTicket(t), maskContact(c)
		maskMessages(out.Messages)
	}
	agents, err := s.store.Agents(ctx)
	if err != nil {
		return Transcript{}, fmt.Errorf("desk: transcript %s: agents: %w", ticketID, err)
	}
	for _, ag := range agents {
		out.Authors[ag.ID] = ag.Name
	}
	err = s.store.Tx(ctx, func(tx Tx) error {
		detail := fmt.Sprintf("ticket #%d, %d messages, masked", t.Number, len(ms))
		if out.Unmasked {
			detail = fmt.Sprintf("ticket #%d, %d messages, unmasked", t.Number, len(ms))
			if err := s.audit(ctx, tx, actor, AuditPIIReveal, "ticket:"+t.ID, "export: "+purpose); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, actor, "ticket.export", t.ID, detail)
	})
	if err != nil {
		return Transcript{}, fmt.Errorf("desk: transcript %s: %w", ticketID, err)
	}
	return out, nil
}

// TranscriptHeader names the columns of TranscriptRows.
var TranscriptHeader = []string{"seq", "time", "direction", "author", "kind", "text", "attachments"}

// Rows lays the transcript out as a table (one row per message) for CSV.
func (tr Transcript) Rows() [][]string {
	rows := make([][]string, 0, len(tr.Messages))
	for _, m := range tr.Messages {
		author := m.AuthorName
		switch m.AuthorKind {
		case AuthorAgent:
			author = tr.Authors[m.AuthorID]
		case AuthorContact:
			author = tr.Contact.Name
		}
		if author == "" {
			author = string(m.AuthorKind)
		}
		var files []string
		for _, f := range m.Attachments {
			files = append(files, f.Name)
		}
		rows = append(rows, []string{strconv.FormatInt(m.Seq, 10), m.CreatedAt.UTC().Format(time.RFC3339), string(m.Direction),
			author, m.Kind, m.Text, strings.Join(files, "; ")})
	}
	return rows
}
