package desk

import (
	"context"
	"fmt"
)

// Reads of the administration (accounts, sites, SLA settings, the audit
// log); each checks the role itself, so the rule holds whichever transport
// asks. The system and the command line (no agent) may read everything.

// Agents lists every account with its role and teams, for admins.
func (s *Service) Agents(ctx context.Context, actor Actor) ([]Agent, error) {
	if err := requireRole(actor, RoleAdmin); err != nil {
		return nil, err
	}
	as, err := s.store.Agents(ctx)
	if err != nil {
		return nil, fmt.Errorf("desk: agents: %w", err)
	}
	if as == nil {
		as = []Agent{}
	}
	return as, nil
}

// Sites lists the website chat's sites with their secrets, for admins.
func (s *Service) Sites(ctx context.Context, actor Actor) ([]Site, error) {
	if err := requireRole(actor, RoleAdmin); err != nil {
		return nil, err
	}
	list, err := s.store.Sites(ctx)
	if err != nil {
		return nil, fmt.Errorf("desk: sites: %w", err)
	}
	return list, nil
}

// SLACalendars lists the business calendars, for admins.
func (s *Service) SLACalendars(ctx context.Context, actor Actor) ([]SLACalendar, error) {
	if err := requireRole(actor, RoleAdmin); err != nil {
		return nil, err
	}
	list, err := s.store.SLACalendars(ctx)
	if err != nil {
		return nil, fmt.Errorf("desk: sla calendars: %w", err)
	}
	return list, nil
}

// SLAPolicies lists the SLA policies in order, for admins.
func (s *Service) SLAPolicies(ctx context.Context, actor Actor) ([]SLAPolicy, error) {
	if err := requireRole(actor, RoleAdmin); err != nil {
		return nil, err
	}
	list, err := s.store.SLAPolicies(ctx)
	if err != nil {
		return nil, fmt.Errorf("desk: sla policies: %w", err)
	}
	return list, nil
}

// AuditLog lists up to limit entries newest first, older than the entry id
// before ("" from the newest), for admins.
func (s *Service) AuditLog(ctx context.Context, actor Actor, before string, limit int) ([]AuditEntry, error) {
	if err := requireRole(actor, RoleAdmin); err != nil {
		return nil, err
	}
	es, err := s.store.AuditLog(ctx, before, limit)
	if err != nil {
		return nil, fmt.Errorf("desk: audit log: %w", err)
	}
	if es == nil {
		es = []AuditEntry{}
	}
	return es, nil
}
