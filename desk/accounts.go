package desk

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"
	"net/mail"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Account limits.
const (
	SessionTTL          = 12 * time.Hour
	loginWindow         = 5 * time.Minute
	loginPerAccount     = 10 // attempts per account per window
	loginPerIP          = 30 // attempts per address per window
	tokenPrefix         = "hlt_"
	sessionPrefix       = "hls_"
	maxTeamNameRunes    = 80
	maxTokenNameRunes   = 80
	employeeNoAttempts  = 5
	secretBytes         = 32
	employeeNoPrefix    = "HL"
	employeeNoDigits    = 6
	maxAgentNameRunes   = 100
	maxEmailBytes       = 254
	auditDetailMaxRunes = 500
)

// Actor is who performs an action: an agent, the bot, or the system (the
// command line, surveys, reminders). It is recorded as the author of what
// it posts and in the audit log.
type Actor struct {
	Agent *Agent // the agent; nil for the bot and the system
	// Kind tells the bot (AuthorBot) from the system (AuthorSystem, also
	// the zero value) when Agent is nil.
	Kind AuthorKind
	// Name is what a bot or the system writes under on the timeline.
	Name string
	IP   string
}

// AgentActor is agent a acting.
func AgentActor(a Agent) Actor { return Actor{Agent: &a} }

// BotActor is the bot called name acting.
func BotActor(name string) Actor { return Actor{Kind: AuthorBot, Name: name} }

// SystemActor is the system acting, as name (e.g. a survey).
func SystemActor(name string) Actor { return Actor{Kind: AuthorSystem, Name: name} }

// Author is the author kind of what the actor writes.
func (a Actor) Author() AuthorKind {
	switch {
	case a.Agent != nil:
		return AuthorAgent
	case a.Kind == AuthorBot:
		return AuthorBot
	}
	return AuthorSystem
}

func (a Actor) kindID() (string, string) {
	if a.Agent == nil {
		return string(a.Author()), ""
	}
	return "agent", a.Agent.ID
}

// NewAgent is what an admin gives to create an account.
type NewAgent struct {
	Email    string
	Name     string
	Role     Role
	Password string
	Teams    []string // team names; created if missing
}

// CreateAgent creates an account (and any team it names) and audits it.
func (s *Service) CreateAgent(ctx context.Context, actor Actor, n NewAgent) (Agent, error) {
	if err := requireRole(actor, RoleAdmin); err != nil {
		return Agent{}, err
	}
	email, err := normalizeEmail(n.Email)
	if err != nil {
		return Agent{}, err
	}
	name := strings.TrimSpace(n.Name)
	if name == "" || utf8.RuneCountInString(name) > maxAgentNameRunes || !ValidText(name) {
		return Agent{}, Errorf(CodeInvalid, "name is required (at most %d characters)", maxAgentNameRunes)
	}
	if !n.Role.Valid() {
		return Agent{}, Errorf(CodeInvalid, "role must be agent, supervisor or admin")
	}
	hash, err := HashPassword(n.Password)
	if err != nil {
		return Agent{}, err
	}
	var a Agent
	for attempt := 1; ; attempt++ {
		err = s.store.Tx(ctx, func(tx Tx) error {
			now := s.now().UTC()
			teamIDs, err := ensureTeams(ctx, tx, n.Teams, now)
			if err != nil {
				return err
			}
			a = Agent{
				ID: NewID(), Email: email, Name: name, Role: n.Role, Active: true,
				EmployeeNo: newEmployeeNo(), TeamIDs: teamIDs, PasswordHash: hash, CreatedAt: now,
			}
			if err := tx.InsertAgent(ctx, a); err != nil {
				return err
			}
			return s.audit(ctx, tx, actor, "agent.create", a.ID, fmt.Sprintf("%s role=%s teams=%s", email, n.Role, strings.Join(n.Teams, ",")))
		})
		if !errors.Is(err, ErrConflict) || attempt >= employeeNoAttempts {
			break
		}
		if _, e := s.store.AgentByEmail(ctx, email); e == nil {
			return Agent{}, Errorf(CodeConflict, "an agent with email %s already exists", email)
		}
		// Otherwise the random employee number collided; draw another.
	}
	if err != nil {
		return Agent{}, fmt.Errorf("desk: create agent %s: %w", email, err)
	}
	return a, nil
}

// UpdateAgent changes an account's name, role, active flag, teams or
// password; empty fields are left as they are.
type AgentChange struct {
	Name     *string
	Role     *Role
	Active   *bool
	Teams    *[]string
	Password *string
	// Permissions replaces the agent's granted permissions (Permissions).
	Permissions *[]string
	// TimeZone: an IANA zone, or empty for the desk's (CheckTimeZone).
	TimeZone *string
}

// ChangeAgent applies c to the agent and audits it.
func (s *Service) ChangeAgent(ctx context.Context, actor Actor, id string, c AgentChange) (Agent, error) {
	if err := requireRole(actor, RoleAdmin); err != nil {
		return Agent{}, err
	}
	var a Agent
	err := s.store.Tx(ctx, func(tx Tx) error {
		var err error
		a, err = tx.Agent(ctx, id)
		if err != nil {
			return err
		}
		var what []string
		if c.Name != nil {
			n := strings.TrimSpace(*c.Name)
			if n == "" || utf8.RuneCountInString(n) > maxAgentNameRunes || !ValidText(n) {
				return Errorf(CodeInvalid, "name is required (at most %d characters)", maxAgentNameRunes)
			}
			a.Name = n
			what = append(what, "name")
		}
		if c.Role != nil {
			if !c.Role.Valid() {
				return Errorf(CodeInvalid, "role must be agent, supervisor or admin")
			}
			a.Role = *c.Role
			what = append(what, "role="+string(a.Role))
		}
		if c.Active != nil {
			a.Active = *c.Active
			what = append(what, fmt.Sprintf("active=%t", a.Active))
		}
		if c.Teams != nil {
			a.TeamIDs, err = ensureTeams(ctx, tx, *c.Teams, s.now().UTC())
			if err != nil {
				return err
			}
			what = append(what, "teams="+strings.Join(*c.Teams, ","))
		}
		if c.Permissions != nil {
			perms := []string{}
			for _, p := range *c.Permissions {
				if !slices.Contains(Permissions, p) {
					return Errorf(CodeInvalid, "permission %q is not one of %s", p, strings.Join(Permissions, ", "))
				}
				if !slices.Contains(perms, p) {
					perms = append(perms, p)
				}
			}
			a.Permissions = perms
			what = append(what, "permissions="+strings.Join(perms, ","))
		}
		if c.TimeZone != nil {
			if a.TimeZone, err = CheckTimeZone(*c.TimeZone); err != nil {
				return err
			}
			what = append(what, "time_zone="+a.TimeZone)
		}
		if c.Password != nil {
			a.PasswordHash, err = HashPassword(*c.Password)
			if err != nil {
				return err
			}
			what = append(what, "password")
		}
		if err := tx.UpdateAgent(ctx, a); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "agent.update", a.ID, strings.Join(what, " "))
	})
	if err != nil {
		return Agent{}, fmt.Errorf("desk: change agent %s: %w", id, err)
	}
	s.auth.forget("")
	return a, nil
}

// CreateTeam creates a team and audits it.
func (s *Service) CreateTeam(ctx context.Context, actor Actor, name string) (Team, error) {
	if err := requireRole(actor, RoleAdmin); err != nil {
		return Team{}, err
	}
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > maxTeamNameRunes || !ValidText(name) {
		return Team{}, Errorf(CodeInvalid, "team name is required (at most %d characters)", maxTeamNameRunes)
	}
	t := Team{ID: NewID(), Name: name, CreatedAt: s.now().UTC()}
	err := s.store.Tx(ctx, func(tx Tx) error {
		if err := tx.InsertTeam(ctx, t); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "team.create", t.ID, name)
	})
	if errors.Is(err, ErrConflict) {
		return Team{}, Errorf(CodeConflict, "a team named %s already exists", name)
	}
	if err != nil {
		return Team{}, fmt.Errorf("desk: create team %s: %w", name, err)
	}
	return t, nil
}

func ensureTeams(ctx context.Context, tx Tx, names []string, now time.Time) ([]string, error) {
	ids := []string{}
	for _, n := range names {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		t, err := tx.TeamByName(ctx, n)
		if errors.Is(err, ErrNotFound) {
			if utf8.RuneCountInString(n) > maxTeamNameRunes || !ValidText(n) {
				return nil, Errorf(CodeInvalid, "team name %q is too long", n)
			}
			t = Team{ID: NewID(), Name: n, CreatedAt: now}
			err = tx.InsertTeam(ctx, t)
		}
		if err != nil {
			return nil, fmt.Errorf("team %s: %w", n, err)
		}
		ids = append(ids, t.ID)
	}
	return ids, nil
}

// CreateToken makes an API token for agent email; the secret is returned
// once and only its hash is kept.
func (s *Service) CreateToken(ctx context.Context, actor Actor, agentEmail, name string) (Token, string, error) {
	if err := requireRole(actor, RoleAdmin); err != nil {
		return Token{}, "", err
	}
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > maxTokenNameRunes || !ValidText(name) {
		return Token{}, "", Errorf(CodeInvalid, "token name is required (at most %d characters)", maxTokenNameRunes)
	}
	email, err := normalizeEmail(agentEmail)
	if err != nil {
		return Token{}, "", err
	}
	a, err := s.store.AgentByEmail(ctx, email)
	if errors.Is(err, ErrNotFound) {
		return Token{}, "", Errorf(CodeNotFound, "no agent has email %s", email)
	}
	if err != nil {
		return Token{}, "", fmt.Errorf("desk: token for %s: %w", email, err)
	}
	secret := tokenPrefix + randomSecret()
	t := Token{ID: NewID(), AgentID: a.ID, Name: name, Hash: hashSecret(secret), CreatedAt: s.now().UTC()}
	err = s.store.Tx(ctx, func(tx Tx) error {
		if err := tx.InsertToken(ctx, t); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "token.create", a.ID, name)
	})
	if err != nil {
		return Token{}, "", fmt.Errorf("desk: token for %s: %w", email, err)
	}
	return t, secret, nil
}

// Login checks a password and opens a session. Attempts are limited per
// account and per address; every outcome is audited. The returned secret
// goes into a cookie or is used as a bearer token.
func (s *Service) Login(ctx context.Context, email, password, ip string) (Session, string, Agent, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if len(email) > maxEmailBytes {
		return Session{}, "", Agent{}, Errorf(CodeInvalid, "email is too long")
	}
	if err := s.limitLogin(ctx, email, ip); err != nil {
		return Session{}, "", Agent{}, err
	}
	a, err := s.store.AgentByEmail(ctx, email)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return Session{}, "", Agent{}, fmt.Errorf("desk: login: %w", err)
	}
	if err != nil {
		// Hash anyway so an unknown address takes as long as a wrong password
		// and response times do not reveal which accounts exist.
		CheckPassword(dummyHash(), password)
	}
	if err != nil || !a.Active || !CheckPassword(a.PasswordHash, password) {
		s.auditNow(ctx, Actor{IP: ip}, "login.failed", a.ID, email)
		return Session{}, "", Agent{}, Errorf(CodeUnauthorized, "wrong email or password")
	}
	secret := sessionPrefix + randomSecret()
	now := s.now().UTC()
	sess := Session{ID: NewID(), Hash: hashSecret(secret), AgentID: a.ID, CSRF: randomSecret(), CreatedAt: now, ExpiresAt: now.Add(SessionTTL)}
	err = s.store.Tx(ctx, func(tx Tx) error {
		if err := tx.InsertSession(ctx, sess); err != nil {
			return err
		}
		return s.audit(ctx, tx, Actor{Agent: &a, IP: ip}, "login.ok", a.ID, "")
	})
	if err != nil {
		return Session{}, "", Agent{}, fmt.Errorf("desk: login: %w", err)
	}
	return sess, secret, a, nil
}

func (s *Service) limitLogin(ctx context.Context, email, ip string) error {
	for _, k := range []struct {
		key   string
		limit int
	}{{"login:acct:" + email, loginPerAccount}, {"login:ip:" + ip, loginPerIP}} {
		if err := s.limit(ctx, k.key, k.limit, loginWindow,
			"too many login attempts, try again in %d seconds", "login is unavailable, try again shortly"); err != nil {
			return err
		}
	}
	return nil
}

// limit counts one attempt under key; over the limit it answers
// CodeRateLimited with busy (a format taking the seconds to wait) and
// RetryAfter set. Without a limiter everything passes.
func (s *Service) limit(ctx context.Context, key string, n int, window time.Duration, busy, unavailable string) error {
	if s.limiter == nil {
		return nil
	}
	ok, retry, err := s.limiter.Allow(ctx, key, n, window)
	if err != nil {
		return Wrap(CodeUnavailable, err, unavailable)
	}
	if !ok {
		e := Errorf(CodeRateLimited, busy, int(retry.Seconds())+1)
		e.RetryAfter = retry
		return e
	}
	return nil
}

// Logout ends a session.
func (s *Service) Logout(ctx context.Context, sess Session, ip string) error {
	s.auth.forget(string(sess.Hash))
	return s.store.Tx(ctx, func(tx Tx) error {
		if err := tx.DeleteSession(ctx, sess.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, Actor{Agent: &Agent{ID: sess.AgentID}, IP: ip}, "logout", sess.AgentID, "")
	})
}

// Principal is an authenticated caller: an agent through a session (with
// its CSRF secret) or through an API token.
type Principal struct {
	Agent   Agent
	Session *Session // nil for token callers
	TokenID string
}

// Authenticate resolves a session or token secret to its agent.
func (s *Service) Authenticate(ctx context.Context, secret string) (Principal, error) {
	bad := Errorf(CodeUnauthorized, "missing, expired or unknown credentials")
	if len(secret) > 200 {
		return Principal{}, bad
	}
	now := s.now()
	key := string(hashSecret(secret))
	if p, ok := s.auth.get(key, now); ok {
		return p, nil
	}
	var p Principal
	switch {
	case strings.HasPrefix(secret, sessionPrefix):
		sess, err := s.store.SessionByHash(ctx, hashSecret(secret))
		if err != nil {
			return Principal{}, credErr(err, bad)
		}
		if now.After(sess.ExpiresAt) {
			return Principal{}, bad
		}
		p.Session = &sess
		p.Agent.ID = sess.AgentID
	case strings.HasPrefix(secret, tokenPrefix):
		tok, err := s.store.TokenByHash(ctx, hashSecret(secret))
		if err != nil {
			return Principal{}, credErr(err, bad)
		}
		if tok.RevokedAt != nil {
			return Principal{}, bad
		}
		p.TokenID = tok.ID
		p.Agent.ID = tok.AgentID
		// last_used_at is advisory; refresh it at most once a minute so a
		// busy integration does not turn every read into a write.
		if tok.LastUsedAt == nil || now.Sub(*tok.LastUsedAt) > time.Minute {
			_ = s.store.Tx(ctx, func(tx Tx) error { return tx.TouchToken(ctx, tok.ID, now.UTC()) })
		}
	default:
		return Principal{}, bad
	}
	a, err := s.store.Agent(ctx, p.Agent.ID)
	if err != nil {
		return Principal{}, credErr(err, bad)
	}
	if !a.Active {
		return Principal{}, bad
	}
	p.Agent = a
	s.auth.put(key, p, now)
	return p, nil
}

func credErr(err error, bad *Error) error {
	if errors.Is(err, ErrNotFound) {
		return bad
	}
	return fmt.Errorf("desk: authenticate: %w", err)
}

func (s *Service) audit(ctx context.Context, tx Tx, actor Actor, action, target, detail string) error {
	return tx.InsertAudit(ctx, NewAuditEntry(actor, s.now(), action, target, detail))
}

// NewAuditEntry is the audit log's record of actor's action at a time, for
// packages that store it in their own transaction (the knowledge base).
func NewAuditEntry(actor Actor, at time.Time, action, target, detail string) AuditEntry {
	kind, id := actor.kindID()
	return AuditEntry{
		ID: NewID(), At: at.UTC(), ActorKind: kind, ActorID: id,
		Action: action, Target: target, Detail: truncateRunes(detail, auditDetailMaxRunes), IP: actor.IP,
	}
}

// auditNow records an entry in its own transaction; a failure is logged,
// since the action it describes (a refused login) already happened.
func (s *Service) auditNow(ctx context.Context, actor Actor, action, target, detail string) {
	err := s.store.Tx(ctx, func(tx Tx) error { return s.audit(ctx, tx, actor, action, target, detail) })
	if err != nil {
		s.log.Error("desk: audit", "action", action, "err", err)
	}
}

var dummyHash = sync.OnceValue(func() string {
	h, _ := HashPassword(randomSecret())
	return h
})

func normalizeEmail(e string) (string, error) {
	e = strings.ToLower(strings.TrimSpace(e))
	addr, err := mail.ParseAddress(e)
	if err != nil || addr.Address != e || len(e) > maxEmailBytes {
		return "", Errorf(CodeInvalid, "%q is not a valid email address", e)
	}
	return e, nil
}

func randomSecret() string {
	b := make([]byte, secretBytes)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashSecret(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}

func newEmployeeNo() string {
	n, _ := rand.Int(rand.Reader, big.NewInt(900000))
	return fmt.Sprintf("%s%0*d", employeeNoPrefix, employeeNoDigits, n.Int64()+100000)
}
