package sqlstore

import (
	"context"
	"time"
)

// ExecForTest runs a statement on the writer, so that tests in package
// sqlstore_test can put in rows no service writes yet.
func (db *DB) ExecForTest(ctx context.Context, query string, args ...any) error {
	_, err := db.w.ExecContext(ctx, query, args...)
	return err
}

// ExpireStandardsCheckForTest makes the next FindStandards check the table,
// as it does once standardsCheckTTL has passed.
func (db *DB) ExpireStandardsCheckForTest() {
	db.standards.mu.Lock()
	db.standards.checked = time.Time{}
	db.standards.mu.Unlock()
}
