package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"huiliu/kb"
)

// A supervisor withdraws a published article from the editor: readers no
// longer find it (help centre, search, bot and widget suggestions all read
// the published articles of kb), the audit log says who did it, and
// submitting and approving it publishes it again.
func TestKBUnpublishAndRepublish(t *testing.T) {
	h := newHarness(t)
	h.demoArticles()
	ctx := context.Background()
	agent, sup := h.signIn("li@example.com"), h.signIn("admin@example.com")
	const id = "deposit-free"
	found := func() bool {
		hits, err := h.kb.Suggest(ctx, "免押金", "zh-CN", kb.AudiencePublic, 3)
		if err != nil {
			t.Fatal(err)
		}
		for _, hit := range hits {
			if hit.Article.ID == id {
				return true
			}
		}
		return false
	}
	if !found() {
		t.Fatal("the demo article is not found before the test")
	}
	if _, body := h.page(agent, "/kb/articles/"+id); strings.Contains(body, `data-hl="kb-unpublish"`) {
		t.Error("an agent is offered to unpublish")
	}
	if _, body := h.page(sup, "/kb/articles/"+id); !strings.Contains(body, `data-hl="kb-unpublish"`) {
		t.Error("a supervisor is not offered to unpublish")
	}

	var a kb.Article
	if r := h.call(http.MethodPost, "/api/v1/kb/articles/"+id+"/unpublish", h.admin, nil, &a); r.StatusCode != http.StatusOK || a.Status != kb.Draft {
		t.Fatalf("unpublish: %d %s", r.StatusCode, a.Status)
	}
	if found() {
		t.Error("the withdrawn article is still suggested")
	}
	if _, err := h.kb.Published(ctx, id, "zh-CN", kb.AudiencePublic); err == nil {
		t.Error("the help centre still shows the withdrawn article")
	}
	if r := h.call(http.MethodPost, "/api/v1/kb/articles/"+id+"/unpublish", h.admin, nil, nil); r.StatusCode != http.StatusConflict {
		t.Errorf("unpublishing twice: %d, want 409", r.StatusCode)
	}
	var audit struct {
		Entries []struct {
			ActorID string `json:"actor_id"`
			Target  string `json:"target"`
		} `json:"entries"`
	}
	h.call(http.MethodGet, "/api/v1/audit?action=kb.unpublish", h.admin, nil, &audit)
	if len(audit.Entries) != 1 || audit.Entries[0].Target != id || audit.Entries[0].ActorID == "" {
		t.Errorf("audit: %+v", audit.Entries)
	}
	_, body := h.page(sup, "/kb/articles/"+id, "Accept-Language", "en")
	if !strings.Contains(body, "Withdrawn (last published: version 1)") || strings.Contains(body, `data-hl="kb-unpublish"`) {
		t.Error("the editor does not show the article as withdrawn")
	}

	if r := h.call(http.MethodPost, "/api/v1/kb/articles/"+id+"/submit", h.agent, nil, nil); r.StatusCode != http.StatusOK {
		t.Fatalf("submit: %d", r.StatusCode)
	}
	if r := h.call(http.MethodPost, "/api/v1/kb/articles/"+id+"/review", h.admin, map[string]any{"approve": true}, &a); r.StatusCode != http.StatusOK || a.Version != 2 {
		t.Fatalf("approve again: %d, version %d", r.StatusCode, a.Version)
	}
	if !found() {
		t.Error("the republished article is not found")
	}
}
