package phone

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"huiliu/channels/api"
)

// TestDialSignsTheRequest: the fake platform checks the signature with
// the line's click-to-call secret; the line asked for is used when it has
// click-to-call, a refusal is an error, no line is ErrNoClickToCall.
func TestDialSignsTheRequest(t *testing.T) {
	var got []DialRequest
	status := http.StatusOK
	platform := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := api.Verify("c2c-secret-0123456789", r.Header.Get(api.HeaderTimestamp), r.Header.Get(api.HeaderSignature), body, time.Now(), time.Minute); err != nil {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		var d DialRequest
		if err := json.Unmarshal(body, &d); err != nil {
			http.Error(w, "bad body", http.StatusBadRequest)
			return
		}
		got = append(got, d)
		w.WriteHeader(status)
	}))
	defer platform.Close()
	lines := []Line{
		{Name: "hotline", Secret: "hotline-secret-0123456789"},
		{Name: "collect", Secret: "collect-secret-0123456789", ClickToCallURL: platform.URL + "/dial", ClickToCallSecret: "c2c-secret-0123456789"},
		{Name: "wrong", Secret: "wrong-secret-0123456789", ClickToCallURL: platform.URL + "/dial"},
	}
	d := NewDialer(lines, platform.Client())
	ctx := context.Background()
	line, err := d.Dial(ctx, "hotline", "801", "+8613800138000", "r-1")
	if err != nil || line != "collect" || len(got) != 1 ||
		got[0] != (DialRequest{Line: "collect", Extension: "801", Number: "+8613800138000", RequestID: "r-1"}) {
		t.Fatalf("dial: %q %v %+v", line, err, got)
	}
	// Signed with that line's webhook secret, which the platform refuses.
	if _, err := d.Dial(ctx, "wrong", "801", "+8613800138000", "r-2"); err == nil || !strings.Contains(err.Error(), "401") {
		t.Fatalf("wrongly signed dial: %v", err)
	}
	status = http.StatusServiceUnavailable
	if _, err := d.Dial(ctx, "collect", "801", "+8613800138000", "r-3"); err == nil || !strings.Contains(err.Error(), "503") {
		t.Fatalf("refused dial: %v", err)
	}
	if _, err := NewDialer(lines[:1], nil).Dial(ctx, "", "801", "+8613800138000", "r-4"); err != ErrNoClickToCall {
		t.Fatalf("no click-to-call: %v", err)
	}
}
