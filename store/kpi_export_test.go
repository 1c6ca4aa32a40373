package store

import "context"

// ExecForTest runs a statement on db's writer: for tests that need a table
// of a feature this branch does not carry.
func ExecForTest(ctx context.Context, db *DB, query string, args ...any) error {
	_, err := db.w.ExecContext(ctx, query, args...)
	return err
}
