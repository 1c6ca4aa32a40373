package phone

import (
	"errors"
	"testing"
)

func TestNormalize(t *testing.T) {
	cases := []struct{ in, want string }{
		{"13800138000", "+8613800138000"},
		{"+86 138 0013 8000", "+8613800138000"},
		{"+86-138-0013-8000", "+8613800138000"},
		{"8613800138000", "+8613800138000"},
		{"008613800138000", "+8613800138000"},
		{"010-62345678", "+861062345678"},
		{"(010) 6234 5678", "+861062345678"},
		{"02161234567", "+862161234567"},
		{"0755-86001234", "+8675586001234"},
		{"+852 2123 4567", "+85221234567"},
		{"+1 415 555 0100", "+14155550100"},
	}
	for _, c := range cases {
		got, err := Normalize(c.in, "CN")
		if err != nil || got != c.want {
			t.Errorf("Normalize(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"", "anonymous", "801", "12", "+86 1", "not a number at all"} {
		if got, err := Normalize(bad, "CN"); !errors.Is(err, ErrNoNumber) {
			t.Errorf("Normalize(%q) = %q, %v; want ErrNoNumber", bad, got, err)
		}
	}
	// Two spellings of one landline meet on one identity value.
	a, _ := Normalize("021-6123 4567", "")
	b, _ := Normalize("+86 21 61234567", "")
	if a != b || a == "" {
		t.Errorf("spellings of one landline differ: %q vs %q", a, b)
	}
}
