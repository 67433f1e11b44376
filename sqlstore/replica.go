package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/healthcell/healthcell"
)

// A read replica (serve --db-replica) is a second *DB over a streaming
// replica of the primary: the same methods and its own caches, with the data
// version taken from the replica's replay position. A read method sends
// itself there with onReplica when its context allows it
// (healthcell.WithReplicaReads, set by the web layer for the GET routes it
// lists); every other read, and every write, stays on the primary. The
// methods that go to the replica are exactly those that call onReplica.
type replica struct {
	db    *DB          // the replica's *DB; its writes fail (read-only)
	reads atomic.Int64 // calls onReplica sent there
}

// OpenReplica attaches a streaming read replica of db's PostgreSQL
// database, named by dsn (with the same search_path as the primary's). It
// returns an error for SQLite, for a dsn that is not PostgreSQL, when the
// replica does not answer, or when it is not in recovery (a primary, which
// would take writes this process never makes visible to itself).
func (db *DB) OpenReplica(ctx context.Context, dsn string) error {
	if db.Engine != Postgres {
		return errors.New("--db-replica: a read replica needs PostgreSQL (--db postgres://…); SQLite has no replicas")
	}
	if !IsPostgres(dsn) {
		return fmt.Errorf("--db-replica: want a postgres:// address of a streaming replica")
	}
	if db.replica != nil {
		return errors.New("sqlstore: a replica is attached already")
	}
	pool, err := sql.Open("pgx", dsn)
	if err != nil {
		return fmt.Errorf("open replica: %w", err)
	}
	pool.SetMaxOpenConns(16)
	pool.SetMaxIdleConns(16)
	pool.SetConnMaxIdleTime(5 * time.Minute)
	var standby bool
	if err := pool.QueryRowContext(ctx, `SELECT pg_is_in_recovery()`).Scan(&standby); err != nil {
		pool.Close()
		return fmt.Errorf("connect replica: %w", err)
	}
	if !standby {
		pool.Close()
		return errors.New("--db-replica: that server is not a standby (pg_is_in_recovery() is false)")
	}
	r := &DB{Engine: Postgres, DSN: dsn, Now: db.Now, PasswordParams: db.PasswordParams,
		defs: db.defs, sources: db.sources, standby: true, w: pool, r: newReadPool(pool, false)}
	db.replica = &replica{db: r}
	return nil
}

// onReplica returns the replica's *DB when one is attached and ctx allows
// replica reads, counting the read; db otherwise.
func (db *DB) onReplica(ctx context.Context) *DB {
	if db.replica == nil || !healthcell.ReplicaReads(ctx) {
		return db
	}
	db.replica.reads.Add(1)
	return db.replica.db
}

// HasReplica reports whether a read replica is attached.
func (db *DB) HasReplica() bool { return db.replica != nil }

// replicaVersionSQL is the data version of a replica: a replica's copy of
// data_version_seq moves only when the primary logs the sequence (every 32
// values), so n is the replay position instead, which moves with every
// write replayed (and with other WAL too, which only costs cache hits).
const replicaVersionSQL = `SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '0/0')::bigint, d.epoch FROM data_version d WHERE d.id = 1`

// replicaLagSQL is the replica's lag in seconds: 0 when everything received
// is replayed (an idle primary sends nothing, and the last replayed
// transaction only grows older), else the age of the last replayed one.
const replicaLagSQL = `SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
	ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END::float8`

// replicaBytesSQL is, on the primary, the WAL not yet replayed by its most
// behind replica, or -1 when none is listed.
const replicaBytesSQL = `SELECT COALESCE(MAX(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)), -1)::bigint FROM pg_stat_replication`

// ReplicaStatus returns the attached replica's lag (asked of the replica)
// and the bytes it is behind (asked of the primary). It returns an error
// when no replica is attached or either server does not answer.
func (db *DB) ReplicaStatus(ctx context.Context) (healthcell.ReplicaStatus, error) {
	var s healthcell.ReplicaStatus
	if db.replica == nil {
		return s, errors.New("sqlstore: no replica attached")
	}
	s.Reads = db.replica.reads.Load()
	if err := db.replica.db.r.QueryRowContext(ctx, replicaLagSQL).Scan(&s.LagSeconds); err != nil {
		return s, fmt.Errorf("replica lag: %w", err)
	}
	if err := db.w.QueryRowContext(ctx, replicaBytesSQL).Scan(&s.BytesBehind); err != nil {
		return s, fmt.Errorf("replica bytes behind: %w", err)
	}
	return s, nil
}
