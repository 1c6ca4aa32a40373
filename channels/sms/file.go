package sms

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"strconv"
	"sync"
	"time"
)

// FileSender appends each SMS as one JSON line to a file: the development
// and test provider, whose output the bot eval and browser tests read back
// with LatestCode.
type FileSender struct {
	path string
	now  func() time.Time

	mu  sync.Mutex
	seq int
}

// FileRecord is one line of the file provider's output.
type FileRecord struct {
	At       time.Time         `json:"at"`
	To       string            `json:"to"`
	Text     string            `json:"text"`
	Template string            `json:"template,omitempty"`
	Params   map[string]string `json:"params,omitempty"`
}

// NewFileSender writes to path, created on first send.
func NewFileSender(path string) *FileSender {
	return &FileSender{path: path, now: time.Now}
}

// Send appends the record and fsyncs, so a reader in another process sees
// a whole line as soon as Send returns.
func (f *FileSender) Send(_ context.Context, m Message) (string, error) {
	if m.To == "" {
		return "", errNoRecipient
	}
	line, err := json.Marshal(FileRecord{At: f.now().UTC(), To: m.To, Text: m.Text, Template: m.Template, Params: m.Params})
	if err != nil {
		return "", fmt.Errorf("sms: file: encode: %w", err)
	}
	line = append(line, '\n')

	f.mu.Lock()
	defer f.mu.Unlock()
	fh, err := os.OpenFile(f.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return "", fmt.Errorf("sms: file: %w", err)
	}
	if _, err := fh.Write(line); err != nil {
		fh.Close()
		return "", fmt.Errorf("sms: file %s: write: %w", f.path, err)
	}
	if err := fh.Sync(); err != nil {
		fh.Close()
		return "", fmt.Errorf("sms: file %s: sync: %w", f.path, err)
	}
	if err := fh.Close(); err != nil {
		return "", fmt.Errorf("sms: file %s: close: %w", f.path, err)
	}
	f.seq++
	// The clock keeps ids of separate processes sharing the file apart.
	return "file-" + strconv.FormatInt(f.now().UnixNano(), 36) + "-" + strconv.Itoa(f.seq), nil
}

// ErrNoCode is returned by LatestCode when no SMS to the number holds a code.
var ErrNoCode = errors.New("sms: no code sent to this number")

var codePattern = regexp.MustCompile(`\b\d{4,8}\b`)

// LatestCode returns the code in the newest SMS the file provider wrote to
// the number: the "code" parameter when set, else the first run of 4–8
// digits in the text. Tests and the bot eval use it to play the customer.
func LatestCode(path, to string) (string, error) {
	fh, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", ErrNoCode
	}
	if err != nil {
		return "", fmt.Errorf("sms: read %s: %w", path, err)
	}
	defer fh.Close()
	code := ""
	sc := bufio.NewScanner(fh)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		var r FileRecord
		// A torn or foreign line is skipped: the file is a log, not a contract.
		if json.Unmarshal(sc.Bytes(), &r) != nil || r.To != to {
			continue
		}
		if c := r.Params["code"]; c != "" {
			code = c
		} else if c := codePattern.FindString(r.Text); c != "" {
			code = c
		}
	}
	if err := sc.Err(); err != nil {
		return "", fmt.Errorf("sms: read %s: %w", path, err)
	}
	if code == "" {
		return "", ErrNoCode
	}
	return code, nil
}
