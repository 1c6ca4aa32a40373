package phone

import (
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"huiliu/channels"
	"huiliu/channels/api"
)

var fixedNow = time.Date(2026, 12, 3, 2, 0, 0, 0, time.UTC)

func post(t *testing.T, h http.Handler, body, ts, sig, ctype string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, EventsPath("hotline"), strings.NewReader(body))
	r.Header.Set(api.HeaderTimestamp, ts)
	r.Header.Set(api.HeaderSignature, sig)
	r.Header.Set("Content-Type", ctype)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func signed(t *testing.T, h http.Handler, body string, at time.Time) *httptest.ResponseRecorder {
	ts := strconv.FormatInt(at.Unix(), 10)
	return post(t, h, body, ts, api.Sign(testSecret, ts, []byte(body)), "application/json")
}

func TestWebhookSignatureAndReplayWindow(t *testing.T) {
	sink := &recordingSink{}
	h := Handler(testLine(t, ""), sink, func() time.Time { return fixedNow }, slog.New(slog.DiscardHandler))
	body := `{"call_id":"c1","state":"ringing","caller":"13800138000","callee":"4008001234","agent":"801"}`
	if w := signed(t, h, body, fixedNow); w.Code != http.StatusOK {
		t.Fatalf("signed request: %d %s", w.Code, w.Body)
	}
	ts := strconv.FormatInt(fixedNow.Unix(), 10)
	cases := map[string]*httptest.ResponseRecorder{
		"wrong secret":    post(t, h, body, ts, api.Sign("another-secret-of-length", ts, []byte(body)), "application/json"),
		"body changed":    post(t, h, strings.Replace(body, "c1", "c2", 1), ts, api.Sign(testSecret, ts, []byte(body)), "application/json"),
		"no signature":    post(t, h, body, ts, "", "application/json"),
		"six minutes old": signed(t, h, body, fixedNow.Add(-6*time.Minute)),
		"from the future": signed(t, h, body, fixedNow.Add(6*time.Minute)),
		"re-dated replay": post(t, h, body, strconv.FormatInt(fixedNow.Unix()+1, 10), api.Sign(testSecret, ts, []byte(body)), "application/json"),
	}
	for name, w := range cases {
		if w.Code != http.StatusUnauthorized {
			t.Errorf("%s: status %d, want 401", name, w.Code)
		}
	}
	if w := signed(t, h, body, fixedNow.Add(-4*time.Minute)); w.Code != http.StatusOK {
		t.Errorf("four minutes old: %d, want 200", w.Code)
	}
	if len(sink.calls) != 2 {
		t.Fatalf("sink got %d calls, want 2 (refused requests store nothing)", len(sink.calls))
	}
	c := sink.calls[0]
	if c.CallID != "c1" || c.State != channels.CallRinging || c.Customer != "+8613800138000" || c.Agent != "801" || c.Direction != "in" || c.Line != "hotline" {
		t.Errorf("decoded %+v", c)
	}
}

func TestWebhookRefusals(t *testing.T) {
	sink := &recordingSink{}
	h := Handler(testLine(t, ""), sink, func() time.Time { return fixedNow }, slog.New(slog.DiscardHandler))
	big := `{"call_id":"c1","state":"ringing","caller":"1","pad":"` + strings.Repeat("x", MaxBodyBytes) + `"}`
	if w := signed(t, h, big, fixedNow); w.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("large body: %d", w.Code)
	}
	for _, body := range []string{`nope`, `{"call_id":"c1","state":"picked_up","caller":"1"}`, `{"state":"ringing"}`, `[]`, `{"call_id":"c1","state":"ended","caller":"1","at":"yesterday"}`} {
		w := signed(t, h, body, fixedNow)
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "error") {
			t.Errorf("%s: %d %s", body, w.Code, w.Body)
		}
	}
	sink.err = channels.Permanent(errors.New("refused"))
	if w := signed(t, h, `{"call_id":"c1","state":"ringing","caller":"1"}`, fixedNow); w.Code != http.StatusBadRequest {
		t.Errorf("permanent desk refusal: %d", w.Code)
	}
	sink.err = errors.New("database down")
	if w := signed(t, h, `{"call_id":"c1","state":"ringing","caller":"1"}`, fixedNow); w.Code != http.StatusInternalServerError {
		t.Errorf("desk failure: %d, want 500 so the platform retries", w.Code)
	}
	r := httptest.NewRequest(http.MethodGet, EventsPath("hotline"), nil)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusMethodNotAllowed {
		t.Errorf("GET: %d", w.Code)
	}
	if len(sink.calls) != 0 {
		t.Errorf("stored %d calls from bad requests", len(sink.calls))
	}
}

func TestWebhookFormBody(t *testing.T) {
	sink := &recordingSink{}
	h := Handler(testLine(t, "cloud-a"), sink, func() time.Time { return fixedNow }, slog.New(slog.DiscardHandler))
	body := "callId=A-77&callType=1&callerNumber=010-62345678&calledNumber=4008001234&status=4&eventTime=2026-12-03+10%3A00%3A00"
	ts := strconv.FormatInt(fixedNow.Unix(), 10)
	w := post(t, h, body, ts, api.Sign(testSecret, ts, []byte(body)), "application/x-www-form-urlencoded")
	if w.Code != http.StatusOK {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	c := sink.calls[0]
	if c.State != channels.CallMissed || c.Customer != "+861062345678" || !c.At.Equal(time.Date(2026, 12, 3, 2, 0, 0, 0, time.UTC)) {
		t.Errorf("decoded %+v", c)
	}
}
