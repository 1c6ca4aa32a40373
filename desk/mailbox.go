package desk

import "time"

// MailboxState is one email mailbox's standing as its poller last recorded
// it in SQL, so every node's admin page and /readyz see the same: where
// the import stands (UIDVALIDITY, last UID) and why it does not work.
type MailboxState struct {
	Name string `json:"name"`
	// State is MailboxOK, MailboxConnecting or MailboxFailing.
	State string `json:"state"`
	// Error is the last failure (bad host, refused login, missing
	// folder), kept until a round succeeds; ErrorAt when it happened.
	Error   string     `json:"error,omitempty"`
	ErrorAt *time.Time `json:"error_at,omitempty"`
	// UIDValidity and LastUID are the position: mails with a higher UID
	// in this UIDVALIDITY are still to import.
	UIDValidity int64 `json:"uid_validity"`
	LastUID     int64 `json:"last_uid"`
	// ValidityChangedAt is when the server last changed UIDVALIDITY (the
	// folder was recreated); the import then starts over and drops the
	// mails it has by Message-ID.
	ValidityChangedAt *time.Time `json:"validity_changed_at,omitempty"`
	// LastMailAt is when the last mail was imported.
	LastMailAt *time.Time `json:"last_mail_at,omitempty"`
	UpdatedAt  time.Time  `json:"updated_at"`
}

// Mailbox states.
const (
	MailboxConnecting = "connecting"
	MailboxOK         = "ok"
	MailboxFailing    = "failing"
)

// EmailBounce is an address a delivery status notification reported as
// undeliverable; replies to it are likely to fail too.
type EmailBounce struct {
	Address string    `json:"address"`
	Reason  string    `json:"reason"`
	At      time.Time `json:"at"`
	// Blocking says the bounce still blocks replies (BounceBlock); set in
	// lists only.
	Blocking bool `json:"blocking"`
}
