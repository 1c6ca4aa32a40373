// Package email is the email channel: IMAP import of configured mailboxes
// (one poller per mailbox across nodes, IDLE where the server has it,
// position (UIDVALIDITY, UID) in SQL moved after the commit), MIME parsing
// that reads Chinese mail correctly, threading by our own Message-IDs,
// loop and bounce rules (RFC 3834), and replies over SMTP. It knows the
// envelopes and the interfaces it declares (Threads, Positions, Bounces),
// never the store. docs/email.md is the user's guide.
package email
