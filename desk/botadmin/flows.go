package botadmin

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"huiliu/bot"
	"huiliu/desk"
)

// Limits of the flows' history.
const (
	MaxNoteRunes = 200
	// MaxVersionsListed is how many versions the history shows.
	MaxVersionsListed = 200
)

// parsedFlows is a version's document, validated.
type parsedFlows struct {
	version int64
	flows   bot.Flows
}

// CurrentFlows is the document in force: the latest saved version, or
// version 0, the built-in one. Admins only (it is configuration).
func (s *Service) CurrentFlows(ctx context.Context, a desk.Agent) (FlowVersion, error) {
	if err := requireAdmin(a, "read the bot's flows"); err != nil {
		return FlowVersion{}, err
	}
	latest, err := s.store.LatestBotFlowVersion(ctx)
	if err != nil {
		return FlowVersion{}, fmt.Errorf("botadmin: flows: %w", err)
	}
	return s.version(ctx, latest)
}

// FlowVersions lists the saved versions newest first (without source),
// ending with the built-in version 0.
func (s *Service) FlowVersions(ctx context.Context, a desk.Agent) ([]FlowVersion, error) {
	if err := requireAdmin(a, "read the bot's flows"); err != nil {
		return nil, err
	}
	list, err := s.store.BotFlowVersions(ctx, MaxVersionsListed)
	if err != nil {
		return nil, fmt.Errorf("botadmin: flow versions: %w", err)
	}
	return append(list, FlowVersion{Version: 0}), nil
}

// FlowVersion is one version with its source (0: the built-in one).
func (s *Service) FlowVersion(ctx context.Context, a desk.Agent, v int64) (FlowVersion, error) {
	if err := requireAdmin(a, "read the bot's flows"); err != nil {
		return FlowVersion{}, err
	}
	return s.version(ctx, v)
}

func (s *Service) version(ctx context.Context, v int64) (FlowVersion, error) {
	if v == 0 {
		return FlowVersion{Version: 0, Source: string(bot.DefaultFlowsTOML())}, nil
	}
	fv, err := s.store.BotFlowVersion(ctx, v)
	if errors.Is(err, desk.ErrNotFound) {
		return FlowVersion{}, desk.Errorf(desk.CodeNotFound, "flows version %d not found", v)
	}
	if err != nil {
		return FlowVersion{}, fmt.Errorf("botadmin: flows version %d: %w", v, err)
	}
	return fv, nil
}

// SaveFlows validates source with bot.ParseFlows and stores it as the
// version after base, the version the admin edited. A document that does
// not validate is refused with every problem (TOML syntax errors name
// their line) and nothing is stored; a base that is no longer the latest
// is a conflict, so one admin never overwrites another's save unseen.
func (s *Service) SaveFlows(ctx context.Context, a desk.Agent, source string, base int64, note string) (FlowVersion, error) {
	if err := requireAdmin(a, "change the bot's flows"); err != nil {
		return FlowVersion{}, err
	}
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > MaxNoteRunes || !oneLine(note) {
		return FlowVersion{}, desk.Errorf(desk.CodeInvalid, "note: one line of at most %d characters", MaxNoteRunes)
	}
	if _, err := bot.ParseFlows([]byte(source)); err != nil {
		return FlowVersion{}, invalidFlows(err)
	}
	return s.insert(ctx, FlowVersion{Source: source, AuthorID: a.ID, Note: note}, base)
}

// RestoreFlows makes version v the one in force again, as a new version
// after base carrying v's text. The text is validated again: the engine's
// rules may have grown stricter since v was saved.
func (s *Service) RestoreFlows(ctx context.Context, a desk.Agent, v, base int64) (FlowVersion, error) {
	if err := requireAdmin(a, "change the bot's flows"); err != nil {
		return FlowVersion{}, err
	}
	old, err := s.version(ctx, v)
	if err != nil {
		return FlowVersion{}, err
	}
	if _, err := bot.ParseFlows([]byte(old.Source)); err != nil {
		return FlowVersion{}, invalidFlows(err)
	}
	return s.insert(ctx, FlowVersion{Source: old.Source, AuthorID: a.ID, RestoredFrom: v,
		Note: fmt.Sprintf("restored version %d", v)}, base)
}

func (s *Service) insert(ctx context.Context, fv FlowVersion, base int64) (FlowVersion, error) {
	fv.CreatedAt = s.now().UTC()
	out, err := s.store.InsertBotFlowVersion(ctx, fv, base)
	if errors.Is(err, desk.ErrConflict) {
		return FlowVersion{}, desk.Errorf(desk.CodeConflict,
			"the flows changed since version %d was opened; reload to see the latest version", base).Say("botdesk.err.flows_conflict", "base", fmt.Sprint(base))
	}
	if err != nil {
		return FlowVersion{}, fmt.Errorf("botadmin: save flows: %w", err)
	}
	return out, nil
}

// invalidFlows words the engine's validation error for the admin: the
// problems, one per line after the first, without the package prefix.
func invalidFlows(err error) error {
	msg := strings.TrimSpace(strings.TrimPrefix(err.Error(), "bot: flows:"))
	return desk.Errorf(desk.CodeInvalid, "the flows are not valid:\n%s", msg)
}

// BotFlows is the validated document in force, for the engine: the
// latest saved version, else the built-in one. It is parsed once per
// version. A saved version that no longer validates (after an engine
// upgrade) is logged and the built-in document answers instead.
func (s *Service) BotFlows(ctx context.Context) (bot.Flows, error) {
	latest, err := s.store.LatestBotFlowVersion(ctx)
	if err != nil {
		return bot.Flows{}, fmt.Errorf("botadmin: flows: %w", err)
	}
	s.mu.Lock()
	cached := s.flows
	s.mu.Unlock()
	if cached != nil && cached.version == latest {
		return cached.flows, nil
	}
	p := &parsedFlows{version: latest}
	if latest == 0 {
		p.flows = bot.DefaultFlows()
	} else {
		fv, err := s.store.BotFlowVersion(ctx, latest)
		if err != nil {
			return bot.Flows{}, fmt.Errorf("botadmin: flows version %d: %w", latest, err)
		}
		if p.flows, err = bot.ParseFlows([]byte(fv.Source)); err != nil {
			s.log.Error("botadmin: saved flows no longer valid; using the built-in ones", "version", latest, "err", err)
			p.flows = bot.DefaultFlows()
		}
	}
	s.mu.Lock()
	s.flows = p
	s.mu.Unlock()
	return p.flows, nil
}
