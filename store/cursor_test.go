package store

import (
	"testing"

	"huiliu/desk"
)

func TestCursorRoundTrip(t *testing.T) {
	for _, c := range []cursor{{0, "A"}, {1772355600000, desk.NewID()}, {1<<63 - 1, "x_y-z"}} {
		got, err := decodeCursor(encodeCursor(c))
		if err != nil || got != c {
			t.Fatalf("%+v: got %+v, %v", c, got, err)
		}
	}
	for _, s := range []string{"", "!!", "MTIz", "LTEuQQ", "YS5B", "MS4", "MS4kJA"} {
		if _, err := decodeCursor(s); desk.CodeOf(err) != desk.CodeInvalid {
			t.Fatalf("%q: err %v", s, err)
		}
	}
}

// FuzzCursor: any string either decodes to a cursor that encodes back to a
// cursor equal to it, or is rejected as invalid; nothing panics.
func FuzzCursor(f *testing.F) {
	f.Add(encodeCursor(cursor{1772355600000, "01KJ2Q4W5Z6Y7X8V9T0S1R2Q3P"}))
	f.Add("")
	f.Add("MS4")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := decodeCursor(s)
		if err != nil {
			if desk.CodeOf(err) != desk.CodeInvalid {
				t.Fatalf("%q: error code %s", s, desk.CodeOf(err))
			}
			return
		}
		again, err := decodeCursor(encodeCursor(c))
		if err != nil || again != c {
			t.Fatalf("%q: %+v does not round-trip: %+v %v", s, c, again, err)
		}
	})
}
