package desk

import "time"

// Verification levels: how strongly the customer in a conversation has
// proved who they are. Policies name the level a fact needs.
const (
	LevelNone      = 0
	LevelChannel   = 1 // possession of the channel (signed site identity, Telegram contact)
	LevelOTP       = 2 // a code sent to the phone or email on record
	LevelKnowledge = 3 // a code plus a knowledge question from the record
)

// Verification methods recorded on a conversation.
const (
	MethodOTPSMS   = "otp_sms"
	MethodOTPEmail = "otp_email"
)

// Verification is the proof recorded on one conversation (ticket).
type Verification struct {
	TicketID  string `json:"ticket_id"`
	ContactID string `json:"contact_id"`
	// IdentityID is the identity the proof went through (the phone the
	// code was sent to); empty for methods without one.
	IdentityID string    `json:"identity_id,omitempty"`
	Method     string    `json:"method"`
	Level      int       `json:"level"`
	VerifiedAt time.Time `json:"verified_at"`
	ExpiresAt  time.Time `json:"expires_at"`
}

// Active reports whether v still holds at now.
func (v Verification) Active(now time.Time) bool {
	return v.Level > LevelNone && now.Before(v.ExpiresAt)
}
