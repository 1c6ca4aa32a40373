// Package desk is the domain of Huiliu: tickets and their timelines,
// contacts and their identities, agents, teams and accounts, routing,
// first-contact ownership, SLA clocks and escalation, the outbox, and the
// rules over all of them (who may see and change what, what a customer may
// see, idempotency, audit). Service is the one way in: every transport
// (the agents' desk, the API, each channel) calls its methods, so the rules
// hold whichever way a request came.
//
// Dependency rule: desk imports no transport, SQL driver or Redis client.
// It states what it needs as interfaces (Store, Publisher, RateLimiter,
// PresenceStore, Leaser, queue.Timers) and the envelopes of package
// channels; store, queue/* and channels/* implement or speak them, and only
// cmd/huiliu wires concrete types together. Follow-up work after a commit
// (routing nudges, SLA recomputes, later the bot and surveys) attaches as
// an Observer in Options, not by editing Ingest or Post.
package desk
