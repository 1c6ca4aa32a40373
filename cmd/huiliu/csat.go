package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"

	"huiliu/desk"
	"huiliu/store"
)

// csatKeyName names the survey-token key in the database's server_keys.
const csatKeyName = "csat"

// newCSAT builds the satisfaction-survey step with the key every node
// shares (made on first use), so a link sent by one node opens on all.
func newCSAT(ctx context.Context, db *store.DB, publicURL string, log *slog.Logger) (*desk.CSAT, error) {
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, fmt.Errorf("csat key: %w", err)
	}
	key, err := db.ServerKey(ctx, csatKeyName, fresh)
	if err != nil {
		return nil, fmt.Errorf("csat key: %w", err)
	}
	return desk.NewCSAT(desk.CSATOptions{Key: key, PublicURL: publicURL, Logger: log}), nil
}
