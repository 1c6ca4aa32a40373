package webchat

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

type fakeFiles map[string]fakeFile // by file id

type fakeFile struct {
	ticket string
	file   File
	data   []byte
}

func (f fakeFiles) File(_ context.Context, ticketID, fileID string) (File, []byte, error) {
	ff, ok := f[fileID]
	if !ok || ff.ticket != ticketID {
		return File{}, nil, fmt.Errorf("file %s: %w", fileID, ErrNoFile)
	}
	return ff.file, ff.data, nil
}

// An agent's files reach the widget as links signed for the ticket; the
// link serves the bytes (pictures inline, the rest as downloads), and a
// tampered, expired or foreign link serves nothing.
func TestAgentFilesReachTheWidgetBySignedLinks(t *testing.T) {
	files := fakeFiles{}
	e := newEnv(t, func(o *Options) { o.Files = files })
	c := e.dial(t)
	defer c.close()
	c.hello(t, helloArgs{})
	c.message(t, "c1", "请把合同发我")
	_, ack := c.until(t, frameAck)
	tk := ack.TicketID
	c.sync(t)

	files["f1"] = fakeFile{ticket: tk, file: File{ID: "f1", Name: "合同.pdf", MIME: "application/pdf", Size: 4}, data: []byte("%PDF")}
	files["f2"] = fakeFile{ticket: tk, file: File{ID: "f2", Name: "photo.png", MIME: "image/png", Size: 12}, data: []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\r")}
	files["f3"] = fakeFile{ticket: tk, file: File{ID: "f3", Name: "fake.png", MIME: "image/png", Size: 25}, data: []byte("<script>alert(1)</script>")}
	files["other"] = fakeFile{ticket: "another-ticket", file: File{ID: "other", Name: "x"}, data: []byte("secret")}
	e.desk.mu.Lock()
	m := e.desk.appendLocked(e.desk.tickets[tk], Message{From: "agent", Text: "见附件", AgentName: "张三",
		Files: []File{files["f1"].file, files["f2"].file, files["f3"].file}}, false)
	e.desk.mu.Unlock()
	e.feed.notify(Notice{TicketID: tk})
	msgs := c.sync(t)
	if len(msgs) != 1 || msgs[0].ID != m.ID || len(msgs[0].Files) != 3 {
		t.Fatalf("messages %+v", msgs)
	}
	get := func(path string) (*http.Response, string) {
		resp, err := http.Get(e.ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	pdf, png := msgs[0].Files[0].URL, msgs[0].Files[1].URL
	if !strings.HasPrefix(pdf, "/webchat/file?") {
		t.Fatalf("link %q", pdf)
	}
	resp, body := get(pdf)
	if resp.StatusCode != http.StatusOK || body != "%PDF" || resp.Header.Get("Content-Type") != "application/octet-stream" ||
		!strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("pdf: %d %q %v", resp.StatusCode, body, resp.Header)
	}
	if resp, _ := get(png); resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/png" ||
		!strings.HasPrefix(resp.Header.Get("Content-Disposition"), "inline") {
		t.Fatalf("png: %d %v", resp.StatusCode, resp.Header)
	}
	// HTML declared as a picture is judged by its bytes: a download.
	if resp, _ := get(msgs[0].Files[2].URL); resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/octet-stream" ||
		!strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("html declared image/png: %d %v", resp.StatusCode, resp.Header)
	}
	// A link signed for f1 does not open another file, nor f1 of another ticket.
	if resp, _ := get(strings.Replace(pdf, "f=f1", "f=other", 1)); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("swapped file id = %d", resp.StatusCode)
	}
	if resp, _ := get(strings.Replace(pdf, "sig=", "sig=00", 1)); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("tampered signature = %d", resp.StatusCode)
	}
	forged := fileLink(e.srv.sharedSite(e.sites[testSiteKey]), tk, "other", e.clock.Now().Add(time.Hour))
	if resp, _ := get(forged); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("a signed link to another ticket's file = %d", resp.StatusCode)
	}
	e.clock.Advance(FileLinkTTL + time.Minute)
	if resp, body := get(pdf); resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "expired") {
		t.Fatalf("expired link = %d %s", resp.StatusCode, body)
	}
}
