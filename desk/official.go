package desk

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Kinds of official channel: where the company really talks to customers.
const (
	OfficialHotline    = "hotline"     // a phone number, e.g. 400-800-1234
	OfficialWebsite    = "website"     // https://… of the company's site
	OfficialTelegram   = "telegram"    // @bot_name
	OfficialMailDomain = "mail_domain" // mail comes only from @domain
)

// OfficialKinds lists the kinds in display order.
var OfficialKinds = []string{OfficialHotline, OfficialWebsite, OfficialTelegram, OfficialMailDomain}

// Limits of the official channel list.
const (
	MaxOfficialChannels   = 50
	maxOfficialValueRunes = 200
	maxOfficialLabelRunes = 80
)

// OfficialChannel is one channel customers can check a caller or a
// message against (防冒充): anything not on the list is not the company.
type OfficialChannel struct {
	ID        string    `json:"id"`
	Kind      string    `json:"kind"`
	Value     string    `json:"value"`
	Label     string    `json:"label"`
	Position  int       `json:"position"`
	CreatedAt time.Time `json:"created_at"`
}

// OfficialReader reads the list.
type OfficialReader interface {
	OfficialChannels(ctx context.Context) ([]OfficialChannel, error)
}

// OfficialWriter replaces it.
type OfficialWriter interface {
	ReplaceOfficialChannels(ctx context.Context, list []OfficialChannel) error
}

// OfficialChannels is the public list, in order.
func (s *Service) OfficialChannels(ctx context.Context) ([]OfficialChannel, error) {
	list, err := s.store.OfficialChannels(ctx)
	if err != nil {
		return nil, fmt.Errorf("desk: official channels: %w", err)
	}
	if list == nil {
		list = []OfficialChannel{}
	}
	return list, nil
}

// SetOfficialChannels replaces the list (admins only) and audits it.
func (s *Service) SetOfficialChannels(ctx context.Context, actor Actor, list []OfficialChannel) ([]OfficialChannel, error) {
	if err := requireRole(actor, RoleAdmin); err != nil {
		return nil, err
	}
	if len(list) > MaxOfficialChannels {
		return nil, Errorf(CodeInvalid, "at most %d official channels", MaxOfficialChannels)
	}
	now := s.now().UTC()
	out := make([]OfficialChannel, 0, len(list))
	var summary []string
	for i, c := range list {
		c, err := cleanOfficial(c)
		if err != nil {
			return nil, Errorf(CodeInvalid, "official channel %d: %s", i+1, err)
		}
		c.ID, c.Position, c.CreatedAt = NewID(), i, now
		out = append(out, c)
		summary = append(summary, c.Kind+"="+c.Value)
	}
	err := s.store.Tx(ctx, func(tx Tx) error {
		if err := tx.ReplaceOfficialChannels(ctx, out); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "official_channels.set", "", strings.Join(summary, " "))
	})
	if err != nil {
		return nil, fmt.Errorf("desk: set official channels: %w", err)
	}
	return out, nil
}

func cleanOfficial(c OfficialChannel) (OfficialChannel, error) {
	c.Value, c.Label = strings.TrimSpace(c.Value), strings.TrimSpace(c.Label)
	switch {
	case !slices.Contains(OfficialKinds, c.Kind):
		return c, fmt.Errorf("kind must be one of %s", strings.Join(OfficialKinds, ", "))
	case c.Value == "" || utf8.RuneCountInString(c.Value) > maxOfficialValueRunes || !ValidText(c.Value) || strings.ContainsAny(c.Value, "\r\n"):
		return c, fmt.Errorf("value is required, one line of at most %d characters", maxOfficialValueRunes)
	case utf8.RuneCountInString(c.Label) > maxOfficialLabelRunes || !ValidText(c.Label) || strings.ContainsAny(c.Label, "\r\n"):
		return c, fmt.Errorf("label must be one line of at most %d characters", maxOfficialLabelRunes)
	}
	switch c.Kind {
	case OfficialWebsite:
		u, err := url.Parse(c.Value)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return c, fmt.Errorf("a website is an http(s):// address")
		}
	case OfficialTelegram:
		name := strings.TrimPrefix(c.Value, "@")
		if name == "" || strings.ContainsFunc(name, func(r rune) bool {
			return !(r == '_' || r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'))
		}) {
			return c, fmt.Errorf("a Telegram account is @name (letters, digits, _)")
		}
		c.Value = "@" + name
	case OfficialMailDomain:
		d := strings.ToLower(strings.TrimPrefix(c.Value, "@"))
		if !strings.Contains(d, ".") || strings.ContainsAny(d, " /@") {
			return c, fmt.Errorf("a mail domain looks like example.com")
		}
		c.Value = d
	case OfficialHotline:
		if strings.ContainsFunc(c.Value, func(r rune) bool { return !(r >= '0' && r <= '9' || strings.ContainsRune("+- ()", r)) }) {
			return c, fmt.Errorf("a hotline is a phone number (digits, + - ( ) and spaces)")
		}
	}
	return c, nil
}
