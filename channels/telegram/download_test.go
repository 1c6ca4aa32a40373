package telegram

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"huiliu/channels/telegram/telegramtest"
)

func randomBytes(t *testing.T, n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}

func photoUpdate(id int, caption string, sizes ...tgbotapi.PhotoSize) tgbotapi.Update {
	u := telegramtest.Private(1001, "Li", "")
	u.UpdateID, u.Message.MessageID = id, id
	u.Message.Caption = caption
	u.Message.Photo = sizes
	return u
}

func documentUpdate(id int, fileID, name, mime string, size int) tgbotapi.Update {
	u := telegramtest.Private(1001, "Li", "")
	u.UpdateID, u.Message.MessageID = id, id
	u.Message.Document = &tgbotapi.Document{FileID: fileID, FileUniqueID: "u" + fileID, FileName: name, MimeType: mime, FileSize: size}
	return u
}

func rawUpdate(t *testing.T, u tgbotapi.Update) []byte {
	raw, err := json.Marshal(u)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// noteOf is the "[file not downloaded: …]" line of a stored text.
func noteOf(text string) string {
	if i := strings.Index(text, "[file not downloaded: "); i >= 0 {
		return text[i:]
	}
	return ""
}

func TestPhotoDownloadedWhilePolling(t *testing.T) {
	f := newFixture(t)
	big := randomBytes(t, 5000)
	f.fake.AddFile("p-small", "photos/s.jpg", randomBytes(t, 100))
	f.fake.AddFile("p-big", "photos/b.jpg", big)
	f.fake.AddFile("p-huge", "photos/h.jpg", randomBytes(t, 100))
	f.fake.Push(photoUpdate(0, "my receipt",
		tgbotapi.PhotoSize{FileID: "p-small", Width: 90, Height: 90, FileSize: 100},
		tgbotapi.PhotoSize{FileID: "p-big", Width: 1280, Height: 960, FileSize: 5000},
		// Larger than the limit: the best size that fits is taken instead.
		tgbotapi.PhotoSize{FileID: "p-huge", Width: 2560, Height: 1920, FileSize: 11 << 20},
	))
	f.run(t, f.channel(t, nil))
	waitFor(t, "the photo message", func() bool { return len(f.sink.messages()) == 1 })
	in := f.sink.messages()[0]
	if in.Text != "[photo] my receipt" {
		t.Errorf("text %q", in.Text)
	}
	if len(in.Attachments) != 1 {
		t.Fatalf("attachments %d", len(in.Attachments))
	}
	a := in.Attachments[0]
	if a.Name != "photo.jpg" || a.MIME != "image/jpeg" || !bytes.Equal(a.Data, big) {
		t.Errorf("attachment %q %q %d bytes, equal %t", a.Name, a.MIME, len(a.Data), bytes.Equal(a.Data, big))
	}
	if n := f.fake.Downloads(); n != 1 {
		t.Errorf("%d downloads, want 1", n)
	}
	waitFor(t, "the offset", func() bool { return f.offsets.get("main") == 100001 })
}

func TestDocumentDownloadedThroughWebhook(t *testing.T) {
	f, srv := webhookFixture(t)
	pdf := append([]byte("%PDF-1.7\n"), randomBytes(t, 3000)...)
	f.fake.AddFile("d1", "documents/file_7.pdf", pdf)
	body := rawUpdate(t, documentUpdate(7, "d1", "发票 2024.pdf", "application/pdf", len(pdf)))
	if code := post(t, srv.URL+WebhookPath("main"), "hook-secret_1", body); code != http.StatusOK {
		t.Fatalf("webhook answered %d", code)
	}
	msgs := f.sink.messages()
	if len(msgs) != 1 || len(msgs[0].Attachments) != 1 {
		t.Fatalf("stored %+v", msgs)
	}
	a := msgs[0].Attachments[0]
	if a.Name != "发票 2024.pdf" || a.MIME != "application/pdf" || !bytes.Equal(a.Data, pdf) {
		t.Errorf("attachment %q %q %d bytes", a.Name, a.MIME, len(a.Data))
	}
	if msgs[0].Text != "[document 发票 2024.pdf]" {
		t.Errorf("text %q", msgs[0].Text)
	}
}

// Every failure stores the message, without the file and with a note
// that names the reason but never the token.
func TestFailedDownloadsStoreTheMessageWithANote(t *testing.T) {
	tests := []struct {
		name            string
		setup           func(f *fixture, cfg *Config)
		tune            func(c *Channel)
		size            int // announced in the update
		note            string
		gets, downloads int // requests expected; -1: don't check
	}{
		{
			name: "announced too big",
			size: 11 << 20,
			note: "[file not downloaded: announced 11 MiB, over the 10 MiB limit]",
		},
		{
			name: "announced small, served big",
			setup: func(f *fixture, cfg *Config) {
				cfg.MaxFileBytes = 1 << 10
				f.fake.AddFile("d1", "documents/big.bin", make([]byte, 4096))
				f.fake.LieAboutFile("d1", 100)
			},
			size: 100,
			note: "[file not downloaded: served more than the 1 KiB limit]",
			gets: 1, downloads: 1,
		},
		{
			name: "no size anywhere, served big",
			setup: func(f *fixture, cfg *Config) {
				cfg.MaxFileBytes = 1 << 10
				f.fake.AddFile("d1", "documents/big.bin", make([]byte, 4096))
				f.fake.LieAboutFile("d1", 0)
			},
			note: "[file not downloaded: served more than the 1 KiB limit]",
			gets: 1, downloads: 1,
		},
		{
			name: "getFile says too big",
			setup: func(f *fixture, cfg *Config) {
				cfg.MaxFileBytes = 1 << 10
				f.fake.AddFile("d1", "documents/big.bin", make([]byte, 4096))
			},
			note: "[file not downloaded: announced 4 KiB, over the 1 KiB limit]",
			gets: 1,
		},
		{
			name: "file path 404",
			setup: func(f *fixture, cfg *Config) {
				f.fake.AddFile("d1", "documents/x.pdf", []byte("%PDF"))
				cfg.FileEndpoint = f.fake.URL() + "/gone/bot%s/%s"
			},
			note: "[file not downloaded: download: HTTP 404 Not Found]",
			gets: 1,
		},
		{
			name: "unknown file id",
			note: "[file not downloaded: getFile: 400 Bad Request: invalid file_id]",
			gets: 1,
		},
		{
			name: "Telegram keeps failing",
			setup: func(f *fixture, cfg *Config) {
				f.fake.AddFile("d1", "documents/x.pdf", []byte("%PDF"))
				f.fake.FailFile("d1", 10)
			},
			note: "[file not downloaded: download: HTTP 502 Bad Gateway]",
			gets: downloadAttempts, downloads: downloadAttempts,
		},
		{
			name: "Telegram too slow",
			setup: func(f *fixture, cfg *Config) {
				f.fake.AddFile("d1", "documents/x.pdf", []byte("%PDF"))
				f.fake.SetDelay(5 * time.Second)
			},
			tune: func(c *Channel) { c.downloadTimeout = 200 * time.Millisecond },
			note: "[file not downloaded: timed out after 200ms]",
			gets: 1,
		},
		{
			name:  "Telegram unreachable",
			setup: func(f *fixture, cfg *Config) { f.fake.Close() },
			note:  "[file not downloaded: getFile: ",
			gets:  -1, downloads: -1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			c := f.channel(t, func(cfg *Config, _ *Deps) {
				if tt.setup != nil {
					tt.setup(f, cfg)
				}
			})
			if tt.tune != nil {
				tt.tune(c)
			}
			start := time.Now()
			raw := rawUpdate(t, documentUpdate(9, "d1", "x.pdf", "application/pdf", tt.size))
			if _, err := c.handleUpdate(context.Background(), c.set.byName["main"], f.sink, raw); err != nil {
				t.Fatalf("handleUpdate: %v", err)
			}
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("handling took %v", d)
			}
			msgs := f.sink.messages()
			if len(msgs) != 1 || msgs[0].ExternalID != "main:9" {
				t.Fatalf("stored %+v", msgs)
			}
			in := msgs[0]
			if len(in.Attachments) != 0 {
				t.Errorf("attachment kept: %d bytes", len(in.Attachments[0].Data))
			}
			if !strings.HasPrefix(in.Text, "[document x.pdf]\n") || !strings.HasPrefix(noteOf(in.Text), tt.note) {
				t.Errorf("text %q, want a note starting %q", in.Text, tt.note)
			}
			if n := f.fake.Calls("getFile"); tt.gets >= 0 && n != tt.gets {
				t.Errorf("getFile calls %d, want %d", n, tt.gets)
			}
			if n := f.fake.Downloads(); tt.downloads >= 0 && n != tt.downloads {
				t.Errorf("downloads %d, want %d", n, tt.downloads)
			}
			for _, secret := range []string{testToken, "TEST-secret"} {
				if strings.Contains(in.Text, secret) || strings.Contains(f.logs.String(), secret) {
					t.Errorf("token in text %q or logs:\n%s", in.Text, f.logs.String())
				}
			}
			if !strings.Contains(f.logs.String(), "file not downloaded") {
				t.Errorf("failure not logged:\n%s", f.logs.String())
			}
		})
	}
}

func TestTransientDownloadErrorsAreRetried(t *testing.T) {
	f := newFixture(t)
	f.fake.AddFile("d1", "documents/x.pdf", []byte("%PDF-ok"))
	f.fake.FailFile("d1", downloadAttempts-1)
	c := f.channel(t, nil)
	if _, err := c.handleUpdate(context.Background(), c.set.byName["main"], f.sink, rawUpdate(t, documentUpdate(9, "d1", "x.pdf", "application/pdf", 7))); err != nil {
		t.Fatal(err)
	}
	msgs := f.sink.messages()
	if len(msgs) != 1 || len(msgs[0].Attachments) != 1 || string(msgs[0].Attachments[0].Data) != "%PDF-ok" || noteOf(msgs[0].Text) != "" {
		t.Fatalf("stored %+v", msgs)
	}
	if n := f.fake.Downloads(); n != downloadAttempts {
		t.Errorf("downloads %d, want %d", n, downloadAttempts)
	}
}

// A failed download must not stall the poller: the update is stored with
// its note, acknowledged, and the next one follows.
func TestPollingContinuesPastAFailedDownload(t *testing.T) {
	f := newFixture(t)
	f.fake.AddFile("d1", "documents/big.bin", make([]byte, 4096))
	f.fake.LieAboutFile("d1", 10)
	f.fake.Push(documentUpdate(0, "d1", "big.bin", "", 10))
	next := telegramtest.Private(1001, "Li", "did you get it?")
	f.fake.Push(next)
	f.run(t, f.channel(t, func(cfg *Config, _ *Deps) { cfg.MaxFileBytes = 1 << 10 }))
	waitFor(t, "both messages", func() bool { return len(f.sink.messages()) == 2 })
	msgs := f.sink.messages()
	if noteOf(msgs[0].Text) == "" || len(msgs[0].Attachments) != 0 || msgs[1].Text != "did you get it?" {
		t.Fatalf("stored %q / %q", msgs[0].Text, msgs[1].Text)
	}
	waitFor(t, "the offset", func() bool { return f.offsets.get("main") == 100002 })
}

// Shutdown in the middle of a download stores nothing: the update is not
// acknowledged and comes again, file and all.
func TestDownloadInterruptedByShutdownIsNotStored(t *testing.T) {
	f := newFixture(t)
	f.fake.AddFile("d1", "documents/x.pdf", []byte("%PDF"))
	f.fake.SetDelay(5 * time.Second)
	c := f.channel(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := c.handleUpdate(ctx, c.set.byName["main"], f.sink, rawUpdate(t, documentUpdate(9, "d1", "x.pdf", "application/pdf", 4)))
	if err == nil || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
	if n := len(f.sink.messages()); n != 0 {
		t.Fatalf("stored %d messages", n)
	}
}

func TestPickPhoto(t *testing.T) {
	sizes := []tgbotapi.PhotoSize{
		{FileID: "s", Width: 90, Height: 90, FileSize: 2000},
		{FileID: "m", Width: 320, Height: 240, FileSize: 30000},
		{FileID: "l", Width: 1280, Height: 960, FileSize: 300000},
	}
	for _, tt := range []struct {
		limit int64
		want  string
	}{{10 << 20, "l"}, {100000, "m"}, {1000, "s"}} {
		if got := pickPhoto(sizes, tt.limit).FileID; got != tt.want {
			t.Errorf("limit %d: %q, want %q", tt.limit, got, tt.want)
		}
	}
	// Without sizes the largest is taken on trust; the download checks.
	unsized := []tgbotapi.PhotoSize{{FileID: "a", Width: 90, Height: 90}, {FileID: "b", Width: 800, Height: 600}}
	if got := pickPhoto(unsized, 1<<10).FileID; got != "b" {
		t.Errorf("unsized: %q", got)
	}
	m := &tgbotapi.Message{Animation: &tgbotapi.Animation{FileID: "g"}, Document: &tgbotapi.Document{FileID: "g"}}
	if messageFile(m, 0) != nil {
		t.Error("an animation is downloaded")
	}
	for _, m := range []*tgbotapi.Message{
		{Voice: &tgbotapi.Voice{FileID: "v"}},
		{Sticker: &tgbotapi.Sticker{FileID: "st"}},
		{Video: &tgbotapi.Video{FileID: "vid"}},
	} {
		if messageFile(m, 0) != nil {
			t.Errorf("%+v is downloaded", m)
		}
	}
}
