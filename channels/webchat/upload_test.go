package webchat

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeConversations answers a fixed state and records callbacks; "123"
// is not a number.
type fakeConversations struct {
	mu        sync.Mutex
	state     State
	callbacks []string
}

func (f *fakeConversations) State(_ context.Context, ticketID string) (State, error) {
	return f.state, nil
}

func (f *fakeConversations) Callback(_ context.Context, ticketID, name, phone string) error {
	if phone == "123" {
		return fmt.Errorf("number: %w", ErrBadCallback)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.callbacks = append(f.callbacks, ticketID+" "+name+" "+phone)
	return nil
}

var pngBytes = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01")

// upload posts one file as the widget does.
func (e *env) upload(t *testing.T, origin, visitor, cmid, name string, data []byte) (int, map[string]any) {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	_ = w.WriteField("visitor", visitor)
	_ = w.WriteField("client_msg_id", cmid)
	fw, _ := w.CreateFormFile("file", name)
	_, _ = fw.Write(data)
	_ = w.Close()
	req, _ := http.NewRequest(http.MethodPost, e.ts.URL+"/webchat/upload?site="+testSiteKey, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Origin", origin)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("%d %s", resp.StatusCode, raw)
	}
	if resp.StatusCode == http.StatusOK && resp.Header.Get("Access-Control-Allow-Origin") != origin {
		t.Errorf("no CORS grant for %s: %v", origin, resp.Header)
	}
	return resp.StatusCode, out
}

func errCode(body map[string]any) string {
	e, _ := body["error"].(map[string]any)
	s, _ := e["code"].(string)
	return s
}

// A customer's file is stored by the type its bytes show, whatever was
// declared; other bytes, big files, foreign pages and forged visitors
// store nothing. The upload that opens the ticket brings the state.
func TestUploadStoresFilesByTheirBytes(t *testing.T) {
	next := time.Date(2026, 3, 9, 1, 0, 0, 0, time.UTC)
	cv := &fakeConversations{state: State{Status: "open", Queue: 3, NextOpen: next}}
	e := newEnv(t, func(o *Options) { o.Conversations = cv; o.MaxUploadBytes = 4096 })
	c := e.dial(t)
	defer c.close()
	w, _ := c.hello(t, helloArgs{})

	code, body := e.upload(t, testOrigin, w.Visitor, "u1", "receipt.exe", pngBytes)
	st, _ := body["state"].(map[string]any)
	if code != 200 || body["ticket_id"] == "" || body["duplicate"] != false || st["queue"] != 3.0 || st["open"] != false ||
		st["next_open"] != "2026-03-09T01:00:00Z" {
		t.Fatalf("png upload: %d %v", code, body)
	}
	stored := e.desk.stored()
	if len(stored) != 1 || len(stored[0].Attachments) != 1 || stored[0].Attachments[0].MIME != "image/png" ||
		stored[0].Attachments[0].Name != "receipt.exe" || stored[0].ExternalID != w.VisitorID+":u1" {
		t.Fatalf("stored %+v", stored)
	}
	// The same file again is a duplicate; a PDF on the open ticket brings
	// no state (it opened nothing).
	if code, body = e.upload(t, testOrigin, w.Visitor, "u1", "receipt.png", pngBytes); code != 200 || body["duplicate"] != true {
		t.Fatalf("re-sent upload: %d %v", code, body)
	}
	if code, body = e.upload(t, testOrigin, w.Visitor, "u2", "合同.pdf", []byte("%PDF-1.7\n%…")); code != 200 || body["state"] != nil {
		t.Fatalf("pdf: %d %v", code, body)
	}
	if got := e.desk.stored(); len(got) != 2 || got[1].Attachments[0].MIME != "application/pdf" {
		t.Fatalf("stored %+v", got)
	}

	for _, bad := range []struct {
		name, origin, visitor, file string
		data                        []byte
		status                      int
		code                        string
	}{
		{"html declared a picture", testOrigin, w.Visitor, "x.png", []byte("<html><script>alert(1)</script>"), 415, CodeBadType},
		{"svg", testOrigin, w.Visitor, "x.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`), 415, CodeBadType},
		{"over the limit", testOrigin, w.Visitor, "big.png", append(pngBytes, make([]byte, 4096)...), 413, CodeTooLarge},
		{"forged visitor", testOrigin, "v1.AAAAAAAAAAAAAAAAAAAAAA.forged", "x.png", pngBytes, 403, CodeBadVisitor},
		{"foreign page", "https://evil.example", w.Visitor, "x.png", pngBytes, 403, CodeOriginRefused},
		{"empty file", testOrigin, w.Visitor, "x.png", nil, 400, CodeInvalid},
	} {
		if code, body := e.upload(t, bad.origin, bad.visitor, "u9", bad.file, bad.data); code != bad.status || errCode(body) != bad.code {
			t.Errorf("%s: %d %v, want %d %s", bad.name, code, body, bad.status, bad.code)
		}
	}
	if got := e.desk.stored(); len(got) != 2 {
		t.Fatalf("a refused upload was stored: %+v", got[2:])
	}

	// Browsers ask before an upload whose progress a page follows.
	for origin, want := range map[string]int{testOrigin: http.StatusNoContent, "https://evil.example": http.StatusForbidden} {
		req, _ := http.NewRequest(http.MethodOptions, e.ts.URL+"/webchat/upload?site="+testSiteKey, nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want || (want == http.StatusNoContent && (resp.Header.Get("Access-Control-Allow-Origin") != origin ||
			resp.Header.Get("Access-Control-Allow-Methods") != "POST")) {
			t.Errorf("preflight from %s: %d %v", origin, resp.StatusCode, resp.Header)
		}
	}
}

// The message that opens a ticket is followed by the state (queue place,
// hours); later ones are not. A callback goes to the desk, and a number
// it cannot use is answered invalid. "new" starts over.
func TestStateAfterTheFirstMessageAndCallbacks(t *testing.T) {
	cv := &fakeConversations{state: State{Status: "open", Queue: 2, NextOpen: time.Date(2026, 3, 9, 1, 0, 0, 0, time.UTC)}}
	e := newEnv(t, func(o *Options) { o.Conversations = cv })
	c := e.dial(t)
	defer c.close()
	c.hello(t, helloArgs{})
	c.message(t, "c1", "在吗")
	_, ack := c.until(t, frameAck)
	seen, st := c.until(t, frameState)
	if st.TicketID != ack.TicketID || st.Queue != 2 || st.Open || st.Status != "open" {
		t.Fatalf("state %+v after %+v", st, seen)
	}
	c.message(t, "c2", "还在吗")
	c.until(t, frameAck)
	c.send(t, map[string]any{"type": "callback", "name": "李雷", "phone": "123"})
	seen, cb := c.until(t, frameCallback)
	for _, f := range seen {
		if f.Type == frameState {
			t.Fatalf("a second message brought a state frame: %+v", f)
		}
	}
	if cb.Done || cb.Error != CodeInvalid {
		t.Fatalf("bad number: %+v", cb)
	}
	c.send(t, map[string]any{"type": "callback", "name": "李雷", "phone": "13800138000"})
	if _, cb = c.until(t, frameCallback); !cb.Done {
		t.Fatalf("callback: %+v", cb)
	}
	if len(cv.callbacks) != 1 || cv.callbacks[0] != ack.TicketID+" 李雷 13800138000" {
		t.Fatalf("callbacks %v", cv.callbacks)
	}
	c.send(t, map[string]any{"type": "callback", "name": strings.Repeat("x", 300), "phone": "13800138000"})
	if _, f := c.until(t, frameError); f.Code != CodeInvalid {
		t.Fatalf("oversized callback: %+v", f)
	}
	c.send(t, map[string]any{"type": "message", "client_msg_id": "c3", "text": "新问题", "new": true})
	c.until(t, frameAck)
	if got := e.desk.stored(); !got[2].NewConversation || got[1].NewConversation {
		t.Fatalf("new conversation flags: %+v", got)
	}
}
