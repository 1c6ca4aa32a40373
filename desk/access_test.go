package desk

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

func TestCanSee(t *testing.T) {
	agent := Agent{ID: "a1", Role: RoleAgent, TeamIDs: []string{"A"}}
	sup := Agent{ID: "s1", Role: RoleSupervisor}
	cases := []struct {
		t    Ticket
		want bool
	}{
		{Ticket{TeamID: "A"}, true},
		{Ticket{TeamID: ""}, true},
		{Ticket{TeamID: "B"}, false},
		{Ticket{TeamID: "B", OwnerID: "a1"}, true},
		{Ticket{TeamID: "B", AssigneeID: "a1"}, true},
	}
	for _, c := range cases {
		if got := CanSee(agent, c.t); got != c.want {
			t.Errorf("agent sees %+v = %v, want %v", c.t, got, c.want)
		}
		if !CanSee(sup, c.t) {
			t.Errorf("supervisor cannot see %+v", c.t)
		}
	}
	if VisibilityOf(sup) != nil || VisibilityOf(agent) == nil {
		t.Fatal("visibility restriction applies to the wrong role")
	}
}

func TestErrorsMatchSentinels(t *testing.T) {
	err := fmt.Errorf("store: ticket x: %w", ErrNotFound)
	if !errors.Is(err, ErrNotFound) || errors.Is(err, ErrConflict) {
		t.Fatal("wrapped not-found does not match its sentinel only")
	}
	if !errors.Is(Errorf(CodeConflict, "email taken"), ErrConflict) {
		t.Fatal("a conflict Error does not match ErrConflict")
	}
	if errors.Is(Errorf(CodeInvalid, "x"), ErrNotFound) || CodeOf(errors.New("plain")) != CodeInternal {
		t.Fatal("codes are confused")
	}
}

func TestPreviewAndSubject(t *testing.T) {
	if got := preview("第一行\n\n  第二行\t结束"); got != "第一行 第二行 结束" {
		t.Fatalf("preview = %q", got)
	}
	long := ""
	for range 200 {
		long += "字"
	}
	if got := []rune(preview(long)); len(got) != PreviewLen || got[len(got)-1] != '…' {
		t.Fatalf("long preview has %d runes", len(got))
	}
	if got := subject("  标题\n正文"); got != "标题" {
		t.Fatalf("subject = %q", got)
	}
}

func TestBackoffGrowsToACap(t *testing.T) {
	prev := time.Duration(0)
	for a := 1; a <= 20; a++ {
		d := backoff(a)
		if d < prev || d > maxBackoff {
			t.Fatalf("backoff(%d) = %s after %s", a, d, prev)
		}
		prev = d
	}
	if backoff(1) != 2*time.Second || backoff(20) != maxBackoff {
		t.Fatalf("backoff range %s .. %s", backoff(1), backoff(20))
	}
}
