package phone

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"huiliu/internal/netguard"
)

func TestRecordingsOnlyFromTheLinesHosts(t *testing.T) {
	audio := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/away" {
			http.Redirect(w, r, "http://elsewhere.example.net/x.mp3", http.StatusFound)
			return
		}
		w.Header().Set("Content-Type", "audio/mpeg")
		_, _ = w.Write([]byte("ID3-recording"))
	}))
	defer audio.Close()
	u, _ := url.Parse(audio.URL)
	l := testLine(t, "")
	l.RecordingHosts = []string{u.Hostname()}
	ctx := context.Background()

	// The same loopback host is refused by the private-address guard.
	guarded := NewRecordings([]Line{l}, false)
	if _, _, err := guarded.Fetch(ctx, "hotline", audio.URL+"/a.mp3"); !errors.As(err, new(*netguard.PrivateAddressError)) {
		t.Fatalf("loopback recording host: %v, want the private-address guard", err)
	}

	r := NewRecordings([]Line{l}, true)
	body, ct, err := r.Fetch(ctx, "hotline", audio.URL+"/a.mp3")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(body)
	body.Close()
	if string(b) != "ID3-recording" || ct != "audio/mpeg" {
		t.Fatalf("%q %q", b, ct)
	}
	for _, bad := range []string{"http://elsewhere.example.net/a.mp3", "file:///etc/passwd", audio.URL + "/away"} {
		if _, _, err := r.Fetch(ctx, "hotline", bad); !errors.Is(err, ErrRecordingRefused) {
			t.Errorf("%s: %v, want refused", bad, err)
		}
	}
	if _, _, err := r.Fetch(ctx, "other-line", audio.URL+"/a.mp3"); !errors.Is(err, ErrRecordingRefused) {
		t.Errorf("unknown line: %v", err)
	}
}
