package desk

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// maxAmountFen bounds amounts at 10^15 fen (ten trillion yuan), far below
// int64's range, so sums and formatting never overflow.
const maxAmountFen = 1_000_000_000_000_000

// ParseAmount reads a decimal number of yuan ("1234.5", "1,234.50",
// "-12") into fen. Thousands separators must group by three; at most two
// decimals.
func ParseAmount(s string) (Amount, error) {
	s = strings.TrimSpace(s)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, hasDot := strings.Cut(s, ".")
	if strings.Contains(whole, ",") {
		groups := strings.Split(whole, ",")
		for i, g := range groups {
			if (i == 0 && (len(g) < 1 || len(g) > 3)) || (i > 0 && len(g) != 3) {
				return 0, fmt.Errorf("amount %q: thousands separators must group three digits", s)
			}
		}
		whole = strings.Join(groups, "")
	}
	if whole == "" || !allDigits(whole) || (hasDot && (frac == "" || len(frac) > 2 || !allDigits(frac))) {
		return 0, fmt.Errorf("amount %q: want a decimal number of yuan with at most two decimals", s)
	}
	if len(whole) > 13 {
		return 0, fmt.Errorf("amount %q is too large", s)
	}
	for len(frac) < 2 {
		frac += "0"
	}
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil || n > maxAmountFen {
		return 0, fmt.Errorf("amount %q is too large", s)
	}
	if neg {
		n = -n
	}
	return Amount(n), nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// String is the amount in yuan with two decimals: "1234.50".
func (a Amount) String() string {
	n := int64(a)
	sign := ""
	if n < 0 {
		sign, n = "-", -n
	}
	return fmt.Sprintf("%s%d.%02d", sign, n/100, n%100)
}

// Display is the amount as agents read it: "¥1,234.50".
func (a Amount) Display() string {
	s := a.String()
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return sign + "¥" + b.String() + "." + frac
}

// MarshalText writes the amount as a decimal string of yuan, so JSON has
// "1234.50".
func (a Amount) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// UnmarshalJSON takes a string or a number of yuan, read as a decimal.
func (a *Amount) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		*a = 0
		return nil
	}
	s := string(b)
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		if strings.TrimSpace(s) == "" {
			*a = 0
			return nil
		}
	}
	v, err := ParseAmount(s)
	if err != nil {
		return err
	}
	*a = v
	return nil
}
