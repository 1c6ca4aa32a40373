package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/textproto"
	"strconv"
	"strings"
	"unicode"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"huiliu/channels"
)

// Bot API upload caps: sendPhoto takes photos up to 10 MB, and a bot may
// upload any file up to 50 MB. Larger photos still go, as documents.
const (
	maxPhotoBytes    = 10 << 20
	maxDocumentBytes = 50 << 20
)

// fileMethod is how a goes out: as a photo when Telegram can show it as
// one, otherwise as a document the customer downloads.
func fileMethod(a channels.Attachment) string {
	if isPhotoMIME(a.MIME) && len(a.Data) <= maxPhotoBytes {
		return "sendPhoto"
	}
	return "sendDocument"
}

func isPhotoMIME(s string) bool {
	t, _, err := mime.ParseMediaType(s)
	if err != nil {
		return false
	}
	switch t {
	case "image/jpeg", "image/png", "image/webp":
		return true
	}
	return false
}

// checkFile refuses what Telegram would refuse whatever we do. Checked
// for every file before anything is sent, so a message is not delivered
// half-way and then marked failed.
func checkFile(a channels.Attachment) error {
	switch {
	case len(a.Data) == 0:
		return fmt.Errorf("file %q is empty; Telegram refuses empty files", a.Name)
	case len(a.Data) > maxDocumentBytes:
		return fmt.Errorf("file %q is %s, over the Bot API's upload limit of %s", a.Name, mib(len(a.Data)), mib(maxDocumentBytes))
	}
	return nil
}

func mib(n int) string {
	return strconv.FormatFloat(float64(n)/(1<<20), 'f', -1, 64) + " MiB"
}

// uploadName is the file name to send. The agent's name is kept (Chinese
// and all); only what could break the part header or point into a
// directory goes. Telegram wants a name, so a nameless file gets one.
func uploadName(a channels.Attachment, method string) string {
	name := strings.ToValidUTF8(a.Name, "")
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, name)
	if strings.Trim(name, ". ") != "" {
		return name
	}
	if method != "sendPhoto" {
		return "file"
	}
	switch t, _, _ := mime.ParseMediaType(a.MIME); t {
	case "image/png":
		return "photo.png"
	case "image/webp":
		return "photo.webp"
	}
	return "photo.jpg"
}

// partContentType is a's MIME type made safe for a header; Telegram
// mostly goes by the name's extension anyway.
func partContentType(a channels.Attachment) string {
	t, params, err := mime.ParseMediaType(a.MIME)
	if err != nil {
		return "application/octet-stream"
	}
	if s := mime.FormatMediaType(t, params); s != "" {
		return s
	}
	return "application/octet-stream"
}

var quoteEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`)

// sendFile uploads a with method (sendPhoto or sendDocument) as
// multipart/form-data, the only way the Bot API takes a file's bytes.
// The body streams the caller's bytes rather than copying them: only the
// part headers and the closing boundary are built in memory.
func (c *Channel) sendFile(ctx context.Context, b *bot, method string, chat int64, a channels.Attachment, markup any) (tgbotapi.Message, error) {
	var m tgbotapi.Message
	field := "document"
	if method == "sendPhoto" {
		field = "photo"
	}
	var head bytes.Buffer
	mw := multipart.NewWriter(&head)
	if err := mw.WriteField("chat_id", strconv.FormatInt(chat, 10)); err != nil {
		return m, fmt.Errorf("telegram %s: %s: encode request: %w", b.cfg.Name, method, err)
	}
	if markup != nil {
		j, err := json.Marshal(markup)
		if err != nil {
			return m, fmt.Errorf("telegram %s: %s: encode request: %w", b.cfg.Name, method, err)
		}
		if err := mw.WriteField("reply_markup", string(j)); err != nil {
			return m, fmt.Errorf("telegram %s: %s: encode request: %w", b.cfg.Name, method, err)
		}
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename="%s"`, field, quoteEscaper.Replace(uploadName(a, method))))
	h.Set("Content-Type", partContentType(a))
	if _, err := mw.CreatePart(h); err != nil {
		return m, fmt.Errorf("telegram %s: %s: encode request: %w", b.cfg.Name, method, err)
	}
	n := head.Len()
	if err := mw.Close(); err != nil {
		return m, fmt.Errorf("telegram %s: %s: encode request: %w", b.cfg.Name, method, err)
	}
	raw := head.Bytes()
	body := io.MultiReader(bytes.NewReader(raw[:n]), bytes.NewReader(a.Data), bytes.NewReader(raw[n:]))
	err := c.post(ctx, b, method, mw.FormDataContentType(), body, int64(len(raw)+len(a.Data)), &m)
	return m, err
}
