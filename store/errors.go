package store

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"

	"huiliu/desk"
)

// SQLite extended result codes and PostgreSQL SQLSTATEs the store maps.
const (
	sqliteConstraintUnique     = 2067
	sqliteConstraintPrimaryKey = 1555
	sqliteConstraintForeignKey = 787

	pgUniqueViolation          = "23505"
	pgForeignKeyViolation      = "23503"
	pgCharacterNotInRepertoire = "22021" // e.g. a NUL byte in text
	pgUntranslatableCharacter  = "22P05"
	pgSerializationFailure     = "40001"
	pgDeadlockDetected         = "40P01"
)

// wrap adds context to err and maps it onto the domain's sentinels: no rows
// is ErrNotFound, a unique violation ErrConflict, and a missing referenced
// row (a foreign key) ErrNotFound too.
func wrap(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	what := fmt.Sprintf(format, args...)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("store: %s: %w", what, desk.ErrNotFound)
	case isUnique(err):
		return fmt.Errorf("store: %s: %w: %w", what, desk.ErrConflict, err)
	case isForeignKey(err):
		return fmt.Errorf("store: %s: referenced row: %w: %w", what, desk.ErrNotFound, err)
	case isBadText(err):
		// PostgreSQL refuses NUL bytes in text that SQLite takes; report it
		// as the caller's input problem on both, not as a server failure.
		return desk.Wrap(desk.CodeInvalid, fmt.Errorf("store: %s: %w", what, err), "text must not contain NUL characters")
	}
	return fmt.Errorf("store: %s: %w", what, err)
}

func notFound(format string, args ...any) error {
	return fmt.Errorf("store: %s: %w", fmt.Sprintf(format, args...), desk.ErrNotFound)
}

func isUnique(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqliteConstraintUnique || se.Code() == sqliteConstraintPrimaryKey
	}
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == pgUniqueViolation
}

func isForeignKey(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqliteConstraintForeignKey
	}
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == pgForeignKeyViolation
}

func isBadText(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == pgCharacterNotInRepertoire || pe.Code == pgUntranslatableCharacter)
}

// retryable reports whether PostgreSQL aborted the transaction only because
// of a concurrent one, so running it again may succeed.
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == pgSerializationFailure || pe.Code == pgDeadlockDetected)
}
