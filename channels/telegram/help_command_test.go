package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"huiliu/channels/telegram/telegramtest"
)

func TestHelpCommandAnswersWithArticles(t *testing.T) {
	f := newFixture(t)
	var asked []string
	c := f.channel(t, func(_ *Config, d *Deps) {
		d.HelpSearch = func(ctx context.Context, query, lang string) ([]HelpArticle, error) {
			asked = append(asked, lang+":"+query)
			switch query {
			case "押金":
				return []HelpArticle{
					{"押金什么时候退？", "https://desk.example/help/a/deposit-refund?lang=zh-CN"},
					{"可以免押金租吗", "https://desk.example/help/a/deposit-free?lang=zh-CN"},
					{"租期结束如何还机", "https://desk.example/help/a/device-return?lang=zh-CN"},
					{"a fourth", "https://desk.example/help/a/x"},
				}, nil
			case "broken":
				return nil, errors.New("index closed")
			}
			return nil, nil
		}
	})
	b, _ := c.bot("main")
	langs := []string{"zh-hans", "en", "zh-hant", "en", "zh"}
	for i, text := range []string{"/help 押金", "/help@HuiliuBot nothing", "/help", "/help broken", "押金怎么退"} {
		u := telegramtest.Private(1001, "Li", text)
		u.UpdateID = 40 + i
		u.Message.From.LanguageCode = langs[i]
		raw, _ := json.Marshal(u)
		if _, err := c.handleUpdate(context.Background(), b, f.sink, raw); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(f.sink.messages()); n != 1 {
		t.Errorf("stored %d messages, want only the plain one", n)
	}
	sent := f.fake.SentTo(1001)
	if len(sent) != 4 {
		t.Fatalf("answers = %+v", sent)
	}
	first := sent[0].Text
	if !strings.Contains(first, "为您找到") || !strings.Contains(first, "1. 押金什么时候退？\nhttps://desk.example/help/a/deposit-refund?lang=zh-CN") ||
		strings.Contains(first, "a fourth") {
		t.Errorf("answer to /help 押金 = %q", first)
	}
	for i, want := range []string{"No article found", "請在 /help 後面", "No article found"} {
		if !strings.Contains(sent[i+1].Text, want) {
			t.Errorf("answer %d = %q, want %q", i+1, sent[i+1].Text, want)
		}
	}
	if strings.Join(asked, "|") != "zh-CN:押金|en:nothing|en:broken" {
		t.Errorf("searches = %v", asked)
	}
}
