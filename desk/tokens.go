package desk

import (
	"context"
	"errors"
	"fmt"
)

// RevokeToken revokes an API token at once: its next request is refused
// on this node, on others within the credential cache's 5 seconds.
// Audited; revoking twice is not found the second time.
func (s *Service) RevokeToken(ctx context.Context, actor Actor, id string) error {
	if err := requireRole(actor, RoleAdmin); err != nil {
		return err
	}
	err := s.store.Tx(ctx, func(tx Tx) error {
		if err := tx.RevokeToken(ctx, id, s.now().UTC()); err != nil {
			if errors.Is(err, ErrNotFound) {
				return Errorf(CodeNotFound, "token not found or already revoked")
			}
			return err
		}
		return s.audit(ctx, tx, actor, "token.revoke", id, "")
	})
	if err != nil {
		return fmt.Errorf("desk: revoke token %s: %w", id, err)
	}
	// The cache is keyed by secret, which is not kept: drop every entry.
	s.auth.forget("")
	return nil
}
