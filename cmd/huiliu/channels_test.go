package main

import (
	"context"
	"slices"
	"testing"

	"huiliu/channels"
)

type namedAdapter string

func (n namedAdapter) Name() string { return string(n) }
func (namedAdapter) Send(context.Context, channels.Outbound) (string, error) {
	return "", nil
}

func TestChannelNamesAreTheRunningChannels(t *testing.T) {
	if got := channelNames(nil); !slices.Equal(got, []string{"webchat", "api"}) {
		t.Errorf("no adapters: %v", got)
	}
	got := channelNames([]channels.Adapter{namedAdapter("api"), namedAdapter("telegram")})
	if !slices.Equal(got, []string{"webchat", "api", "telegram"}) {
		t.Errorf("api callbacks and a bot: %v", got)
	}
}
