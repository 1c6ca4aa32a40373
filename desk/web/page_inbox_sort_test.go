package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"huiliu/desk"
	"huiliu/desk/web"
	"huiliu/store/storetest"
)

// TestInboxSortsByWaitingAndDeadline: the inbox orders by last activity,
// by how long the customer waits (a follow-up message does not restart the
// wait; an answer ends it) and by the next SLA deadline; the order and the
// channel filter are kept in the links (pages, the live fragment), and the
// filter offers only channels this desk has.
func TestInboxSortsByWaitingAndDeadline(t *testing.T) {
	clk := newFakeClock()
	// This desk runs web chat (and the API): no Telegram, email or phone.
	h := newHarnessWith(t, storetest.New(t), desk.Options{Now: clk.Now}, func(o *web.Options) { o.Channels = []string{"webchat", "api"} })
	slaSetup(t, h, "std")
	a := h.inbound("w1", "cust-a", "alpha first")
	clk.Advance(time.Minute)
	b := h.inbound("w2", "cust-b", "bravo")
	clk.Advance(time.Minute)
	c := h.inbound("w3", "cust-c", "charlie")
	clk.Advance(time.Minute)
	// li answers charlie: it no longer waits, and its first response is met.
	if r := h.call("POST", "/api/v1/tickets/"+c.ID+"/messages", h.agent, map[string]string{"text": "on it"}, nil); r.StatusCode != http.StatusCreated {
		t.Fatalf("reply: %d", r.StatusCode)
	}
	clk.Advance(time.Minute)
	// alpha writes again: the latest activity, but still waiting since first.
	h.inbound("w4", "cust-a", "alpha again?")
	reconcileSLA(t, h)

	sup := h.signIn("admin@example.com")
	want := func(path string, ids ...string) string {
		t.Helper()
		resp, body := h.page(sup, path, "Accept-Language", "en")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", path, resp.StatusCode)
		}
		if got := rowOrder(body); strings.Join(got, " ") != strings.Join(ids, " ") {
			t.Fatalf("%s: order %v, want %v", path, got, ids)
		}
		return body
	}
	want("/inbox?view=all", a.ID, c.ID, b.ID)
	body := want("/inbox?view=all&sort=waiting", a.ID, b.ID, c.ID)
	// First response 1 h: alpha's deadline is a minute before bravo's;
	// charlie's running clock is resolution (10 h).
	want("/inbox?view=all&sort=deadline", a.ID, b.ID, c.ID)

	wantContains(t, body, `<option value="waiting" selected>Longest waiting</option>`,
		`aria-sort="ascending">Customer waiting since`, "56 min left", "9 h 58 min left")
	// Charlie does not wait: its waiting cell is a dash.
	if cell := rowCell(body, c.ID, "inbox-waiting"); strings.Contains(cell, "<time") {
		t.Fatalf("answered ticket shows a waiting time: %s", cell)
	}
	if cell := rowCell(body, a.ID, "inbox-waiting"); !strings.Contains(cell, `datetime="`+a.CreatedAt.UTC().Format(time.RFC3339)+`"`) {
		t.Fatalf("alpha waits since its first message: %s", cell)
	}
	// Only the channels the desk has: those it runs and those its tickets
	// came by.
	sel := body[strings.Index(body, `data-hl="filter-channel"`):]
	sel = sel[:strings.Index(sel, "</select>")]
	if !strings.Contains(sel, `value="api"`) || !strings.Contains(sel, `value="webchat"`) || strings.Contains(sel, `value="telegram"`) || strings.Contains(sel, `value="phone"`) {
		t.Fatalf("channel choices: %s", sel)
	}
	_, zh := h.page(sup, "/inbox?view=all&sort=deadline", "Accept-Language", "zh-CN")
	wantContains(t, zh, `<option value="deadline" selected>SLA 截止最近</option>`, "还剩 56 分钟", "下一个 SLA 截止")

	// The live fragment reads the same URL: same order.
	want("/inbox?view=all&sort=waiting&channel=api&fragment=rows", a.ID, b.ID, c.ID)
	// A filter with no match; a bad sort is a clear, translated 400.
	want("/inbox?view=all&sort=waiting&channel=telegram")
	if r, body := h.page(sup, "/inbox?sort=oldest", "Accept-Language", "zh-CN"); r.StatusCode != http.StatusBadRequest || !strings.Contains(body, "lang=\"zh-CN\"") {
		t.Fatalf("bad sort: %d", r.StatusCode)
	}
}

// rowOrder lists the ticket ids of an inbox page's rows, top to bottom.
func rowOrder(body string) []string {
	var ids []string
	for _, part := range strings.Split(body, `data-hl="inbox-row" data-ticket-id="`)[1:] {
		ids = append(ids, part[:strings.IndexByte(part, '"')])
	}
	return ids
}

// rowCell is the HTML of one cell (by data-hl) of a ticket's row.
func rowCell(body, ticketID, cell string) string {
	row := body[strings.Index(body, `data-ticket-id="`+ticketID+`"`):]
	row = row[:strings.Index(row, "</tr>")]
	row = row[strings.Index(row, `data-hl="`+cell+`"`):]
	return row[:strings.Index(row, "</td>")]
}
