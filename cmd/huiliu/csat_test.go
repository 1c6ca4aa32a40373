package main

import (
	"database/sql"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"huiliu/channels/telegram/telegramtest"
	"huiliu/store"
)

// TestSurveyOnTheWidgetAndTheAPICallback runs a real server: resolving a
// web chat ticket puts a rating card in the widget, answered once over the
// socket; resolving an API ticket posts survey.requested to the
// integration's callback, whose token answers once through the public API.
func TestSurveyOnTheWidgetAndTheAPICallback(t *testing.T) {
	var mu sync.Mutex
	var callbacks []map[string]any
	cb := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var m map[string]any
		_ = json.Unmarshal(body, &m)
		mu.Lock()
		callbacks = append(callbacks, m)
		mu.Unlock()
		_, _ = io.WriteString(w, `{}`)
	}))
	defer cb.Close()
	env := append(sharedBackends(t), "HUILIU_API_CALLBACK_URL="+cb.URL, "HUILIU_ALLOW_PRIVATE_CALLBACKS=true",
		"HUILIU_PUBLIC_URL=https://desk.example.com")
	token := adminToken(t, env, "ops@example.com")
	base := node(t, env)
	resolve := func(ticket string) {
		t.Helper()
		if st := apiCall(t, base, token, "PATCH", "/api/v1/tickets/"+ticket, `{"status":"resolved"}`, nil); st != http.StatusOK {
			t.Fatalf("resolve %s: %d", ticket, st)
		}
	}

	// The widget.
	const shop = "http://shop.example"
	var site struct {
		Key string `json:"key"`
	}
	if st := apiCall(t, base, token, "POST", "/api/v1/sites", `{"name":"商城","origins":["`+shop+`"]}`, &site); st != http.StatusCreated {
		t.Fatalf("create site: %d", st)
	}
	customer := chatTestDial(t, wsURL(base, "/webchat/ws?site="+site.Key), http.Header{"Origin": {shop}})
	customer.send(map[string]string{"type": "hello", "lang": "zh-CN"})
	customer.next("welcome", func(f chatTestFrame) bool { return f.Type == "welcome" })
	customer.send(map[string]string{"type": "message", "client_msg_id": "c-1", "text": "押金退了吗"})
	ack, _ := customer.next("ack", func(f chatTestFrame) bool { return f.Type == "ack" || f.Type == "error" })
	if ack.Type != "ack" {
		t.Fatalf("message: %s", ack.raw)
	}
	resolve(ack.TicketID)
	var card struct {
		Message struct {
			Kind   string `json:"kind"`
			Survey string `json:"survey"`
			Text   string `json:"text"`
		} `json:"message"`
	}
	f, _ := customer.next("the survey", func(f chatTestFrame) bool { return f.Type == "message" && strings.Contains(f.raw, "csat_request") })
	if err := json.Unmarshal([]byte(f.raw), &card); err != nil || card.Message.Survey == "" || strings.Contains(card.Message.Text, card.Message.Survey) {
		t.Fatalf("survey frame %s", f.raw)
	}
	type answer struct {
		Type  string `json:"type"`
		Token string `json:"token"`
		Text  string `json:"text"`
		Done  bool   `json:"done"`
	}
	for i, want := range []string{"感谢", "已经回答过"} {
		customer.send(map[string]any{"type": "csat", "token": card.Message.Survey, "score": 5 - i, "comment": "很快", "lang": "zh-CN"})
		f, _ := customer.next("the answer", func(f chatTestFrame) bool { return f.Type == "csat" || f.Type == "error" })
		var a answer
		if err := json.Unmarshal([]byte(f.raw), &a); err != nil || !a.Done || a.Token != card.Message.Survey || !strings.Contains(a.Text, want) {
			t.Fatalf("answer %d: %s", i+1, f.raw)
		}
	}
	var surveys struct {
		Surveys []struct {
			Score   int    `json:"score"`
			Channel string `json:"channel"`
		} `json:"surveys"`
	}
	if st := apiCall(t, base, token, "GET", "/api/v1/tickets/"+ack.TicketID+"/survey", "", &surveys); st != 200 ||
		len(surveys.Surveys) != 1 || surveys.Surveys[0].Score != 5 || surveys.Surveys[0].Channel != "webchat" {
		t.Fatalf("widget survey: %d %+v", st, surveys)
	}

	// The customer writes again, the ticket is resolved again: a new card,
	// which after its 7 days (aged in SQL: the server's clock is real)
	// refuses the answer over the socket and records nothing.
	customer.send(map[string]string{"type": "message", "client_msg_id": "c-2", "text": "还有一个问题"})
	if f, _ := customer.next("ack 2", func(f chatTestFrame) bool { return f.Type == "ack" || f.Type == "error" }); f.Type != "ack" {
		t.Fatalf("second message: %s", f.raw)
	}
	resolve(ack.TicketID)
	f, _ = customer.next("the second survey", func(f chatTestFrame) bool {
		return f.Type == "message" && strings.Contains(f.raw, "csat_request") && !strings.Contains(f.raw, card.Message.Survey)
	})
	if err := json.Unmarshal([]byte(f.raw), &card); err != nil || card.Message.Survey == "" {
		t.Fatalf("second survey frame %s", f.raw)
	}
	ageSurveys(t, env, ack.TicketID)
	customer.send(map[string]any{"type": "csat", "token": card.Message.Survey, "score": 1, "lang": "zh-CN"})
	f, _ = customer.next("the expired answer", func(f chatTestFrame) bool { return f.Type == "csat" || f.Type == "error" })
	if !strings.Contains(f.raw, "已过期") {
		t.Fatalf("answer to an expired survey: %s", f.raw)
	}
	if st := apiCall(t, base, token, "GET", "/api/v1/tickets/"+ack.TicketID+"/survey", "", &surveys); st != 200 ||
		len(surveys.Surveys) != 2 || surveys.Surveys[0].Score+surveys.Surveys[1].Score != 5 {
		t.Fatalf("surveys after the expired answer: %d %+v", st, surveys)
	}

	// The API channel.
	var rc struct {
		TicketID string `json:"ticket_id"`
	}
	if st := apiCall(t, base, token, "POST", "/api/v1/inbound", `{"external_id":"x1","thread_key":"loan-9","from":{"kind":"api","value":"cust-9"},"text":"我要办理延期"}`, &rc); st >= 300 {
		t.Fatalf("inbound: %d", st)
	}
	resolve(rc.TicketID)
	var survey map[string]any
	deadline := time.Now().Add(30 * time.Second)
	for survey == nil {
		mu.Lock()
		for _, c := range callbacks {
			if c["kind"] == "survey.requested" && c["ticket_id"] == rc.TicketID {
				survey, _ = c["survey"].(map[string]any)
			}
		}
		mu.Unlock()
		if time.Now().After(deadline) {
			t.Fatalf("no survey.requested callback: %+v", callbacks)
		}
		time.Sleep(50 * time.Millisecond)
	}
	tok, _ := survey["token"].(string)
	if url, _ := survey["url"].(string); url != "https://desk.example.com/survey/"+tok || tok == "" {
		t.Fatalf("callback survey %+v", survey)
	}
	for i, want := range []int{200, 409} {
		if st := apiCall(t, base, "", "POST", "/api/v1/public/survey-answers", `{"token":"`+tok+`","score":1,"comment":"没解决"}`, nil); st != want {
			t.Fatalf("API answer %d: %d, want %d", i+1, st, want)
		}
	}
	// The low score tagged the ticket (the default settings flag it).
	var tk struct {
		Ticket struct {
			Tags []string `json:"tags"`
		} `json:"ticket"`
	}
	if st := apiCall(t, base, token, "GET", "/api/v1/tickets/"+rc.TicketID, "", &tk); st != 200 || strings.Join(tk.Ticket.Tags, ",") != "low-csat" {
		t.Fatalf("ticket after a low score: %d %+v", st, tk)
	}
}

// ageSurveys moves the unanswered surveys of a ticket past their expiry,
// straight in the node's database.
func ageSurveys(t *testing.T, env []string, ticketID string) {
	t.Helper()
	driver, dsn := "sqlite", ""
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		switch {
		case k == "DATABASE_URL" && v != "":
			driver, dsn = "pgx", v
		case k == "HUILIU_DATA" && dsn == "":
			dsn = "file:" + filepath.Join(v, store.SQLiteFile) + "?_pragma=busy_timeout(10000)"
		}
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	res, err := db.Exec(`UPDATE csat_surveys SET expires_at = $1 WHERE ticket_id = $2 AND answered_at IS NULL`,
		time.Now().Add(-time.Hour).UnixMilli(), ticketID)
	if err != nil {
		t.Fatalf("age the survey of %s: %v", ticketID, err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		t.Fatalf("age the survey of %s: %d rows, %v", ticketID, n, err)
	}
}

// TestSurveyOnTelegram runs a real server with the fake Bot API: a resolved
// Telegram ticket gets the survey with five score buttons; a tap answers
// it once, a second tap is told it was answered, and a tap on a survey
// past its 7 days is told it expired and records nothing.
func TestSurveyOnTelegram(t *testing.T) {
	const token = "123456:TEST-csat"
	fake := telegramtest.New(t, token)
	env := append(sharedBackends(t), "HUILIU_TELEGRAM_TOKEN="+token, "HUILIU_TELEGRAM_API_ENDPOINT="+fake.Endpoint(),
		"HUILIU_TELEGRAM_FILE_ENDPOINT="+fake.FileEndpoint())
	tok := adminToken(t, env, "csat@example.com")
	base := node(t, env)
	const user = 555003
	eventually := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for !cond() {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s", what)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	var ticketID string
	ask := func(text string, sent int) string {
		t.Helper()
		fake.Push(telegramtest.Private(user, "Li", text))
		eventually("the ticket", func() bool {
			var page struct {
				Tickets []struct{ ID, Preview string }
			}
			apiCall(t, base, tok, "GET", "/api/v1/tickets?channel=telegram&status=open", "", &page)
			if len(page.Tickets) == 1 && page.Tickets[0].Preview == text {
				ticketID = page.Tickets[0].ID
				return true
			}
			return false
		})
		if st := apiCall(t, base, tok, "PATCH", "/api/v1/tickets/"+ticketID, `{"status":"resolved"}`, nil); st != http.StatusOK {
			t.Fatalf("resolve: %d", st)
		}
		eventually("the survey in the chat", func() bool { return len(fake.SentTo(user)) == sent })
		var markup struct {
			InlineKeyboard [][]struct {
				CallbackData string `json:"callback_data"`
			} `json:"inline_keyboard"`
		}
		if err := json.Unmarshal([]byte(fake.SentTo(user)[sent-1].ReplyMarkup), &markup); err != nil || len(markup.InlineKeyboard) != 1 || len(markup.InlineKeyboard[0]) != 5 {
			t.Fatalf("survey keyboard %q: %v", fake.SentTo(user)[sent-1].ReplyMarkup, err)
		}
		return markup.InlineKeyboard[0][4].CallbackData // score 5
	}
	tap := func(update int, data, want string) {
		t.Helper()
		n := len(fake.Answers())
		fake.PushRaw(telegramtest.Callback(update, user, "q"+strconv.Itoa(update), data, "zh-hans"))
		eventually("the tap's answer", func() bool { return len(fake.Answers()) == n+1 })
		if got := fake.Answers()[n].Text; !strings.Contains(got, want) {
			t.Fatalf("tap %d answered %q, want %q", update, got, want)
		}
	}
	five := ask("押金什么时候退", 1)
	tap(9001, five, "5/5")
	tap(9002, five, "回答过")

	five = ask("还有一个问题", 2)
	ageSurveys(t, env, ticketID)
	tap(9003, five, "已过期")
	var surveys struct {
		Surveys []struct {
			Score int `json:"score"`
		} `json:"surveys"`
	}
	if st := apiCall(t, base, tok, "GET", "/api/v1/tickets/"+ticketID+"/survey", "", &surveys); st != 200 || len(surveys.Surveys) != 2 ||
		surveys.Surveys[0].Score+surveys.Surveys[1].Score != 5 {
		t.Fatalf("surveys: %d %+v", st, surveys)
	}
}
