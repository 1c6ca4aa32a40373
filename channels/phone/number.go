package phone

import (
	"errors"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// DefaultRegion is the region numbers without a country code are read in.
const DefaultRegion = "CN"

// maxNumberBytes bounds what is parsed: a dialled string with an extension
// is far shorter.
const maxNumberBytes = 64

// ErrNoNumber: the caller withheld the number or it is not a telephone
// number at all.
var ErrNoNumber = errors.New("phone: no usable number")

// Normalize turns a number as a call platform or a CDR writes it
// ("13800138000", "+86 138 0013 8000", "010-62345678", "8610 6234 5678",
// "0086…") into E.164 ("+8613800138000", "+861062345678"), reading numbers
// without a country code in region. A number the library judges impossible
// (too short or long for its region) is ErrNoNumber, so a mistyped or
// internal number never matches a customer.
func Normalize(raw, region string) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" || len(s) > maxNumberBytes {
		return "", ErrNoNumber
	}
	if region == "" {
		region = DefaultRegion
	}
	// Platforms often prefix the international access code instead of +.
	if rest, ok := strings.CutPrefix(s, "00"); ok && len(rest) > 8 {
		s = "+" + rest
	}
	// Mainland numbers written with the country code but no plus
	// (8613800138000) are read as national numbers otherwise.
	digits := onlyDigits(s)
	if region == "CN" && !strings.HasPrefix(s, "+") && strings.HasPrefix(digits, "86") && len(digits) >= 12 {
		s = "+" + digits
	}
	n, err := phonenumbers.Parse(s, region)
	if err != nil || !phonenumbers.IsPossibleNumber(n) {
		return "", ErrNoNumber
	}
	return phonenumbers.Format(n, phonenumbers.E164), nil
}

func onlyDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}
