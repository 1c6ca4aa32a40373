package web

import (
	"io/fs"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"

	"huiliu/desk"
	"huiliu/i18n"
)

func wantKey(t *testing.T, where, key string) {
	t.Helper()
	for _, lang := range i18n.Languages {
		if !i18n.Has(lang, key) {
			t.Errorf("%s uses %q, missing in %s", where, key, lang)
		}
	}
}

func TestEveryKeyTheTemplatesUseExists(t *testing.T) {
	re := regexp.MustCompile(`\{\{-?\s*(?:t|tf)\s+"([^"]+)"`)
	inner := regexp.MustCompile(`\((?:t|tf)\s+"([^"]+)"`)
	n := 0
	err := fs.WalkDir(templateFS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := templateFS.ReadFile(p)
		for _, r := range []*regexp.Regexp{re, inner} {
			for _, m := range r.FindAllStringSubmatch(string(b), -1) {
				wantKey(t, p, m[1])
				n++
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 50 {
		t.Fatalf("found only %d keys in the templates; is the pattern right?", n)
	}
	// Values translated by helper functions.
	for _, s := range []desk.Status{desk.StatusBot, desk.StatusOpen, desk.StatusPending, desk.StatusResolved, desk.StatusClosed} {
		wantKey(t, "status", "status."+string(s))
	}
	for _, p := range []desk.Priority{desk.PriorityLow, desk.PriorityNormal, desk.PriorityHigh, desk.PriorityUrgent} {
		wantKey(t, "priority", "priority."+string(p))
	}
	for _, d := range []desk.Delivery{desk.DeliveryPending, desk.DeliverySent, desk.DeliveryFailed} {
		wantKey(t, "delivery", "delivery."+string(d))
	}
	for _, r := range []desk.Role{desk.RoleAgent, desk.RoleSupervisor, desk.RoleAdmin} {
		wantKey(t, "role", "role."+string(r))
	}
	for _, v := range []string{viewMine, viewUnassigned, viewOwned, viewAll, viewAtRisk, viewBreached} {
		wantKey(t, "view", "view."+v)
	}
	for _, c := range channelChoices {
		wantKey(t, "channel", "channel."+c)
	}
	for _, k := range []string{desk.IdentityWebchat, desk.IdentityTelegram, desk.IdentityEmail, desk.IdentityPhone, desk.IdentityCustomerNo, desk.IdentityAPI} {
		wantKey(t, "identity", "identity."+k)
	}
	for _, a := range []string{"assign", "unassign", "transfer", "unroute", "status", "priority", "tag_add", "tag_remove",
		"identity_verified", "merge_refused", "contacts_merged", "category",
		"sla_escalation", "sla_followup_due", "followup_set", "callback_requested"} {
		wantKey(t, "system entries", "sys."+a)
	}
	for _, a := range []string{"outcome_confirmed", "outcome_confirmed_for", "returned_to_owner", "owner_notified"} {
		wantKey(t, "ownership entries", "sys."+a)
	}
	for _, s := range statusChoices {
		if s != "active" && s != "any" {
			wantKey(t, "status filter", "status."+s)
		}
	}
}

func TestEveryKeyTheScriptsUseIsSentToThem(t *testing.T) {
	call := regexp.MustCompile(`HL\.t\("([^"]+)"\s*[,)]`)
	prefix := regexp.MustCompile(`HL\.tv\("([^"]+)"`)
	dynamic := regexp.MustCompile(`HL\.t\("([a-z_]+\.)"\s*\+`)
	n := 0
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".js") {
			return err
		}
		b, _ := staticFS.ReadFile(p)
		for _, m := range call.FindAllStringSubmatch(string(b), -1) {
			n++
			wantKey(t, p, m[1])
			for _, lang := range i18n.Languages {
				if _, ok := jsCatalog(lang)[m[1]]; !ok {
					t.Errorf("%s uses %q, which is not sent to scripts", p, m[1])
				}
			}
		}
		for _, r := range []*regexp.Regexp{prefix, dynamic} {
			for _, m := range r.FindAllStringSubmatch(string(b), -1) {
				if !slices.Contains(jsPrefixes, m[1]) {
					t.Errorf("%s translates values under %q, which is not sent to scripts", p, m[1])
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 20 {
		t.Fatalf("found only %d keys in the scripts; is the pattern right?", n)
	}
	for _, s := range []string{"open", "connecting", "closed"} {
		wantKey(t, "desk.js live state", "live."+s)
	}
	if _, ok := jsCatalog(i18n.En)["login.password"]; ok {
		t.Error("the scripts get the whole catalog, not the part they use")
	}
}

func TestTemplatesParseAndDefineTheirParts(t *testing.T) {
	r, err := newRenderer()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range i18n.Languages {
		for _, f := range pageFiles {
			set := r.pages[lang][f]
			for _, name := range []string{"layout", "content", "help", "langswitch"} {
				if set.Lookup(name) == nil {
					t.Errorf("%s/%s lacks %q", lang, f, name)
				}
			}
		}
		for _, name := range []string{"inbox_fragment", "inbox_rows"} {
			if r.pages[lang]["inbox.html"].Lookup(name) == nil {
				t.Errorf("inbox.html lacks %q", name)
			}
		}
		if r.pages[lang]["ticket.html"].Lookup("ticket_fragment") == nil {
			t.Error("ticket.html lacks ticket_fragment")
		}
	}
	for name := range assets {
		if !strings.HasSuffix(name, ".js") && !strings.HasSuffix(name, ".css") && !strings.HasSuffix(name, ".svg") {
			t.Errorf("unexpected static file %s", name)
		}
	}
}

func TestLanguagePicking(t *testing.T) {
	for _, c := range []struct{ cookie, accept, want string }{
		{"", "", i18n.ZhCN},
		{"", "en-US,en;q=0.9", i18n.En},
		{"", "fr-FR, en;q=0.5, zh;q=0.8", i18n.ZhCN},
		{"", "de, en-GB;q=0.3", i18n.En},
		{"", "en;q=0", i18n.ZhCN},
		{"en", "zh-CN", i18n.En},
		{"zh-CN", "en", i18n.ZhCN},
		{"xx", "en", i18n.En},
		{"zh-TW", "en", i18n.ZhTW},
		{"", "zh-HK,en;q=0.5", i18n.ZhTW},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		if c.accept != "" {
			r.Header.Set("Accept-Language", c.accept)
		}
		if c.cookie != "" {
			r.Header.Set("Cookie", "lang="+c.cookie)
		}
		if got := pickLanguage(r); got != c.want {
			t.Errorf("cookie %q accept %q: %s, want %s", c.cookie, c.accept, got, c.want)
		}
	}
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"/tickets/1?x=y":   "/tickets/1?x=y",
		"//evil.example":   "/",
		"/\\evil.example":  "/",
		"https://evil/":    "/",
		"javascript:alert": "/",
		"tickets":          "/",
		"/a\r\nLocation:x": "/",
		"":                 "/",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}
