package desk

import "time"

// Role is what an agent may do.
type Role string

const (
	RoleAgent      Role = "agent"      // works tickets of their teams
	RoleSupervisor Role = "supervisor" // sees every ticket, reviews
	RoleAdmin      Role = "admin"      // manages accounts, teams, settings
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	return r == RoleAgent || r == RoleSupervisor || r == RoleAdmin
}

// AtLeast reports whether r includes the rights of min.
func (r Role) AtLeast(min Role) bool {
	rank := map[Role]int{RoleAgent: 1, RoleSupervisor: 2, RoleAdmin: 3}
	return rank[r] >= rank[min]
}

// Agent is a person who works on the desk.
type Agent struct {
	ID    string `json:"id"`
	Email string `json:"email"`
	Name  string `json:"name"`
	Role  Role   `json:"role"`
	// EmployeeNo is public: customers can check that an agent is genuine.
	EmployeeNo string   `json:"employee_no"`
	Active     bool     `json:"active"`
	TeamIDs    []string `json:"team_ids"`
	// Permissions are granted on top of the role (pii.reveal).
	Permissions []string `json:"permissions"`
	// TimeZone is the IANA zone the desk shows this agent's times in;
	// empty: the desk's configured zone.
	TimeZone     string    `json:"time_zone"`
	PasswordHash string    `json:"-"`
	CreatedAt    time.Time `json:"created_at"`
}

// Team is a group of agents with a queue.
type Team struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
}

// Token is an API token for integrations; only its hash is stored.
type Token struct {
	ID         string     `json:"id"`
	AgentID    string     `json:"agent_id"`
	Name       string     `json:"name"`
	Hash       []byte     `json:"-"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
}

// Session is a browser or script login; only the hash of its secret is stored.
type Session struct {
	ID        string    `json:"id"`
	Hash      []byte    `json:"-"`
	AgentID   string    `json:"agent_id"`
	CSRF      string    `json:"-"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
}

// AuditEntry records who did what, for admins.
type AuditEntry struct {
	ID        string    `json:"id"`
	At        time.Time `json:"at"`
	ActorKind string    `json:"actor_kind"` // agent, system, anonymous
	ActorID   string    `json:"actor_id,omitempty"`
	Action    string    `json:"action"` // login.ok, login.failed, token.create, agent.create, ...
	Target    string    `json:"target,omitempty"`
	Detail    string    `json:"detail,omitempty"`
	IP        string    `json:"ip,omitempty"`
}
