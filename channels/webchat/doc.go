// Package webchat is the customer side of the website chat: an embeddable
// widget (widget.js) and the customer websocket it talks to.
//
// The SQL record is the source of truth for what a customer sees. A
// connection keeps a resume point (ticket, last delivered seq) and pulls
// the ticket's visible timeline from History whenever a Notice says it
// changed, so a lost notice only delays a message and a reconnecting
// client resumes with no gap and no duplicate. Customer messages are
// acknowledged only after the Sink has committed them; the connection that
// sent one skips reading it back when its notice shows nothing came
// before it.
//
// docs/webchat.md describes the wire protocol, the limits and how a host
// site signs a customer's identity.
package webchat
