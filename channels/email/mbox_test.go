package email

import (
	"strings"
	"testing"
)

func TestReadMbox(t *testing.T) {
	box := "From a@example.cn Thu Dec  3 10:00:00 2026\nSubject: one\n\nfirst\n>From the start\n\nFrom b@example.cn Thu Dec  3 10:01:00 2026\nSubject: two\n\nsecond\n"
	var got []string
	if err := ReadMbox(strings.NewReader(box), func(raw []byte) error { got = append(got, string(raw)); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !strings.Contains(got[0], "\nFrom the start") || !strings.Contains(got[1], "second") {
		t.Fatalf("mails %q", got)
	}
	if err := ReadMbox(strings.NewReader("Subject: not mbox\n\nx\n"), func([]byte) error { return nil }); err == nil {
		t.Fatal("a plain mail was read as an mbox")
	}
}
