package desk

import (
	"testing"
	"time"
)

// TestSLADurationIsWrittenAsPeopleTypeIt: the SLA form is filled with what
// an admin would type, never Go's "2h0m0s", and it reads back the same.
func TestSLADurationIsWrittenAsPeopleTypeIt(t *testing.T) {
	for d, want := range map[time.Duration]string{
		2 * time.Hour: "2h", 90 * time.Minute: "1h30m", 45 * time.Minute: "45m", 0: "0s",
		30 * time.Second: "30s", 10*time.Minute + 5*time.Second: "10m5s", 40 * time.Hour: "40h",
	} {
		b, _ := SLADuration(d).MarshalText()
		if string(b) != want {
			t.Errorf("%v: %q, want %q", d, b, want)
		}
		var back SLADuration
		if err := back.UnmarshalText(b); err != nil || time.Duration(back) != d {
			t.Errorf("%q reads back as %v (%v)", b, time.Duration(back), err)
		}
	}
}
