package web

import (
	"testing"
	"time"
)

func TestComplaintCountdown(t *testing.T) {
	for d, want := range map[time.Duration]string{
		50 * time.Minute:                    "50 min left",
		3*time.Hour + 20*time.Minute:        "3 h 20 min left",
		-(2*24*time.Hour + 5*time.Hour + 1): "overdue by 2 d 5 h",
	} {
		if got := complaintCountdown("en", d); got != want {
			t.Errorf("%v: %q, want %q", d, got, want)
		}
	}
}
