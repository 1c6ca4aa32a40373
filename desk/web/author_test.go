package web_test

import (
	"context"
	"testing"

	"huiliu/desk"
)

// The bot's and the system's messages are labelled as such, with their
// name, on the desk's timeline and in the API.
func TestTimelineLabelsBotAndSystemAuthors(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	tk := h.inbound("a1", "cust-a", "你好")
	for _, actor := range []desk.Actor{desk.BotActor("小汇"), desk.SystemActor("满意度调查")} {
		if _, _, err := h.svc.Post(ctx, actor, desk.PostRequest{TicketID: tk.ID, Kind: desk.KindReply, Text: "auto"}); err != nil {
			t.Fatal(err)
		}
	}
	c := h.signIn("li@example.com")
	resp, body := h.page(c, "/tickets/"+tk.ID)
	if resp.StatusCode != 200 {
		t.Fatalf("ticket page: %d", resp.StatusCode)
	}
	wantContains(t, body, "机器人 · 小汇", "系统 · 满意度调查")
	var list struct {
		Messages []desk.Message `json:"messages"`
	}
	h.call("GET", "/api/v1/tickets/"+tk.ID+"/messages", h.agent, nil, &list)
	var names []string
	for _, m := range list.Messages {
		if m.AuthorKind == desk.AuthorBot || m.AuthorKind == desk.AuthorSystem {
			names = append(names, string(m.AuthorKind)+":"+m.AuthorName)
		}
	}
	if len(names) != 2 || names[0] != "bot:小汇" || names[1] != "system:满意度调查" {
		t.Fatalf("API authors %v (messages %+v)", names, list.Messages)
	}
}
