package phone

import (
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strings"
	"time"
)

// Line is one configured phone line ([[phone_line]] in the configuration):
// a hotline or a collections line, each with its own webhook secret and
// field mapping.
type Line struct {
	// Name identifies the line in the webhook path
	// (/channels/phone/<name>/events), in call ids and on the desk.
	Name string `toml:"name"`
	// Secret signs the webhook's requests (HMAC-SHA256, see docs/phone.md);
	// SecretFile reads it from a file instead.
	Secret     string `toml:"secret"`
	SecretFile string `toml:"secret_file"`
	// Region reads numbers without a country code (default CN).
	Region string `toml:"region"`
	// Mapping says where the platform's callback keeps each field.
	Mapping Mapping `toml:"mapping"`
	// RecordingHosts are the only hosts the desk fetches recordings from.
	RecordingHosts []string `toml:"recording_hosts"`
	// ClickToCallURL, when set, receives a signed request to dial a number
	// from an agent's extension (dial.go), signed with ClickToCallSecret,
	// else with Secret.
	ClickToCallURL    string `toml:"click_to_call_url"`
	ClickToCallSecret string `toml:"click_to_call_secret"`
	// CallbackWithin is the business time allowed to call back a missed
	// caller ("2h", the default); counted on the ticket's SLA calendar.
	CallbackWithin string `toml:"callback_within"`
	// Callback is CallbackWithin read by Prepare.
	Callback time.Duration `toml:"-"`
}

var lineName = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,39}$`)

// Prepare validates the line, reads its secret file and resolves its
// mapping preset; an error names the line and the field at fault.
func (l *Line) Prepare() error {
	if !lineName.MatchString(l.Name) {
		return fmt.Errorf("phone line %q: name must be 1-40 of a-z, 0-9, _ and - (it is part of the webhook path)", l.Name)
	}
	if (l.Secret == "") == (l.SecretFile == "") {
		return fmt.Errorf("phone line %q: give exactly one of secret and secret_file", l.Name)
	}
	if l.SecretFile != "" {
		b, err := os.ReadFile(l.SecretFile)
		if err != nil {
			return fmt.Errorf("phone line %q: secret_file: %w", l.Name, err)
		}
		l.Secret, l.SecretFile = strings.TrimSpace(string(b)), ""
	}
	if len(l.Secret) < 16 {
		return fmt.Errorf("phone line %q: secret must be at least 16 characters", l.Name)
	}
	if l.Region == "" {
		l.Region = DefaultRegion
	}
	if err := l.Mapping.prepare(); err != nil {
		return fmt.Errorf("phone line %q: mapping: %w", l.Name, err)
	}
	for i, h := range l.RecordingHosts {
		h = strings.ToLower(strings.TrimSpace(h))
		if h == "" || strings.ContainsAny(h, "/:@ ") {
			return fmt.Errorf("phone line %q: recording_hosts[%d] %q: give a host name such as rec.example.com", l.Name, i, h)
		}
		l.RecordingHosts[i] = h
	}
	l.Callback = 2 * time.Hour
	if l.CallbackWithin != "" {
		d, err := time.ParseDuration(l.CallbackWithin)
		if err != nil || d <= 0 || d > 30*24*time.Hour {
			return fmt.Errorf("phone line %q: callback_within %q: write a duration such as 2h or 90m, at most 720h", l.Name, l.CallbackWithin)
		}
		l.Callback = d
	}
	if l.ClickToCallURL != "" {
		u, err := url.Parse(l.ClickToCallURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return fmt.Errorf("phone line %q: click_to_call_url must be an http(s) URL", l.Name)
		}
	}
	if l.ClickToCallSecret != "" && len(l.ClickToCallSecret) < 16 {
		return fmt.Errorf("phone line %q: click_to_call_secret must be at least 16 characters", l.Name)
	}
	return nil
}

func (l *Line) clickToCallSecret() string {
	if l.ClickToCallSecret != "" {
		return l.ClickToCallSecret
	}
	return l.Secret
}

// RecordingAllowed reports whether raw is an http(s) URL on one of the
// line's recording hosts.
func (l *Line) RecordingAllowed(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.User != nil {
		return false
	}
	host := strings.ToLower(u.Hostname())
	for _, h := range l.RecordingHosts {
		if host == h {
			return true
		}
	}
	return false
}
