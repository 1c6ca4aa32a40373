package desk

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// Site is a website the chat widget runs on. Key is public (it is in the
// page's script tag); Secret signs visitor tokens and the customer
// identities the host site vouches for, so reads leave it out and an admin
// reveals it on purpose (RevealSiteSecret, audited).
type Site struct {
	ID     string `json:"id"`
	Key    string `json:"key"`
	Name   string `json:"name"`
	Secret string `json:"secret,omitempty"`
	// PreviousSecret, the one before the last rotation, still verifies
	// signatures until PreviousUntil, so host sites switch without a cut.
	PreviousSecret string    `json:"-"`
	PreviousUntil  time.Time `json:"previous_until,omitzero"`
	Origins        []string  `json:"origins"`
	Greeting       string    `json:"greeting"`
	HoursNote      string    `json:"hours_note"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// SiteChange is what an admin sets on a site; nil fields stay.
type SiteChange struct {
	Name      *string
	Origins   *[]string
	Greeting  *string
	HoursNote *string
	// RotateSecret makes a new secret; host sites must then sign with it.
	// The old one keeps verifying for GraceHours (nil: 24; 0: none).
	RotateSecret bool
	GraceHours   *int
}

// Site secret rotation: how long the old secret verifies by default and at
// most.
const (
	defaultSecretGraceHours = 24
	maxSecretGraceHours     = 7 * 24
)

// Limits of site settings.
const (
	maxSiteNameRunes = 100
	maxSiteOrigins   = 20
	maxSiteTextRunes = 500
	siteKeyChars     = 20
)

// CreateSite configures a new website for the chat widget (admins only).
func (s *Service) CreateSite(ctx context.Context, actor Actor, c SiteChange) (Site, error) {
	if err := requireRole(actor, RoleAdmin); err != nil {
		return Site{}, err
	}
	now := s.now().UTC()
	site := Site{ID: NewID(), Key: "s_" + randomSecret()[:siteKeyChars], CreatedAt: now, UpdatedAt: now, Origins: []string{}}
	c.RotateSecret = true
	if c.Name == nil {
		return Site{}, Errorf(CodeInvalid, "a site needs a name")
	}
	if err := applySiteChange(&site, c, now); err != nil {
		return Site{}, err
	}
	err := s.store.Tx(ctx, func(tx Tx) error {
		if err := tx.InsertSite(ctx, site); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "site.create", site.ID, site.Name)
	})
	if err != nil {
		return Site{}, fmt.Errorf("desk: create site: %w", err)
	}
	return site.withoutSecrets(), nil
}

// ChangeSite applies c to a site (admins only).
func (s *Service) ChangeSite(ctx context.Context, actor Actor, id string, c SiteChange) (Site, error) {
	if err := requireRole(actor, RoleAdmin); err != nil {
		return Site{}, err
	}
	var site Site
	err := s.store.Tx(ctx, func(tx Tx) error {
		var err error
		if site, err = tx.Site(ctx, id); err != nil {
			return notFoundAs(err, "site %s not found", id)
		}
		site.UpdatedAt = s.now().UTC()
		if err := applySiteChange(&site, c, site.UpdatedAt); err != nil {
			return err
		}
		if err := tx.UpdateSite(ctx, site); err != nil {
			return err
		}
		detail := "settings"
		if c.RotateSecret {
			detail = "secret rotated"
		}
		return s.audit(ctx, tx, actor, "site.update", site.ID, detail)
	})
	if err != nil {
		return Site{}, fmt.Errorf("desk: change site %s: %w", id, err)
	}
	return site.withoutSecrets(), nil
}

// withoutSecrets is the site as reads show it.
func (st Site) withoutSecrets() Site {
	st.Secret, st.PreviousSecret = "", ""
	return st
}

// RevealSiteSecret shows an admin a site's current secret (to configure the
// host site's signing) and records who looked.
func (s *Service) RevealSiteSecret(ctx context.Context, actor Actor, id string) (Site, error) {
	if err := requireRole(actor, RoleAdmin); err != nil {
		return Site{}, err
	}
	var site Site
	err := s.store.Tx(ctx, func(tx Tx) error {
		var err error
		if site, err = tx.Site(ctx, id); err != nil {
			return notFoundAs(err, "site %s not found", id)
		}
		return s.audit(ctx, tx, actor, "site.secret_reveal", site.ID, site.Name)
	})
	if err != nil {
		return Site{}, fmt.Errorf("desk: reveal secret of site %s: %w", id, err)
	}
	site.PreviousSecret = ""
	return site, nil
}

func applySiteChange(site *Site, c SiteChange, now time.Time) error {
	if c.Name != nil {
		n := strings.TrimSpace(*c.Name)
		if n == "" || utf8.RuneCountInString(n) > maxSiteNameRunes || !ValidText(n) {
			return Errorf(CodeInvalid, "the site name is required (at most %d characters)", maxSiteNameRunes)
		}
		site.Name = n
	}
	if c.Origins != nil {
		if len(*c.Origins) > maxSiteOrigins {
			return Errorf(CodeInvalid, "a site has at most %d origins", maxSiteOrigins)
		}
		origins := make([]string, 0, len(*c.Origins))
		for _, o := range *c.Origins {
			norm, err := NormalizeOrigin(o)
			if err != nil {
				return err
			}
			origins = append(origins, norm)
		}
		site.Origins = origins
	}
	for _, f := range []struct {
		in   *string
		out  *string
		name string
	}{{c.Greeting, &site.Greeting, "greeting"}, {c.HoursNote, &site.HoursNote, "hours note"}} {
		if f.in == nil {
			continue
		}
		v := strings.TrimSpace(*f.in)
		if utf8.RuneCountInString(v) > maxSiteTextRunes || !ValidText(v) {
			return Errorf(CodeInvalid, "the %s must be valid text of at most %d characters", f.name, maxSiteTextRunes)
		}
		*f.out = v
	}
	if c.RotateSecret {
		grace := defaultSecretGraceHours
		if c.GraceHours != nil {
			grace = *c.GraceHours
		}
		if grace < 0 || grace > maxSecretGraceHours {
			return Errorf(CodeInvalid, "grace_hours: the old secret may keep working 0 to %d hours", maxSecretGraceHours)
		}
		site.PreviousSecret, site.PreviousUntil = "", time.Time{}
		if site.Secret != "" && grace > 0 {
			site.PreviousSecret, site.PreviousUntil = site.Secret, now.Add(time.Duration(grace)*time.Hour)
		}
		site.Secret = randomSecret()
	}
	return nil
}

// NormalizeOrigin checks an allowed origin ("https://shop.example.com",
// "http://127.0.0.1:8123") and returns it in the form browsers send: scheme
// and host in lower case, no path, no default port.
func NormalizeOrigin(o string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(o))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", Errorf(CodeInvalid, "origin %q must look like https://shop.example.com (scheme and host, optional port, no path)", o)
	}
	host := strings.ToLower(u.Host)
	if (u.Scheme == "https" && strings.HasSuffix(host, ":443")) || (u.Scheme == "http" && strings.HasSuffix(host, ":80")) {
		host = host[:strings.LastIndex(host, ":")]
	}
	return u.Scheme + "://" + host, nil
}
