package main

import (
	"net/http"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserWidgetRatingCard: after the agent resolves the chat, the
// customer rates it in the widget's card with a click and a comment; the
// desk records the answer once.
func TestBrowserWidgetRatingCard(t *testing.T) {
	browser := startBrowser(t)
	env := browserEnv(t, false)
	admin := adminToken(t, env, "admin@example.com")
	url := node(t, env)
	d := setupDesk(t, env, url, admin)
	customer := newPerson(t, browser, "customer")

	openShop(customer, d.shop)
	widgetSend(customer, "押金什么时候退？")
	waitWidgetText(customer, "customer", "押金什么时候退？")
	ticketID := webchatTicket(t, d)
	if st := apiCall(t, d.url, d.admin, "PATCH", "/api/v1/tickets/"+ticketID, `{"status":"resolved"}`, nil); st != http.StatusOK {
		t.Fatalf("resolve: %d", st)
	}
	customer.waitFor("the rating card", widgetJS+`.querySelector('[data-hl="csat-card"]')`)
	customer.do("pick 4", chromedp.Click(widgetSel("csat-score-4")))
	customer.waitFor("4 pressed", widgetJS+`.querySelector('[data-hl="csat-score-4"]').getAttribute('aria-pressed') === 'true'`)
	customer.do("focus the comment", chromedp.Focus(widgetSel("csat-comment")))
	customer.typeText("the comment", "退款很快")
	customer.do("send the rating", chromedp.Click(widgetSel("csat-send")))
	customer.waitFor("the thanks", widgetJS+`.querySelector('[data-hl="csat-note"]').textContent.includes('感谢')`)
	customer.screenshot("widget-rating-card")

	var got struct {
		Surveys []struct {
			Score   int    `json:"score"`
			Comment string `json:"comment"`
		} `json:"surveys"`
	}
	if st := apiCall(t, d.url, d.admin, "GET", "/api/v1/tickets/"+ticketID+"/survey", "", &got); st != 200 ||
		len(got.Surveys) != 1 || got.Surveys[0].Score != 4 || got.Surveys[0].Comment != "退款很快" {
		t.Fatalf("survey after the card: %d %+v", st, got)
	}
}
