package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"huiliu/channels"
	"huiliu/channels/telegram/telegramtest"
)

var testNow = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

func privateMsg(text string) *tgbotapi.Message {
	return &tgbotapi.Message{
		MessageID: 5, Date: int(testNow.Add(-time.Minute).Unix()),
		Chat: &tgbotapi.Chat{ID: 42, Type: "private"},
		From: &tgbotapi.User{ID: 42, FirstName: "Xiao", LastName: "Ming", UserName: "xm"},
		Text: text,
	}
}

func TestConvert(t *testing.T) {
	cfg := Config{Name: "main", LinkSecret: "0123456789abcdef-link"}
	valid := SignLink(cfg.LinkSecret, "C20240001", testNow.Add(-2*time.Minute))
	expired := SignLink(cfg.LinkSecret, "C20240001", testNow.Add(-11*time.Minute))
	forged := SignLink("another-secret-0123456789", "C20240001", testNow)
	tampered := []byte(valid)
	tampered[2] ^= 1

	tests := []struct {
		name    string
		edit    func(u *tgbotapi.Update)
		text    string
		links   []channels.Party
		linkErr error
	}{
		{name: "text", text: "我想提前还款"},
		{name: "photo with caption", edit: func(u *tgbotapi.Update) {
			u.Message.Text, u.Message.Photo, u.Message.Caption = "", []tgbotapi.PhotoSize{{FileID: "p"}}, "转账截图"
		}, text: "[photo] 转账截图"},
		{name: "document", edit: func(u *tgbotapi.Update) {
			u.Message.Text, u.Message.Document = "", &tgbotapi.Document{FileID: "d", FileName: "合同 2026.pdf"}
		}, text: "[document 合同 2026.pdf]"},
		{name: "sticker", edit: func(u *tgbotapi.Update) {
			u.Message.Text, u.Message.Sticker = "", &tgbotapi.Sticker{FileID: "s", Emoji: "👍"}
		}, text: "[sticker 👍]"},
		{name: "voice", edit: func(u *tgbotapi.Update) {
			u.Message.Text, u.Message.Voice = "", &tgbotapi.Voice{FileID: "v", Duration: 12}
		}, text: "[voice 12s]"},
		{name: "video", edit: func(u *tgbotapi.Update) {
			u.Message.Text, u.Message.Video = "", &tgbotapi.Video{FileID: "v", Duration: 3}
		}, text: "[video 3s]"},
		{name: "location", edit: func(u *tgbotapi.Update) {
			u.Message.Text, u.Message.Location = "", &tgbotapi.Location{Latitude: 31.2304, Longitude: 121.4737}
		}, text: "[location 31.2304,121.4737]"},
		{name: "unsupported", edit: func(u *tgbotapi.Update) { u.Message.Text = "" }, text: "[unsupported message]"},
		{name: "edited", edit: func(u *tgbotapi.Update) {
			u.EditedMessage, u.Message = u.Message, nil
			u.EditedMessage.EditDate = int(testNow.Unix())
		}, text: "[edited] 我想提前还款"},
		{name: "own contact", edit: func(u *tgbotapi.Update) {
			u.Message.Text, u.Message.Contact = "", &tgbotapi.Contact{PhoneNumber: "8613800138000", FirstName: "Xiao", UserID: 42}
		}, text: "[shared own phone number]", links: []channels.Party{{Kind: "phone", Value: "+8613800138000", Verified: true, Method: "telegram_contact"}}},
		{name: "someone else's contact", edit: func(u *tgbotapi.Update) {
			u.Message.Text, u.Message.Contact = "", &tgbotapi.Contact{PhoneNumber: "+8613900139000", FirstName: "Zhang", LastName: "San", UserID: 77}
		}, text: "[contact Zhang San +8613900139000]"},
		{name: "contact card without user", edit: func(u *tgbotapi.Update) {
			u.Message.Text, u.Message.Contact = "", &tgbotapi.Contact{PhoneNumber: "13900139000", FirstName: "Boss"}
		}, text: "[contact Boss 13900139000]"},
		{name: "start valid", edit: func(u *tgbotapi.Update) { u.Message.Text = "/start " + valid },
			text: "/start", links: []channels.Party{{Kind: "customer_no", Value: "C20240001", Verified: true, Method: "telegram_deeplink"}}},
		{name: "start expired", edit: func(u *tgbotapi.Update) { u.Message.Text = "/start " + expired }, text: "/start", linkErr: ErrLinkExpired},
		{name: "start forged", edit: func(u *tgbotapi.Update) { u.Message.Text = "/start " + forged }, text: "/start", linkErr: ErrLinkInvalid},
		{name: "start tampered", edit: func(u *tgbotapi.Update) { u.Message.Text = "/start " + string(tampered) }, text: "/start", linkErr: ErrLinkInvalid},
		{name: "start plain", edit: func(u *tgbotapi.Update) { u.Message.Text = "/start" }, text: "/start"},
		{name: "NUL and bad UTF-8 cleaned", edit: func(u *tgbotapi.Update) { u.Message.Text = "a\x00b\xffc" }, text: "ab\uFFFDc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := tgbotapi.Update{UpdateID: 9001, Message: privateMsg("我想提前还款")}
			if tt.edit != nil {
				tt.edit(&u)
			}
			conv := convertUpdate(cfg, &u, false, testNow)
			if conv.in == nil {
				t.Fatalf("nothing stored: %s", conv.skip)
			}
			in := conv.in
			if in.Text != tt.text {
				t.Errorf("text = %q, want %q", in.Text, tt.text)
			}
			if in.Channel != "telegram" || in.ExternalID != "main:9001" || in.ThreadKey != "main:42" {
				t.Errorf("envelope = %q %q %q", in.Channel, in.ExternalID, in.ThreadKey)
			}
			if in.From != (channels.Party{Kind: "telegram", Value: "42", Name: "Xiao Ming"}) {
				t.Errorf("from = %+v", in.From)
			}
			if len(in.Links) != len(tt.links) || (len(tt.links) == 1 && in.Links[0] != tt.links[0]) {
				t.Errorf("links = %+v, want %+v", in.Links, tt.links)
			}
			if !errors.Is(conv.linkErr, tt.linkErr) {
				t.Errorf("link error = %v, want %v", conv.linkErr, tt.linkErr)
			}
			if in.ReceivedAt.IsZero() || in.ReceivedAt.After(testNow) {
				t.Errorf("received at %v", in.ReceivedAt)
			}
		})
	}
}

func TestConvertNameFallsBackToUsername(t *testing.T) {
	u := tgbotapi.Update{UpdateID: 1, Message: privateMsg("hi")}
	u.Message.From.FirstName, u.Message.From.LastName = "", ""
	if got := convertUpdate(Config{Name: "main"}, &u, false, testNow).in.From.Name; got != "@xm" {
		t.Errorf("name = %q", got)
	}
}

func TestConvertDeepLinksDisabledWithoutSecret(t *testing.T) {
	token := SignLink("0123456789abcdef-link", "C1", testNow)
	u := tgbotapi.Update{UpdateID: 1, Message: privateMsg("/start " + token)}
	conv := convertUpdate(Config{Name: "main"}, &u, false, testNow)
	if conv.in.Text != "/start" || len(conv.in.Links) != 0 {
		t.Fatalf("got %+v", conv.in)
	}
}

func TestConvertPartlyUnreadableUpdate(t *testing.T) {
	// "photo" as an object instead of an array: the library's types refuse it.
	raw := []byte(`{"update_id":5,"message":{"message_id":1,"date":1,"chat":{"id":42,"type":"private"},"from":{"id":42,"first_name":"Li"},"caption":"see this","photo":{"weird":true}}}`)
	u, partial, err := decodeUpdate(raw)
	if err != nil || !partial {
		t.Fatalf("decode: partial=%v err=%v", partial, err)
	}
	conv := convertUpdate(Config{Name: "main"}, &u, partial, testNow)
	if conv.in == nil || conv.in.Text != "[partly unreadable] see this" || conv.in.ExternalID != "main:5" {
		t.Fatalf("got %+v", conv.in)
	}
	if _, _, err := decodeUpdate([]byte(`[1,2]`)); err == nil {
		t.Fatal("an array decoded as an update")
	}
}

func TestGroupChatsGetOnePoliteReply(t *testing.T) {
	f := newFixture(t)
	c := f.channel(t, nil)
	b, _ := c.bot("main")
	for i, text := range []string{"hello group", "again"} {
		u := telegramtest.Group(-100777, 1001, "Li", text)
		u.UpdateID = 10 + i
		raw, _ := json.Marshal(u)
		if _, err := c.handleUpdate(context.Background(), b, f.sink, raw); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(f.sink.messages()); n != 0 {
		t.Fatalf("stored %d group messages", n)
	}
	sent := f.fake.SentTo(-100777)
	if len(sent) != 1 || !strings.Contains(sent[0].Text, "请私信") || !strings.Contains(sent[0].Text, "Please message us privately") {
		t.Fatalf("group replies = %+v", sent)
	}

	// With groups allowed, the group is a conversation like any other.
	allowed := f.channel(t, func(cfg *Config, _ *Deps) { cfg.AllowGroups = true })
	b, _ = allowed.bot("main")
	u := telegramtest.Group(-100777, 1001, "Li", "in the group")
	u.UpdateID = 20
	raw, _ := json.Marshal(u)
	if _, err := allowed.handleUpdate(context.Background(), b, f.sink, raw); err != nil {
		t.Fatal(err)
	}
	if msgs := f.sink.messages(); len(msgs) != 1 || msgs[0].ThreadKey != "main:-100777" || msgs[0].From.Value != "1001" {
		t.Fatalf("stored %+v", msgs)
	}
}
