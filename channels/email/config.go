package email

import (
	"errors"
	"fmt"
	"net/mail"
	"os"
	"strings"
	"time"
)

// Mailbox configures one mailbox, a [[mailbox]] table in the TOML file.
// Passwords come from the file, a file of their own or an environment
// variable; they are never logged.
type Mailbox struct {
	// Name identifies the mailbox in logs, leases and on the desk.
	Name string `toml:"name"`
	// Address is the mailbox's address; DisplayName the name mail is sent
	// under (e.g. 某某租赁客服).
	Address     string `toml:"address"`
	DisplayName string `toml:"display_name"`

	IMAP Server `toml:"imap"`
	// Folder is the IMAP folder to import from (INBOX).
	Folder string `toml:"folder"`
	// AfterImport is what happens to an imported mail on the server:
	// "seen" (flag \Seen, the default) or "move:<folder>".
	AfterImport string `toml:"after_import"`
	// PollInterval is the pause between rounds on a server without IDLE,
	// and the longest IDLE before a fresh look (default 1m).
	PollInterval time.Duration `toml:"poll_interval"`

	SMTP Server `toml:"smtp"`
	// DefaultTeam is the name of the team new tickets of this mailbox go
	// to when no routing rule picks one.
	DefaultTeam string `toml:"default_team"`
}

// Server is where a mailbox connects for IMAP or SMTP.
type Server struct {
	Host string `toml:"host"`
	Port int    `toml:"port"`
	// Security is "tls" (implicit TLS, the default), "starttls" or
	// "plain"; plain needs Insecure, for local test servers only.
	Security string `toml:"security"`
	Insecure bool   `toml:"insecure"`
	// User defaults to the mailbox address.
	User         string `toml:"user"`
	Password     string `toml:"password"`
	PasswordFile string `toml:"password_file"`
	PasswordEnv  string `toml:"password_env"`
	// Auth is the SMTP authentication: "plain" (default), "login" or
	// "none" (a relay that trusts this host).
	Auth string `toml:"auth"`
}

// Security modes.
const (
	SecurityTLS      = "tls"
	SecuritySTARTTLS = "starttls"
	SecurityPlain    = "plain"
)

// Defaults fills what a mailbox leaves out.
func (m *Mailbox) Defaults() {
	if m.Folder == "" {
		m.Folder = "INBOX"
	}
	if m.AfterImport == "" {
		m.AfterImport = "seen"
	}
	if m.PollInterval == 0 {
		m.PollInterval = time.Minute
	}
	for _, s := range []*Server{&m.IMAP, &m.SMTP} {
		if s.Security == "" {
			s.Security = SecurityTLS
		}
		if s.User == "" {
			s.User = m.Address
		}
	}
	if m.SMTP.Auth == "" {
		m.SMTP.Auth = "plain"
	}
	if m.IMAP.Port == 0 {
		m.IMAP.Port = map[string]int{SecurityTLS: 993, SecuritySTARTTLS: 143, SecurityPlain: 143}[m.IMAP.Security]
	}
	if m.SMTP.Port == 0 {
		m.SMTP.Port = map[string]int{SecurityTLS: 465, SecuritySTARTTLS: 587, SecurityPlain: 25}[m.SMTP.Security]
	}
}

// Validate says what is wrong with a mailbox, naming the field.
func (m Mailbox) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("mailbox %q: "+format, append([]any{m.Name}, args...)...))
	}
	if m.Name == "" || strings.ContainsAny(m.Name, ": \t\r\n") {
		bad("name is required and may not hold spaces or colons")
	}
	if a, err := mail.ParseAddress(m.Address); err != nil || a.Address != m.Address {
		bad("address %q is not a plain mail address", m.Address)
	}
	if strings.ContainsAny(m.DisplayName, "\r\n") {
		bad("display_name may not hold line breaks")
	}
	if m.AfterImport != "seen" && (!strings.HasPrefix(m.AfterImport, "move:") || len(m.AfterImport) == len("move:")) {
		bad("after_import is %q; want seen or move:<folder>", m.AfterImport)
	}
	if m.PollInterval < time.Second {
		bad("poll_interval must be at least 1s")
	}
	for _, s := range []struct {
		name string
		srv  Server
	}{{"imap", m.IMAP}, {"smtp", m.SMTP}} {
		if s.srv.Host == "" {
			bad("%s.host is required", s.name)
		}
		if s.srv.Port <= 0 || s.srv.Port > 65535 {
			bad("%s.port %d is out of range", s.name, s.srv.Port)
		}
		switch s.srv.Security {
		case SecurityTLS, SecuritySTARTTLS:
		case SecurityPlain:
			if !s.srv.Insecure {
				bad("%s.security = \"plain\" sends the password in clear; set %s.insecure = true for a local test server", s.name, s.name)
			}
		default:
			bad("%s.security is %q; want tls, starttls or plain", s.name, s.srv.Security)
		}
		n := 0
		for _, v := range []string{s.srv.Password, s.srv.PasswordFile, s.srv.PasswordEnv} {
			if v != "" {
				n++
			}
		}
		if n > 1 {
			bad("%s: give one of password, password_file, password_env", s.name)
		}
	}
	if m.SMTP.Auth != "plain" && m.SMTP.Auth != "login" && m.SMTP.Auth != "none" {
		bad("smtp.auth is %q; want plain, login or none", m.SMTP.Auth)
	}
	return errors.Join(errs...)
}

// Secret returns the server's password from where the configuration says.
func (s Server) Secret() (string, error) {
	switch {
	case s.PasswordFile != "":
		b, err := os.ReadFile(s.PasswordFile)
		if err != nil {
			return "", fmt.Errorf("email: password file: %w", err)
		}
		return strings.TrimRight(string(b), "\r\n"), nil
	case s.PasswordEnv != "":
		v, ok := os.LookupEnv(s.PasswordEnv)
		if !ok {
			return "", fmt.Errorf("email: password variable %s is not set", s.PasswordEnv)
		}
		return v, nil
	}
	return s.Password, nil
}

// Masked returns a copy fit for printing: passwords replaced.
func (m Mailbox) Masked() Mailbox {
	for _, s := range []*Server{&m.IMAP, &m.SMTP} {
		if s.Password != "" {
			s.Password = "xxxxx"
		}
	}
	return m
}

// String never shows passwords, so a mailbox logged by mistake leaks none.
func (m Mailbox) String() string {
	return fmt.Sprintf("mailbox %s <%s> imap %s:%d smtp %s:%d", m.Name, m.Address, m.IMAP.Host, m.IMAP.Port, m.SMTP.Host, m.SMTP.Port)
}
