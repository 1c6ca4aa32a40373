package desk

import (
	"context"
	"fmt"
)

// Reads of the administration (accounts, sites, SLA settings, the audit
// log); each checks the role itself, so the rule holds whichever transport
// asks. The system and the command line (no agent) may read everything.

// adminList runs read for an admin, wrapping its failure with what it
// reads; an empty result is an empty list, never nil.
func adminList[T any](ctx context.Context, actor Actor, what string, read func(context.Context) ([]T, error)) ([]T, error) {
	if err := requireRole(actor, RoleAdmin); err != nil {
		return nil, err
	}
	list, err := read(ctx)
	if err != nil {
		return nil, fmt.Errorf("desk: %s: %w", what, err)
	}
	if list == nil {
		list = []T{}
	}
	return list, nil
}

// Agents lists every account with its role and teams, for admins.
func (s *Service) Agents(ctx context.Context, actor Actor) ([]Agent, error) {
	return adminList(ctx, actor, "agents", s.store.Agents)
}

// Sites lists (secrets left out) the website chat's sites with their secrets, for admins.
func (s *Service) Sites(ctx context.Context, actor Actor) ([]Site, error) {
	list, err := adminList(ctx, actor, "sites", s.store.Sites)
	for i := range list {
		list[i] = list[i].withoutSecrets()
	}
	return list, err
}

// SLACalendars lists the business calendars, for admins.
func (s *Service) SLACalendars(ctx context.Context, actor Actor) ([]SLACalendar, error) {
	return adminList(ctx, actor, "sla calendars", s.store.SLACalendars)
}

// SLAPolicies lists the SLA policies in order, for admins.
func (s *Service) SLAPolicies(ctx context.Context, actor Actor) ([]SLAPolicy, error) {
	return adminList(ctx, actor, "sla policies", s.store.SLAPolicies)
}

// AuditLog lists up to limit entries newest first, older than the entry id
// before ("" from the newest), for admins.
func (s *Service) AuditLog(ctx context.Context, actor Actor, before string, limit int) ([]AuditEntry, error) {
	return s.AuditSearch(ctx, actor, AuditQuery{Before: before, Limit: limit})
}

// AuditSearch lists the entries matching q newest first, for admins.
func (s *Service) AuditSearch(ctx context.Context, actor Actor, q AuditQuery) ([]AuditEntry, error) {
	if err := q.check(); err != nil {
		return nil, err
	}
	return adminList(ctx, actor, "audit log", func(ctx context.Context) ([]AuditEntry, error) {
		return s.store.AuditSearch(ctx, q)
	})
}

// Tokens lists the API tokens (without their hashes), newest first, for
// admins.
func (s *Service) Tokens(ctx context.Context, actor Actor) ([]Token, error) {
	list, err := adminList(ctx, actor, "tokens", s.store.Tokens)
	for i := range list {
		list[i].Hash = nil
	}
	return list, err
}
