package web_test

import (
	"context"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"huiliu/channels"
	"huiliu/channels/api"
	"huiliu/channels/phone"
	"huiliu/desk"
	"huiliu/desk/web"
	"huiliu/store/storetest"
)

// fakeRecordings stands in for the call platform behind the proxy.
type fakeRecordings struct{ urls []string }

func (f *fakeRecordings) Fetch(_ context.Context, line, url string) (io.ReadCloser, string, error) {
	f.urls = append(f.urls, line+" "+url)
	return io.NopCloser(strings.NewReader("ID3-audio")), "audio/mpeg", nil
}

var audioSrc = regexp.MustCompile(`<audio[^>]* src="([^"]+)"`)

// TestCallEntryAndRecordingProxy: the ticket page shows the call with its
// facts and an <audio> whose signed link plays for that agent only, while
// they may see the ticket; the platform's address never reaches the page.
func TestCallEntryAndRecordingProxy(t *testing.T) {
	rec := &fakeRecordings{}
	h := newHarnessWith(t, storetest.New(t), desk.Options{}, func(o *web.Options) {
		o.Recordings, o.RecordingKey = rec, []byte(strings.Repeat("r", 32))
	})
	ctx := context.Background()
	at := time.Now().Add(-10 * time.Minute).UTC()
	var rc channels.CallReceipt
	for _, c := range []channels.Call{
		{Line: "hotline", CallID: "r-1", Direction: "in", Customer: "+8613800138000", State: channels.CallAnswered, At: at, Source: "webhook"},
		{Line: "hotline", CallID: "r-1", Direction: "in", Customer: "+8613800138000", State: channels.CallEnded, At: at.Add(95 * time.Second),
			Disposition: "还款日咨询", RecordingURL: "https://rec.example.com/secret-path/r-1.mp3", Source: "webhook"},
	} {
		var err error
		if rc, err = h.svc.RecordCall(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	browser := h.signIn("li@example.com")
	_, body := h.page(browser, "/tickets/"+rc.TicketID)
	wantContains(t, body, `data-hl="call"`, "还款日咨询", "1 分 35 秒", "来电", `data-hl="call-log-form"`, "phone_ticket.js", "记录一通电话")
	wantLacks(t, body, "rec.example.com", "secret-path")
	m := audioSrc.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no <audio> on the page:\n%s", body)
	}
	link := html.UnescapeString(m[1])
	if !strings.HasPrefix(link, "/desk/recordings/") {
		t.Fatalf("audio link %q", link)
	}
	resp, audio := h.page(browser, link)
	if resp.StatusCode != 200 || audio != "ID3-audio" || resp.Header.Get("Content-Type") != "audio/mpeg" {
		t.Fatalf("recording: %d %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), audio)
	}
	if len(rec.urls) != 1 || rec.urls[0] != "hotline https://rec.example.com/secret-path/r-1.mp3" {
		t.Fatalf("fetched %v", rec.urls)
	}
	if resp, _ := h.page(browser, strings.Replace(link, "sig=", "sig=0", 1)); resp.StatusCode != 404 {
		t.Errorf("tampered link: %d", resp.StatusCode)
	}
	// Another agent holding the link gets nothing: it is signed for li.
	h.createAgent("wang@example.com", "王五", desk.RoleAgent, "B")
	if resp, _ := h.page(h.signIn("wang@example.com"), link); resp.StatusCode != 404 {
		t.Errorf("someone else's link: %d", resp.StatusCode)
	}
	// li loses sight of the ticket: the link stops playing.
	h.moveToTeam(rc.TicketID, "B")
	if resp, _ := h.page(browser, link); resp.StatusCode != 404 || len(rec.urls) != 1 {
		t.Errorf("link after the ticket moved away: %d, fetched %d", resp.StatusCode, len(rec.urls))
	}
}

// TestScreenPopOverTheDeskSocket: a call ringing on an agent's extension
// reaches their desk socket as call.ringing, addressed to them, with the
// caller's number masked, verification state and open tickets.
func TestScreenPopOverTheDeskSocket(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	if err := h.svc.SetAgentExtension(ctx, desk.Actor{}, h.agentA.ID, "801"); err != nil {
		t.Fatal(err)
	}
	conn := h.mustDialWS(h.sessionCookie("li@example.com"), "?after="+h.pos(0))
	rc, err := h.svc.RecordCall(ctx, channels.Call{Line: "hotline", CallID: "pop-1", Direction: "in", Customer: "+8613800138000",
		Agent: "801", State: channels.CallRinging, Source: "webhook"})
	if err != nil {
		t.Fatal(err)
	}
	var pop *desk.Event
	var seen []string
	for pop == nil && len(seen) < 6 {
		f := readFrames(t, conn, 1)[0]
		if f.Event == nil {
			continue
		}
		seen = append(seen, f.Event.Type)
		if f.Event.Type == desk.EventCallRinging {
			pop = f.Event
		}
	}
	if pop == nil {
		t.Fatalf("no call.ringing among %v", seen)
	}
	raw, _ := json.Marshal(pop.Data)
	var d desk.CallRingingData
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatal(err)
	}
	if pop.TicketID != rc.TicketID || len(d.Recipients) != 1 || d.Recipients[0] != h.agentA.ID || d.Verified ||
		d.Number == "" || strings.Contains(d.Number, "13800138000") || len(d.OpenTickets) != 1 || d.OpenTickets[0].ID != rc.TicketID {
		t.Fatalf("pop %s", raw)
	}
}

// TestCallWrapUpOnThePage: the agent who had an ended call gets its
// wrap-up form on the ticket page and in the entry the live page fetches
// (translated, unlike the entry's English text), and the end of the call
// reaches their desk socket as call.ended; another agent gets no form.
func TestCallWrapUpOnThePage(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	if err := h.svc.SetAgentExtension(ctx, desk.Actor{}, h.agentA.ID, "801"); err != nil {
		t.Fatal(err)
	}
	conn := h.mustDialWS(h.sessionCookie("li@example.com"), "?after="+h.pos(0))
	at := time.Now().Add(-5 * time.Minute).UTC()
	var rc channels.CallReceipt
	for _, c := range []channels.Call{
		{Line: "hotline", CallID: "w-1", Direction: "in", Customer: "+8613800138000", Agent: "801", State: channels.CallAnswered, At: at, Source: "webhook"},
		{Line: "hotline", CallID: "w-1", Direction: "in", Customer: "+8613800138000", Agent: "801", State: channels.CallEnded, At: at.Add(65 * time.Second), Source: "webhook"},
	} {
		var err error
		if rc, err = h.svc.RecordCall(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	var ended *desk.Event
	for i := 0; ended == nil && i < 8; i++ {
		if f := readFrames(t, conn, 1)[0]; f.Event != nil && f.Event.Type == desk.EventCallEnded {
			ended = f.Event
		}
	}
	if ended == nil {
		t.Fatal("no call.ended on the agent's socket")
	}
	raw, _ := json.Marshal(ended.Data)
	var d desk.CallEndedData
	if err := json.Unmarshal(raw, &d); err != nil || ended.TicketID != rc.TicketID || len(d.Recipients) != 1 ||
		d.Recipients[0] != h.agentA.ID || d.CallID == "" || strings.Contains(d.Number, "13800138000") {
		t.Fatalf("call.ended %s (%v)", raw, err)
	}
	li := h.signIn("li@example.com")
	_, body := h.page(li, "/tickets/"+rc.TicketID)
	wantContains(t, body, `data-hl="call-wrapup-form"`, `id="wrap-`+d.CallID+`"`, "通话小结", "承诺还款")
	_, frag := h.page(li, "/desk/messages/"+rc.MessageID+"/entry")
	wantContains(t, frag, `data-hl="call"`, "来电", "1 分 5 秒", `data-hl="call-wrapup-form"`)
	wantLacks(t, frag, "Call from")

	if _, err := h.svc.WrapUpCall(ctx, h.agentA, d.CallID, "客户答应周五还款", "promise_to_pay"); err != nil {
		t.Fatal(err)
	}
	_, frag = h.page(li, "/desk/messages/"+rc.MessageID+"/entry")
	wantContains(t, frag, "客户答应周五还款", `<option value="promise_to_pay" selected>`)

	h.createAgent("wang@example.com", "王五", desk.RoleAgent)
	_, other := h.page(h.signIn("wang@example.com"), "/desk/messages/"+rc.MessageID+"/entry")
	wantContains(t, other, "承诺还款")
	wantLacks(t, other, `data-hl="call-wrapup-form"`)
}

// TestOpenCallbacksView: a missed call puts its ticket in the "open
// callbacks" view with the deadline, counted beside the view, for agents
// who may see it; reaching the customer takes it out.
func TestOpenCallbacksView(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	rc, err := h.svc.RecordCall(ctx, channels.Call{Line: "hotline", CallID: "cb-1", Direction: "in", Customer: "+8613800138000",
		State: channels.CallMissed, Source: "webhook"})
	if err != nil {
		t.Fatal(err)
	}
	fs, err := h.db.Followups(ctx, rc.TicketID)
	if err != nil || len(fs) != 1 {
		t.Fatalf("follow-ups %+v %v", fs, err)
	}
	li := h.signIn("li@example.com")
	_, body := h.page(li, "/inbox?view=callbacks")
	wantContains(t, body, "待回电", `data-ticket-id="`+rc.TicketID+`"`, "回电期限", `datetime="`+fs[0].DueAt.UTC().Format(time.RFC3339)+`"`,
		`data-hl="count-callbacks">1<`)
	h.moveToTeam(rc.TicketID, "B")
	if _, body := h.page(li, "/inbox?view=callbacks"); strings.Contains(body, rc.TicketID) {
		t.Error("a ticket of another team is in the callbacks view")
	}
	h.createAgent("sup@example.com", "赵主管", desk.RoleSupervisor, "B")
	sup := h.signIn("sup@example.com")
	if _, body := h.page(sup, "/inbox?view=callbacks"); !strings.Contains(body, rc.TicketID) {
		t.Error("team B's supervisor does not see its callback")
	}
	if _, err := h.svc.RecordCall(ctx, channels.Call{Line: "hotline", CallID: "cb-2", Direction: "out", Customer: "+8613800138000",
		State: channels.CallAnswered, Source: "webhook"}); err != nil {
		t.Fatal(err)
	}
	if _, body := h.page(sup, "/inbox?view=callbacks"); strings.Contains(body, rc.TicketID) {
		t.Error("a ticket whose callback was made is still in the view")
	}
}

// TestClickToCall: the dial button beside the contact's number asks the
// (fake) call platform, signed with the line's secret, to ring the agent's
// extension and dial the number; an agent without an extension and a
// platform that refuses get translated errors.
func TestClickToCall(t *testing.T) {
	const secret = "line-secret-0123456789"
	var got []phone.DialRequest
	refuse := false
	platform := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := api.Verify(secret, r.Header.Get(api.HeaderTimestamp), r.Header.Get(api.HeaderSignature), body, time.Now(), time.Minute); err != nil {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		var d phone.DialRequest
		_ = json.Unmarshal(body, &d)
		got = append(got, d)
		if refuse {
			http.Error(w, "busy", http.StatusServiceUnavailable)
		}
	}))
	defer platform.Close()
	dialer := phone.NewDialer([]phone.Line{{Name: "hotline", Secret: secret, ClickToCallURL: platform.URL}}, platform.Client())
	h := newHarnessWith(t, storetest.New(t), desk.Options{Dialer: dialer})
	ctx := context.Background()
	rc, err := h.svc.RecordCall(ctx, channels.Call{Line: "hotline", CallID: "d-1", Direction: "in", Customer: "+8613800138000",
		State: channels.CallMissed, Source: "webhook"})
	if err != nil {
		t.Fatal(err)
	}
	li := h.signIn("li@example.com")
	_, body := h.page(li, "/tickets/"+rc.TicketID)
	m := regexp.MustCompile(`data-hl="dial" data-identity-id="([^"]+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no dial button on the ticket page")
	}
	wantContains(t, body, "拨打")
	dial := func() (int, string) {
		var e apiError
		res := h.call("POST", "/api/v1/tickets/"+rc.TicketID+"/dial", h.agent, map[string]any{"identity_id": m[1]}, &e, "Accept-Language", "zh-CN")
		return res.StatusCode, e.Error.Message
	}
	if code, b := dial(); code != http.StatusConflict || !strings.Contains(b, "您还没有分机号") || len(got) != 0 {
		t.Fatalf("dial without an extension: %d %s, platform got %v", code, b, got)
	}
	if err := h.svc.SetAgentExtension(ctx, desk.Actor{}, h.agentA.ID, "801"); err != nil {
		t.Fatal(err)
	}
	if code, b := dial(); code != http.StatusAccepted || len(got) != 1 ||
		got[0] != (phone.DialRequest{Line: "hotline", Extension: "801", Number: "+8613800138000", RequestID: got[0].RequestID}) || got[0].RequestID == "" {
		t.Fatalf("dial: %d %s, platform got %+v", code, b, got)
	}
	refuse = true
	if code, b := dial(); code != http.StatusServiceUnavailable || !strings.Contains(b, "呼叫平台未能发起呼叫") {
		t.Fatalf("refused dial: %d %s", code, b)
	}
}

// fakeImports stands in for cmd/huiliu's importer of call records.
type fakeImports struct{ got []string }

func (f *fakeImports) Lines() []string { return []string{"hotline", "collect"} }

func (f *fakeImports) Import(_ context.Context, _ desk.Actor, line, format string, r io.Reader) (desk.CallImportSummary, error) {
	b, _ := io.ReadAll(r)
	f.got = append(f.got, line+" "+format+" "+string(b))
	return desk.CallImportSummary{Imported: 1, Bad: []desk.ImportProblem{{Line: 2, Error: "bad time"}}}, nil
}

// TestCallImportPage: admins get the upload form with the lines and
// presets (translated) and the API hands the file as it came to the
// importer; agents get neither.
func TestCallImportPage(t *testing.T) {
	imp := &fakeImports{}
	h := newHarnessWith(t, storetest.New(t), desk.Options{}, func(o *web.Options) { o.CallImports = imp })
	_, body := h.page(h.signIn("admin@example.com"), "/admin/phone")
	wantContains(t, body, "通话记录导入", `<option value="collect">`, "带表头的 CSV", "phone_admin.js", `data-hl="nav-phone"`)
	if resp, _ := h.page(h.signIn("li@example.com"), "/admin/phone"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("agent: %d", resp.StatusCode)
	}
	var sum desk.CallImportSummary
	res := h.call("POST", "/api/v1/phone/imports?line=collect&format=generic", h.admin, "a,b\n1,2\n", &sum, "Content-Type", "text/csv")
	if res.StatusCode != http.StatusOK || sum.Imported != 1 || len(sum.Bad) != 1 || sum.Bad[0].Line != 2 ||
		len(imp.got) != 1 || imp.got[0] != "collect generic a,b\n1,2\n" {
		t.Fatalf("upload: %d %+v %q", res.StatusCode, sum, imp.got)
	}
	if res := h.call("POST", "/api/v1/phone/imports?line=collect&format=generic", h.agent, "a\n", nil, "Content-Type", "text/csv"); res.StatusCode != http.StatusForbidden {
		t.Errorf("agent upload: %d", res.StatusCode)
	}
}
