package desk

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"huiliu/i18n"
)

// CSAT asks a ticket's customer for a rating after each resolution and
// takes the answer. It is an after-commit observer (list it in
// Options.Observers); NewService binds it.
type CSAT struct {
	s   *Service
	key []byte
	// base is the desk's public address, for the survey page's link.
	base string
	log  *slog.Logger
}

// CSATOptions configure surveys.
type CSATOptions struct {
	// Key signs survey tokens; keep it across restarts and nodes (the
	// server_keys row "csat").
	Key []byte
	// PublicURL is where customers reach the desk (public_url); the email
	// link and the API callback carry <PublicURL>/survey/<token>.
	PublicURL string
	Logger    *slog.Logger
}

// NewCSAT builds the survey step.
func NewCSAT(o CSATOptions) *CSAT {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return &CSAT{key: o.Key, base: strings.TrimRight(o.PublicURL, "/"), log: o.Logger}
}

func (c *CSAT) bindService(s *Service) { c.s, s.csat = s, c }

// AfterCommit asks for a rating when a change left the ticket resolved.
// Every change of a resolved ticket comes here (a tag, a note), so the
// resolution is identified by its status entry: the row for it exists
// once, whichever node or replay gets here first.
func (c *CSAT) AfterCommit(ctx context.Context, ch Change) error {
	if ch.Kind != ChangeChanged || ch.Ticket.Status != StatusResolved {
		return nil
	}
	_, _, err := c.Request(ctx, ch.Ticket.ID)
	return err
}

// csatStore is the service's store when it keeps surveys.
func (c *CSAT) store() (CSATStore, error) {
	st, ok := c.s.store.(CSATStore)
	if !ok {
		return nil, errors.New("desk: the store keeps no surveys")
	}
	return st, nil
}

// URL is the survey page of token.
func (c *CSAT) URL(token string) string { return c.base + "/survey/" + token }

// Request creates the survey of the ticket's current resolution and sends
// the question on its channel, unless the ticket is not resolved, its team
// switched surveys off, or the survey exists (created false).
func (c *CSAT) Request(ctx context.Context, ticketID string) (sv Survey, created bool, err error) {
	st, err := c.store()
	if err != nil {
		return Survey{}, false, err
	}
	t, err := st.Ticket(ctx, ticketID)
	if err != nil {
		return Survey{}, false, fmt.Errorf("desk: survey of ticket %s: %w", ticketID, err)
	}
	set, err := c.settings(ctx, st, t.TeamID)
	if err != nil || !set.Enabled || t.Status != StatusResolved {
		return Survey{}, false, err
	}
	var msg Message
	err = c.s.store.Tx(ctx, func(dtx Tx) error {
		tx := dtx.(CSATTx)
		created = false
		cur, err := tx.Ticket(ctx, ticketID)
		if err != nil || cur.Status != StatusResolved {
			return err
		}
		cycle, err := tx.ResolutionSeq(ctx, ticketID)
		if err != nil || cycle == 0 {
			return err
		}
		now := c.s.now().UTC()
		lang := i18n.Match(cur.Language)
		sv = Survey{ID: NewID(), TicketID: cur.ID, Cycle: cycle, ContactID: cur.ContactID,
			AgentID: cmpOr(cur.AssigneeID, cur.OwnerID), TeamID: cur.TeamID, Channel: cur.Channel, Lang: lang,
			CreatedAt: now, ExpiresAt: now.Add(SurveyValidity)}
		sv.TokenHash = surveyTokenHash(surveyToken(c.key, sv.ID))
		msg = Message{ID: NewID(), TicketID: cur.ID, Direction: DirOut, AuthorKind: AuthorSystem, AuthorName: "csat",
			Channel: cur.Channel, Kind: MessageKindSurvey, Text: set.question(lang), Delivery: DeliveryPending, CreatedAt: now}
		sv.MessageID = msg.ID
		if created, err = tx.InsertSurvey(ctx, sv); err != nil || !created {
			return err
		}
		// InsertMessage hands out the seq itself: the ticket's preview and
		// times stay those of the conversation.
		if err := tx.InsertMessage(ctx, msg); err != nil {
			return err
		}
		cur.LastSeq++
		msg.Seq, t = cur.LastSeq, cur
		return tx.InsertOutbox(ctx, OutboxItem{ID: NewID(), MessageID: msg.ID, TicketID: cur.ID, Channel: cur.Channel,
			IdempotencyKey: msg.ID, NextAttemptAt: now})
	})
	if err != nil {
		return Survey{}, false, fmt.Errorf("desk: survey of ticket %s: %w", ticketID, err)
	}
	if !created {
		return Survey{}, false, nil
	}
	c.s.nudge()
	c.s.publish(ctx, messageEvent(EventMessageCreated, t, msg))
	return sv, true, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// settings are the team's saved settings, else the desk's, else the
// defaults.
func (c *CSAT) settings(ctx context.Context, st CSATReader, teamID string) (CSATSettings, error) {
	scopes := []string{""}
	if teamID != "" {
		scopes = []string{teamID, ""}
	}
	for _, scope := range scopes {
		set, err := st.CSATSettings(ctx, scope)
		if err == nil {
			return set, nil
		}
		if !errors.Is(err, ErrNotFound) {
			return CSATSettings{}, fmt.Errorf("desk: csat settings: %w", err)
		}
	}
	return DefaultCSATSettings(), nil
}

// question is the wording in lang: the configured one, else the catalog's.
func (set CSATSettings) question(lang string) string {
	if q := strings.TrimSpace(set.Wording[lang]); q != "" {
		return q
	}
	return i18n.T(lang, "csat.question")
}

// SurveyLink is what a channel needs to ask: the token and the page.
func (c *CSAT) SurveyLink(ctx context.Context, messageID string) (token, url string, err error) {
	st, err := c.store()
	if err != nil {
		return "", "", err
	}
	sv, err := st.SurveyByMessage(ctx, messageID)
	if err != nil {
		return "", "", fmt.Errorf("desk: survey of message %s: %w", messageID, err)
	}
	token = surveyToken(c.key, sv.ID)
	return token, c.URL(token), nil
}

// Question is the wording of sv's question in lang (the survey page).
func (c *CSAT) Question(ctx context.Context, sv Survey, lang string) string {
	st, err := c.store()
	if err != nil {
		return i18n.T(lang, "csat.question")
	}
	set, err := c.settings(ctx, st, sv.TeamID)
	if err != nil {
		c.log.Warn("desk: csat settings", "err", err)
	}
	return set.question(lang)
}

// Now is the service's clock, for callers judging expiry.
func (c *CSAT) Now() time.Time { return c.s.now() }
