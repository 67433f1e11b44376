package sqlstore

import "context"

// CountRowsForTest runs a SELECT COUNT(*) … query on the read pool, so that
// tests in package sqlstore_test can check what a refused write left behind.
func (db *DB) CountRowsForTest(ctx context.Context, query string, args ...any) (int, error) {
	var n int
	err := db.r.QueryRowContext(ctx, query, args...).Scan(&n)
	return n, err
}
