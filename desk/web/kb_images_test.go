package web_test

import (
	"context"
	"io"
	"net/http"
	"testing"

	"huiliu/desk"
	"huiliu/desk/web"
	"huiliu/kb"
	"huiliu/kb/help"
	"huiliu/store/storetest"
)

// A picture of an internal article reaches agents signed in to the desk
// (the help centre asks web.Identify) and no one else.
func TestInternalArticleImageNeedsAnAgent(t *testing.T) {
	h := newHarnessWith(t, storetest.New(t), desk.Options{}, func(o *web.Options) {
		hc := help.New(help.Options{KB: o.KB, Agent: func(r *http.Request) bool { _, ok := web.Identify(r); return ok }})
		o.Mounts = append(o.Mounts, web.Mount{Method: http.MethodGet, Path: "/help/*", Handler: hc})
	})
	ctx := context.Background()
	sys := desk.SystemActor("test")
	png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)...)
	img, err := h.kb.SaveImage(ctx, sys, "backoffice.png", png)
	if err != nil {
		t.Fatal(err)
	}
	a, err := h.kb.SaveDraft(ctx, sys, kb.Article{ID: "refund-tool", Locale: "zh-CN", Title: "后台退款操作",
		Visibility: kb.Internal, Body: "![后台](" + kb.ImageURL(img.ID) + ")"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.kb.Approve(ctx, sys, a.ID); err != nil {
		t.Fatal(err)
	}
	fetch := func(secret string) (int, string) {
		req, _ := http.NewRequest(http.MethodGet, h.srv.URL+kb.ImageURL(img.ID), nil)
		if secret != "" {
			req.Header.Set("Authorization", "Bearer "+secret)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := fetch(""); code != http.StatusNotFound || body == string(png) {
		t.Errorf("anonymous: %d", code)
	}
	if code, _ := fetch("not-a-token"); code != http.StatusNotFound {
		t.Errorf("bad token: %d", code)
	}
	if code, body := fetch(h.agent); code != http.StatusOK || body != string(png) {
		t.Errorf("agent: %d", code)
	}
}
