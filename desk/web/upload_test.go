package web_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"huiliu/desk"
)

// uploadBody is a multipart reply with text and one file of size bytes.
func uploadBody(size int) (contentType string, body []byte) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	_ = mw.WriteField("text", "见附件")
	part, _ := mw.CreateFormFile("file", "合同.pdf")
	_, _ = part.Write(bytes.Repeat([]byte("x"), size))
	_ = mw.Close()
	return mw.FormDataContentType(), b.Bytes()
}

func postUpload(t testing.TB, url, secret, contentType string, body io.Reader) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("POST", url, body)
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Authorization", "Bearer "+secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Error(err)
		return &http.Response{}
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// slowUpload is an upload whose body is still arriving.
type slowUpload struct {
	pw   *io.PipeWriter
	mw   *multipart.Writer
	done chan *http.Response
}

// startUpload begins an upload and returns once the server's handler is
// reading its file: a pipe write returns only when the other side has read
// it, and 16 MiB is more than the client's and the kernel's buffers hold,
// so the handler has taken some of it.
func startUpload(t *testing.T, url, secret string) *slowUpload {
	t.Helper()
	pr, pw := io.Pipe()
	t.Cleanup(func() { pw.CloseWithError(io.ErrUnexpectedEOF) }) // before the server closes
	u := &slowUpload{pw: pw, mw: multipart.NewWriter(pw), done: make(chan *http.Response, 1)}
	go func() { u.done <- postUpload(t, url, secret, u.mw.FormDataContentType(), pr) }()
	part, err := u.mw.CreateFormFile("file", "slow.pdf")
	if err == nil {
		_, err = part.Write(bytes.Repeat([]byte("x"), 16<<20))
	}
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func (u *slowUpload) finish() *http.Response {
	u.mw.Close()
	u.pw.Close()
	return <-u.done
}

// One token may have two uploads in progress; a third answers 429 with a
// retry time, and once one finishes the next goes through.
func TestUploadsPerCallerAreCapped(t *testing.T) {
	h := newHarness(t)
	tk := h.inbound("m1", "cust", "请把合同发给我")
	url := h.srv.URL + "/api/v1/tickets/" + tk.ID + "/messages"
	first, second := startUpload(t, url, h.agent), startUpload(t, url, h.agent)
	ct, body := uploadBody(10)
	resp := postUpload(t, url, h.agent, ct, bytes.NewReader(body))
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("third upload: %d Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	// Another token is not held up by this one's uploads.
	if resp := postUpload(t, url, h.admin, ct, bytes.NewReader(body)); resp.StatusCode != http.StatusCreated {
		t.Fatalf("another caller's upload: %d", resp.StatusCode)
	}
	if resp := first.finish(); resp.StatusCode != http.StatusCreated {
		t.Fatalf("first upload: %d", resp.StatusCode)
	}
	if resp := postUpload(t, url, h.agent, ct, bytes.NewReader(body)); resp.StatusCode != http.StatusCreated {
		t.Fatalf("upload after one finished: %d", resp.StatusCode)
	}
	if resp := second.finish(); resp.StatusCode != http.StatusCreated {
		t.Fatalf("second upload: %d", resp.StatusCode)
	}
}

// Eight concurrent 20 MiB uploads, each by its own token: the heap grows
// by a bounded amount (files are spooled to disk and only a few are in
// memory at once), not by eight times the files. The figure is printed.
func TestUploadMemoryIsBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("moves 160 MiB through the store")
	}
	const uploads, size = 8, desk.MaxAttachmentBytes
	h := newHarness(t)
	tk := h.inbound("m1", "cust", "请把合同发给我")
	url := h.srv.URL + "/api/v1/tickets/" + tk.ID + "/messages"
	secrets := make([]string, uploads)
	for i := range secrets {
		var err error
		if _, secrets[i], err = h.svc.CreateToken(context.Background(), desk.Actor{}, "li@example.com", "upload"); err != nil {
			t.Fatal(err)
		}
	}
	ct, body := uploadBody(size)
	// A low GC target makes the heap follow what is live, so the peak
	// measures what uploads hold rather than garbage not yet collected.
	defer debug.SetGCPercent(debug.SetGCPercent(10))
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	var peak atomic.Uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > peak.Load() {
				peak.Store(m.HeapAlloc)
			}
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	var wg sync.WaitGroup
	for _, secret := range secrets {
		wg.Go(func() {
			if resp := postUpload(t, url, secret, ct, bytes.NewReader(body)); resp.StatusCode != http.StatusCreated {
				t.Errorf("upload: %d", resp.StatusCode)
			}
		})
	}
	wg.Wait()
	close(stop)
	<-sampled
	growth := int64(peak.Load()) - int64(base)
	t.Logf("%d concurrent uploads of %d MiB: peak heap growth %d MiB",
		uploads, size>>20, growth>>20)
	if limit := int64(uploads * size); growth > limit {
		t.Fatalf("peak heap growth %d MiB, want under %d MiB", growth>>20, limit>>20)
	}
}
