// Package sqlstore is the one storage implementation of healthcell, on
// SQLite (embedded, the default) or PostgreSQL, with the same SQL and the
// same tests on both. Every method that reads or writes personal or unit data
// takes the caller from the context and applies its scope here, in one place.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/catalog"
	"github.com/healthcell/healthcell/idcard"
	"github.com/healthcell/healthcell/indicator"
	"github.com/healthcell/healthcell/password"
)

// Engines.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// DB is an open database. SQLite has one writer connection and a pool of
// readers; PostgreSQL uses one pool for both.
type DB struct {
	Engine string
	DSN    string

	w *sql.DB   // writes
	r *readPool // reads

	// Now returns the current time; tests fix it.
	Now func() time.Time
	// PasswordParams are the argon2id costs for new hashes; tests lower them.
	PasswordParams password.Params

	standards      standardsCache   // the FindStandards list (standard_cache.go)
	users          userCache        // users of UserByID (user_cache.go)
	measures       measureCache     // indicator measures by data version (dataversion.go)
	villageCache   villageCache     // per-village measures by village version (village_cache.go)
	compiled       compileCache     // compiled measure SQL by definition, period and scope (compile_cache.go)
	activityCounts activityCounts   // village activity counts by village version (activity_count_cache.go)
	sessionCache   sessionCache     // web sessions read or written lately (session_cache.go)
	villagePages   villagePages     // village pages by village version (village_page.go)
	stdVersions    standardVersions // parsed standard versions by id (standard_version_cache.go)
	lookups        lookupLimiter    // ID-number lookups that miss, per account (lookup_limit.go)
	factsCache     planFactsCache   // plan progress counts per campaign (plan_facts_cache.go)
	villageLists   villageLists     // FindVillages lists by epoch (village_list_cache.go)
	retries        atomic.Int64     // PostgreSQL writes run again after a deadlock or serialization failure

	// defs are the registers, indicators, workflow and rules the database
	// works with, given to Open; nothing here reads them from package state.
	defs    *catalog.Definitions
	sources indicator.Sources // the sources of indicators, from defs' registers
	// Tests only: beforeCommit runs in every write after fn and before the
	// commit; noBumpAfterCommit leaves out bumpAfterCommitSQL, to show
	// what it prevents (parallel_writers_test.go).
	beforeCommit      func()
	noBumpAfterCommit bool

	// SoleImports tells a SQLite resident import that this process is the
	// only user of the database file, so that it may switch the file to a
	// rollback journal for its transaction (residentimport_journal.go).
	// The import command sets it; the web server does not.
	SoleImports bool

	// replica is the streaming read replica attached by OpenReplica
	// (replica.go), nil without one; standby marks the replica's own *DB.
	replica *replica
	standby bool
}

// IsPostgres reports whether dsn names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open opens the database named by dsn (a postgres:// URL, or a SQLite file
// path), working with the definitions defs (catalog.Load for the shipped
// ones), and applies pending migrations. It returns an error when defs is
// nil, the database cannot be opened or a migration fails.
func Open(ctx context.Context, dsn string, defs *catalog.Definitions) (*DB, error) {
	if defs == nil || defs.Registers == nil {
		return nil, errors.New("sqlstore: open without definitions")
	}
	db := &DB{DSN: dsn, Now: func() time.Time { return time.Now().UTC() }, PasswordParams: password.Default,
		defs: defs, sources: indicator.NewSources(defs.Registers)}
	var err error
	if IsPostgres(dsn) {
		db.Engine = Postgres
		if db.w, err = sql.Open("pgx", dsn); err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		db.w.SetMaxOpenConns(16)
		db.w.SetMaxIdleConns(16)
		db.w.SetConnMaxIdleTime(5 * time.Minute)
		db.r = newReadPool(db.w, false)
	} else {
		db.Engine = SQLite
		if db.w, err = sql.Open("sqlite", sqliteDSN(dsn, false)); err != nil {
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
		db.w.SetMaxOpenConns(1)
		db.w.SetConnMaxIdleTime(0)
		r, err := sql.Open("sqlite", sqliteDSN(dsn, true))
		if err != nil {
			db.w.Close()
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
		db.r = newReadPool(r, true)
		n := max(4, runtime.NumCPU()*2)
		db.r.SetMaxOpenConns(n)
		db.r.SetMaxIdleConns(n)
	}
	if err := db.w.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect %s: %w", db.Engine, err)
	}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if db.Engine == Postgres {
		// A process that stopped between a commit and its bump
		// (bumpAfterCommitSQL) left other processes' caches stale; move
		// the version once at every start.
		if _, err := db.w.ExecContext(ctx, bumpDataVersionSQL); err != nil {
			db.Close()
			return nil, fmt.Errorf("data version: %w", err)
		}
	}
	return db, nil
}

// WriteRetries returns how many PostgreSQL write transactions this process
// ran again after a deadlock or a serialization failure.
func (db *DB) WriteRetries() int64 { return db.retries.Load() }

// sqliteBusyTimeout is how long (ms) a SQLite connection waits for a lock.
const sqliteBusyTimeout = 10000

// sqliteDSN builds the modernc DSN: WAL, a busy timeout, foreign keys, and
// immediate transactions for the writer so that writers queue instead of
// failing on upgrade.
func sqliteDSN(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", sqliteBusyTimeout))
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "cache_size(-32000)")
	q.Set("_time_format", "sqlite")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Set("_txlock", "immediate")
		// Statement journals (the pages a multi-row INSERT or UPDATE
		// changes, kept to undo that statement alone) stay in memory
		// instead of spilling to a temporary file past 64 KiB: a
		// million-row import wrote gigabytes there, a system call per
		// page. It takes effect at BEGIN, hence here.
		q.Add("_pragma", "temp_store(MEMORY)")
	}
	return "file:" + path + "?" + q.Encode()
}

// Close closes both pools, and the replica's.
func (db *DB) Close() error {
	var err error
	if db.replica != nil {
		err = db.replica.db.Close()
	}
	if db.r != nil && db.r.DB != db.w {
		err = db.r.Close()
	}
	if db.w != nil {
		if e := db.w.Close(); e != nil {
			err = e
		}
	}
	return err
}

// Ping reports whether the database answers; used by /healthz.
func (db *DB) Ping(ctx context.Context) error { return db.r.PingContext(ctx) }

// Tx is a write transaction with the time fixed at its start and the actor
// who runs it.
type Tx struct {
	*sql.Tx
	db    *DB
	now   time.Time
	actor *healthcell.Actor
	// answer is what the request's idempotency key answers with once tx
	// commits (keepAnswer), nil for a write that answers nothing.
	answer any
}

// write runs fn in one transaction on the writer and commits when it returns
// nil; any error rolls back everything fn did. On PostgreSQL writers run in
// parallel (they share writeLockSQL; their row locks are per village and
// household), and a transaction that PostgreSQL aborts as a deadlock or a
// serialization failure is run again from the start, up to writeAttempts
// times: fn must therefore leave nothing behind outside tx but values it
// sets afresh on every run. After a PostgreSQL commit the data version moves
// again (bumpAfterCommitSQL). It returns fn's error, the database's, or the
// last retried failure.
func (db *DB) write(ctx context.Context, fn func(tx *Tx) error) error {
	actor := healthcell.ActorFrom(ctx)
	if actor == nil {
		return healthcell.Errorf(healthcell.EUNAUTHORIZED, "error.unauthorized")
	}
	if db.Engine != Postgres {
		stx, err := db.w.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("begin: %w", err)
		}
		if err := db.commitWith(ctx, stx, actor, fn); err != nil {
			return err
		}
		db.afterWrite()
		return nil
	}
	var err error
	for attempt := 1; ; attempt++ {
		err = db.writePostgres(ctx, actor, fn)
		if err == nil || attempt == writeAttempts || !retryable(err) || ctx.Err() != nil {
			break
		}
		db.retries.Add(1)
		time.Sleep(time.Duration(attempt) * time.Duration(1+rand.IntN(5)) * time.Millisecond)
	}
	if err != nil {
		return err
	}
	db.afterWrite()
	return nil
}

// writeAttempts is how many times a PostgreSQL write runs at most when it
// deadlocks or fails to serialize.
const writeAttempts = 5

// writePostgres runs fn once in a PostgreSQL transaction on a connection of
// its own, commits it, and moves the data version after the commit when the
// transaction changed what indicators read. It returns fn's error or the
// database's.
func (db *DB) writePostgres(ctx context.Context, actor *healthcell.Actor, fn func(tx *Tx) error) error {
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close()
	stx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if _, err := stx.ExecContext(ctx, writeLockSQL); err != nil {
		stx.Rollback()
		return fmt.Errorf("write lock: %w", err)
	}
	if err := db.commitWith(ctx, stx, actor, fn); err != nil {
		return err
	}
	if db.noBumpAfterCommit {
		return nil
	}
	// The write is committed: a cancelled request must not skip the bump.
	after := context.WithoutCancel(ctx)
	if _, err := conn.ExecContext(after, bumpAfterCommitSQL); err != nil {
		// The connection broke after the commit: move the version on
		// another one, whether or not the transaction changed anything.
		if _, err := db.w.ExecContext(after, bumpDataVersionSQL); err != nil {
			db.measures.clear()
			return fmt.Errorf("data version after commit: %w", err)
		}
	}
	return nil
}

// commitWith runs fn in stx and commits, or rolls back on fn's error.
func (db *DB) commitWith(ctx context.Context, stx *sql.Tx, actor *healthcell.Actor, fn func(tx *Tx) error) error {
	tx := &Tx{Tx: stx, db: db, now: db.Now().UTC().Truncate(time.Microsecond), actor: actor}
	if err := fn(tx); err != nil {
		stx.Rollback()
		return err
	}
	if err := tx.settleKey(ctx); err != nil {
		stx.Rollback()
		return err
	}
	if db.beforeCommit != nil {
		db.beforeCommit()
	}
	if err := stx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	if c := healthcell.IdempotencyClaimFrom(ctx); c != nil && tx.answer != nil {
		c.Answered = true
	}
	return nil
}

// afterWrite empties the caches that no trigger keeps current.
func (db *DB) afterWrite() {
	db.users.invalidate()
	db.standards.invalidate()
	db.factsCache.invalidate()
	db.villageLists.invalidate()
}

// retryable reports whether err is PostgreSQL aborting a transaction that
// may succeed when run again: a deadlock (40P01) or a serialization failure
// (40001).
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40P01" || pe.Code == "40001")
}

// checkID adapts idcard.Parse to the domain's IDChecker.
func checkID(id string, now time.Time) (number, birth, sex, msgKey string) {
	p, err := idcard.Parse(id, now)
	if err != nil {
		if e, ok := err.(*idcard.Error); ok {
			return "", "", "", "idcard." + string(e.Reason)
		}
		return "", "", "", "idcard.invalid"
	}
	return p.Number, p.Birth.Format("2006-01-02"), p.Sex(), ""
}

// actorOf returns the caller in ctx or EUNAUTHORIZED.
func actorOf(ctx context.Context) (*healthcell.Actor, error) {
	a := healthcell.ActorFrom(ctx)
	if a == nil {
		return nil, healthcell.Errorf(healthcell.EUNAUTHORIZED, "error.unauthorized")
	}
	return a, nil
}

// notFound is the error for a missing or out-of-scope record.
func notFound(entity string) error {
	return healthcell.Errorf(healthcell.ENOTFOUND, "error.not_found.%s", entity)
}

// scopeRange resolves the division a list is asked for — the actor's scope
// when empty, a 2 to 12 digit code otherwise — and returns the bounds of the
// codes under it. It returns ENOTFOUND when the code is malformed or allow
// (the actor's rule for this kind of record) refuses it.
func scopeRange(a *healthcell.Actor, division string, allow func(string) bool) (lo, hi string, err error) {
	if division == "" && a.System {
		return "000000000000", "999999999999", nil // the command line sees every division
	}
	if division == "" {
		division = a.Scope
	}
	division = healthcell.NormalizeCode(division)
	if division == "" || !allow(division) {
		return "", "", notFound("division")
	}
	lo, hi = healthcell.CodeRange(division)
	return lo, hi, nil
}
