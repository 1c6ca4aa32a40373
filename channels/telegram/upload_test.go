package telegram

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"huiliu/channels"
	"huiliu/channels/telegram/telegramtest"
)

func sha(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// fileData is n bytes that differ from file to file, so a swapped or
// truncated upload shows in the hash.
func fileData(seed byte, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = seed + byte(i*7)
	}
	return b
}

func withFiles(out channels.Outbound, files ...channels.Attachment) channels.Outbound {
	out.Attachments = files
	return out
}

// checkFileSent compares what the fake received with the attachment.
func checkFileSent(t *testing.T, s telegramtest.Sent, method string, a channels.Attachment) {
	t.Helper()
	if s.Method != method || s.FileName != a.Name || s.FileSize != len(a.Data) || s.FileSHA256 != sha(a.Data) {
		t.Errorf("sent %s %q (%d bytes, %.8s), want %s %q (%d bytes, %.8s)",
			s.Method, s.FileName, s.FileSize, s.FileSHA256, method, a.Name, len(a.Data), sha(a.Data))
	}
	if s.Text != "" {
		t.Errorf("%s has caption %q; the text goes before the files", s.FileName, s.Text)
	}
}

func TestSendTextThenPhotoThenDocumentInOrder(t *testing.T) {
	f := newFixture(t)
	lim := &countLimiter{allow: 100}
	c := f.channel(t, func(_ *Config, d *Deps) { d.Limiter = lim })
	photo := channels.Attachment{Name: "截图 2024-05-01.png", MIME: "image/png", Data: fileData(1, 70_000)}
	pdf := channels.Attachment{Name: "账单（五月）\"终版\".pdf", MIME: "application/pdf", Data: fileData(2, 300_001)}
	out := withFiles(outbound("m1", "main:1001", "您好，附件是您的账单。"), photo, pdf)
	ids, err := c.Send(context.Background(), out)
	if err != nil {
		t.Fatal(err)
	}
	sent := f.fake.SentTo(1001)
	if len(sent) != 3 {
		t.Fatalf("sent %d messages, want text, photo, document", len(sent))
	}
	if sent[0].Method != "sendMessage" || sent[0].Text != out.Text {
		t.Errorf("first = %s %q", sent[0].Method, sent[0].Text)
	}
	checkFileSent(t, sent[1], "sendPhoto", photo)
	checkFileSent(t, sent[2], "sendDocument", pdf)
	if sent[1].FileMIME != "image/png" || sent[2].FileMIME != "application/pdf" {
		t.Errorf("part types %q, %q", sent[1].FileMIME, sent[2].FileMIME)
	}
	if strings.Count(ids, ",") != 2 {
		t.Errorf("ids = %q, want three", ids)
	}
	if lim.hits != 3 {
		t.Errorf("limiter counted %d calls, want 3", lim.hits)
	}
}

func TestSendFilesOnly(t *testing.T) {
	f := newFixture(t)
	c := f.channel(t, nil)
	a := channels.Attachment{Name: "合同.docx", MIME: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", Data: fileData(3, 1234)}
	b := channels.Attachment{Name: "现场照片.JPG", MIME: "image/JPEG; charset=binary", Data: fileData(4, 5000)}
	for _, text := range []string{"", " \n\t"} {
		out := withFiles(outbound("m-"+text, "main:1001", text), a, b)
		out.RequestContact = true
		if _, err := c.Send(context.Background(), out); err != nil {
			t.Fatalf("text %q: %v", text, err)
		}
	}
	sent := f.fake.SentTo(1001)
	if len(sent) != 4 {
		t.Fatalf("sent %d messages, want the two files twice and no text", len(sent))
	}
	for i := 0; i < 4; i += 2 {
		checkFileSent(t, sent[i], "sendDocument", a)
		checkFileSent(t, sent[i+1], "sendPhoto", b)
		if sent[i].ReplyMarkup != "" || !strings.Contains(sent[i+1].ReplyMarkup, `"request_contact":true`) {
			t.Errorf("keyboard must be on the last file only: %q, %q", sent[i].ReplyMarkup, sent[i+1].ReplyMarkup)
		}
	}
	if n := f.fake.Calls("sendMessage"); n != 0 {
		t.Errorf("%d sendMessage calls for files alone", n)
	}
}

func TestSendRetryAfter429OnPhotoSendsOnlyTheRest(t *testing.T) {
	f := newFixture(t)
	c := f.channel(t, nil)
	photo := channels.Attachment{Name: "收据.jpg", MIME: "image/jpeg", Data: fileData(5, 40_000)}
	pdf := channels.Attachment{Name: "发票.pdf", MIME: "application/pdf", Data: fileData(6, 90_000)}
	out := withFiles(outbound("m1", "main:1001", "请查收"), photo, pdf)
	f.fake.Inject(telegramtest.Fault{Chat: 1001, Skip: 1, Times: 1, Code: http.StatusTooManyRequests, RetryAfter: 3})

	_, err := c.Send(context.Background(), out)
	var ra *channels.RetryAfterError
	if !errors.As(err, &ra) || ra.After != 3*time.Second || errors.Is(err, channels.ErrPermanent) {
		t.Fatalf("err = %v, want RetryAfterError of 3s", err)
	}
	if !strings.Contains(err.Error(), "收据.jpg") || strings.Contains(err.Error(), testToken) {
		t.Errorf("err = %v, want the file named and no token", err)
	}
	ids, err := c.Send(context.Background(), out)
	if err != nil {
		t.Fatalf("retry: %v", err)
	}
	sent := f.fake.SentTo(1001)
	if len(sent) != 3 || sent[0].Method != "sendMessage" {
		t.Fatalf("sent %d messages, want the text once, then the photo and the PDF", len(sent))
	}
	checkFileSent(t, sent[1], "sendPhoto", photo)
	checkFileSent(t, sent[2], "sendDocument", pdf)
	if f.fake.Calls("sendMessage") != 1 || f.fake.Calls("sendPhoto") != 2 || f.fake.Calls("sendDocument") != 1 {
		t.Errorf("calls: message %d, photo %d, document %d", f.fake.Calls("sendMessage"), f.fake.Calls("sendPhoto"), f.fake.Calls("sendDocument"))
	}
	if strings.Count(ids, ",") != 2 {
		t.Errorf("ids = %q, want all three parts", ids)
	}
}

func TestSendOversizeFilesRefusedBeforeAnythingIsSent(t *testing.T) {
	f := newFixture(t)
	c := f.channel(t, nil)
	for _, a := range []channels.Attachment{
		{Name: "录像.mp4", MIME: "video/mp4", Data: make([]byte, maxDocumentBytes+1)},
		{Name: "空白.txt", MIME: "text/plain"},
	} {
		out := withFiles(outbound("m-"+a.Name, "main:1001", "see attached"),
			channels.Attachment{Name: "ok.pdf", MIME: "application/pdf", Data: []byte("%PDF")}, a)
		_, err := c.Send(context.Background(), out)
		if !errors.Is(err, channels.ErrPermanent) || !strings.Contains(err.Error(), a.Name) {
			t.Errorf("%s: err = %v, want permanent naming the file", a.Name, err)
		}
		if len(a.Data) > 0 && !strings.Contains(err.Error(), "50 MiB") {
			t.Errorf("err = %v, want the limit", err)
		}
	}
	if n := len(f.fake.Sent()); n != 0 {
		t.Fatalf("%d messages sent for a message that cannot be delivered whole", n)
	}
}

func TestSendLargeOrRefusedPhotoGoesAsDocument(t *testing.T) {
	f := newFixture(t)
	lim := &countLimiter{allow: 100}
	c := f.channel(t, func(_ *Config, d *Deps) { d.Limiter = lim })
	big := channels.Attachment{Name: "全景.jpg", MIME: "image/jpeg", Data: fileData(7, maxPhotoBytes+1)}
	if _, err := c.Send(context.Background(), withFiles(outbound("m1", "main:1001", ""), big)); err != nil {
		t.Fatal(err)
	}
	f.fake.Inject(telegramtest.Fault{Chat: 1002, Times: 1, Code: http.StatusBadRequest, Description: "Bad Request: PHOTO_INVALID_DIMENSIONS"})
	tall := channels.Attachment{Name: "长图.webp", MIME: "image/webp", Data: fileData(8, 3000)}
	if _, err := c.Send(context.Background(), withFiles(outbound("m2", "main:1002", ""), tall)); err != nil {
		t.Fatal(err)
	}
	if sent := f.fake.SentTo(1001); len(sent) != 1 {
		t.Fatalf("sent %d", len(sent))
	} else {
		checkFileSent(t, sent[0], "sendDocument", big)
	}
	if sent := f.fake.SentTo(1002); len(sent) != 1 {
		t.Fatalf("sent %d", len(sent))
	} else {
		checkFileSent(t, sent[0], "sendDocument", tall)
	}
	if lim.hits != 3 {
		t.Errorf("limiter counted %d calls, want 3 (the refused photo counts)", lim.hits)
	}
	if !strings.Contains(f.logs.String(), "PHOTO_INVALID_DIMENSIONS") {
		t.Error("fallback not logged")
	}
}

func TestSendFileErrorsClassified(t *testing.T) {
	f := newFixture(t)
	c := f.channel(t, nil)
	doc := channels.Attachment{Name: "a.pdf", MIME: "application/pdf", Data: []byte("%PDF-1.7")}
	f.fake.Block(1002)
	if _, err := c.Send(context.Background(), withFiles(outbound("m1", "main:1002", ""), doc)); !errors.Is(err, channels.ErrPermanent) {
		t.Errorf("403: err = %v, want permanent", err)
	}
	f.fake.FailServer(1001, 1)
	_, err := c.Send(context.Background(), withFiles(outbound("m2", "main:1001", ""), doc))
	if err == nil || errors.Is(err, channels.ErrPermanent) {
		t.Errorf("5xx: err = %v, want temporary", err)
	}
	f.fake.Close()
	_, err = c.Send(context.Background(), withFiles(outbound("m3", "main:1001", ""), doc))
	if err == nil || errors.Is(err, channels.ErrPermanent) || strings.Contains(err.Error(), "TEST-secret") {
		t.Errorf("network: err = %v, want temporary without the token", err)
	}
	if _, err := c.Send(context.Background(), outbound("m4", "main:1001", "")); !errors.Is(err, channels.ErrPermanent) {
		t.Errorf("nothing to send: err = %v, want permanent", err)
	}
}

func TestUploadName(t *testing.T) {
	for _, tc := range []struct {
		name, mime, method, want string
	}{
		{"报告.pdf", "application/pdf", "sendDocument", "报告.pdf"},
		{`C:\Users\客服\图.png`, "image/png", "sendPhoto", "图.png"},
		{"a\r\nContent-Type: x.txt", "text/plain", "sendDocument", "aContent-Type: x.txt"},
		{"", "image/png", "sendPhoto", "photo.png"},
		{"..", "image/jpeg", "sendPhoto", "photo.jpg"},
		{"", "", "sendDocument", "file"},
	} {
		if got := uploadName(channels.Attachment{Name: tc.name, MIME: tc.mime}, tc.method); got != tc.want {
			t.Errorf("uploadName(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
	if !bytes.Equal([]byte(partContentType(channels.Attachment{MIME: "text/plain\r\nX: y"})), []byte("application/octet-stream")) {
		t.Error("header injection through the MIME type")
	}
}
