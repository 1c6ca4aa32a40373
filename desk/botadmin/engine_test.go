package botadmin_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"huiliu/bot"
	"huiliu/desk"
	"huiliu/desk/botadmin"
	"huiliu/kb"
	"huiliu/store/storetest"
)

// The engine reads the flows in force through the administration: an
// admin's edit changes what the console's next turn says, and restoring
// the built-in version undoes it.
func TestEngineFollowsSavedFlows(t *testing.T) {
	ctx := context.Background()
	db := storetest.New(t)
	svc := desk.NewService(desk.Options{Store: db, BotChannels: []string{bot.TryChannel}})
	ks, err := kb.Open(ctx, kb.Options{Store: db, IndexDir: filepath.Join(t.TempDir(), "kb.bleve")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ks.Close() })
	admin := desk.Agent{ID: desk.NewID(), Name: "Admin", Role: desk.RoleAdmin, Active: true}
	var eng *bot.Engine
	ba := botadmin.New(botadmin.Options{Store: db, Desk: svc, Engine: tryerFunc(func(ctx context.Context, key, text, lang string) (bot.Reply, []bot.Decision, error) {
		return eng.Try(ctx, key, text, lang)
	})})
	if eng, err = bot.New(bot.Options{Desk: svc, KB: ks, State: db, Settings: ba, Flows: ba,
		Default: bot.SiteSettings{Enabled: true, Name: "小汇"}}); err != nil {
		t.Fatal(err)
	}
	const intro = "很抱歉给您带来不好的体验。"
	turn, err := ba.Try(ctx, admin, "before", "我要投诉", "zh-CN")
	if err != nil || !strings.Contains(turn.Reply.Text, intro) || len(turn.Decisions) == 0 {
		t.Fatalf("built-in complaint flow: %+v %v", turn, err)
	}
	edited := strings.Replace(string(bot.DefaultFlowsTOML()), intro, "【已编辑】"+intro, 1)
	if _, err := ba.SaveFlows(ctx, admin, edited, 0, "intro"); err != nil {
		t.Fatal(err)
	}
	if turn, err = ba.Try(ctx, admin, "after", "我要投诉", "zh-CN"); err != nil || !strings.Contains(turn.Reply.Text, "【已编辑】") {
		t.Fatalf("edited flow not in force: %q %v", turn.Reply.Text, err)
	}
	if _, err := ba.RestoreFlows(ctx, admin, 0, 1); err != nil {
		t.Fatal(err)
	}
	if turn, err = ba.Try(ctx, admin, "restored", "我要投诉", "zh-CN"); err != nil || strings.Contains(turn.Reply.Text, "【已编辑】") {
		t.Fatalf("restored flow not in force: %q %v", turn.Reply.Text, err)
	}
	// The decisions are on the console's ticket, which its panel shows.
	p, err := ba.TicketPanel(ctx, admin, turn.Reply.TicketID)
	if err != nil || len(p.Decisions) == 0 {
		t.Fatalf("panel of the console's ticket: %+v %v", p, err)
	}
}

type tryerFunc func(ctx context.Context, key, text, lang string) (bot.Reply, []bot.Decision, error)

func (f tryerFunc) Try(ctx context.Context, key, text, lang string) (bot.Reply, []bot.Decision, error) {
	return f(ctx, key, text, lang)
}
