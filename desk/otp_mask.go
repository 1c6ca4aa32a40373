package desk

import "strings"

// maskDestination shows enough of a phone number or address for the
// customer to recognise it as theirs (138****8001, z***@example.com) and
// not enough to use it.
func maskDestination(kind, v string) string {
	if kind == OTPEmail {
		local, domain, ok := strings.Cut(v, "@")
		if !ok || local == "" {
			return "***"
		}
		r := []rune(local)
		return string(r[0]) + "***@" + domain
	}
	r := []rune(v)
	if len(r) < 8 {
		return "****"
	}
	return string(r[:3]) + "****" + string(r[len(r)-4:])
}
