// Package queue holds the shared runtime state of the desk: event fan-out,
// work queues, timers, presence, rate limits, one-time codes and leases.
// Everything here can be rebuilt from SQL; losing it delays work and never
// loses data. Two implementations satisfy these interfaces: Redis (any
// number of nodes) and in-process memory (one node, the embedded default).
package queue

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"time"
)

// Backend bundles the runtime state services of one implementation.
type Backend interface {
	Bus() Bus
	Work() WorkQueue
	// Timers returns the timer set called name (e.g. "sla").
	Timers(name string) Timers
	Presence() Presence
	Limiter() Limiter
	Codes() Codes
	Leases() Leases
	// Ping reports whether the backend is reachable (readiness).
	Ping(ctx context.Context) error
	Close() error
}

// Entry is one published event on a stream.
type Entry struct {
	Seq int64
	// Epoch names the life of the stream Seq belongs to: a random id made
	// when the stream starts, new after a restart (in process) or when
	// Redis lost the stream. A client keeps it with Seq to resume.
	Epoch string
	Data  []byte
	// Reset is set on a first entry (with Data nil) when the subscriber
	// missed entries it can no longer get and must reload its state from
	// SQL: the resume point is older than the retained history (Seq is the
	// oldest retained sequence minus one), or it belongs to another epoch or
	// lies beyond the newest entry (Seq is the newest sequence). Live
	// entries follow from Seq on.
	Reset bool
}

// Position is a point in a stream as a client keeps it: the epoch and the
// last sequence it has seen.
type Position struct {
	Epoch string
	Seq   int64
}

// Live is the position "from now on": no backlog, any epoch.
var Live = Position{Seq: -1}

// NewEpoch returns a random stream epoch: 16 hex digits, so it never holds
// the ":" that separates it from a sequence in a client's resume point.
func NewEpoch() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand)
	return hex.EncodeToString(b[:])
}

// Bus is a per-stream, sequenced event log with live fan-out across nodes.
type Bus interface {
	// Publish appends data to stream and returns its sequence number.
	// Sequences start at 1 and increase by exactly 1 per stream epoch.
	Publish(ctx context.Context, stream string, data []byte) (int64, error)
	// Subscribe delivers, in order and without gaps or duplicates, every
	// entry of stream after from: first the retained backlog, then live
	// entries. from = Live means "from now on". A from of another epoch
	// than the stream's (an empty one included) cannot be proven to hold
	// every entry after it and is answered with a Reset. The channel is
	// closed when ctx ends, when the stream's epoch changes under it, or
	// when the subscriber falls too far behind (it then resumes with a new
	// Subscribe from its last position; a slow reader never slows
	// publishers or other subscribers). Entries may share Data between
	// subscribers: treat it as read-only.
	Subscribe(ctx context.Context, stream string, from Position) (<-chan Entry, error)
	// Last returns the stream's epoch and newest sequence (0 if none). A
	// stream that does not exist yet gets its epoch here, so the position
	// stays valid when the first entry is published.
	Last(ctx context.Context, stream string) (Position, error)
}

// Job is a unit of work in a WorkQueue.
type Job struct {
	ID       string
	Data     []byte
	Attempts int // how many times it was claimed, including this one
}

// WorkQueue hands each job to one consumer at a time, at least once.
type WorkQueue interface {
	Push(ctx context.Context, queue string, data []byte) (string, error)
	// Claim returns up to n jobs, without blocking, oldest first. A claimed
	// job is hidden from other consumers for visibility; if not acked by then
	// it can be claimed again (Attempts grows). The visibility that counts is
	// the one of the caller that reclaims, so consumers of one queue should
	// agree on it.
	Claim(ctx context.Context, queue, consumer string, n int, visibility time.Duration) ([]Job, error)
	// Ack removes a job for good; acking an unknown or already acked id is
	// not an error.
	Ack(ctx context.Context, queue, id string) error
}

// Timer is a scheduled deadline.
type Timer struct {
	Key string
	At  time.Time
}

// Timers is a set of deadlines; each due deadline is claimed exactly once
// across all nodes. Times are kept to the millisecond.
type Timers interface {
	// Schedule sets key to fire at at, replacing an earlier schedule of key.
	Schedule(ctx context.Context, key string, at time.Time) error
	Cancel(ctx context.Context, key string) error
	// ClaimDue atomically removes and returns up to n timers with At <= now,
	// earliest first.
	ClaimDue(ctx context.Context, now time.Time, n int) ([]Timer, error)
	// Len is the number of scheduled timers.
	Len(ctx context.Context) (int64, error)
}

// Presence states.
const (
	Online  = "online"
	Away    = "away"
	Offline = "offline"
)

// Presence tracks which agents have live desk connections.
type Presence interface {
	// Heartbeat records that connection conn of agent is alive, in state
	// (Online or Away), until ttl from now.
	Heartbeat(ctx context.Context, agent, conn, state string, ttl time.Duration) error
	// Leave forgets conn at once (the connection closed).
	Leave(ctx context.Context, agent, conn string) error
	// State is the agent's best state over live connections (Online beats
	// Away), or Offline when none is alive.
	State(ctx context.Context, agent string) (string, error)
	// All returns the state of every agent with a live connection.
	All(ctx context.Context) (map[string]string, error)
}

// Limiter counts hits in fixed windows.
type Limiter interface {
	// Allow counts one hit on key and reports whether it is within limit
	// for the current window; when not, retryAfter says when it will be.
	Allow(ctx context.Context, key string, limit int, window time.Duration) (ok bool, retryAfter time.Duration, err error)
	Reset(ctx context.Context, key string) error
}

// Errors of one-time codes, leases and bad arguments.
var (
	// ErrInvalid wraps errors about arguments no backend could accept
	// (a non-positive ttl, limit or count, an unknown presence state).
	ErrInvalid = errors.New("queue: invalid argument")
	// ErrClosed is returned by a backend after Close.
	ErrClosed           = errors.New("queue: backend closed")
	ErrCodeExpired      = errors.New("queue: code expired or never issued")
	ErrTooManyAttempts  = errors.New("queue: too many attempts")
	ErrLeaseHeldByOther = errors.New("queue: lease held by another holder")
)

// Codes stores one-time codes (verification, login links).
type Codes interface {
	// Issue stores code under key for ttl, replacing an earlier one; at most
	// maxAttempts checks may be made.
	Issue(ctx context.Context, key, code string, ttl time.Duration, maxAttempts int) error
	// Check compares code with the stored one. A match consumes it (true,
	// nil); a mismatch counts an attempt (false, nil) and the code is deleted
	// once attempts run out (ErrTooManyAttempts from then on); an absent or
	// expired code gives ErrCodeExpired.
	Check(ctx context.Context, key, code string) (bool, error)
}

// Leases give one holder at a time a named role (e.g. "poll telegram bot 1").
type Leases interface {
	// Acquire takes or renews name for holder for ttl. It returns false when
	// another holder has it.
	Acquire(ctx context.Context, name, holder string, ttl time.Duration) (bool, error)
	// Release gives name up if holder has it. Releasing a free (or expired)
	// lease is a no-op; releasing one that another holder has taken gives
	// ErrLeaseHeldByOther and leaves it alone.
	Release(ctx context.Context, name, holder string) error
}
