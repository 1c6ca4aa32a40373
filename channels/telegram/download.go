package telegram

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"huiliu/channels"
	"huiliu/channels/poller"
)

// Downloads run before Ingest, so they hold up the poller (and the
// webhook answer): a bounded budget, a few quick retries, then the
// message is stored without its file.
const (
	defaultDownloadTimeout = 30 * time.Second
	defaultDownloadRetry   = 300 * time.Millisecond
	downloadAttempts       = 3
	noteFileNotDownloaded  = "[file not downloaded: %s]"
)

// downloadError is why a file was not fetched. Its text goes into the
// stored message, so it never carries the token or a URL.
type downloadError struct {
	reason    string
	transient bool // worth another attempt
	err       error
}

func (e *downloadError) Error() string { return e.reason }
func (e *downloadError) Unwrap() error { return e.err }

// attach downloads f into in. A file that cannot be had is replaced by a
// note in the text; the message is stored either way. It fails only when
// ctx ended (shutdown, webhook caller gone): then nothing is stored and
// Telegram offers the update again.
func (c *Channel) attach(ctx context.Context, b *bot, in *channels.Inbound, f *fileRef, log *slog.Logger) error {
	dctx, cancel := context.WithTimeout(ctx, c.downloadTimeout)
	defer cancel()
	data, err := c.downloadWithRetry(dctx, b, f)
	if err == nil {
		in.Attachments = append(in.Attachments, channels.Attachment{Name: f.Name, MIME: f.MIME, Data: data})
		return nil
	}
	if ctx.Err() != nil {
		return fmt.Errorf("telegram %s: download interrupted: %w", b.cfg.Name, ctx.Err())
	}
	reason := err.Error()
	if dctx.Err() != nil {
		reason = "timed out after " + c.downloadTimeout.String()
	}
	reason = strings.ReplaceAll(reason, b.cfg.Token, "<token>") // belt and braces
	log.Warn("telegram: file not downloaded; storing the message without it", "file_id", f.ID, "reason", reason)
	note := fmt.Sprintf(noteFileNotDownloaded, reason)
	in.Text = truncateBytes(in.Text, maxTextBytes-len(note)-1) + "\n" + note
	return nil
}

func (c *Channel) downloadWithRetry(ctx context.Context, b *bot, f *fileRef) ([]byte, error) {
	delay := c.downloadRetry
	for attempt := 1; ; attempt++ {
		data, err := c.download(ctx, b, f)
		var de *downloadError
		if err == nil || attempt == downloadAttempts || ctx.Err() != nil ||
			(errors.As(err, &de) && !de.transient) {
			return data, err
		}
		channels.Sleep(ctx, poller.Jitter(delay))
		delay *= 2
	}
}

// download is one attempt: getFile, then GET the file path, never
// reading more than the limit whatever sizes were announced.
func (c *Channel) download(ctx context.Context, b *bot, f *fileRef) ([]byte, error) {
	limit := b.cfg.MaxFileBytes
	tooBig := func(size int64, how string) error {
		return &downloadError{reason: fmt.Sprintf("%s %s, over the %s limit", how, byteSize(size), byteSize(limit))}
	}
	if f.Size > limit {
		return nil, tooBig(f.Size, "announced")
	}
	var tf tgbotapi.File
	if err := c.call(ctx, b, "getFile", map[string]string{"file_id": f.ID}, &tf); err != nil {
		var ae *APIError
		if errors.As(err, &ae) {
			// 400 covers an expired file id and Telegram's own 20 MB cap.
			return nil, &downloadError{reason: "getFile: " + strconv.Itoa(ae.Code) + " " + ae.Description,
				transient: ae.Code == http.StatusTooManyRequests || ae.Code >= 500, err: err}
		}
		return nil, &downloadError{reason: "getFile: " + rootCause(err), transient: true, err: err}
	}
	if int64(tf.FileSize) > limit {
		return nil, tooBig(int64(tf.FileSize), "announced")
	}
	if tf.FilePath == "" {
		return nil, &downloadError{reason: "getFile gave no file path"}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf(b.cfg.FileEndpoint, b.cfg.Token, tf.FilePath), nil)
	if err != nil {
		return nil, &downloadError{reason: "bad file path: " + scrub(err, b.cfg.Token).Error(), err: err}
	}
	resp, err := c.client.Do(req)
	if err != nil {
		return nil, &downloadError{reason: "download: " + scrub(err, b.cfg.Token).Error(), transient: true, err: scrub(err, b.cfg.Token)}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, &downloadError{reason: "download: HTTP " + resp.Status,
			transient: resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500}
	}
	if resp.ContentLength > limit {
		return nil, tooBig(resp.ContentLength, "served")
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, &downloadError{reason: "download: " + scrub(err, b.cfg.Token).Error(), transient: true, err: scrub(err, b.cfg.Token)}
	}
	if int64(len(data)) > limit {
		return nil, &downloadError{reason: "served more than the " + byteSize(limit) + " limit"}
	}
	return data, nil
}

// rootCause is the scrubbed text of a call error without the "telegram
// <bot>: <method>:" prefix the note does not need.
func rootCause(err error) string {
	var re *redactedError
	if errors.As(err, &re) {
		return re.msg
	}
	return err.Error()
}

// byteSize prints n for people: 512 B, 3.5 KiB, 10 MiB.
func byteSize(n int64) string {
	unit, div := "B", 1.0
	switch {
	case n >= 1<<20:
		unit, div = "MiB", 1<<20
	case n >= 1<<10:
		unit, div = "KiB", 1<<10
	}
	v := strconv.FormatFloat(float64(n)/div, 'f', 1, 64)
	return strings.TrimSuffix(v, ".0") + " " + unit
}
