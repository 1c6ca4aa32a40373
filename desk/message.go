package desk

import (
	"time"

	"huiliu/channels"
)

// Direction says which way a message went.
type Direction string

const (
	DirIn     Direction = "in"     // from the customer
	DirOut    Direction = "out"    // to the customer
	DirNote   Direction = "note"   // internal, never sent
	DirSystem Direction = "system" // an event on the timeline (assignment, status)
)

// AuthorKind says who wrote a message.
type AuthorKind string

const (
	AuthorContact AuthorKind = "contact"
	AuthorAgent   AuthorKind = "agent"
	AuthorBot     AuthorKind = "bot"
	AuthorSystem  AuthorKind = "system"
)

// Delivery is the state of an outbound message.
type Delivery string

const (
	DeliveryNone    Delivery = ""        // inbound, notes and system events
	DeliveryPending Delivery = "pending" // in the outbox
	DeliverySent    Delivery = "sent"
	DeliveryFailed  Delivery = "failed" // gave up; DeliveryError says why
)

// Message is one entry of a ticket's timeline.
type Message struct {
	ID       string `json:"id"`
	TicketID string `json:"ticket_id"`
	// Seq numbers a ticket's messages 1, 2, 3, ... in commit order: a
	// message with a higher Seq was committed after every lower one, so a
	// live view that saw Seq N misses nothing by resuming after N.
	Seq        int64      `json:"seq"`
	Direction  Direction  `json:"direction"`
	AuthorKind AuthorKind `json:"author_kind"`
	AuthorID   string     `json:"author_id,omitempty"`
	// AuthorName is the name a bot or the system wrote under (an agent's
	// name is looked up by AuthorID, so a renamed agent shows the new one).
	AuthorName string `json:"author_name,omitempty"`
	Channel    string `json:"channel"`
	// ExternalID is the channel's own id, unique per channel (dedupe key).
	ExternalID string `json:"external_id,omitempty"`
	// Kind refines what the message is for; empty for ordinary messages.
	Kind string `json:"kind,omitempty"`
	Text string `json:"text"`
	HTML string `json:"html,omitempty"` // sanitized by Ingest (desk/sanitize.go)
	// Attachments are listed with the timeline (without their bytes).
	Attachments []Attachment `json:"attachments,omitempty"`
	// Email is the mail header of an email message (subject, addresses,
	// Message-IDs, folding offsets); nil on other channels. An agent's
	// email reply may carry one with Subject and Cc chosen in the desk.
	Email *channels.Email `json:"email,omitempty"`
	// Event describes a system entry in a form a desk can translate; Text
	// holds the same in English.
	Event         *SystemEvent `json:"event,omitempty"`
	Delivery      Delivery     `json:"delivery,omitempty"`
	DeliveryError string       `json:"delivery_error,omitempty"`
	CreatedAt     time.Time    `json:"created_at"`
}

// SystemEvent is what a system entry on the timeline records: an action
// (assign, transfer, status, ...) and its arguments as display values.
type SystemEvent struct {
	Action string            `json:"action"`
	Args   map[string]string `json:"args,omitempty"`
}

// MessageKindVerifyRequest asks the customer to prove who they are; a
// channel that can (Telegram) attaches a share-my-phone-number button.
const MessageKindVerifyRequest = "verify_request"

// Limits on what a message may hold.
const (
	MaxTextBytes = 64 << 10 // 64 KiB of text per message
)

// Attachment is a file of a message. Data is loaded only when the file is
// downloaded.
type Attachment struct {
	ID        string `json:"id"`
	MessageID string `json:"message_id"`
	Name      string `json:"name"`
	MIME      string `json:"mime"`
	Size      int64  `json:"size"`
	// ContentID marks an inline mail image, referred to as cid:<ContentID>
	// by the message's HTML.
	ContentID string    `json:"content_id,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	Data      []byte    `json:"-"`
}

// Limits on attachments.
const (
	MaxAttachments         = 10       // per message
	MaxAttachmentBytes     = 20 << 20 // per file
	maxAttachmentNameBytes = 255
)

// OutboxItem is a message waiting to be handed to its channel.
type OutboxItem struct {
	ID             string    `json:"id"`
	MessageID      string    `json:"message_id"`
	TicketID       string    `json:"ticket_id"`
	Channel        string    `json:"channel"`
	IdempotencyKey string    `json:"idempotency_key"`
	Attempts       int       `json:"attempts"`
	NextAttemptAt  time.Time `json:"next_attempt_at"`
	LastError      string    `json:"last_error,omitempty"`
}
