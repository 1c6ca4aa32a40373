package main

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"huiliu/channels/telegram/telegramtest"
)

// TestBrowserAdminAddsAgentAndTelegramBot: an admin, in Chinese and then
// in English, adds an agent on the agents page and a Telegram bot on the
// Telegram page (a mistyped token is refused in the page's language, the
// right one is checked with the fake Bot API and saved without showing
// it), sees the bot working and a customer's message received, sends a
// test message, then removes the bot; the Telegram page fits a 390 px
// screen. Screenshots of each language at 1280 and 390 px.
func TestBrowserAdminAddsAgentAndTelegramBot(t *testing.T) {
	const token = "515151:browser-journey_token"
	fake := telegramtest.New(t, token)
	browser := startBrowser(t)
	env := append(browserEnv(t, false), "HUILIU_TELEGRAM_API_ENDPOINT="+fake.Endpoint(), "HUILIU_TELEGRAM_FILE_ENDPOINT="+fake.FileEndpoint())
	admin := adminToken(t, env, "admin@example.com")
	d := &browserDesk{t: t, env: env, url: node(t, env), admin: admin,
		agent: deskAgent{Email: "admin@example.com", password: "long enough pw"}}
	p := newPerson(t, browser, "admin")
	d.login(p, "/admin/agents")

	for _, c := range []struct {
		lang, agent, email, bot, refused, sent, working string
		chat                                            int64
	}{
		{lang: "zh-CN", agent: "周小满", email: "zhou@example.com", bot: "shop", refused: "Telegram 拒绝了此令牌", sent: "已发送", working: "正常", chat: 700001},
		{lang: "en", agent: "Alex Wu", email: "alex@example.com", bot: "rental", refused: "Telegram refuses this token", sent: "Sent.", working: "Working", chat: 700002},
	} {
		p.do("switch to "+c.lang, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(d.url+"/lang?set="+c.lang+"&next=/admin/agents"))
		p.waitFor("the agents page", `document.querySelector('[data-hl="agent-form"]')`)
		p.do("focus the email", chromedp.Focus(chromedp.CSS(`[data-hl="agent-email"]`)))
		p.typeText("the email", c.email)
		p.do("focus the name", chromedp.Focus(chromedp.CSS(`[data-hl="agent-name"]`)))
		p.typeText("the name", c.agent)
		p.do("focus the password", chromedp.Focus(chromedp.CSS(`[data-hl="agent-password"]`)))
		p.typeText("the password", "新同事的密码 long enough")
		p.do("add the agent", chromedp.Click(chromedp.CSS(`[data-hl="agent-add"]`)))
		p.waitFor("the agent in the list", `Array.from(document.querySelectorAll('[data-hl="agent-row"]')).some(r => r.textContent.includes(`+jsString(c.agent)+`))`)

		// The settings menu opens from the keyboard.
		p.do("focus the settings menu", chromedp.Focus(chromedp.CSS(`[data-hl="nav-admin-open"]`)))
		p.do("open it with Enter", chromedp.KeyEvent("\r"))
		p.waitFor("the menu open", `document.querySelector('[data-hl="nav-admin"]').open`)
		p.do("open the Telegram page from the menu", chromedp.Click(chromedp.CSS(`[data-hl="nav-telegram"]`)))
		p.waitFor("the Telegram page", `document.querySelector('[data-hl="tg-form"]')`)
		p.do("focus the bot's name", chromedp.Focus(chromedp.CSS(`[data-hl="tg-name"]`)))
		p.typeText("the bot's name", c.bot)
		p.do("focus the token", chromedp.Focus(chromedp.CSS(`[data-hl="tg-token"]`)))
		p.typeText("a mistyped token", "515151:mistyped")
		p.do("save with the mistyped token", chromedp.Click(chromedp.CSS(`[data-hl="tg-save"]`)))
		p.waitFor("the refusal in "+c.lang, `document.querySelector('[data-hl="admin-status"].error') && document.querySelector('[data-hl="admin-status"]').textContent.includes(`+jsString(c.refused)+`)`)
		p.eval(`document.querySelector('[data-hl="tg-token"]').value = ''`, nil)
		p.typeText("the right token", token)
		p.do("save the bot", chromedp.Click(chromedp.CSS(`[data-hl="tg-save"]`)))
		p.waitFor("the bot in the list, working", `(function () {
			var r = document.querySelector('[data-hl="tg-bot"][data-name="`+c.bot+`"]');
			return r && r.querySelector('[data-hl="tg-username"]') && r.querySelector('[data-hl="tg-state"][data-state="ok"]') &&
				r.querySelector('[data-hl="tg-state"]').textContent.includes(`+jsString(c.working)+`);
		})()`)
		var shown bool
		p.eval(`document.documentElement.outerHTML.includes(`+jsString(token)+`)`, &shown)
		if shown {
			t.Fatal("the page shows the saved token")
		}

		// A customer writes; the page (reloaded) shows when the bot last
		// received a message.
		fake.Push(telegramtest.Private(c.chat, "Customer", "hello "+c.lang))
		waitUntil(t, "the customer's message received", func() bool {
			var list struct {
				Bots []struct {
					Status struct {
						LastUpdateAt *string `json:"last_update_at"`
					} `json:"status"`
				} `json:"bots"`
			}
			apiCall(t, d.url, admin, "GET", "/api/v1/telegram-bots", "", &list)
			return len(list.Bots) == 1 && list.Bots[0].Status.LastUpdateAt != nil
		})
		p.do("reload the page", chromedp.Reload())
		p.waitFor("the time of the last message", `document.querySelector('[data-hl="tg-bot"][data-name="`+c.bot+`"] [data-hl="tg-status"] time')`)

		p.do("focus the chat id", chromedp.Focus(chromedp.CSS(`[data-hl="tg-bot"][data-name="`+c.bot+`"] [data-hl="tg-test-chat"]`)))
		p.typeText("the chat id", strconv.FormatInt(c.chat, 10))
		p.do("send the test message", chromedp.Click(chromedp.CSS(`[data-hl="tg-bot"][data-name="`+c.bot+`"] [data-hl="tg-test"]`)))
		p.waitFor("the test message sent", `document.querySelector('[data-hl="tg-bot"][data-name="`+c.bot+`"] [data-hl="tg-result"]').textContent.includes(`+jsString(c.sent)+`)`)
		if s := fake.SentTo(c.chat); len(s) != 1 {
			t.Fatalf("test message in chat %d: %+v", c.chat, s)
		}
		p.screenshot("admin-telegram-" + c.lang + "-1280")

		p.do("a phone's viewport", chromedp.EmulateViewport(390, 844), chromedp.Reload())
		p.waitFor("the Telegram page at 390 px", `document.querySelector('[data-hl="tg-form"]')`)
		var over int
		p.eval(`(function () { var m = document.querySelector('main'); return m.scrollWidth - m.clientWidth; })()`, &over)
		p.screenshot("admin-telegram-" + c.lang + "-390")
		if over > 0 {
			t.Errorf("%s: the Telegram page overflows its column by %d px on a 390 px screen", c.lang, over)
		}

		// Every settings page fits a phone in this language, the menu
		// open as a phone shows it.
		for _, path := range adminPages {
			p.do("open "+path+" at 390 px", chromedp.Navigate(d.url+path))
			p.waitFor(path, `document.querySelector('[data-hl="nav-admin"]')`)
			p.eval(`document.querySelector('[data-hl="nav-admin"]').open = true`, nil)
			var wide int
			p.eval(`document.documentElement.scrollWidth - window.innerWidth`, &wide)
			if wide > 0 {
				p.screenshot("narrow-" + c.lang + strings.ReplaceAll(path, "/", "-"))
				t.Errorf("%s: %s is %d px wider than a 390 px screen", c.lang, path, wide)
			}
		}
		p.do("back to the Telegram page", chromedp.Navigate(d.url+"/admin/telegram"))
		p.waitFor("the Telegram page", `document.querySelector('[data-hl="tg-form"]')`)
		p.screenshot("admin-menu-" + c.lang + "-390")

		// One token is one bot: remove it before the next language adds
		// it under another name.
		p.do("a desktop viewport", chromedp.EmulateViewport(1280, 900))
		p.eval(`window.confirm = function () { return true; }`, nil)
		p.do("remove the bot", chromedp.Click(chromedp.CSS(`[data-hl="tg-bot"][data-name="`+c.bot+`"] [data-hl="tg-remove"]`)))
		p.waitFor("the bot gone", `document.querySelector('[data-hl="tg-form"]') && !document.querySelector('[data-hl="tg-bot"][data-name="`+c.bot+`"]')`)
	}
	if !strings.Contains(fake.SentTo(700001)[0].Text, "汇流") || !strings.Contains(fake.SentTo(700002)[0].Text, "Huiliu") {
		t.Errorf("test messages: %+v %+v", fake.SentTo(700001), fake.SentTo(700002))
	}
}

// adminPages are the pages of the settings menu.
var adminPages = []string{"/admin/canned", "/admin/verification", "/admin/bot", "/admin/routing", "/admin/sla", "/admin/csat",
	"/admin/sites", "/admin/mailboxes", "/admin/telegram", "/admin/official-channels", "/admin/agents", "/admin/tokens", "/admin/audit"}

// waitUntil polls cond until it holds or a generous bound passes.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
