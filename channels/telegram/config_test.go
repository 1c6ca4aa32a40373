package telegram

import (
	"strings"
	"testing"
	"time"
)

func TestConfigValidate(t *testing.T) {
	good := Config{Name: "main", Token: "123:abc"}
	if err := good.Validate(); err != nil {
		t.Fatalf("minimal config: %v", err)
	}
	d := good.withDefaults()
	if d.Mode != ModePolling || d.PollTimeout != DefaultPollTimeout || d.APIEndpoint != "https://api.telegram.org/bot%s/%s" ||
		d.FileEndpoint != "https://api.telegram.org/file/bot%s/%s" || d.MaxFileBytes != 10<<20 {
		t.Errorf("defaults = %+v", d)
	}
	tests := []struct {
		edit func(*Config)
		want string
	}{
		{func(c *Config) { c.Name = "Main Bot" }, "name must be"},
		{func(c *Config) { c.Token = "" }, "token must look like"},
		{func(c *Config) { c.Token = "123:abc/def" }, "token must look like"},
		{func(c *Config) { c.Mode = "push" }, `mode "push"`},
		{func(c *Config) { c.Mode = ModeWebhook }, "webhook secret"},
		{func(c *Config) { c.APIEndpoint = "https://x/%s" }, "two %s"},
		{func(c *Config) { c.FileEndpoint = "https://x/file/%s" }, "file endpoint must be a pattern"},
		{func(c *Config) { c.FileEndpoint = "ftp://x/%s/%s" }, "file endpoint must be an http(s)"},
		{func(c *Config) { c.MaxFileBytes = 1023 }, "max file bytes"},
		{func(c *Config) { c.MaxFileBytes = 20<<20 + 1 }, "max file bytes"},
		{func(c *Config) { c.MaxFileBytes = -1 }, "max file bytes"},
		{func(c *Config) { c.LinkSecret = "short" }, "link secret"},
		{func(c *Config) { c.PollTimeout = time.Hour }, "poll timeout"},
	}
	for _, tt := range tests {
		c := good
		tt.edit(&c)
		err := c.Validate()
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: err = %v, want %q", c, err, tt.want)
		}
		if err != nil && strings.Contains(err.Error(), "abc") {
			t.Errorf("token in error: %v", err)
		}
	}
}

func TestNew(t *testing.T) {
	_, err := New([]Config{{Name: "a", Token: "1:x"}}, Deps{})
	if err == nil || !strings.Contains(err.Error(), "Offsets and Deps.Leases") {
		t.Errorf("polling without offsets: %v", err)
	}
	deps := Deps{Offsets: newMemOffsets(), Leases: newMemLeases()}
	_, err = New([]Config{{Name: "a", Token: "1:x"}, {Name: "a", Token: "2:y"}, {Name: "b", Token: "1:x"}}, deps)
	if err == nil || !strings.Contains(err.Error(), "configured twice") || !strings.Contains(err.Error(), "same token") {
		t.Errorf("duplicates: %v", err)
	}
	c, err := New([]Config{{Name: "a", Token: "1:x"}, {Name: "b", Token: "2:y", Mode: ModeWebhook, WebhookSecret: "s"}}, deps)
	if err != nil {
		t.Fatal(err)
	}
	if c.Name() != "telegram" || c.holder == "" {
		t.Errorf("name %q holder %q", c.Name(), c.holder)
	}
}

func TestThreadKeys(t *testing.T) {
	if k := ThreadKey("main", -100123); k != "main:-100123" {
		t.Fatal(k)
	}
	bot, chat, err := ParseThreadKey("main:-100123")
	if err != nil || bot != "main" || chat != -100123 {
		t.Fatalf("%q %d %v", bot, chat, err)
	}
	for _, bad := range []string{"", "main", "main:", "main:x", ":1", "Main:1", "main:1:2", "main:0"} {
		if _, _, err := ParseThreadKey(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}
