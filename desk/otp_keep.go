package desk

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// keepSlack is how far a proof's expiry must have run down before a
// customer message writes it out again, so a chatty conversation costs a
// write a minute, not one per message.
const keepSlack = time.Minute

// VerificationKeeper is the after-commit step that makes a conversation's
// proof count inactivity: each customer message on a verified
// conversation pushes its expiry out to idle from now. List it in
// Options.Observers; NewService binds it.
type VerificationKeeper struct {
	s    *Service
	idle time.Duration
}

// NewVerificationKeeper keeps proofs for idle (default 30 minutes) past
// the customer's last message; use the OTP's VerifiedFor.
func NewVerificationKeeper(idle time.Duration) *VerificationKeeper {
	if idle <= 0 {
		idle = defaultOTPIdle
	}
	return &VerificationKeeper{idle: idle}
}

func (k *VerificationKeeper) bindService(s *Service) { k.s = s }

// AfterCommit extends the proof of an ingested customer message's ticket.
func (k *VerificationKeeper) AfterCommit(ctx context.Context, c Change) error {
	if c.Kind != ChangeIngested || k.s == nil {
		return nil
	}
	return keepVerified(ctx, k.s, c.Ticket.ID, k.idle, keepSlack)
}

// keepVerified sets the expiry of ticketID's active proof to idle from now
// unless it is already within slack of that. A lapsed proof is never
// revived. The read outside the transaction keeps unverified
// conversations (nearly all) to one indexed read.
func keepVerified(ctx context.Context, s *Service, ticketID string, idle, slack time.Duration) error {
	now := s.now().UTC()
	v, err := s.store.Verification(ctx, ticketID)
	if errors.Is(err, ErrNotFound) || (err == nil && (!v.Active(now) || v.ExpiresAt.After(now.Add(idle-slack)))) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("desk: keep verification of ticket %s: %w", ticketID, err)
	}
	return s.store.Tx(ctx, func(tx Tx) error {
		v, err := tx.Verification(ctx, ticketID)
		if errors.Is(err, ErrNotFound) || (err == nil && !v.Active(now)) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("desk: keep verification of ticket %s: %w", ticketID, err)
		}
		v.ExpiresAt = now.Add(idle)
		return tx.PutVerification(ctx, v)
	})
}
