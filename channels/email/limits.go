package email

// The desk's limits on what an inbound message may carry (desk/ingest.go,
// desk/message.go, desk/email_meta.go); the parser trims to them so a
// mail is never refused for its size. limits_test.go keeps them in step.
const (
	maxExternalIDBytes = 256
	maxPartyValueBytes = 320
	maxNameBytes       = 200
	maxTextBytes       = 64 << 10
	maxAttachments     = 10
	maxAttachmentBytes = 20 << 20
	maxSubjectBytes    = 1000
	maxIDBytes         = 998
	maxReferences      = 50
	maxRecipients      = 100
)

// identityEmail is the identity kind of an address (desk.IdentityEmail).
const identityEmail = "email"
