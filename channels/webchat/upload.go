package webchat

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"time"

	"huiliu/channels"
	"huiliu/internal/filetype"
)

// uploadSlots bounds the customer files one node holds in memory at once
// (each up to MaxUploadBytes); more answer busy.
const uploadSlots = 4

// maxUploadField bounds a form field of an upload (visitor, client_msg_id,
// text).
const maxUploadField = 16 << 10

// uploadType is the type a customer's file is stored with, judged by its
// bytes alone: a picture browsers draw safely or a PDF. Anything else ""
// — refused, whatever the browser declared.
func uploadType(data []byte) string {
	if typ := filetype.Sniff(data); typ != "" {
		return typ
	}
	if bytes.HasPrefix(data, []byte("%PDF-")) {
		return "application/pdf"
	}
	return ""
}

// uploadForm is a parsed upload.
type uploadForm struct {
	visitor, clientMsgID, text string
	newConversation            bool
	name                       string
	data                       []byte
}

// uploadBody answers an upload like an ack frame; State comes with the
// upload that opened the visitor's ticket.
type uploadBody struct {
	ClientMsgID string `json:"client_msg_id"`
	ID          string `json:"id"`
	Seq         int64  `json:"seq"`
	TicketID    string `json:"ticket_id"`
	Duplicate   bool   `json:"duplicate"`
	State       *State `json:"state,omitempty"`
}

// errUploadTooLarge is a file over MaxUploadBytes.
var errUploadTooLarge = errors.New("webchat: upload over the size limit")

// serveUpload answers POST /webchat/upload?site=KEY, a multipart form with
// visitor (token), client_msg_id, text (optional caption), new ("1" to
// start over after a resolved conversation) and one file: it stores the
// file as the visitor's message and answers like an ack. The file's type
// is judged by its bytes (pictures and PDF); the form is sent as
// multipart/form-data, so the browser needs no preflight.
func (s *Server) serveUpload(w http.ResponseWriter, r *http.Request) {
	site, ok := s.corsSite(w, r)
	if !ok {
		return
	}
	select {
	case s.uploadSlots <- struct{}{}:
		defer func() { <-s.uploadSlots }()
	default:
		w.Header().Set("Retry-After", strconv.Itoa(retrySeconds(busyDelay())))
		writeJSONError(w, http.StatusServiceUnavailable, CodeBusy, "busy; send the file again shortly")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.o.MaxUploadBytes+4*maxUploadField)
	form, err := s.readUpload(r)
	switch {
	case errors.Is(err, errUploadTooLarge):
		writeJSONError(w, http.StatusRequestEntityTooLarge, CodeTooLarge, fmt.Sprintf("files can be at most %d bytes", s.o.MaxUploadBytes))
		return
	case err != nil:
		writeJSONError(w, http.StatusBadRequest, CodeInvalid, err.Error())
		return
	}
	visitor, err := verifyAny(site, s.now(), func(k []byte) (string, error) { return verifyVisitor(k, site.Key, form.visitor) })
	if err != nil {
		writeJSONError(w, http.StatusForbidden, CodeBadVisitor, "no valid visitor token; open the chat first")
		return
	}
	mime := uploadType(form.data)
	if mime == "" {
		writeJSONError(w, http.StatusUnsupportedMediaType, CodeBadType, "only pictures (JPEG, PNG, GIF, WebP) and PDF files can be sent")
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.o.IngestTimeout)
	defer cancel()
	if ok, retry := s.allow(ctx, "webchat:msg:"+site.Key+":"+visitor, s.o.MessagesPerMinute, time.Minute); !ok {
		w.Header().Set("Retry-After", strconv.Itoa(retrySeconds(retry)))
		writeJSONError(w, http.StatusTooManyRequests, CodeRateLimited, "too many messages; send the file again later")
		return
	}
	before, err := s.o.History.ActiveTicket(ctx, site.Key, visitor)
	if err != nil {
		s.log.Error("webchat: upload: reading the visitor's ticket", "err", err)
		writeJSONError(w, http.StatusServiceUnavailable, CodeUnavailable, "the file could not be stored yet; send it again")
		return
	}
	if before == "" || form.newConversation {
		if ok, retry := s.allowNewTicket(ctx, site.Key, s.clientAddr(r)); !ok {
			w.Header().Set("Retry-After", strconv.Itoa(retrySeconds(retry)))
			writeJSONError(w, http.StatusTooManyRequests, CodeRateLimited, "too many new chats; send the file again later")
			return
		}
	}
	rc, err := s.o.Sink.Ingest(ctx, channels.Inbound{
		Channel:     ChannelName,
		ExternalID:  externalID(visitor, form.clientMsgID),
		ThreadKey:   site.Key,
		From:        channels.Party{Kind: ChannelName, Value: visitor},
		Text:        form.text,
		ReceivedAt:  s.now(),
		Attachments: []channels.Attachment{{Name: form.name, MIME: mime, Data: form.data}},

		NewConversation: form.newConversation,
	})
	if err != nil {
		s.log.Error("webchat: storing a customer's file failed", "client_msg_id", form.clientMsgID, "err", err)
		writeJSONError(w, http.StatusServiceUnavailable, CodeUnavailable, "the file could not be stored yet; send it again")
		return
	}
	body := uploadBody{ClientMsgID: form.clientMsgID, ID: rc.MessageID, Seq: rc.Seq, TicketID: rc.TicketID, Duplicate: rc.Duplicate}
	if rc.TicketID != before && !rc.Duplicate {
		if f := s.state(ctx, rc.TicketID); f != nil {
			body.State = &f.State
		}
	}
	writeJSON(w, http.StatusOK, body)
}

// serveUploadPreflight admits an upload from one of the site's pages:
// browsers ask first because the widget follows the upload's progress.
func (s *Server) serveUploadPreflight(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.corsSite(w, r); !ok {
		return
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Methods", "POST")
	h.Set("Access-Control-Max-Age", "600")
	w.WriteHeader(http.StatusNoContent)
}

// readUpload reads the form's fields and its one file, streaming: a file
// over MaxUploadBytes stops the read as soon as that shows.
func (s *Server) readUpload(r *http.Request) (uploadForm, error) {
	var f uploadForm
	mr, err := r.MultipartReader()
	if err != nil {
		return f, fmt.Errorf("send a multipart/form-data body: %w", err)
	}
	files := 0
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return f, errUploadTooLarge
		}
		if err != nil {
			return f, fmt.Errorf("reading the form: %w", err)
		}
		if p.FormName() == "file" {
			if files++; files > 1 {
				return f, errors.New("send one file per message")
			}
			f.name = p.FileName()
			if f.data, err = readPart(p, s.o.MaxUploadBytes); err != nil {
				return f, err
			}
			continue
		}
		v, err := readPart(p, maxUploadField)
		if err != nil {
			return f, fmt.Errorf("field %q: %w", p.FormName(), err)
		}
		switch p.FormName() {
		case "visitor":
			f.visitor = string(v)
		case "client_msg_id":
			f.clientMsgID = string(v)
		case "text":
			f.text = strings.TrimSpace(string(v))
		case "new":
			f.newConversation = string(v) == "1"
		}
	}
	switch {
	case files == 0 || len(f.data) == 0:
		return f, errors.New("the form has no file, or an empty one")
	case !clientMsgIDRE.MatchString(f.clientMsgID):
		return f, fmt.Errorf("client_msg_id must be 1 to %d characters of A-Z a-z 0-9 _ -", maxClientMsgID)
	case len(f.text) > s.o.MaxTextBytes || strings.IndexByte(f.text, 0) >= 0:
		return f, fmt.Errorf("text must be at most %d bytes without NUL", s.o.MaxTextBytes)
	}
	return f, nil
}

// readPart reads a part of at most limit bytes.
func readPart(p *multipart.Part, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(p, limit+1))
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe) || int64(len(b)) > limit:
		return nil, errUploadTooLarge
	case err != nil:
		return nil, fmt.Errorf("reading the form: %w", err)
	}
	return b, nil
}
