package desk

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"huiliu/i18n"
)

// CSATSettingsList is what the admin page shows: the desk's settings (the
// defaults until saved) and each team's saved override.
type CSATSettingsList struct {
	Default CSATSettings   `json:"default"`
	Teams   []CSATSettings `json:"teams"`
}

// CSATSettingsFor lists the saved settings; admins only.
func (c *CSAT) CSATSettingsFor(ctx context.Context, actor Actor) (CSATSettingsList, error) {
	if err := requireRole(actor, RoleAdmin); err != nil {
		return CSATSettingsList{}, err
	}
	st, err := c.store()
	if err != nil {
		return CSATSettingsList{}, err
	}
	all, err := st.AllCSATSettings(ctx)
	if err != nil {
		return CSATSettingsList{}, fmt.Errorf("desk: csat settings: %w", err)
	}
	out := CSATSettingsList{Default: DefaultCSATSettings(), Teams: []CSATSettings{}}
	for _, set := range all {
		if set.Scope == "" {
			out.Default = set
		} else {
			out.Teams = append(out.Teams, set)
		}
	}
	return out, nil
}

// SaveCSATSettings stores the settings of set.Scope ("" the desk's, else a
// team id); admins only. Wording is kept for the supported languages only.
func (c *CSAT) SaveCSATSettings(ctx context.Context, actor Actor, set CSATSettings) (CSATSettings, error) {
	if err := requireRole(actor, RoleAdmin); err != nil {
		return CSATSettings{}, err
	}
	if set.Threshold < 0 || set.Threshold > 5 {
		return CSATSettings{}, Errorf(CodeInvalid, "the low-score threshold must be 0 to 5")
	}
	words := map[string]string{}
	for lang, q := range set.Wording {
		q = strings.TrimSpace(q)
		switch {
		case !slices.Contains(i18n.Languages, lang):
			return CSATSettings{}, Errorf(CodeInvalid, "wording language must be one of %s", strings.Join(i18n.Languages, ", "))
		case len(q) > MaxSurveyWording || !ValidText(q):
			return CSATSettings{}, Errorf(CodeInvalid, "the %s wording must be text of at most %d bytes", lang, MaxSurveyWording)
		case q != "":
			words[lang] = q
		}
	}
	set.Wording = words
	set.UpdatedAt = c.s.now().UTC()
	err := c.s.store.Tx(ctx, func(dtx Tx) error {
		tx := dtx.(CSATTx)
		if set.Scope != "" {
			if _, err := tx.Team(ctx, set.Scope); err != nil {
				return notFoundAs(err, "team %s not found", set.Scope)
			}
		}
		if err := tx.PutCSATSettings(ctx, set); err != nil {
			return err
		}
		return c.s.audit(ctx, tx, actor, "csat.settings", set.Scope, fmt.Sprintf("enabled=%v threshold=%d", set.Enabled, set.Threshold))
	})
	if err != nil {
		return CSATSettings{}, fmt.Errorf("desk: save csat settings: %w", err)
	}
	return set, nil
}

// DeleteCSATSettings drops a team's override; admins only.
func (c *CSAT) DeleteCSATSettings(ctx context.Context, actor Actor, teamID string) error {
	if err := requireRole(actor, RoleAdmin); err != nil {
		return err
	}
	if teamID == "" {
		return Errorf(CodeInvalid, "only a team's settings can be deleted")
	}
	err := c.s.store.Tx(ctx, func(dtx Tx) error {
		if err := dtx.(CSATTx).DeleteCSATSettings(ctx, teamID); err != nil {
			return err
		}
		return c.s.audit(ctx, dtx, actor, "csat.settings_deleted", teamID, "")
	})
	if err != nil && !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("desk: delete csat settings: %w", err)
	}
	return nil
}
