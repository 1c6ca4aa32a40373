package telegram

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"huiliu/channels/telegram/telegramtest"
)

// TestReportCommand: "/report what happened" goes to the desk with the
// reporter, is answered in the chat with what happens next, and is not
// stored as a message of the conversation; "/report" alone explains it.
func TestReportCommand(t *testing.T) {
	f := newFixture(t)
	var got []ReportQuery
	c := f.channel(t, func(_ *Config, d *Deps) {
		d.ReportImpostor = func(ctx context.Context, q ReportQuery) (ReportAnswer, error) {
			got = append(got, q)
			switch {
			case strings.HasPrefix(q.What, "again"):
				return ReportAnswer{Wait: 10 * time.Minute}, nil
			case len(q.What) > 100:
				return ReportAnswer{Invalid: true}, nil
			}
			return ReportAnswer{}, nil
		}
	})
	b, _ := c.bot("main")
	for i, text := range []string{"/report 有人自称客服让我转账 17100000000", "/report", "/report again", "/report " + strings.Repeat("长", 60)} {
		u := telegramtest.Private(1001, "Li", text)
		u.UpdateID = 40 + i
		raw, _ := json.Marshal(u)
		if _, err := c.handleUpdate(context.Background(), b, f.sink, raw); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(f.sink.messages()); n != 0 {
		t.Errorf("stored %d /report messages in the conversation", n)
	}
	if len(got) != 3 || got[0].What != "有人自称客服让我转账 17100000000" || got[0].From.Value != "1001" || got[0].Caller != "telegram:main:1001" {
		t.Fatalf("reports = %+v", got)
	}
	sent := f.fake.SentTo(1001)
	if len(sent) != 4 {
		t.Fatalf("answers = %+v", sent)
	}
	for i, want := range []string{"supervisors handle it first", "send /report followed by", "Try again in 600 seconds", "at most 1000 characters"} {
		if !strings.Contains(sent[i].Text, want) {
			t.Errorf("answer %d = %q, want it to contain %q", i, sent[i].Text, want)
		}
	}
}
