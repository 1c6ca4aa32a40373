package desk

import (
	"context"
	"errors"
	"fmt"
	"regexp"
)

var extensionPattern = regexp.MustCompile(`^[0-9A-Za-z*#-]{0,20}$`)

// SetAgentExtension sets the phone extension a call platform reports for
// the agent ("" clears it); calls ringing for it pop on their desk. Admins
// only; an extension belongs to one agent.
func (s *Service) SetAgentExtension(ctx context.Context, actor Actor, agentID, ext string) error {
	if err := requireRole(actor, RoleAdmin); err != nil {
		return err
	}
	if !extensionPattern.MatchString(ext) {
		return Errorf(CodeInvalid, "extension: at most 20 digits, letters, *, # or -")
	}
	err := s.store.Tx(ctx, func(tx Tx) error {
		ptx, ok := tx.(PhoneWriter)
		if !ok {
			return fmt.Errorf("the store keeps no extensions")
		}
		if err := ptx.SetAgentExtension(ctx, agentID, ext); errors.Is(err, ErrConflict) {
			return Wrap(CodeConflict, err, "extension "+ext+" belongs to another agent")
		} else if err != nil {
			return notFoundAs(err, "agent %s not found", agentID)
		}
		return s.audit(ctx, tx, actor, "agent.extension", agentID, ext)
	})
	if err != nil {
		return fmt.Errorf("desk: extension of agent %s: %w", agentID, err)
	}
	return nil
}

// OpenCallbacks lists the tickets agent a may see that wait for a call
// back (missed calls, voicemails), the earliest deadline first.
func (s *Service) OpenCallbacks(ctx context.Context, a Agent, limit int) ([]CallbackTicket, error) {
	ps, err := s.phoneStore()
	if err != nil {
		return nil, err
	}
	out, err := ps.OpenCallbacks(ctx, VisibilityOf(a), limit)
	if err != nil {
		return nil, fmt.Errorf("desk: open callbacks of %s: %w", a.ID, err)
	}
	for i := range out {
		out[i].Ticket = maskTicket(out[i].Ticket)
	}
	return out, nil
}
