package web_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"
)

// FuzzInbound throws arbitrary bodies at POST /api/v1/inbound: whatever
// arrives, the answer is a 2xx or a 4xx with an error body, never a 5xx
// or a panic.
func FuzzInbound(f *testing.F) {
	for _, s := range []string{
		`{"external_id":"e1","thread_key":"t","from":{"kind":"api","value":"v","name":"n"},"text":"hi"}`,
		`{"external_id":"e2","from":{"kind":"email","value":"A@B.C"},"text":"你好"}`,
		`{"external_id":"","from":{},"text":""}`,
		`{"external_id":"e3","from":{"kind":"api","value":"v"},"text":"<script>alert(1)</script>"}`,
		`{"external_id":"e4","from":{"kind":"api","value":"v"},"text":"\u0000\ud800"}`,
		`[]`, `null`, `{`, "\xff\xfe", `{"external_id":1e400}`,
	} {
		f.Add([]byte(s))
	}
	h := newHarness(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequest("POST", "/api/v1/inbound", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+h.admin)
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.srv.Config.Handler.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("status %d for %q: %s", rec.Code, body, rec.Body.String())
		}
		if rec.Code >= 400 && !bytes.Contains(rec.Body.Bytes(), []byte(`"error":{"code":`)) {
			t.Fatalf("status %d without an error body: %s", rec.Code, rec.Body.String())
		}
		if rec.Code != http.StatusCreated && rec.Code != http.StatusOK && rec.Code < 400 {
			t.Fatalf("unexpected status %d", rec.Code)
		}
	})
}
