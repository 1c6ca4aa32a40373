package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"huiliu/channels"
	"huiliu/desk"
)

// Upload limits. A reply's files are streamed to temporary files while the
// body arrives, so a slow or large upload holds 32 KiB of memory, not the
// file. Only uploadSlots uploads per node hold their files in memory at
// once, for the moment they are stored (the store takes a file's bytes
// whole); the rest wait their turn. So the memory uploads take is bounded
// by uploadSlots × UploadLimit (and the store's copy) whatever the
// concurrency.
const (
	uploadSlots = 2
	// uploadsPerCaller bounds one session's or token's uploads in
	// progress; more answer 429 with uploadRetry.
	uploadsPerCaller = 2
	uploadRetry      = 5 * time.Second
	// maxUploadField bounds a form field (kind, text) read into memory.
	maxUploadField = 1 << 20
)

// uploadGate counts uploads per caller and hands out the node's slots.
type uploadGate struct {
	mu       sync.Mutex
	inFlight map[string]int
	slots    chan struct{}
}

// enter registers one upload of caller, or refuses it when the caller has
// uploadsPerCaller in progress. leave undoes it.
func (g *uploadGate) enter(caller string) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.inFlight == nil {
		g.inFlight = map[string]int{}
		g.slots = make(chan struct{}, uploadSlots)
	}
	if g.inFlight[caller] >= uploadsPerCaller {
		e := desk.Errorf(desk.CodeRateLimited, "you have %d uploads in progress; send this one when one of them has finished", uploadsPerCaller)
		e.RetryAfter = uploadRetry
		return e
	}
	g.inFlight[caller]++
	return nil
}

func (g *uploadGate) leave(caller string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.inFlight[caller]--; g.inFlight[caller] <= 0 {
		delete(g.inFlight, caller)
	}
}

// slot waits for one of the node's slots for files held in memory.
func (g *uploadGate) slot(ctx context.Context) (release func(), err error) {
	g.mu.Lock()
	slots := g.slots
	g.mu.Unlock()
	select {
	case slots <- struct{}{}:
		return func() { <-slots }, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("web: waiting to store an upload: %w", ctx.Err())
	}
}

// callerKey names the session or token an upload is counted against.
func callerKey(p principal) string {
	if p.Session != nil {
		return "session:" + p.Session.ID
	}
	if p.TokenID != "" {
		return "token:" + p.TokenID
	}
	return "agent:" + p.Agent.ID
}

// spooled is a file part on disk with the name and type it was sent with.
type spooled struct {
	f          *os.File
	name, mime string
}

func removeSpooled(files []spooled) {
	for _, sf := range files {
		sf.f.Close()
		os.Remove(sf.f.Name())
	}
}

// readUpload reads a multipart reply (fields kind and text, files in
// "file"), streaming the files to temporary files, then loads them for
// the store once a slot is free. done releases the slot and the caller's
// count; call it once the reply is stored.
func (s *Server) readUpload(c echo.Context) (req postMessageRequest, files []channels.Attachment, done func(), err error) {
	caller := callerKey(current(c))
	if err := s.uploads.enter(caller); err != nil {
		return req, nil, nil, err
	}
	temps, req, err := streamParts(c.Request())
	defer removeSpooled(temps) // the bytes are in memory or the upload failed
	if err != nil {
		s.uploads.leave(caller)
		return req, nil, nil, err
	}
	release, err := s.uploads.slot(c.Request().Context())
	if err != nil {
		s.uploads.leave(caller)
		return req, nil, nil, err
	}
	done = func() { release(); s.uploads.leave(caller) }
	for _, sf := range temps {
		data, err := os.ReadFile(sf.f.Name()) // sized by the file: one allocation
		if err != nil {
			done()
			return req, nil, nil, fmt.Errorf("web: read spooled upload: %w", err)
		}
		files = append(files, channels.Attachment{Name: sf.name, MIME: sf.mime, Data: data})
	}
	return req, files, done, nil
}

// streamParts copies each file part to a temporary file as it arrives,
// refusing a file over desk.MaxAttachmentBytes or more than
// desk.MaxAttachments files as soon as that shows. The caller removes the
// files, also on error.
func streamParts(r *http.Request) (temps []spooled, req postMessageRequest, err error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, req, desk.Errorf(desk.CodeInvalid, "malformed multipart form")
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return temps, req, nil
		}
		if err != nil {
			return temps, req, uploadError(err)
		}
		switch part.FormName() {
		case "kind", "text", "override_reason":
			b, err := io.ReadAll(io.LimitReader(part, maxUploadField+1))
			if err != nil {
				return temps, req, uploadError(err)
			}
			if len(b) > maxUploadField {
				return temps, req, desk.Errorf(desk.CodeTooLarge, "field %q is larger than %d bytes", part.FormName(), maxUploadField)
			}
			switch part.FormName() {
			case "kind":
				req.Kind = desk.ReplyKind(b)
			case "text":
				req.Text = string(b)
			default:
				req.OverrideReason = string(b)
			}
		case "file":
			if len(temps) == desk.MaxAttachments {
				return temps, req, desk.Errorf(desk.CodeTooLarge, "at most %d attachments per message", desk.MaxAttachments)
			}
			f, err := os.CreateTemp("", "huiliu-upload-*")
			if err != nil {
				return temps, req, fmt.Errorf("web: spool upload: %w", err)
			}
			temps = append(temps, spooled{f: f, name: part.FileName(), mime: part.Header.Get(echo.HeaderContentType)})
			n, err := io.Copy(f, io.LimitReader(part, desk.MaxAttachmentBytes+1))
			if err != nil {
				return temps, req, uploadError(err)
			}
			if n > desk.MaxAttachmentBytes {
				return temps, req, desk.Errorf(desk.CodeTooLarge, "attachment %d is larger than %d bytes", len(temps), desk.MaxAttachmentBytes)
			}
		}
		part.Close()
	}
}

// uploadError maps a failure reading the body: over the body limit is
// too large, anything else a malformed form.
func uploadError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return desk.Errorf(desk.CodeTooLarge, "the upload is larger than %d bytes", tooBig.Limit)
	}
	return desk.Errorf(desk.CodeInvalid, "malformed multipart form")
}
