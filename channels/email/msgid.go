package email

import (
	"regexp"
	"strings"
)

// Our Message-IDs are hl.<desk message id>.<ticket token>@<mailbox
// domain>. The message id makes each one unique and the same on every
// retry of that message; the token is the ticket's random threading token
// (130 bits, kept in SQL), so a reply that carries one can be matched to
// its ticket, and nobody can make up one for a ticket they never got mail
// from.
const ourIDPrefix = "hl."

// OutgoingID is the Message-ID (without brackets) of a desk message sent
// from address.
func OutgoingID(messageID, token, address string) string {
	_, domain, ok := strings.Cut(address, "@")
	if !ok || domain == "" {
		domain = "huiliu.invalid"
	}
	return ourIDPrefix + messageID + "." + token + "@" + domain
}

var ourIDPattern = regexp.MustCompile(`^hl\.([0-9A-Za-z]{1,64})\.([a-z2-7]{26})@`)

// parseOurID splits one of our Message-IDs; ok is false for anyone else's.
func parseOurID(id string) (messageID, token string, ok bool) {
	m := ourIDPattern.FindStringSubmatch(id)
	if m == nil {
		return "", "", false
	}
	return m[1], m[2], true
}
