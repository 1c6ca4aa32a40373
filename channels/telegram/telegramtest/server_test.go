package telegramtest

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func call(t *testing.T, s *Server, token, method string, form url.Values) (int, map[string]any) {
	t.Helper()
	resp, err := http.PostForm(s.URL()+"/bot"+token+"/"+method, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, body
}

func TestFakeSpeaksTheBotAPI(t *testing.T) {
	s := New(t, "1:tok")
	if code, body := call(t, s, "1:wrong", "getMe", nil); code != 401 || body["ok"] != false || body["description"] != "Unauthorized" {
		t.Errorf("wrong token: %d %v", code, body)
	}
	if code, body := call(t, s, "1:tok", "getMe", nil); code != 200 || body["result"].(map[string]any)["is_bot"] != true {
		t.Errorf("getMe: %d %v", code, body)
	}

	s.RateLimit(5, 3, 1)
	code, body := call(t, s, "1:tok", "sendMessage", url.Values{"chat_id": {"5"}, "text": {"hi"}})
	if code != 429 || body["error_code"] != float64(429) || body["description"] != "Too Many Requests: retry after 3" ||
		body["parameters"].(map[string]any)["retry_after"] != float64(3) {
		t.Errorf("429: %d %v", code, body)
	}
	if code, _ := call(t, s, "1:tok", "sendMessage", url.Values{"chat_id": {"5"}, "text": {"hi"}}); code != 200 {
		t.Errorf("after the fault: %d", code)
	}
	if code, body := call(t, s, "1:tok", "sendMessage", url.Values{"chat_id": {"5"}, "text": {strings.Repeat("😀", 2049)}}); code != 400 || body["description"] != "Bad Request: message is too long" {
		t.Errorf("too long: %d %v", code, body)
	}
	if code, _ := call(t, s, "1:tok", "sendPhoto", url.Values{"chat_id": {"5"}, "photo": {"file-1"}, "caption": {"receipt"}}); code != 200 {
		t.Errorf("sendPhoto: %d", code)
	}
	if sent := s.SentTo(5); len(sent) != 2 || sent[0].Text != "hi" || sent[1].Method != "sendPhoto" || sent[1].Photo != "file-1" {
		t.Errorf("sent = %+v", sent)
	}

	s.AddFile("f1", "documents/file_1.pdf", []byte("%PDF"))
	code, body = call(t, s, "1:tok", "getFile", url.Values{"file_id": {"f1"}})
	if code != 200 {
		t.Fatalf("getFile: %d", code)
	}
	path := body["result"].(map[string]any)["file_path"].(string)
	resp, err := http.Get(s.URL() + "/file/bot1:tok/" + path)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(data) != "%PDF" {
		t.Errorf("download = %q", data)
	}

	// Long poll: returns when an update arrives; an offset confirms it.
	go func() {
		time.Sleep(50 * time.Millisecond)
		s.PushRaw([]byte(`{"update_id":7,"message":{"message_id":1,"date":1,"chat":{"id":5,"type":"private"},"text":"x"}}`))
	}()
	code, body = call(t, s, "1:tok", "getUpdates", url.Values{"timeout": {"10"}})
	if code != 200 || len(body["result"].([]any)) != 1 {
		t.Fatalf("getUpdates: %d %v", code, body)
	}
	if code, body := call(t, s, "1:tok", "getUpdates", url.Values{"offset": {"8"}, "timeout": {"0"}}); code != 200 || len(body["result"].([]any)) != 0 || s.Pending() != 0 {
		t.Fatalf("confirm: %d %v pending %d", code, body, s.Pending())
	}

	call(t, s, "1:tok", "setWebhook", url.Values{"url": {"https://x/hook"}, "secret_token": {"s"}})
	if code, body := call(t, s, "1:tok", "getUpdates", nil); code != 409 || !strings.Contains(body["description"].(string), "webhook is active") {
		t.Errorf("getUpdates with a webhook: %d %v", code, body)
	}
}

// Start serves without a test and Close ends a pending long poll at once,
// which is what a benchmark command shutting down needs.
func TestStartWithoutATestAndCloseEndsLongPolls(t *testing.T) {
	s := Start("1:tok")
	done := make(chan error, 1)
	go func() {
		resp, err := http.PostForm(s.URL()+"/bot1:tok/getUpdates", url.Values{"timeout": {"30"}})
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	for s.Calls("getUpdates") == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	start := time.Now()
	s.Close()
	s.Close() // twice is fine
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("long poll still pending after Close")
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("Close took %v", d)
	}
}

func TestFakeTakesMultipartUploads(t *testing.T) {
	s := New(t, "1:tok")
	upload := func(method, field, name string, data []byte) (int, map[string]any) {
		t.Helper()
		var body strings.Builder
		mw := multipart.NewWriter(&body)
		_ = mw.WriteField("chat_id", "5")
		fw, _ := mw.CreateFormFile(field, name)
		_, _ = fw.Write(data)
		_ = mw.Close()
		resp, err := http.Post(s.URL()+"/bot1:tok/"+method, mw.FormDataContentType(), strings.NewReader(body.String()))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, out
	}
	if code, body := upload("sendDocument", "document", "说明书.pdf", []byte("%PDF-1.7")); code != 200 ||
		body["result"].(map[string]any)["document"].(map[string]any)["file_name"] != "说明书.pdf" {
		t.Errorf("sendDocument: %d %v", code, body)
	}
	if code, _ := upload("sendPhoto", "photo", "p.jpg", []byte{0xff, 0xd8, 0xff}); code != 200 {
		t.Errorf("sendPhoto: %d", code)
	}
	if code, body := upload("sendDocument", "document", "empty.txt", nil); code != 400 || body["description"] != "Bad Request: file must be non-empty" {
		t.Errorf("empty file: %d %v", code, body)
	}
	if code, _ := upload("sendPhoto", "photo", "big.jpg", make([]byte, MaxPhotoBytes+1)); code != 400 {
		t.Errorf("photo over 10 MB: %d", code)
	}
	sent := s.SentTo(5)
	if len(sent) != 2 || sent[0].Method != "sendDocument" || sent[0].FileName != "说明书.pdf" || sent[0].FileSize != 8 ||
		sent[0].FileSHA256 != fmt.Sprintf("%x", sha256.Sum256([]byte("%PDF-1.7"))) ||
		sent[1].Method != "sendPhoto" || sent[1].FileSize != 3 || sent[1].FileName != "p.jpg" {
		t.Errorf("sent %+v", sent)
	}
}
