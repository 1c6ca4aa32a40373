package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// hostileArticle tries every way an article's title, summary and body
// could carry script into the help centre.
const hostileArticle = `---
id: hostile
title: '<img src=x onerror=window.__xss=11>押金<script>window.__xss=12</script>'
locale: zh-CN
summary: '<svg onload=window.__xss=13>押金摘要'
tags: ['<b onmouseover=window.__xss=14>押金</b>']
---
押金正文 <script>window.__xss=15</script>

<img src=x onerror="window.__xss=16">

[点这里退押金](javascript:window.__xss=17)

<a href="javascript:window.__xss=18">raw link</a>

<iframe srcdoc="<script>parent.__xss=19</script>"></iframe>

<svg onload="window.__xss=20"></svg>
`

func TestBrowserHelpCentreRendersHostileArticleInert(t *testing.T) {
	browser := startBrowser(t)
	env := browserEnv(t, false)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "hostile.md"), []byte(hostileArticle), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, errOut, code := huiliu(t, env, "", "kb", "import", dir); code != 0 || !strings.Contains(out, "created 1") {
		t.Fatalf("kb import: %d %s %s", code, out, errOut)
	}
	url := node(t, env)
	visitor := newPerson(t, browser, "visitor")

	visitor.do("open the hostile article", chromedp.Navigate(url+"/help/a/hostile?lang=zh-CN"))
	visitor.waitFor("the title as literal text", `document.querySelector('h1').textContent.includes('<img src=x onerror=window.__xss=11>押金<script>')`)
	visitor.waitFor("the body", `document.querySelector('.body').textContent.includes('押金正文')`)
	visitor.waitFor("the document title as text", `document.title.startsWith('<img src=x onerror')`)
	checkInert(t, visitor, "the article page")
	visitor.do("click the javascript: link's text", chromedp.Click(chromedp.JSPath(
		`Array.from(document.querySelectorAll('.body a, .body span, .body p')).find(e => e.textContent.includes('点这里退押金'))`)))
	checkInert(t, visitor, "the article page after a click")

	visitor.do("search for it", chromedp.Navigate(url+"/help/search?lang=zh-CN&q=%E6%8A%BC%E9%87%91"))
	visitor.waitFor("the hostile hit as text", `Array.from(document.querySelectorAll('.list a')).some(a => a.textContent.includes('<script>'))`)
	checkInert(t, visitor, "the search results")
	visitor.do("open the home page", chromedp.Navigate(url+"/help?lang=zh-CN"))
	visitor.waitFor("the hostile article listed as text", `document.body.textContent.includes('onerror=window.__xss=11')`)
	checkInert(t, visitor, "the home page")

	// Readable on a phone: nothing wider than a 390 px screen.
	visitor.do("a phone's viewport", chromedp.EmulateViewport(390, 844), chromedp.Navigate(url+"/help/a/hostile?lang=zh-CN"))
	visitor.waitFor("the article at 390 px", `document.querySelector('h1') !== null`)
	var width int
	visitor.eval(`document.documentElement.scrollWidth`, &width)
	if width > 390 {
		t.Errorf("the article page is %d px wide on a 390 px screen", width)
	}
	visitor.screenshot("help-article-390")
	var xss any
	visitor.eval(`window.__xss === undefined ? null : window.__xss`, &xss)
	if xss != nil {
		t.Fatalf("script ran: window.__xss = %v", xss)
	}
}

func TestBrowserWidgetSuggestsArticlesBeforeAChat(t *testing.T) {
	browser := startBrowser(t)
	env := browserEnv(t, false)
	if out, errOut, code := huiliu(t, env, "", "kb", "import", filepath.Join("..", "..", "kb", "demo")); code != 0 {
		t.Fatalf("kb import: %d %s %s", code, out, errOut)
	}
	admin := adminToken(t, env, "admin@example.com")
	d := setupDesk(t, env, node(t, env), admin)
	customer := newPerson(t, browser, "customer")
	openShop(customer, d.shop)

	customer.do("focus the widget input", chromedp.Focus(widgetSel("input")))
	customer.typeText("a question", "押金什么时候退")
	links := `Array.from(` + widgetJS + `.querySelectorAll('[data-hl="kb-link"]'))`
	customer.waitFor("an article suggestion linking to the help centre",
		links+`.some(a => a.href === `+jsString(d.url+"/help/a/deposit-refund?lang=zh-CN")+` && a.textContent.includes('押金'))`)
	var n int
	customer.eval(links+`.length`, &n)
	if n < 1 || n > 3 {
		t.Errorf("%d suggestions, want 1 to 3", n)
	}
	customer.screenshot("widget-kb-suggestions")
	// Sending starts the chat: the suggestions go away and the text is a
	// message like any other.
	customer.do("click send", chromedp.Click(widgetSel("send")))
	customer.waitFor("the suggestions hidden once the chat starts", widgetJS+`.querySelector('[data-hl="kb-suggest"]').hidden`)
	waitWidgetText(customer, "customer", "押金什么时候退")
}
