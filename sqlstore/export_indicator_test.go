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

// TriggersForTest returns the names of the triggers on a table.
func (db *DB) TriggersForTest(ctx context.Context, table string) (map[string]bool, error) {
	q := `SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = $1`
	if db.Engine == Postgres {
		q = `SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
			WHERE NOT t.tgisinternal AND c.relname = $1 AND pg_table_is_visible(c.oid)`
	}
	rows, err := db.w.QueryContext(ctx, q, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	names := map[string]bool{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		names[n] = true
	}
	return names, rows.Err()
}
