package desk

import (
	"errors"
	"fmt"
	"time"
)

// Code classifies an error for the people and programs that receive it.
// The transport layer maps each code to a status and a safe message in one
// place (desk/web/errors.go); nothing else decides what a client sees.
type Code string

const (
	CodeInvalid      Code = "invalid"
	CodeNotFound     Code = "not_found"
	CodeConflict     Code = "conflict"
	CodeUnauthorized Code = "unauthorized"
	CodeForbidden    Code = "forbidden"
	CodeRateLimited  Code = "rate_limited"
	CodeTooLarge     Code = "too_large"
	CodeUnavailable  Code = "unavailable"
	CodeInternal     Code = "internal"
)

// Error is the one error type of the domain. Message is safe to show to the
// caller; Err is the wrapped cause, for logs only.
type Error struct {
	Code    Code
	Message string
	Err     error
	// RetryAfter, when set, tells the caller when to try again.
	RetryAfter time.Duration
	// Details, when set, is shown to the caller with the message (the
	// disclosure guard's findings).
	Details any
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an Error whose message is shown to the caller.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap attaches a code and a safe message to a cause.
func Wrap(code Code, err error, message string) *Error {
	return &Error{Code: code, Message: message, Err: err}
}

// Sentinel errors that stores return (wrapped with context) so the domain can
// tell "absent" and "already there" apart from failures.
var (
	ErrNotFound = &Error{Code: CodeNotFound, Message: "not found"}
	ErrConflict = &Error{Code: CodeConflict, Message: "already exists"}
	// ErrAtCapacity: the agent already works as many tickets as their
	// capacity allows, so claiming another one failed.
	ErrAtCapacity = &Error{Code: CodeConflict, Message: "at capacity"}
)

// Is makes errors.Is(err, ErrNotFound) (or ErrConflict) true for any Error
// with that code, so callers need not know which layer made it.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && (t == ErrNotFound || t == ErrConflict) && t.Code == e.Code
}

// CodeOf returns the code of the first Error in err's chain, or CodeInternal.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// notFoundAs gives a store's ErrNotFound a message for the caller; other
// errors pass unchanged.
func notFoundAs(err error, format string, args ...any) error {
	if errors.Is(err, ErrNotFound) {
		return Wrap(CodeNotFound, err, fmt.Sprintf(format, args...))
	}
	return err
}
