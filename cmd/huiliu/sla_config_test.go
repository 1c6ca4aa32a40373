package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"

	"huiliu/store/storetest"
)

const slaTOML = `
[[sla_calendar]]
name = "hk"
timezone = "Asia/Hong_Kong"
hours = { mon = "09:00-18:00", tue = "09:00-18:00" }
schedule_file = "%s"

[[sla_policy]]
name = "complaints"
category = "complaint"
calendar = "hk"
first_response = "1h"
resolution = "8h"
  [[sla_policy.ladder]]
  target = "first_response"
  percent = 80
  notify = ["owner", "supervisors"]
  [[sla_policy.ladder]]
  target = "first_response"
  after_breach = "0"
  tag = "late"
`

func TestSLAConfigAppliedOnceAndKeptInStep(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	sched := filepath.Join(dir, "hk2026.txt")
	if err := os.WriteFile(sched, []byte("year 2026\nholiday 2026-12-25 圣诞节\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	sc := storetest.Config(t)
	cfg := Config{Data: sc.DataDir, DatabaseURL: sc.URL}
	if cfg.Data == "" {
		cfg.Data = dir
	}
	if _, err := toml.Decode(fmtTOML(sched), &cfg); err != nil {
		t.Fatal(err)
	}
	a, err := openApp(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if err := a.applySLAConfig(ctx); err != nil {
		t.Fatal(err)
	}
	ps, err := a.db.SLAPolicies(ctx)
	if err != nil || len(ps) != 1 || ps[0].Category != "complaint" || time.Duration(ps[0].FirstResponse) != time.Hour || len(ps[0].Ladder) != 2 ||
		ps[0].Ladder[1].Percent != 100 || ps[0].Ladder[1].AfterBreach != 0 {
		t.Fatalf("policies %+v %v", ps, err)
	}
	cal, err := a.db.SLACalendarByName(ctx, "hk")
	if err != nil || cal.Schedule == "" || ps[0].CalendarID != cal.ID {
		t.Fatalf("calendar %+v %v", cal, err)
	}
	// A second start with the same file writes nothing.
	if err := a.applySLAConfig(ctx); err != nil {
		t.Fatal(err)
	}
	again, _ := a.db.SLAPolicies(ctx)
	cal2, _ := a.db.SLACalendarByName(ctx, "hk")
	if !again[0].UpdatedAt.Equal(ps[0].UpdatedAt) || !cal2.UpdatedAt.Equal(cal.UpdatedAt) {
		t.Fatal("an unchanged file rewrote the SLA setup")
	}
	// A changed target is written.
	a.cfg.SLAPolicies[0].FirstResponse = "2h"
	if err := a.applySLAConfig(ctx); err != nil {
		t.Fatal(err)
	}
	if p, _ := a.db.SLAPolicy(ctx, ps[0].ID); time.Duration(p.FirstResponse) != 2*time.Hour {
		t.Fatalf("changed policy: %+v", p)
	}
	a.cfg.SLAPolicies[0].Calendar = "nope"
	if err := a.applySLAConfig(ctx); err == nil {
		t.Fatal("a policy naming an unknown calendar was applied")
	}
}

func fmtTOML(sched string) string {
	return fmt.Sprintf(slaTOML, filepath.ToSlash(sched))
}

// `huiliu migrate --config` readies the SLA setup before any node serves.
func TestMigrateAppliesTheSLAConfig(t *testing.T) {
	dir := t.TempDir()
	sched := filepath.Join(dir, "hk2026.txt")
	if err := os.WriteFile(sched, []byte("year 2026\nholiday 2026-12-25 圣诞节\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "huiliu.toml")
	if err := os.WriteFile(file, []byte(fmtTOML(sched)), 0o600); err != nil {
		t.Fatal(err)
	}
	sc := storetest.Config(t)
	env := []string{"HUILIU_DATA=" + sc.DataDir, "DATABASE_URL=" + sc.URL}
	if sc.DataDir == "" {
		env[0] = "HUILIU_DATA=" + t.TempDir()
	}
	if out, stderr, code := huiliu(t, env, "", "migrate", "--config", file); code != 0 {
		t.Fatalf("migrate: exit %d %s %s", code, out, stderr)
	}
	cfg := Config{Data: strings.TrimPrefix(env[0], "HUILIU_DATA="), DatabaseURL: sc.URL}
	a, err := openApp(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if ps, err := a.db.SLAPolicies(context.Background()); err != nil || len(ps) != 1 || ps[0].Name != "complaints" {
		t.Fatalf("policies after migrate: %+v %v", ps, err)
	}
}
