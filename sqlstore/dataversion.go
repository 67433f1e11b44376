package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5"
)

// dataVersion is what the caches of measures not kept per village (and of
// plan progress) are checked against: n, moved by every write to a table
// indicators read, and the epoch, moved by bulk loads, LoadDivisions and
// TRUNCATE. Both only grow.
type dataVersion struct {
	n, epoch int64
}

// olderThan reports whether v was read before w: a reader holding v must
// not replace results cached at w.
func (v dataVersion) olderThan(w dataVersion) bool {
	return v.n < w.n || v.epoch < w.epoch
}

// dataVersionSQL reads the data version. On SQLite n is the data_version
// row that row triggers bump inside the writing transaction (migration
// 0008), which a reader sees only once the write has committed. On
// PostgreSQL n is the sequence data_version_seq (migration 0019): the
// statement triggers move it without a row lock, so writers do not wait for
// each other, and DB.write moves it again after the commit (bumpAfterCommit)
// — a reader that read n before that move, even one in another process,
// finds it changed when it asks again.
var dataVersionSQL = map[string]string{
	SQLite:   `SELECT n, epoch FROM data_version WHERE id = 1`,
	Postgres: `SELECT s.last_value, d.epoch FROM data_version_seq s, data_version d WHERE d.id = 1`,
}

// version returns the data version. A result computed after this read is
// at least as new as the data it is cached under. On a read replica n is
// its replay position (replicaVersionSQL). It returns an error when the
// database does not answer.
func (db *DB) version(ctx context.Context) (dataVersion, error) {
	var v dataVersion
	q := dataVersionSQL[db.Engine]
	if db.standby {
		q = replicaVersionSQL
	}
	if err := db.r.QueryRowContext(ctx, q).Scan(&v.n, &v.epoch); err != nil {
		return v, fmt.Errorf("data version: %w", err)
	}
	return v, nil
}

// writeLockSQL is the first statement of every ordinary PostgreSQL write
// transaction: a shared advisory lock of the schema, which ordinary writers
// take together without waiting for each other and which a bulk load
// (beginBulkPostgres) takes exclusively, so that a bulk load runs alone as
// before. It writes nothing and locks no row.
const writeLockSQL = `SELECT pg_advisory_xact_lock_shared(hashtext('healthcell.write.' || current_schema()))`

// bulkLockSQL is writeLockSQL's exclusive form, for bulk loads.
const bulkLockSQL = `SELECT pg_advisory_xact_lock(hashtext('healthcell.write.' || current_schema()))`

// bumpAfterCommitSQL runs on the connection of a PostgreSQL write right
// after its commit: when a trigger of the transaction marked the session
// (healthcell.changed, migration 0019), it moves the data version once more
// and clears the mark. A reader that read the version after the trigger's
// move but computed before the commit cached a result without the write;
// that version is gone once this has run.
const bumpAfterCommitSQL = `SELECT CASE WHEN current_setting('healthcell.changed', true) = 'on' THEN nextval('data_version_seq') END,
	set_config('healthcell.changed', 'off', false)`

// bumpDataVersionSQL moves PostgreSQL's data version unconditionally: when
// the connection of a write broke after its commit, and when a process
// opens the database (a process that stopped between a commit and its
// bump leaves other processes' caches stale until the next move).
const bumpDataVersionSQL = `SELECT nextval('data_version_seq')`

// measureCache holds computed measures by query text and arguments, valid
// for one data version: a result is served only while nothing it could
// depend on has changed, so values stay current.
type measureCache struct {
	mu      sync.Mutex
	version dataVersion
	vals    map[string]any
	flight  map[string]*flight
}

type flight struct {
	done chan struct{}
	vals any
	err  error
}

// clear empties the cache.
func (c *measureCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.vals, c.flight = nil, nil
}

// maxCachedMeasures bounds the cache; it is emptied when full.
const maxCachedMeasures = 4096

// measure returns the cached result of key at version, or computes it with
// run; concurrent callers asking for the same key wait for one computation.
// A caller whose version is older than the cache's (it read the version
// before another caller, and a write came between) computes without
// touching the cache.
func (c *measureCache) measure(version dataVersion, key string, run func() (any, error)) (any, error) {
	c.mu.Lock()
	if c.vals != nil && version.olderThan(c.version) {
		c.mu.Unlock()
		return run()
	}
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
// write lock exclusively (bulkLockSQL: ordinary writers finish first and
// wait for the load), makes the per-village triggers skip
// their work for the rest of the transaction (their transition tables would
// join millions of rows) and moves the epoch instead, which is part of the
// data version (the statement triggers move its sequence too). It returns
// the first statement's error.
func beginBulkPostgres(ctx context.Context, ptx pgx.Tx) error {
	for _, q := range []string{bulkLockSQL, `SET LOCAL healthcell.bulk = 'on'`, `UPDATE data_version SET epoch = epoch + 1 WHERE id = 1`} {
		if _, err := ptx.Exec(ctx, q); err != nil {
			return fmt.Errorf("begin bulk load: %w", err)
		}
	}
	return nil
}
