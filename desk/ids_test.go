package desk

import (
	"testing"
	"time"
)

func TestIDsSortByCreationAndAreUnique(t *testing.T) {
	seen := map[string]bool{}
	prev := ""
	for range 10000 {
		id := NewID()
		if len(id) != 26 {
			t.Fatalf("id %q has %d characters, want 26", id, len(id))
		}
		if id <= prev {
			t.Fatalf("id %q does not sort after %q", id, prev)
		}
		if seen[id] {
			t.Fatalf("duplicate id %q", id)
		}
		seen[id] = true
		prev = id
	}
}

func TestIDTimePrefixOrdersAcrossMilliseconds(t *testing.T) {
	var s idSource
	a := s.next(time.UnixMilli(1_700_000_000_000))
	b := s.next(time.UnixMilli(1_700_000_000_001))
	// An earlier clock reading (a step back) must not produce a smaller id.
	c := s.next(time.UnixMilli(1_699_999_999_000))
	if !(a < b && b < c) {
		t.Fatalf("ids out of order: %s %s %s", a, b, c)
	}
	if a[:10] == b[:10] {
		t.Fatalf("different milliseconds share a time prefix: %s %s", a, b)
	}
}
