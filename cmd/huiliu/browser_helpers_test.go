package main

// Helpers for the real-browser tests (browser_test.go): a headless
// Chromium, one isolated browser context per person, a customer's shop page
// on another loopback address that embeds the widget, and polling waits.
//
// Chromium is looked up on PATH as "chromium" (Debian) or
// "chromium-browser". Without it the browser tests skip, except when CI is
// set: CI installs Chromium (.ci/run) and a skip there would hide a broken
// desk, so they fail instead.

import (
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"huiliu/channels/webchat"
)

// browserWait bounds every wait for something to appear on a page. It is a
// limit for a hang, not a performance assertion: the waits poll and return
// as soon as the condition holds.
const browserWait = 15 * time.Second

// chromiumPath finds the browser or ends the test as the file comment says.
func chromiumPath(t *testing.T) string {
	t.Helper()
	// .ci/run drives the browser in its embedded pass only: the pages are
	// the same on PostgreSQL, and the journeys are the slowest tests.
	if os.Getenv("HUILIU_BROWSER_TESTS") == "off" {
		t.Skip("HUILIU_BROWSER_TESTS=off: the browser journeys run in the other pass")
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("browser tests need Chromium and CI is set: install the Debian packages chromium and fonts-wqy-microhei (.ci/run does)")
	}
	t.Skip("Chromium not found (chromium or chromium-browser on PATH); install chromium and fonts-wqy-microhei to run the browser tests")
	return ""
}

// startBrowser starts one headless Chromium for the test and returns its
// root context; people get their own contexts from newPerson.
func startBrowser(t *testing.T) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Headless,
		chromedp.NoSandbox, // the tests run as root, where Chromium's sandbox refuses to start
		chromedp.DisableGPU,
		chromedp.WindowSize(1280, 900),
		chromedp.Flag("lang", "zh-CN"),
		chromedp.Flag("accept-lang", "zh-CN,zh"),
		chromedp.UserDataDir(t.TempDir()),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	root, cancelRoot := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancelRoot(); cancelAlloc() })
	// The first Run starts the browser and binds it to root, so it gets no
	// timeout of its own.
	if err := chromedp.Do(root); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return root
}

// person is one browser context: its own cookie jar, localStorage and tab,
// as if a different person on a different computer.
type person struct {
	t    *testing.T
	name string
	ctx  context.Context

	mu      sync.Mutex
	console []string
}

func newPerson(t *testing.T, browser context.Context, name string) *person {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	p := &person{t: t, name: name, ctx: ctx}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatalf("%s: open tab: %v", name, err)
	}
	// The console explains a failure (a refused socket, a script error);
	// it is printed only when the test fails.
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			p.mu.Lock()
			p.console = append(p.console, fmt.Sprintf("%s:%d %s", m.URL, m.Line+1, m.String()))
			p.mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		if !t.Failed() {
			return
		}
		p.mu.Lock()
		defer p.mu.Unlock()
		if len(p.console) > 0 {
			t.Logf("%s's browser console:\n  %s", name, strings.Join(p.console, "\n  "))
		}
	})
	return p
}

// do runs actions with a bound, failing the test with what went wrong.
func (p *person) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 2*browserWait)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		p.fail("%s: %v", what, err)
	}
}

// eval evaluates a script on the page and decodes its value into out.
func (p *person) eval(script string, out any) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, browserWait)
	defer cancel()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](script))
	if err != nil {
		p.fail("evaluate %s: %v", abbrev(script), err)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			p.fail("decode %s from %s: %v", raw, abbrev(script), err)
		}
	}
}

// waitFor polls the page until the expression is truthy, or fails the test
// with what the page shows and a screenshot.
func (p *person) waitFor(what, expr string) {
	p.t.Helper()
	p.waitForWithin(browserWait, what, expr)
}

// waitForWithin is waitFor with another bound, for what legitimately takes
// longer than browserWait (a reconnect after the widget's backoff).
func (p *person) waitForWithin(bound time.Duration, what, expr string) {
	p.t.Helper()
	deadline := time.Now().Add(bound)
	for {
		left := time.Until(deadline)
		ctx, cancel := context.WithTimeout(p.ctx, left+5*time.Second)
		_, err := chromedp.Run(ctx, chromedp.Poll[bool]("!!("+expr+")",
			chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(left)))
		cancel()
		if err == nil {
			return
		}
		// A navigation (a form submit, a redirect) ends the poll's page;
		// poll again on the new one until the deadline.
		if time.Until(deadline) <= 0 || p.ctx.Err() != nil {
			p.fail("waiting for %s: %v", what, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// fail records what the page shows, saves a screenshot and ends the test.
func (p *person) fail(format string, args ...any) {
	p.t.Helper()
	msg := fmt.Sprintf(format, args...)
	ctx, cancel := context.WithTimeout(p.ctx, 5*time.Second)
	defer cancel()
	if loc, err := chromedp.Run(ctx, chromedp.Location()); err == nil {
		msg += "\n" + p.name + "'s page: " + loc
	}
	if text, err := chromedp.Run(ctx, chromedp.Evaluate[string](pageTextJS)); err == nil {
		msg += "\nit shows:\n" + text
	}
	if png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot()); err == nil {
		path := filepath.Join(artifactsDir(p.t), "failed-"+sanitizeName(p.t.Name())+"-"+p.name+".png")
		if os.WriteFile(path, png, 0o644) == nil {
			msg += "\nscreenshot: " + path
		}
	}
	p.t.Fatal(msg)
}

// pageTextJS is the visible text of the page and of the widget's shadow
// root, which innerText of the body does not include.
const pageTextJS = `(() => {
  let s = document.body ? document.body.innerText : '';
  const h = document.querySelector('[data-hl=host]');
  if (h && h.shadowRoot) s += '\n[widget] ' + h.shadowRoot.querySelector('[data-hl=root]').innerText;
  return s.slice(0, 4000);
})()`

// screenshot saves the tab's viewport as a PNG artifact.
func (p *person) screenshot(name string) string {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, browserWait)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		p.fail("screenshot %s: %v", name, err)
	}
	path := filepath.Join(artifactsDir(p.t), name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		p.t.Fatal(err)
	}
	p.t.Logf("screenshot: %s", path)
	return path
}

// typeText puts text into the focused element the way an input method
// commits a phrase (Input.insertText), which is how Chinese reaches a page;
// key events per character would not be.
func (p *person) typeText(what, text string) {
	p.t.Helper()
	p.do("type "+what, func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, t, input.InsertText, input.InsertTextParams{Text: text})
		return chromedp.Void{}, err
	})
}

// artifactsDir is $HUILIU_ARTIFACTS or artifacts/screenshots at the repo
// root (gitignored), created on first use.
func artifactsDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("HUILIU_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join("..", "..", "artifacts", "screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

func sanitizeName(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '/' || r == ' ' || r == ':' {
			return '_'
		}
		return r
	}, s)
}

func abbrev(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 120 {
		return s[:120] + "…"
	}
	return s
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// ---- the desk under test -------------------------------------------------

// browserEnv is the store for a browser test's nodes: a fresh SQLite
// directory with in-process queues, or, when CI's second pass sets
// DATABASE_URL or REDIS_URL (or the test runs several nodes), the shared
// PostgreSQL/Redis backends.
func browserEnv(t *testing.T, shared bool) []string {
	t.Helper()
	if shared || os.Getenv("DATABASE_URL") != "" || os.Getenv("REDIS_URL") != "" {
		return sharedBackends(t)
	}
	return []string{"HUILIU_DATA=" + t.TempDir(), "DATABASE_URL=", "REDIS_URL="}
}

type deskAgent struct {
	ID         string `json:"id"`
	Email      string `json:"email"`
	Name       string `json:"name"`
	EmployeeNo string `json:"employee_no"`
	password   string
	token      string // a script session (hls_…) acting as the agent
}

type deskSite struct {
	ID     string `json:"id"`
	Key    string `json:"key"`
	Secret string `json:"secret"`
}

// browserDesk is one desk as the browser tests need it: an admin token, an
// agent in a team, and a site whose widget is embedded on a shop page.
type browserDesk struct {
	t     *testing.T
	env   []string
	url   string // the desk, as the browsers reach it
	admin string // admin API token
	agent deskAgent
	site  deskSite
	shop  *shopServer
}

// setupDesk creates the accounts and the site on the desk at url and
// starts the shop page that embeds its widget.
func setupDesk(t *testing.T, env []string, url, admin string) *browserDesk {
	t.Helper()
	d := &browserDesk{t: t, env: env, url: url, admin: admin}
	d.shop = newShop(t, url)
	d.agent = deskAgent{Email: "lin.xiaoyu@example.com", password: "浏览器测试 password 1"}
	body, _ := json.Marshal(map[string]any{"email": d.agent.Email, "name": "林晓雨", "role": "agent",
		"password": d.agent.password, "teams": []string{"在线客服组"}})
	if st := apiCall(t, url, admin, "POST", "/api/v1/agents", string(body), &d.agent); st != 201 || d.agent.EmployeeNo == "" {
		t.Fatalf("create agent: %d %+v", st, d.agent)
	}
	var sess struct {
		Token string `json:"token"`
	}
	login, _ := json.Marshal(map[string]string{"email": d.agent.Email, "password": d.agent.password, "mode": "token"})
	if st := apiCall(t, url, "", "POST", "/api/v1/sessions", string(login), &sess); (st != 201 && st != 200) || sess.Token == "" {
		t.Fatalf("agent script session: %d", st)
	}
	d.agent.token = sess.Token
	site, _ := json.Marshal(map[string]any{"name": "租机商城 · 测试店", "origins": []string{d.shop.origin},
		"greeting": "您好，欢迎来到租机商城在线客服。", "hours_note": "工作日 9:00–18:00"})
	if st := apiCall(t, url, admin, "POST", "/api/v1/sites", string(site), &d.site); st != 201 || d.site.Key == "" {
		t.Fatalf("create site: %d %+v", st, d.site)
	}
	if st := apiCall(t, url, admin, "POST", "/api/v1/sites/"+d.site.ID+"/secret", "", &d.site); st != 200 || d.site.Secret == "" {
		t.Fatalf("reveal the site's secret: %d", st)
	}
	d.shop.siteKey = d.site.Key
	return d
}

// reply posts an agent's public reply through the REST API, as the agent.
func (d *browserDesk) reply(base, ticketID, text string) string {
	d.t.Helper()
	var m struct {
		ID string `json:"id"`
	}
	body, _ := json.Marshal(map[string]string{"kind": "reply", "text": text})
	if st := apiCall(d.t, base, d.agent.token, "POST", "/api/v1/tickets/"+ticketID+"/messages", string(body), &m); st != 201 || m.ID == "" {
		d.t.Fatalf("reply through the API on %s: %d", base, st)
	}
	return m.ID
}

// deskMessage is a timeline entry as the API lists it.
type deskMessage struct {
	ID        string `json:"id"`
	Direction string `json:"direction"`
	Text      string `json:"text"`
}

func (d *browserDesk) messages(ticketID string) []deskMessage {
	d.t.Helper()
	var out struct {
		Messages []deskMessage `json:"messages"`
	}
	if st := apiCall(d.t, d.url, d.admin, "GET", "/api/v1/tickets/"+ticketID+"/messages", "", &out); st != 200 {
		d.t.Fatalf("list messages of %s: %d", ticketID, st)
	}
	return out.Messages
}

// login signs the agent in through the desk's login form and waits for the
// inbox with its live connection open.
func (d *browserDesk) login(p *person, next string) {
	p.t.Helper()
	p.do("open the login page", chromedp.Navigate(d.url+"/login?next="+next),
		chromedp.WaitVisible(chromedp.CSS(`[data-hl="login-email"]`)),
		chromedp.SendKeys(chromedp.CSS(`[data-hl="login-email"]`), d.agent.Email))
	p.do("focus the password", chromedp.Focus(chromedp.CSS(`[data-hl="login-password"]`)))
	p.typeText("the password", d.agent.password)
	p.do("submit the login form", chromedp.Click(chromedp.CSS(`[data-hl="login-submit"]`)))
	p.waitFor("the desk after login", `location.pathname !== '/login' && document.querySelector('[data-hl="me"]')`)
	d.waitLive(p)
}

// waitLive waits until the desk page's live connection is open.
func (d *browserDesk) waitLive(p *person) {
	p.t.Helper()
	p.waitFor("the desk's live connection", `document.querySelector('[data-hl="live-status"][data-state="open"]')`)
}

// ---- the customer's shop page ----------------------------------------------

// shopServer is a customer's website on another loopback address
// (127.0.0.2), so the widget is embedded across sites as in production: a
// different origin and a different cookie site from the desk on 127.0.0.1.
type shopServer struct {
	*httptest.Server
	origin  string
	desk    string
	siteKey string

	mu       sync.Mutex
	lang     string // the page's <html lang>; zh-CN unless a test sets it
	identity *shopIdentity
}

// shopIdentity is what the shop signs for a logged-in customer.
type shopIdentity struct {
	CustomerNo string `json:"customer_no"`
	Name       string `json:"name"`
	IAT        int64  `json:"iat"`
	Sig        string `json:"sig"`
}

var shopPage = template.Must(template.New("shop").Parse(`<!doctype html>
<html lang="{{.Lang}}">
<head><meta charset="utf-8"><title>租机商城 · 我的订单</title>
<style>body{font-family:"WenQuanYi Micro Hei",sans-serif;margin:40px;color:#222}</style></head>
<body>
<h1>租机商城</h1>
<p>这是一个模拟的客户网站：手机、笔记本电脑按月租赁，支持分期还款。</p>
{{if .Identity}}<script>window.HuiliuIdentity = {{.Identity}};</script>
{{end}}<script src="{{.Desk}}/widget.js" data-site="{{.Key}}" async></script>
</body>
</html>
`))

func newShop(t *testing.T, desk string) *shopServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Skipf("this machine has no 127.0.0.2 loopback for the shop page: %v", err)
	}
	s := &shopServer{desk: desk, lang: "zh-CN"}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		s.mu.Lock()
		data := struct {
			Desk, Key, Lang string
			Identity        *shopIdentity
		}{s.desk, s.siteKey, s.lang, s.identity}
		s.mu.Unlock()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_ = shopPage.Execute(w, data)
	}))
	s.Listener.Close()
	s.Listener = ln
	s.Start()
	t.Cleanup(s.Close)
	s.origin = s.URL
	return s
}

// signIn makes the shop page vouch for a customer, signed with the site
// secret as docs/webchat.md describes.
func (s *shopServer) signIn(secret, customerNo, name string) {
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.identity = &shopIdentity{CustomerNo: customerNo, Name: name, IAT: now.Unix(),
		Sig: webchat.SignIdentity([]byte(secret), customerNo, name, now)}
}

// ---- the widget ------------------------------------------------------------

// widgetJS reaches into the widget's open shadow root.
const widgetJS = `(document.querySelector('[data-hl=host]') && document.querySelector('[data-hl=host]').shadowRoot)`

func widgetSel(hl string) chromedp.JSPath {
	return chromedp.JSPath(widgetJS + `.querySelector('[data-hl="` + hl + `"]')`)
}

// widgetMsg is one message as the widget shows it.
type widgetMsg struct {
	ID    string `json:"id"`
	From  string `json:"from"`
	State string `json:"state"`
	Meta  string `json:"meta"`
	Text  string `json:"text"`
}

const widgetMessagesJS = `Array.from(` + widgetJS + `.querySelectorAll('[data-hl="msg"]')).map(e => ({
  id: e.getAttribute('data-id') || '', from: e.getAttribute('data-from') || '', state: e.getAttribute('data-state') || '',
  meta: (e.querySelector('[data-hl="msg-meta"]') || {}).textContent || '',
  text: (e.querySelector('[data-hl="msg-text"]') || {}).textContent || ''}))`

func widgetMessages(p *person) []widgetMsg {
	p.t.Helper()
	var out []widgetMsg
	p.eval(widgetMessagesJS, &out)
	return out
}

// openShop loads the shop page and opens the chat panel with a click on the
// launcher.
func openShop(p *person, shop *shopServer) {
	p.t.Helper()
	p.do("open the shop page", chromedp.Navigate(shop.URL+"/"))
	p.waitFor("the widget's launcher", widgetJS+` && `+widgetJS+`.querySelector('[data-hl="launcher"]')`)
	p.do("click the launcher", chromedp.Click(widgetSel("launcher")))
	p.waitFor("the open chat panel", `!`+widgetJS+`.querySelector('[data-hl="panel"]').hidden`)
}

// widgetSend types text into the widget and presses its send button.
func widgetSend(p *person, text string) {
	p.t.Helper()
	p.do("focus the widget input", chromedp.Focus(widgetSel("input")))
	p.typeText("into the widget", text)
	p.do("click send", chromedp.Click(widgetSel("send")))
}

// waitWidgetText waits until a delivered message (not a pending copy) with
// exactly this text is in the widget.
func waitWidgetText(p *person, from, text string) {
	p.t.Helper()
	waitWidgetTextWithin(p, browserWait, from, text)
}

func waitWidgetTextWithin(p *person, bound time.Duration, from, text string) {
	p.t.Helper()
	p.waitForWithin(bound, fmt.Sprintf("%s message %q in the widget", from, text),
		`Array.from(`+widgetJS+`.querySelectorAll('[data-hl="msg"][data-from="`+from+`"][data-state="sent"]')).some(e => e.querySelector('[data-hl="msg-text"]').textContent === `+jsString(text)+`)`)
}
