package sqlstore

import "context"

// ExecForTest runs a statement on the writer, so that tests in package
// sqlstore_test can put in rows no service writes yet.
func (db *DB) ExecForTest(ctx context.Context, query string, args ...any) error {
	_, err := db.w.ExecContext(ctx, query, args...)
	return err
}
