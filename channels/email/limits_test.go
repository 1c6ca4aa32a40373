package email

import (
	"testing"

	"huiliu/desk"
)

func TestLimitsMatchDesk(t *testing.T) {
	for _, c := range []struct {
		name      string
		ours, its int
	}{
		{"external id", maxExternalIDBytes, desk.MaxExternalIDBytes},
		{"party value", maxPartyValueBytes, desk.MaxPartyValueBytes},
		{"name", maxNameBytes, desk.MaxNameBytes},
		{"text", maxTextBytes, desk.MaxTextBytes},
		{"attachments", maxAttachments, desk.MaxAttachments},
		{"attachment bytes", maxAttachmentBytes, desk.MaxAttachmentBytes},
		{"subject", maxSubjectBytes, desk.MaxEmailSubjectBytes},
		{"id", maxIDBytes, desk.MaxEmailIDBytes},
		{"references", maxReferences, desk.MaxEmailReferences},
		{"recipients", maxRecipients, desk.MaxEmailRecipients},
	} {
		if c.ours != c.its {
			t.Errorf("%s: email channel trims to %d, desk allows %d", c.name, c.ours, c.its)
		}
	}
	if identityEmail != desk.IdentityEmail {
		t.Errorf("identity kind %q, desk %q", identityEmail, desk.IdentityEmail)
	}
}
