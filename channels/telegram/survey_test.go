package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"huiliu/channels"
	"huiliu/channels/telegram/telegramtest"
)

// TestSurveyButtonsAndTaps: a survey goes out with five score buttons
// under its text; taps polled from the Bot API reach the desk once each
// and every tap is answered, including a forged one.
func TestSurveyButtonsAndTaps(t *testing.T) {
	f := newFixture(t)
	var mu sync.Mutex
	answered := map[string]int{}
	var got []string
	c := f.channel(t, func(_ *Config, d *Deps) {
		d.Survey = func(ctx context.Context, token string, score int, lang string) (string, error) {
			mu.Lock()
			defer mu.Unlock()
			got = append(got, token+"/"+lang)
			switch {
			case token == "broken":
				return "", errors.New("desk down")
			case answered[token] != 0:
				return "already answered", nil
			}
			answered[token] = score
			return "thanks " + lang, nil
		}
	})
	token := "01M8YDC6GD2RAPXJ5YGDP34W0V.pNtpA6NOaUd2_K8-pEZIpQ"
	if _, err := c.Send(context.Background(), channels.Outbound{MessageID: "s1", ThreadKey: "main:1001",
		Text: "请评分\nhttps://desk.example/survey/" + token, Survey: &channels.SurveyRequest{Token: token, URL: "https://desk.example/survey/" + token}}); err != nil {
		t.Fatal(err)
	}
	sent := f.fake.SentTo(1001)
	if len(sent) != 1 {
		t.Fatalf("sent %d", len(sent))
	}
	var markup tgbotapi.InlineKeyboardMarkup
	if err := json.Unmarshal([]byte(sent[0].ReplyMarkup), &markup); err != nil || len(markup.InlineKeyboard) != 1 || len(markup.InlineKeyboard[0]) != 5 {
		t.Fatalf("reply markup = %s (%v)", sent[0].ReplyMarkup, err)
	}
	for i, b := range markup.InlineKeyboard[0] {
		if b.CallbackData == nil || len(*b.CallbackData) > maxCallbackData || *b.CallbackData != "csat:"+token+":"+string(rune('1'+i)) {
			t.Fatalf("button %d = %+v", i, b)
		}
	}
	// A token too long for a button: the link alone asks.
	if surveyKeyboard(strings.Repeat("x", 60)) != nil {
		t.Error("a keyboard with callback data over 64 bytes")
	}

	f.fake.PushRaw(telegramtest.Callback(500, 1001, "q1", *markup.InlineKeyboard[0][3].CallbackData, "zh-hans"))
	f.fake.PushRaw(telegramtest.Callback(501, 1001, "q2", *markup.InlineKeyboard[0][0].CallbackData, "en"))
	f.fake.PushRaw(telegramtest.Callback(502, 1001, "q3", "csat:broken:2", "en"))
	f.fake.PushRaw(telegramtest.Callback(503, 1001, "q4", "csat:x:9", "en"))
	f.fake.PushRaw(telegramtest.Callback(504, 1001, "q5", "something else", "en"))
	f.run(t, c)
	waitFor(t, "five answered taps", func() bool { return len(f.fake.Answers()) == 5 })
	ans := f.fake.Answers()
	want := []string{"q1:thanks zh-hans", "q2:already answered", "q3:", "q4:", "q5:"}
	for i, a := range ans {
		if a.ID+":"+a.Text != want[i] {
			t.Errorf("answer %d = %+v, want %s", i, a, want[i])
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if answered[token] != 4 || len(got) != 3 {
		t.Errorf("desk heard %v, scores %v", got, answered)
	}
	if n := len(f.sink.messages()); n != 0 {
		t.Errorf("taps stored %d messages", n)
	}
}

func FuzzParseSurveyData(f *testing.F) {
	for _, s := range []string{"csat:a.b:5", "csat::1", "csat:x:0", "csat:x:", "csat:", "x:y:1", "csat:a:b:3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		token, score, ok := parseSurveyData(data)
		if ok && (score < 1 || score > 5 || token == "" || !strings.HasPrefix(data, "csat:"+token+":")) {
			t.Fatalf("%q parsed as %q %d", data, token, score)
		}
	})
}
