// Package api is the outbound side of the API channel: integrations post
// customer messages into the desk with POST /api/v1/inbound (channel "api"),
// and agent replies on those tickets go back to the integration as an HTTP
// POST to its configured callback URL.
//
// # Request
//
// Each reply is one POST with a JSON body:
//
//	{
//	  "message_id": "…", "ticket_id": "…", "thread_key": "…",
//	  "to": {"kind": "api", "value": "…"},
//	  "text": "…",
//	  "idempotency_key": "…",  // same value as the Idempotency-Key header
//	  "attempt": 1
//	}
//
// A satisfaction survey after a resolution comes the same way with two
// more fields, "kind": "survey.requested" and "survey": {"token": "…",
// "url": "…"}: show the customer the url (the text ends with it), or take
// their score (1–5) and post {"score": n, "comment": "…"} to
// /api/v1/public/survey-answers with the token (answered once; 7 days; docs/csat.md).
//
// and the headers Content-Type: application/json, User-Agent: huiliu and
// Idempotency-Key. The desk delivers at least once: after a timeout or a
// crash the same message is posted again with the same Idempotency-Key, so
// a receiver that remembers the keys it has processed can drop re-sends.
//
// # Signature
//
// When a secret is configured every request also carries
//
//	X-Huiliu-Timestamp: <unix seconds when the request was signed>
//	X-Huiliu-Signature: sha256=<lowercase hex of HMAC-SHA256(secret, timestamp + "." + body)>
//
// where body is the exact request body bytes. A receiver recomputes the
// HMAC over the raw body it received (before any JSON parsing), compares it
// in constant time, and rejects timestamps too far from its own clock (5
// minutes is a good window) so a captured request cannot be replayed later.
// Within the window, the Idempotency-Key drops replays. The timestamp is
// refreshed on every retry, so a retry is never rejected as stale. [Verify]
// implements exactly this check; docs/api-channel.md has the same check in
// Go and Python for receivers that do not import this package.
//
// # Outcomes
//
// A 2xx answer is success; if its body is a JSON object with an "id" field,
// that is recorded as the channel's id for the message. 429 or 503 with a
// Retry-After header is retried after the delay asked for; other 5xx, 408,
// timeouts and network errors are retried with backoff; other 4xx and any
// redirect fail the message at once (redirects are never followed: the
// configured URL must be the final one).
//
// # Private addresses
//
// Unless AllowPrivate is set (config key allow_private_callbacks), the
// adapter refuses to connect to loopback, private, link-local, CGNAT,
// multicast and other non-public addresses, so an admin-supplied URL cannot
// be used to reach the desk's own network. The check runs on the resolved
// address at dial time, so DNS rebinding and names like "localhost" cannot
// dodge it, and proxies from the environment are never used.
package api
