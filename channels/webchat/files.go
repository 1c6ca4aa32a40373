package webchat

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"huiliu/internal/filetype"
)

// File is a file on a customer-visible message: an agent's attachment or
// the customer's own upload.
// URL is filled in by the server when the message goes to a widget: a
// link signed for that ticket that works for FileLinkTTL.
type File struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	MIME string `json:"mime"`
	Size int64  `json:"size"`
	URL  string `json:"url,omitempty"`
}

// FileStore hands out the bytes of a file of a ticket; the desk's record
// implements it. ErrNoFile (wrapped) for a file that is not the ticket's.
type FileStore interface {
	File(ctx context.Context, ticketID, fileID string) (File, []byte, error)
}

// ErrNoFile is a file that does not exist or belongs to another ticket.
var ErrNoFile = errors.New("no such file")

// FileLinkTTL is how long a file link in a widget works; a widget that is
// open longer gets fresh links with the next pull of its conversation.
const FileLinkTTL = 24 * time.Hour

// fileLink signs a download of file on ticket for the site's widget. The
// visitor needs no cookie: knowing the link is the right to the file, as
// the link only ever reaches the visitor whose conversation holds it.
func fileLink(site *Site, ticketID, fileID string, exp time.Time) string {
	e := strconv.FormatInt(exp.Unix(), 10)
	q := url.Values{"site": {site.Key}, "t": {ticketID}, "f": {fileID}, "exp": {e},
		"sig": {hex.EncodeToString(fileMAC(site.Secret, site.Key, ticketID, fileID, e))}}
	return "/webchat/file?" + q.Encode()
}

// errBadFileLink is a file link no key of the site signed.
var errBadFileLink = errors.New("webchat: file link not signed by the site")

func fileMAC(secret []byte, siteKey, ticketID, fileID, exp string) []byte {
	h := hmac.New(sha256.New, secret)
	h.Write([]byte("file\n" + siteKey + "\n" + ticketID + "\n" + fileID + "\n" + exp))
	return h.Sum(nil)
}

// signFiles gives each file of m a link for this connection's site.
func (c *conn) signFiles(m *Message) {
	if len(m.Files) == 0 {
		return
	}
	exp := c.s.now().Add(FileLinkTTL)
	files := make([]File, len(m.Files))
	for i, f := range m.Files {
		f.URL = fileLink(c.site, m.TicketID, f.ID, exp)
		files[i] = f
	}
	m.Files = files
}

// serveFile answers a signed file link.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request) {
	if s.o.Files == nil {
		writeJSONError(w, http.StatusNotFound, CodeNoFile, "files are not served here")
		return
	}
	site, ok, err := s.lookupSite(r)
	if err != nil {
		writeJSONError(w, http.StatusServiceUnavailable, CodeUnavailable, "try again later")
		return
	}
	q := r.URL.Query()
	ticket, file, exp := q.Get("t"), q.Get("f"), q.Get("exp")
	sig, _ := hex.DecodeString(q.Get("sig"))
	n, perr := strconv.ParseInt(exp, 10, 64)
	_, macErr := verifyAny(site, s.now(), func(k []byte) (bool, error) {
		if hmac.Equal(sig, fileMAC(k, site.Key, ticket, file, exp)) {
			return true, nil
		}
		return false, errBadFileLink
	})
	if !ok || perr != nil || macErr != nil {
		writeJSONError(w, http.StatusForbidden, CodeBadLink, "this file link is not valid")
		return
	}
	if s.now().Unix() > n {
		writeJSONError(w, http.StatusForbidden, CodeBadLink, "this file link has expired; reopen the chat for a fresh one")
		return
	}
	f, data, err := s.o.Files.File(r.Context(), ticket, file)
	if errors.Is(err, ErrNoFile) {
		writeJSONError(w, http.StatusNotFound, CodeNoFile, "no such file")
		return
	}
	if err != nil {
		s.log.Error("webchat: reading a file", "file", file, "err", err)
		writeJSONError(w, http.StatusServiceUnavailable, CodeUnavailable, "try again later")
		return
	}
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	// Host pages on other origins show the pictures.
	h.Set("Cross-Origin-Resource-Policy", "cross-origin")
	h.Set("Cache-Control", "private, max-age=3600")
	// Pictures by their bytes are shown in the widget; every other file is
	// a download, so nothing renders as a page of the desk.
	typ, disposition := filetype.Serving(data)
	h.Set("Content-Type", typ)
	name := f.Name
	if name == "" {
		name = "file"
	}
	h.Set("Content-Disposition", mime.FormatMediaType(disposition, map[string]string{"filename": name}))
	h.Set("Content-Length", strconv.Itoa(len(data)))
	_, _ = w.Write(data)
}
