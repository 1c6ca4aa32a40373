// Package telegramtest is a fake Telegram Bot API for tests: an
// httptest.Server that speaks the real JSON (methods, status codes and
// error bodies) for the methods Huiliu uses, records what bots send, and
// has knobs for the failures Telegram produces in the wild.
package telegramtest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// Sent is one message a bot sent, in the order the server received it.
type Sent struct {
	Method      string // sendMessage, sendPhoto or sendDocument
	ChatID      int64
	Text        string // text, or the file's caption
	Photo       string // sendPhoto by file id or URL
	Document    string // sendDocument by file id or URL
	ParseMode   string
	ReplyMarkup string // raw JSON, if any
	MessageID   int
	// An uploaded file (multipart sendPhoto or sendDocument): its name and
	// Content-Type as the part declared them, its length and SHA-256 (hex).
	FileName   string
	FileMIME   string
	FileSize   int
	FileSHA256 string
}

// Upload caps the fake enforces like the Bot API: photos up to 10 MB,
// other files up to 50 MB.
const (
	MaxPhotoBytes    = 10 << 20
	MaxDocumentBytes = 50 << 20
)

// Fault makes the next sends to a chat fail: Skip sends succeed first,
// then Times sends fail with Code (and RetryAfter seconds for 429).
type Fault struct {
	Chat        int64
	Skip        int
	Times       int
	Code        int
	Description string
	RetryAfter  int
}

// Server is the fake Bot API for one bot token.
type Server struct {
	srv       *httptest.Server
	token     string
	done      chan struct{} // closed by Close so long polls end at once
	closeOnce sync.Once

	mu            sync.Mutex
	notify        chan struct{} // closed and replaced when updates arrive or a poll starts
	pending       []pendingUpdate
	nextUpdateID  int
	nextMessageID int
	pollGen       int
	conflicts     int
	sent          []Sent
	calls         map[string]int
	webhookURL    string
	webhookSecret string
	webhookErr    string
	webhookErrAt  time.Time
	answers       []CallbackAnswer
	faults        []*Fault
	blocked       map[int64]bool
	missing       map[int64]bool
	delay         time.Duration
	files         map[string]*file
	downloads     int
}

type pendingUpdate struct {
	id  int
	raw json.RawMessage
}

type file struct {
	path      string
	data      []byte
	announced int  // size getFile reports when lying
	lie       bool // report announced and send no Content-Length
	fail      int  // downloads still to answer 502
}

// New starts a fake for token; it is closed when the test ends.
func New(t testing.TB, token string) *Server {
	s := Start(token)
	t.Cleanup(s.Close)
	return s
}

// Start starts a fake for token outside a test (a benchmark command, a
// demo); the caller must Close it.
func Start(token string) *Server {
	s := &Server{
		token:         token,
		done:          make(chan struct{}),
		notify:        make(chan struct{}),
		nextUpdateID:  100000,
		nextMessageID: 1,
		calls:         map[string]int{},
		blocked:       map[int64]bool{},
		missing:       map[int64]bool{},
		files:         map[string]*file{},
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// URL is the server's base URL.
func (s *Server) URL() string { return s.srv.URL }

// Endpoint is the API endpoint pattern (token, method) to configure a bot with.
func (s *Server) Endpoint() string { return s.srv.URL + "/bot%s/%s" }

// FileEndpoint is the file download pattern (token, file path).
func (s *Server) FileEndpoint() string { return s.srv.URL + "/file/bot%s/%s" }

// Close stops the server (early, to simulate Telegram being unreachable).
// Pending long polls and delayed answers end at once rather than holding
// Close for their full timeout. Closing twice is fine.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.done) })
	s.srv.Close()
}

// Push queues updates for getUpdates. Zero update ids and message ids are
// assigned; the update ids are returned.
func (s *Server) Push(updates ...tgbotapi.Update) []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]int, 0, len(updates))
	for _, u := range updates {
		if u.UpdateID == 0 {
			u.UpdateID = s.nextUpdateID
		}
		s.nextUpdateID = max(s.nextUpdateID, u.UpdateID+1)
		for _, m := range []*tgbotapi.Message{u.Message, u.EditedMessage, u.ChannelPost} {
			if m != nil && m.MessageID == 0 {
				m.MessageID = s.nextMessageID
				s.nextMessageID++
			}
		}
		raw, err := json.Marshal(u)
		if err != nil {
			panic(fmt.Sprintf("telegramtest: marshal update: %v", err))
		}
		s.pending = append(s.pending, pendingUpdate{id: u.UpdateID, raw: raw})
		ids = append(ids, u.UpdateID)
	}
	s.wakeLocked()
	return ids
}

// PushRaw queues an update given as JSON, as Telegram would send it; its
// update_id, if readable, orders and confirms it.
func (s *Server) PushRaw(raw []byte) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	var head struct {
		UpdateID int `json:"update_id"`
	}
	id := s.nextUpdateID
	if json.Unmarshal(raw, &head) == nil && head.UpdateID != 0 {
		id = head.UpdateID
	}
	s.nextUpdateID = max(s.nextUpdateID, id+1)
	s.pending = append(s.pending, pendingUpdate{id: id, raw: raw})
	s.wakeLocked()
	return id
}

func (s *Server) wakeLocked() {
	close(s.notify)
	s.notify = make(chan struct{})
}

// Pending is how many updates are not yet confirmed by a getUpdates offset.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.pending)
}

// Sent returns every message sent so far, in order.
func (s *Server) Sent() []Sent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Sent(nil), s.sent...)
}

// SentTo returns the messages sent to chat, in order.
func (s *Server) SentTo(chat int64) []Sent {
	var out []Sent
	for _, m := range s.Sent() {
		if m.ChatID == chat {
			out = append(out, m)
		}
	}
	return out
}

// Calls counts the requests for method (any case).
func (s *Server) Calls(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[strings.ToLower(method)]
}

// Conflicts counts getUpdates requests ended by a newer concurrent one
// (409), which is what two nodes polling one bot look like.
func (s *Server) Conflicts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conflicts
}

// Webhook returns the URL and secret set by setWebhook ("" when none).
func (s *Server) Webhook() (url, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.webhookURL, s.webhookSecret
}

// SetWebhook sets a webhook as if a previous deployment had.
func (s *Server) SetWebhook(url, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.webhookURL, s.webhookSecret = url, secret
}

// WebhookFailing makes getWebhookInfo report a failed delivery, as
// Telegram does when the desk's webhook address does not answer.
func (s *Server) WebhookFailing(at time.Time, message string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.webhookErrAt, s.webhookErr = at, message
}

// Inject adds a fault for sends to f.Chat.
func (s *Server) Inject(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f.Description == "" {
		f.Description = describe(f.Code, f.RetryAfter)
	}
	s.faults = append(s.faults, &f)
}

// RateLimit answers the next k sends to chat with 429 and retry_after.
func (s *Server) RateLimit(chat int64, retryAfter, k int) {
	s.Inject(Fault{Chat: chat, Times: k, Code: http.StatusTooManyRequests, RetryAfter: retryAfter})
}

// FailServer answers the next k sends to chat with 502.
func (s *Server) FailServer(chat int64, k int) {
	s.Inject(Fault{Chat: chat, Times: k, Code: http.StatusBadGateway})
}

// Block makes chat answer 403 as when the user blocked the bot.
func (s *Server) Block(chat int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.blocked[chat] = true
}

// MissingChat makes chat answer 400 "chat not found".
func (s *Server) MissingChat(chat int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.missing[chat] = true
}

// SetDelay makes every method answer after d (or when the client gives up).
func (s *Server) SetDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delay = d
}

// AddFile makes fileID downloadable through getFile and the file path.
func (s *Server) AddFile(fileID, path string, data []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.files[fileID] = &file{path: path, data: data}
}

// LieAboutFile makes getFile report size (0: no file_size at all) for an
// added file, and its download come without Content-Length, so only the
// bytes themselves tell how big it is.
func (s *Server) LieAboutFile(fileID string, size int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f, ok := s.files[fileID]; ok {
		f.announced, f.lie = size, true
	}
}

// FailFile answers the next k downloads of an added file with 502.
func (s *Server) FailFile(fileID string, k int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f, ok := s.files[fileID]; ok {
		f.fail = k
	}
}

// Downloads counts requests to the file path endpoint.
func (s *Server) Downloads() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.downloads
}

func describe(code, retryAfter int) string {
	switch code {
	case http.StatusTooManyRequests:
		return fmt.Sprintf("Too Many Requests: retry after %d", retryAfter)
	case http.StatusForbidden:
		return "Forbidden: bot was blocked by the user"
	case http.StatusBadRequest:
		return "Bad Request: chat not found"
	case http.StatusBadGateway:
		return "Bad Gateway"
	case http.StatusInternalServerError:
		return "Internal Server Error"
	}
	return http.StatusText(code)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if rest, ok := strings.CutPrefix(r.URL.Path, "/file/bot"+s.token+"/"); ok {
		s.download(w, rest)
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/bot")
	token, method, ok2 := strings.Cut(rest, "/")
	if !ok || !ok2 {
		writeError(w, http.StatusNotFound, "Not Found", 0)
		return
	}
	if token != s.token {
		writeError(w, http.StatusUnauthorized, "Unauthorized", 0)
		return
	}
	p, files, err := parseParams(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, "Bad Request: "+err.Error(), 0)
		return
	}
	method = strings.ToLower(method)
	s.mu.Lock()
	s.calls[method]++
	delay := s.delay
	s.mu.Unlock()
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		case <-s.done:
			return
		}
	}
	switch method {
	case "getme":
		writeOK(w, s.me())
	case "getupdates":
		s.getUpdates(w, r, p)
	case "setwebhook":
		s.mu.Lock()
		s.webhookURL, s.webhookSecret = p["url"], p["secret_token"]
		s.mu.Unlock()
		writeOKDesc(w, true, "Webhook was set")
	case "getwebhookinfo":
		s.mu.Lock()
		info := map[string]any{"url": s.webhookURL, "has_custom_certificate": false, "pending_update_count": len(s.pending)}
		if s.webhookErr != "" {
			info["last_error_date"], info["last_error_message"] = s.webhookErrAt.Unix(), s.webhookErr
		}
		s.mu.Unlock()
		writeOK(w, info)
	case "deletewebhook":
		s.mu.Lock()
		s.webhookURL, s.webhookSecret = "", ""
		if p["drop_pending_updates"] == "true" {
			s.pending = nil
		}
		s.mu.Unlock()
		writeOKDesc(w, true, "Webhook was deleted")
	case "sendmessage":
		s.send(w, "sendMessage", p, p["text"], nil)
	case "sendphoto":
		s.send(w, "sendPhoto", p, p["caption"], files["photo"])
	case "senddocument":
		s.send(w, "sendDocument", p, p["caption"], files["document"])
	case "getfile":
		s.getFile(w, p)
	case "answercallbackquery":
		s.answerCallback(w, p)
	default:
		writeError(w, http.StatusNotFound, "Not Found: method not found", 0)
	}
}

func (s *Server) me() tgbotapi.User {
	id, _ := strconv.ParseInt(strings.SplitN(s.token, ":", 2)[0], 10, 64)
	return tgbotapi.User{ID: id, IsBot: true, FirstName: "Huiliu Test", UserName: "huiliu_test_bot"}
}

// getUpdates long-polls like Telegram: an offset confirms every update
// before it, the call returns as soon as updates exist or after timeout
// seconds, and a newer concurrent call ends an older one with 409.
func (s *Server) getUpdates(w http.ResponseWriter, r *http.Request, p params) {
	offset, _ := strconv.Atoi(p["offset"])
	timeout, _ := strconv.Atoi(p["timeout"])
	limit, err := strconv.Atoi(p["limit"])
	if err != nil || limit <= 0 || limit > 100 {
		limit = 100
	}
	deadline := time.Now().Add(time.Duration(max(timeout, 0)) * time.Second)
	s.mu.Lock()
	if s.webhookURL != "" {
		s.mu.Unlock()
		writeError(w, http.StatusConflict, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first", 0)
		return
	}
	s.pollGen++
	gen := s.pollGen
	s.wakeLocked() // ends an older poll
	if offset > 0 {
		kept := s.pending[:0]
		for _, u := range s.pending {
			if u.id >= offset {
				kept = append(kept, u)
			}
		}
		s.pending = kept
	}
	for {
		var batch []json.RawMessage
		sort.SliceStable(s.pending, func(i, j int) bool { return s.pending[i].id < s.pending[j].id })
		for _, u := range s.pending {
			if len(batch) < limit {
				batch = append(batch, u.raw)
			}
		}
		if len(batch) > 0 || !time.Now().Before(deadline) {
			s.mu.Unlock()
			if batch == nil {
				batch = []json.RawMessage{}
			}
			writeOK(w, batch)
			return
		}
		if s.pollGen != gen {
			if r.Context().Err() == nil {
				s.conflicts++
			}
			s.mu.Unlock()
			writeError(w, http.StatusConflict, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running", 0)
			return
		}
		ch := s.notify
		s.mu.Unlock()
		t := time.NewTimer(time.Until(deadline))
		select {
		case <-ch:
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		case <-s.done:
			t.Stop()
			writeError(w, http.StatusBadGateway, "Bad Gateway", 0)
			return
		}
		t.Stop()
		s.mu.Lock()
	}
}

func (s *Server) send(w http.ResponseWriter, method string, p params, text string, up *upload) {
	chat, err := strconv.ParseInt(p["chat_id"], 10, 64)
	if err != nil || chat == 0 {
		writeError(w, http.StatusBadRequest, "Bad Request: chat not found", 0)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if f.Chat != chat {
			continue
		}
		if f.Skip > 0 {
			f.Skip--
			break
		}
		f.Times--
		if f.Times <= 0 {
			s.faults = append(s.faults[:i], s.faults[i+1:]...)
		}
		writeError(w, f.Code, f.Description, f.RetryAfter)
		return
	}
	switch {
	case s.blocked[chat]:
		writeError(w, http.StatusForbidden, "Forbidden: bot was blocked by the user", 0)
		return
	case s.missing[chat]:
		writeError(w, http.StatusBadRequest, "Bad Request: chat not found", 0)
		return
	case method == "sendMessage" && strings.TrimSpace(text) == "":
		writeError(w, http.StatusBadRequest, "Bad Request: message text is empty", 0)
		return
	case method == "sendMessage" && len(utf16.Encode([]rune(text))) > 4096:
		writeError(w, http.StatusBadRequest, "Bad Request: message is too long", 0)
		return
	case method == "sendPhoto" && p["photo"] == "" && up == nil:
		writeError(w, http.StatusBadRequest, "Bad Request: there is no photo in the request", 0)
		return
	case method == "sendDocument" && p["document"] == "" && up == nil:
		writeError(w, http.StatusBadRequest, "Bad Request: there is no document in the request", 0)
		return
	case up != nil && up.size == 0:
		writeError(w, http.StatusBadRequest, "Bad Request: file must be non-empty", 0)
		return
	case method == "sendPhoto" && up != nil && up.size > MaxPhotoBytes:
		writeError(w, http.StatusBadRequest, "Bad Request: PHOTO_SAVE_FILE_INVALID", 0)
		return
	case up != nil && up.size > MaxDocumentBytes:
		writeError(w, http.StatusRequestEntityTooLarge, "Request Entity Too Large", 0)
		return
	}
	id := s.nextMessageID
	s.nextMessageID++
	rec := Sent{Method: method, ChatID: chat, Text: text, Photo: p["photo"], Document: p["document"],
		ParseMode: p["parse_mode"], ReplyMarkup: p["reply_markup"], MessageID: id}
	if up != nil {
		rec.FileName, rec.FileMIME, rec.FileSize, rec.FileSHA256 = up.name, up.mime, up.size, up.sha256
	}
	s.sent = append(s.sent, rec)
	me := s.me()
	m := tgbotapi.Message{MessageID: id, From: &me, Date: int(time.Now().Unix()),
		Chat: &tgbotapi.Chat{ID: chat, Type: "private"}}
	switch method {
	case "sendMessage":
		m.Text = text
	case "sendPhoto":
		m.Caption = text
		m.Photo = []tgbotapi.PhotoSize{{FileID: "photo-" + strconv.Itoa(id), FileUniqueID: "u" + strconv.Itoa(id), Width: 640, Height: 480}}
	case "sendDocument":
		m.Caption = text
		m.Document = &tgbotapi.Document{FileID: "document-" + strconv.Itoa(id), FileUniqueID: "u" + strconv.Itoa(id),
			FileName: rec.FileName, MimeType: rec.FileMIME, FileSize: rec.FileSize}
	}
	writeOK(w, m)
}

func (s *Server) getFile(w http.ResponseWriter, p params) {
	s.mu.Lock()
	f, ok := s.files[p["file_id"]]
	var tf tgbotapi.File
	if ok {
		tf = tgbotapi.File{FileID: p["file_id"], FileUniqueID: "u-" + p["file_id"], FileSize: len(f.data), FilePath: f.path}
		if f.lie {
			tf.FileSize = f.announced
		}
	}
	s.mu.Unlock()
	if !ok {
		writeError(w, http.StatusBadRequest, "Bad Request: invalid file_id", 0)
		return
	}
	writeOK(w, tf)
}

func (s *Server) download(w http.ResponseWriter, path string) {
	s.mu.Lock()
	s.downloads++
	var found *file
	fail := false
	for _, f := range s.files {
		if f.path == path {
			found, fail = f, f.fail > 0
			if fail {
				f.fail--
			}
			break
		}
	}
	var data []byte
	var lie bool
	if found != nil {
		data, lie = found.data, found.lie
	}
	s.mu.Unlock()
	switch {
	case found == nil:
		http.NotFound(w, nil)
		return
	case fail:
		http.Error(w, "Bad Gateway", http.StatusBadGateway)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	if !lie {
		w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	} else if fl, ok := w.(http.Flusher); ok {
		// Headers out before the body: no Content-Length, chunked.
		w.WriteHeader(http.StatusOK)
		fl.Flush()
	}
	_, _ = w.Write(data)
}

// params are a request's parameters: Telegram takes them as a query
// string, a form, multipart or JSON. Non-string JSON values keep their
// JSON text (numbers as digits, objects as JSON).
type params map[string]string

// upload is a file part of a multipart request, kept as a digest so a
// 50 MB document does not stay in memory.
type upload struct {
	name   string
	mime   string
	size   int
	sha256 string
}

func parseParams(r *http.Request) (params, map[string]*upload, error) {
	p := params{}
	files := map[string]*upload{}
	ct := r.Header.Get("Content-Type")
	switch {
	case strings.HasPrefix(ct, "application/json"):
		var m map[string]json.RawMessage
		if err := json.NewDecoder(r.Body).Decode(&m); err != nil {
			return nil, nil, fmt.Errorf("can't parse JSON object")
		}
		for k, v := range m {
			var str string
			if json.Unmarshal(v, &str) == nil {
				p[k] = str
			} else {
				p[k] = string(v)
			}
		}
	case strings.HasPrefix(ct, "multipart/form-data"):
		// Beyond 10 MiB parts go to temporary files, which net/http
		// removes when the handler returns.
		if err := r.ParseMultipartForm(10 << 20); err != nil {
			return nil, nil, fmt.Errorf("can't parse multipart form")
		}
		for k, v := range r.MultipartForm.Value {
			p[k] = v[0]
		}
		for k, v := range r.MultipartForm.File {
			up, err := digest(v[0])
			if err != nil {
				return nil, nil, fmt.Errorf("can't read file %q", k)
			}
			files[k] = up
		}
	}
	if err := r.ParseForm(); err != nil {
		return nil, nil, fmt.Errorf("can't parse form")
	}
	for k, v := range r.Form {
		if _, ok := p[k]; !ok {
			p[k] = v[0]
		}
	}
	return p, files, nil
}

func digest(fh *multipart.FileHeader) (*upload, error) {
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return nil, err
	}
	return &upload{name: fh.Filename, mime: fh.Header.Get("Content-Type"), size: int(n), sha256: hex.EncodeToString(h.Sum(nil))}, nil
}

func writeOK(w http.ResponseWriter, result any) {
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "result": result})
}

func writeOKDesc(w http.ResponseWriter, result any, desc string) {
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "result": result, "description": desc})
}

func writeError(w http.ResponseWriter, code int, desc string, retryAfter int) {
	body := map[string]any{"ok": false, "error_code": code, "description": desc}
	if retryAfter > 0 {
		body["parameters"] = map[string]int{"retry_after": retryAfter}
	}
	writeJSON(w, code, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
