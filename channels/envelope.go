// Package channels defines what every channel speaks: the inbound and
// outbound envelopes, the send-only Adapter, the Receiver that takes
// customers' messages in, and the Sink it hands them to. Channels know these
// types only, never the store.
package channels

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Party is the person on the customer side, as the channel knows them.
type Party struct {
	Kind  string `json:"kind"`  // identity kind: webchat, telegram, email, phone, api, ...
	Value string `json:"value"` // the channel's id for them
	Name  string `json:"name,omitempty"`
	// Verified is set only when the channel itself vouches for the value
	// (a signed identity, a Telegram contact of the sender); Method says how.
	Verified bool   `json:"-"`
	Method   string `json:"-"`
}

// Inbound is one message from a customer, normalised by its adapter.
type Inbound struct {
	Channel    string // adapter name: api, webchat, telegram, email, phone
	ExternalID string // the channel's own id; replays with the same id are dropped
	ThreadKey  string // the conversation within the channel
	From       Party
	Text       string
	HTML       string // raw; the desk sanitizes it
	ReceivedAt time.Time
	// Attachments are files the customer sent (photos, documents), already
	// downloaded by the adapter within the desk's size limits.
	Attachments []Attachment
	// Links are further identities the sender proved with this message,
	// each with Verified set: a customer number from a signed deep link, a
	// phone number the channel vouches for. The desk records them on the
	// sender's contact and merges contacts that share a verified identity.
	Links []Party
	// TicketID, when set, is the ticket the channel established this
	// message continues (email threading by our own Message-IDs or a
	// ticket tag from a participant). The desk appends to it unless it is
	// closed or resolved beyond the reopen window; then it opens a new one.
	TicketID string
	// NewConversation says the customer asked to start over (the web chat's
	// "new conversation" after a resolved one): a resolved ticket is not
	// reopened by this message; it is closed and a new one opened.
	NewConversation bool
	// DefaultTeam names the team a new ticket of this message goes to when
	// routing leaves it without one (an email mailbox's default_team).
	DefaultTeam string
	// Email is the mail's header as the email channel read it; nil on
	// other channels. The desk stores it with the message.
	Email *Email
	// Call is the telephone call this message stands for on the timeline
	// (the phone channel); nil on other channels.
	Call *Call
}

// Email is what a mail says beyond its text: stored with the message
// (desk.Message.Email) for the desk to show and to thread replies by.
// Addresses are Parties of kind email.
type Email struct {
	// Mailbox is the configured mailbox ([[mailbox]] name) the mail came
	// in through or goes out of.
	Mailbox string `json:"mailbox"`
	// MessageID, InReplyTo and References are RFC 5322 ids without the
	// angle brackets; References oldest first.
	MessageID  string   `json:"message_id,omitempty"`
	InReplyTo  string   `json:"in_reply_to,omitempty"`
	References []string `json:"references,omitempty"`
	Subject    string   `json:"subject"`
	From       Party    `json:"from"`
	To         []Party  `json:"to,omitempty"`
	Cc         []Party  `json:"cc,omitempty"`
	// NoCc: the agent cleared the Cc of a reply, which then goes to the
	// customer alone rather than to everyone the last mail named.
	NoCc bool `json:"no_cc,omitempty"`
	// HasHTML: the mail had an HTML body (the message's HTML holds it,
	// sanitized); its text is the plain part or one made from the HTML.
	HasHTML bool `json:"has_html,omitempty"`
	// Automatic names why the mail was sent by a machine (RFC 3834
	// Auto-Submitted, Precedence bulk/list/junk/auto_reply, X-Autoreply,
	// X-Auto-Response-Suppress, empty Return-Path, one of our own
	// addresses); empty for a person's mail. Nothing automatic answers it.
	Automatic string `json:"automatic,omitempty"`
	// Malformed: the MIME structure could not be read; Text is the raw
	// source, decoded as well as possible.
	Malformed bool `json:"malformed,omitempty"`
	// QuoteAt and SignatureAt are byte offsets into the message's text
	// where quoted history and the signature begin; the desk folds what
	// follows them (nothing is removed). 0 means none.
	QuoteAt     int `json:"quote_at,omitempty"`
	SignatureAt int `json:"signature_at,omitempty"`
}

// Attachment is one file of an inbound message.
type Attachment struct {
	Name string // file name as the customer's app gave it; may be empty
	MIME string // content type as the channel reported it; may be empty
	Data []byte
	// ContentID is a mail part's Content-ID without angle brackets: an
	// inline image the HTML shows as cid:<ContentID>. Empty otherwise.
	ContentID string
}

// Receipt is what the sink answers once the message is committed.
type Receipt struct {
	TicketID  string `json:"ticket_id"`
	MessageID string `json:"message_id"`
	// Seq is the message's place on its ticket's timeline: 1, 2, 3, ... in
	// commit order, so a client that saw seq N resumes after N.
	Seq int64 `json:"seq"`
	// Duplicate is true when the message had been stored before.
	Duplicate bool `json:"duplicate"`
}

// Sink takes inbound messages; it returns only after the commit.
type Sink interface {
	Ingest(ctx context.Context, in Inbound) (Receipt, error)
}

// Outbound is one message from the desk to a customer.
type Outbound struct {
	MessageID string
	TicketID  string
	Channel   string
	ThreadKey string
	To        Party
	Text      string
	// IdempotencyKey is stable across retries of the same message so a peer
	// that supports it can drop a re-send after a crash.
	IdempotencyKey string
	Attempt        int
	// RequestContact asks the customer to share their phone number to be
	// verified; channels with such a button (Telegram) show it.
	RequestContact bool
	// Attachments are files the agent sent with the message, in order.
	Attachments []Attachment
	// AgentName and AgentEmployeeNo sign an agent's reply, so a customer
	// can check the agent on the public /verify-agent page; empty for bot
	// and system messages. Channels that do not show them beside the
	// message (the web chat does) put them in the text.
	AgentName       string
	AgentEmployeeNo string

	// The fields below carry what threaded channels (email) need; a channel
	// without such a notion ignores them. The desk fills Subject from the
	// ticket; the others stay empty until a threaded channel records the
	// ids and mailboxes they come from.

	// Subject is the conversation's subject line (the ticket's subject).
	Subject string
	// InReplyTo is the channel's id of the customer message this answers,
	// and References the channel's ids of the conversation's earlier
	// messages, oldest first (email's In-Reply-To and References headers).
	InReplyTo  string
	References []string
	// FromName is the display name the message is sent under (a team's or
	// the company's mailbox name); empty leaves the channel's default.
	FromName string
	// Cc are further people the message goes to, besides To.
	Cc []Party
	// HTML is the message's markup, sent beside Text where the channel
	// can (email's multipart/alternative); empty for plain text.
	HTML string
	// Automatic: a bot or the system wrote the message, not an agent.
	// Channels that must not answer machines (email, RFC 3834) mark or
	// hold it back.
	Automatic bool
	// BotName names the bot that wrote the message (empty for anyone
	// else), so channels without a bot label of their own say who speaks.
	BotName string
	// Survey, when set, asks for a satisfaction rating: channels with
	// buttons (Telegram) or a callback (API) offer the scores; Text
	// already ends with the survey page's URL for the others.
	Survey *SurveyRequest
}

// SurveyRequest is a satisfaction survey to answer with a score 1–5.
type SurveyRequest struct {
	// Token identifies the survey to the desk (its answer routes).
	Token string
	// URL is the public survey page.
	URL string
}

// Adapter delivers outbound messages on one channel.
type Adapter interface {
	Name() string
	// Send delivers out and returns the channel's id for it (may be empty).
	// Errors are retried with backoff unless marked Permanent; a
	// *RetryAfterError sets the delay the peer asked for.
	Send(ctx context.Context, out Outbound) (string, error)
}

// Receiver is the receiving side of a channel. Run takes customers'
// messages into sink until ctx ends and then returns nil once everything it
// started has stopped; an error means it could not run at all. A message is
// acknowledged to the peer only after sink committed it, and a replay
// carries the same ExternalID, so the desk stores it once.
//
// Peers that call in over HTTP (Telegram webhooks, the website chat's
// socket) reach the channel through a handler the wiring mounts, which
// takes the same sink; Run then keeps the rest of the channel going
// (pollers, webhook registration, fan-out of notices to open sockets).
type Receiver interface {
	Run(ctx context.Context, sink Sink) error
}

// ErrPermanent marks a failure that retrying cannot fix (blocked bot,
// refused destination); the message is marked failed at once.
var ErrPermanent = errors.New("permanent failure")

// Permanent wraps err so errors.Is(err, ErrPermanent) holds.
func Permanent(err error) error { return fmt.Errorf("%w: %w", ErrPermanent, err) }

// RetryAfterError is a temporary failure with the delay the peer asked for.
type RetryAfterError struct {
	After time.Duration
	Err   error
}

func (e *RetryAfterError) Error() string {
	return fmt.Sprintf("retry after %s: %v", e.After, e.Err)
}

func (e *RetryAfterError) Unwrap() error { return e.Err }

// Sleep waits d or until ctx ends, whichever comes first: the pause of an
// adapter's retry loop that must not hold up a shutdown.
func Sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
