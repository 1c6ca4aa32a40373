package main

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"testing"

	"huiliu/store/storetest"
)

// TestNodeServicesOrder: the sender starts first so it stops last and
// finishes its sends; the HTTP server starts last so it stops taking
// requests first; only those two stop the process when they fail.
func TestNodeServicesOrder(t *testing.T) {
	sc := storetest.Config(t)
	cfg := Config{Data: sc.DataDir, DatabaseURL: sc.URL, Telegram: []TelegramBot{{Name: "main", Token: "123:abc"}}}
	if cfg.Data == "" {
		cfg.Data = t.TempDir()
	}
	a, err := openApp(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	tg, err := a.telegramChannel(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var names, essential []string
	for _, s := range a.nodeServices(nil, tg, a.newWebchat(), nil, nil) {
		names = append(names, s.Name)
		if s.Essential {
			essential = append(essential, s.Name)
		}
	}
	want := []string{"sender", "prune", "sla", "routing", "routing-nudge", "qa", "kpi-heal", "kpi-weekly", "telegram", "telegram-bots", "webchat", "kb", "http"}
	if !slices.Equal(names, want) {
		t.Errorf("services %q, want %q", names, want)
	}
	if !slices.Equal(essential, []string{"sender", "http"}) {
		t.Errorf("essential services %q, want the sender and http", essential)
	}
}
