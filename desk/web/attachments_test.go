package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"maps"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"slices"
	"strings"
	"testing"

	"huiliu/channels"
	"huiliu/desk"
	"huiliu/desk/web"
)

func TestAttachmentsAreListedAndServedSafely(t *testing.T) {
	h := newHarness(t)
	png := []byte("\x89PNG\r\n\x1a\n fake image bytes")
	html := []byte("<script>alert(1)</script>")
	rc, err := h.svc.Ingest(context.Background(), channels.Inbound{
		Channel: "telegram", ExternalID: "main:1", ThreadKey: "main:9",
		From: channels.Party{Kind: desk.IdentityTelegram, Value: "9"}, Text: "[photo] 合同照片",
		Attachments: []channels.Attachment{
			{Name: "合同.png", MIME: "image/png", Data: png},
			{Name: "page.html", MIME: "text/html", Data: html},
			{Name: "odd", MIME: "not a type; x=1", Data: []byte("x")},
			{Name: "pic.png", MIME: "image/png", Data: html},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	var ms struct{ Messages []desk.Message }
	h.call("GET", "/api/v1/tickets/"+rc.TicketID+"/messages", h.agent, nil, &ms)
	if len(ms.Messages) != 1 || len(ms.Messages[0].Attachments) != 4 {
		t.Fatalf("timeline = %+v", ms.Messages)
	}
	files := ms.Messages[0].Attachments
	if files[0].Name != "合同.png" || files[0].Size != int64(len(png)) || files[2].MIME != "application/octet-stream" {
		t.Fatalf("attachments = %+v", files)
	}
	get := func(id, secret string) (*http.Response, []byte) {
		req, _ := http.NewRequest("GET", h.srv.URL+"/api/v1/attachments/"+id, nil)
		req.Header.Set("Authorization", "Bearer "+secret)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, b
	}
	resp, body := get(files[0].ID, h.agent)
	if resp.StatusCode != 200 || !bytes.Equal(body, png) || resp.Header.Get("Content-Type") != "image/png" ||
		!strings.HasPrefix(resp.Header.Get("Content-Disposition"), "inline; filename*=UTF-8''%E5%90%88") {
		t.Fatalf("image: %d %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"))
	}
	// An HTML file is never rendered from the desk's origin.
	resp, body = get(files[1].ID, h.agent)
	if resp.StatusCode != 200 || !bytes.Equal(body, html) || resp.Header.Get("Content-Type") != "application/octet-stream" ||
		!strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment;") || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("html file: %d %v", resp.StatusCode, resp.Header)
	}
	// Nor is one that claims to be a picture: the bytes decide.
	resp, body = get(files[3].ID, h.agent)
	if resp.StatusCode != 200 || !bytes.Equal(body, html) || resp.Header.Get("Content-Type") != "application/octet-stream" ||
		!strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment;") || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("html declared image/png: %d %v", resp.StatusCode, resp.Header)
	}
	// Another team's agent cannot fetch it, nor learn that it exists.
	teamB, err := h.svc.CreateTeam(context.Background(), desk.Actor{}, "B")
	if err != nil {
		t.Fatal(err)
	}
	setTeam(t, h, rc.TicketID, teamB.ID)
	if resp, _ := get(files[0].ID, h.agent); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("other team's attachment: %d", resp.StatusCode)
	}
	if resp, _ := get("nope", h.admin); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown attachment: %d", resp.StatusCode)
	}
}

func TestAttachmentLimits(t *testing.T) {
	h := newHarness(t)
	in := channels.Inbound{Channel: "telegram", ExternalID: "main:2", ThreadKey: "main:9",
		From: channels.Party{Kind: desk.IdentityTelegram, Value: "9"}}
	for range desk.MaxAttachments + 1 {
		in.Attachments = append(in.Attachments, channels.Attachment{Data: []byte("x")})
	}
	if _, err := h.svc.Ingest(context.Background(), in); desk.CodeOf(err) != desk.CodeTooLarge {
		t.Fatalf("too many files: %v", err)
	}
	in.Attachments = []channels.Attachment{{Data: make([]byte, desk.MaxAttachmentBytes+1)}}
	if _, err := h.svc.Ingest(context.Background(), in); desk.CodeOf(err) != desk.CodeTooLarge {
		t.Fatalf("too big a file: %v", err)
	}
	// A file alone, without text, is a message.
	in.Attachments = []channels.Attachment{{Name: "a.pdf", MIME: "application/pdf", Data: []byte("%PDF")}}
	if _, err := h.svc.Ingest(context.Background(), in); err != nil {
		t.Fatalf("a file without text: %v", err)
	}
	if n := h.countTickets(); n != 1 {
		t.Fatalf("%d tickets, want 1", n)
	}
}

// upload posts a multipart reply with files.
func (h *harness) upload(ticketID, secret string, fields map[string]string, files map[string][]byte) (*http.Response, desk.Message) {
	h.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, v := range fields {
		_ = w.WriteField(k, v)
	}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		hdr := textproto.MIMEHeader{}
		hdr.Set("Content-Disposition", `form-data; name="file"; filename="`+name+`"`)
		if strings.HasSuffix(name, ".png") {
			hdr.Set("Content-Type", "image/png")
		} else {
			hdr.Set("Content-Type", "application/pdf")
		}
		part, _ := w.CreatePart(hdr)
		_, _ = part.Write(files[name])
	}
	_ = w.Close()
	req, _ := http.NewRequest("POST", h.srv.URL+"/api/v1/tickets/"+ticketID+"/messages", &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	var m desk.Message
	_ = json.NewDecoder(resp.Body).Decode(&m)
	return resp, m
}

func TestRepliesCarryFilesToTheChannel(t *testing.T) {
	h := newHarness(t)
	rec := &recorder{}
	h.startSender(rec)
	tk := h.inbound("m1", "cust", "请把合同发给我")
	pdf := bytes.Repeat([]byte("%PDF-1.7 合同 "), 1000)
	png := []byte("\x89PNG\r\n\x1a\n")
	resp, m := h.upload(tk.ID, h.agent, map[string]string{"text": "合同见附件"}, map[string][]byte{"a-合同.pdf": pdf, "b-scan.png": png})
	if resp.StatusCode != http.StatusCreated || m.Text != "合同见附件" {
		t.Fatalf("upload: %d %+v", resp.StatusCode, m)
	}
	waitFor(t, "delivery", func() bool {
		rec.mu.Lock()
		defer rec.mu.Unlock()
		return len(rec.sent) == 1
	})
	rec.mu.Lock()
	out := rec.sent[0]
	rec.mu.Unlock()
	if len(out.Attachments) != 2 || out.Attachments[0].Name != "a-合同.pdf" || !bytes.Equal(out.Attachments[0].Data, pdf) ||
		out.Attachments[1].MIME != "image/png" || !bytes.Equal(out.Attachments[1].Data, png) {
		t.Fatalf("outbound files = %d, first %q", len(out.Attachments), out.Attachments[0].Name)
	}
	var ms struct{ Messages []desk.Message }
	h.call("GET", "/api/v1/tickets/"+tk.ID+"/messages", h.agent, nil, &ms)
	if last := ms.Messages[len(ms.Messages)-1]; len(last.Attachments) != 2 {
		t.Fatalf("timeline files = %+v", last.Attachments)
	}
	// Files alone are a reply too; a file over the limit is refused whole.
	if resp, _ := h.upload(tk.ID, h.agent, nil, map[string][]byte{"only.pdf": pdf}); resp.StatusCode != http.StatusCreated {
		t.Fatalf("files without text: %d", resp.StatusCode)
	}
	if resp, _ := h.upload(tk.ID, h.agent, map[string]string{"text": "big"}, map[string][]byte{"big.pdf": make([]byte, desk.MaxAttachmentBytes+1)}); resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("file over the limit: %d", resp.StatusCode)
	}
	if resp, _ := h.upload(tk.ID, h.agent, map[string]string{"text": "huge"}, map[string][]byte{"huge.pdf": make([]byte, web.UploadLimit+1)}); resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("upload over the body limit: %d", resp.StatusCode)
	}
}
