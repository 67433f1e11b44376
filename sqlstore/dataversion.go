package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5"
)

// version returns the data version: the data_version row that triggers
// bump in every transaction changing a table indicators read (migration
// 0008; statement triggers on PostgreSQL, row triggers on SQLite). It
// returns an error when the database does not answer.
func (db *DB) version(ctx context.Context) (int64, error) {
	var n int64
	if err := db.r.QueryRowContext(ctx, `SELECT n FROM data_version WHERE id = 1`).Scan(&n); err != nil {
		return 0, fmt.Errorf("data version: %w", err)
	}
	return n, nil
}

// lockDataVersionSQL takes the data_version row first in every PostgreSQL
// write transaction. The triggers of migration 0008 update that row after
// a transaction's statements, and writes lock households in id order
// (household_summary.go) and bulk loads lock whole tables: a transaction
// holding a household that waits for the row while another holds the row
// and waits for the household deadlocks. Taking the row first orders every
// writer the same way (they are serialised at the row anyway).
const lockDataVersionSQL = `SELECT n FROM data_version WHERE id = 1 FOR UPDATE`

// measureCache holds computed measures by query text and arguments, valid
// for one data version: a result is served only while nothing it could
// depend on has changed, so values stay current.
type measureCache struct {
	mu      sync.Mutex
	version int64
	vals    map[string]any
	flight  map[string]*flight
}

type flight struct {
	done chan struct{}
	vals any
	err  error
}

// maxCachedMeasures bounds the cache; it is emptied when full.
const maxCachedMeasures = 4096

// measure returns the cached result of key at version, or computes it with
// run; concurrent callers asking for the same key wait for one computation.
func (c *measureCache) measure(version int64, key string, run func() (any, error)) (any, error) {
	c.mu.Lock()
	if c.vals == nil || c.version != version {
		c.vals, c.flight, c.version = map[string]any{}, map[string]*flight{}, version
	}
	if v, ok := c.vals[key]; ok {
		c.mu.Unlock()
		return v, nil
	}
	if f, ok := c.flight[key]; ok {
		c.mu.Unlock()
		<-f.done
		return f.vals, f.err
	}
	f := &flight{done: make(chan struct{})}
	c.flight[key] = f
	c.mu.Unlock()
	f.vals, f.err = run()
	close(f.done)
	c.mu.Lock()
	if c.version == version {
		delete(c.flight, key)
		if f.err == nil {
			if len(c.vals) >= maxCachedMeasures {
				c.vals = map[string]any{}
			}
			c.vals[key] = f.vals
		}
	}
	c.mu.Unlock()
	return f.vals, f.err
}

// withoutVersionTriggers runs fn, a bulk load into tables, with their
// data-version and village-version triggers dropped (SQLite fires row
// triggers once per row), then restores them and bumps the data version and
// the epoch once (bumpAllSQL), all inside tx.
func (tx *Tx) withoutVersionTriggers(ctx context.Context, tables []string, fn func() error) error {
	var stmts []string
	for _, t := range tables {
		rows, err := tx.QueryContext(ctx, `SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = $1 AND name LIKE '%\_dv\_%' ESCAPE '\'`, t)
		if err != nil {
			return fmt.Errorf("version triggers of %s: %w", t, err)
		}
		var names []string
		if err := eachRow(rows, func(rows *sql.Rows) error {
			var n, s string
			if err := rows.Scan(&n, &s); err != nil {
				return err
			}
			names, stmts = append(names, n), append(stmts, s)
			return nil
		}); err != nil {
			return err
		}
		for _, n := range names {
			if _, err := tx.ExecContext(ctx, `DROP TRIGGER "`+n+`"`); err != nil {
				return fmt.Errorf("drop trigger %s: %w", n, err)
			}
		}
	}
	if err := fn(); err != nil {
		return err
	}
	for _, s := range stmts {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("restore trigger: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, bumpAllSQL); err != nil {
		return fmt.Errorf("data version: %w", err)
	}
	return nil
}

// bumpAllSQL marks everything changed: the data version and the epoch of
// the per-village caches (for bulk loads that bypass the triggers).
const bumpAllSQL = `UPDATE data_version SET n = n + 1, epoch = epoch + 1 WHERE id = 1`

// beginBulkPostgres starts a PostgreSQL bulk load in ptx: it takes the
// data_version row (lockDataVersionSQL), makes the per-village triggers skip
// their work for the rest of the transaction (their transition tables would
// join millions of rows) and moves the epoch instead. The statement
// triggers still bump the data version. It returns the first statement's
// error.
func beginBulkPostgres(ctx context.Context, ptx pgx.Tx) error {
	for _, q := range []string{lockDataVersionSQL, `SET LOCAL healthcell.bulk = 'on'`, `UPDATE data_version SET epoch = epoch + 1 WHERE id = 1`} {
		if _, err := ptx.Exec(ctx, q); err != nil {
			return fmt.Errorf("begin bulk load: %w", err)
		}
	}
	return nil
}
