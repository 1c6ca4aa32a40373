// Package pii finds personal data in free text — mainland resident ID
// numbers, bank card numbers, mainland mobile numbers and e-mail addresses —
// and masks it. It is pure (no I/O) and runs in time linear in its input, so
// it can sit in front of every response, search result, export and log line.
//
// Stars are read as part of a number, and the digits right next to them (up
// to seven before, four after: what Mask keeps) are never reported. That is
// what makes Mask idempotent: the digits it keeps can never be read again as
// a new number. A digit sequence touching an ASCII letter is not reported
// either: it is part of an identifier such as an order number.
package pii
