package desk

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"huiliu/channels"
)

// TagImpostorReport marks the tickets of "report a suspected fake agent";
// supervisors filter the inbox by it.
const TagImpostorReport = "impostor-report"

// ChannelReport is the channel of reports made on the public page, which
// have no conversation to answer in: supervisors call back.
const ChannelReport = "report"

// Limits of a report.
const (
	maxReportRunes   = 1000
	maxImpostorRunes = 100
	reportsPerWindow = 5
	reportWindow     = time.Hour
)

// ImpostorReport is what a customer tells about someone who claimed to be
// the company's agent.
type ImpostorReport struct {
	// What happened (required).
	What string
	// Impostor is the number or account they used (optional).
	Impostor string
	// Callback is how to reach the reporter (optional; the public page).
	Callback string
	// From is the reporter when known (a chat visitor, a Telegram user);
	// empty for the public page, which gets an identity of its own per
	// report, so an anonymous form never joins someone's contact.
	From    channels.Party
	Channel string
	// Key is what the rate limit counts by: the client address, the
	// visitor or the chat.
	Key string
}

// ReportImpostor opens a high-priority ticket tagged impostor-report with
// the report, a conversation of its own (never mixed into the customer's
// other requests), and audits it. At most 5 reports per key and hour.
func (s *Service) ReportImpostor(ctx context.Context, r ImpostorReport) (Ticket, error) {
	r.What, r.Impostor, r.Callback = strings.TrimSpace(r.What), strings.TrimSpace(r.Impostor), strings.TrimSpace(r.Callback)
	switch {
	case r.What == "" || utf8.RuneCountInString(r.What) > maxReportRunes || !ValidText(r.What):
		return Ticket{}, Errorf(CodeInvalid, "tell us what happened (at most %d characters)", maxReportRunes)
	case utf8.RuneCountInString(r.Impostor) > maxImpostorRunes || !ValidText(r.Impostor),
		utf8.RuneCountInString(r.Callback) > maxImpostorRunes || !ValidText(r.Callback):
		return Ticket{}, Errorf(CodeInvalid, "the number or account is at most %d characters", maxImpostorRunes)
	}
	if err := s.limit(ctx, "impostor:"+r.Key, reportsPerWindow, reportWindow,
		"too many reports, try again in %d seconds", "reports are unavailable, try again shortly"); err != nil {
		return Ticket{}, err
	}
	id := NewID()
	if r.Channel == "" {
		r.Channel = ChannelReport
	}
	if r.From.Value == "" {
		r.From = channels.Party{Kind: IdentityAPI, Value: "impostor-report:" + id}
	}
	text := "【疑似冒充客服举报 / suspected fake agent】\n" + r.What
	if r.Impostor != "" {
		text += "\n对方号码或账号 / impostor's number or account: " + r.Impostor
	}
	if r.Callback != "" {
		text += "\n回电 / call back: " + r.Callback
	}
	rc, err := s.Ingest(ctx, channels.Inbound{Channel: r.Channel, ExternalID: "impostor:" + id, ThreadKey: "impostor-report:" + id, From: r.From, Text: text})
	if err != nil {
		return Ticket{}, err
	}
	high := PriorityHigh
	var t Ticket
	err = s.store.Tx(ctx, func(tx Tx) error {
		cur, err := tx.Ticket(ctx, rc.TicketID)
		if err != nil {
			return err
		}
		tags := cur.Tags
		if !slices.Contains(tags, TagImpostorReport) {
			tags = append(tags, TagImpostorReport)
		}
		if t, err = tx.SetTicketFields(ctx, rc.TicketID, TicketFields{Priority: &high, Tags: &tags}, s.now().UTC()); err != nil {
			return err
		}
		return s.audit(ctx, tx, Actor{Kind: AuthorSystem, Name: "impostor report"}, "ticket.impostor_report", t.ID, fmt.Sprintf("ticket #%d via %s", t.Number, r.Channel))
	})
	if err != nil {
		return Ticket{}, fmt.Errorf("desk: impostor report: %w", err)
	}
	s.publish(ctx, ticketEvent(EventTicketUpdated, t, t))
	return t, nil
}
