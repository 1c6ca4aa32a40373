package main

import (
	"slices"
	"testing"
	"time"

	"huiliu/bot"
)

func TestBotConfigChannelsAndOpenHours(t *testing.T) {
	if got := (BotConfig{}).botChannels(); !slices.Equal(got, []string{bot.TryChannel}) {
		t.Fatalf("bot off: %v (the console must still work)", got)
	}
	if got := (BotConfig{Enabled: true}).botChannels(); !slices.Equal(got, []string{bot.TryChannel, "webchat", "telegram"}) {
		t.Fatalf("bot on: %v", got)
	}
	open, err := BotConfig{OpenHours: "09:00-21:00", Timezone: "Asia/Shanghai"}.openHours()
	if err != nil {
		t.Fatal(err)
	}
	at := func(h int) time.Time { return time.Date(2026, 12, 3, h, 0, 0, 0, time.UTC) } // UTC+8 in Shanghai
	if !open(at(1)) || open(at(13)) || open(at(0)) || open(at(14)) {
		t.Fatalf("open hours: 09:00 %v, 21:00 %v, 08:00 %v, 22:00 %v", open(at(1)), open(at(13)), open(at(0)), open(at(14)))
	}
	if none, err := (BotConfig{}).openHours(); err != nil || none != nil {
		t.Fatalf("unset open hours: %v", err)
	}
	for _, bad := range []string{"9-21", "21:00-09:00", "09:00"} {
		if _, err := (BotConfig{OpenHours: bad}).openHours(); err == nil {
			t.Errorf("open_hours %q accepted", bad)
		}
	}
	if _, err := (BotConfig{OpenHours: "09:00-18:00", Timezone: "Mars/Olympus"}).openHours(); err == nil {
		t.Error("an unknown timezone accepted")
	}
}
