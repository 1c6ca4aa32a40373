package desk

import "time"

// Identity kinds: how a person can be recognised on a channel.
const (
	IdentityWebchat    = "webchat"
	IdentityTelegram   = "telegram"
	IdentityEmail      = "email"
	IdentityPhone      = "phone"
	IdentityCustomerNo = "customer_no"
	IdentityAPI        = "api" // an integration's own user id
)

// ValidIdentityKind reports whether kind is one the desk knows.
func ValidIdentityKind(kind string) bool {
	switch kind {
	case IdentityWebchat, IdentityTelegram, IdentityEmail, IdentityPhone, IdentityCustomerNo, IdentityAPI:
		return true
	}
	return false
}

// Contact is one person, however many channels they write from.
type Contact struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	Identities []Identity `json:"identities"`
	// MergedInto is set on a contact that was merged into another on a
	// verified identity; everything of it now belongs to that one.
	MergedInto string `json:"merged_into,omitempty"`
}

// Identity is a (kind, value) pair that belongs to one contact. It merges
// contacts only when verified, never on a guess.
type Identity struct {
	ID         string     `json:"id"`
	ContactID  string     `json:"contact_id"`
	Kind       string     `json:"kind"`
	Value      string     `json:"value"`
	VerifiedAt *time.Time `json:"verified_at,omitempty"`
	Method     string     `json:"method,omitempty"`   // how it was verified
	Verifier   string     `json:"verifier,omitempty"` // agent id or system component
	CreatedAt  time.Time  `json:"created_at"`
}
