package sqltest

import (
	"context"
	"database/sql"
	"sync"
	"testing"

	"github.com/healthcell/healthcell/catalog"
	"github.com/healthcell/healthcell/sqlstore"
)

// The migrated template on PostgreSQL: an empty database with every
// migration applied, tpl_migrated_<digest of the migrations>
// (sqlstore.MigrationsDigest), kept between test processes and runs, so
// that Open copies it (CREATE DATABASE … TEMPLATE) instead of migrating a
// new schema for every test, which cost about twice as much (more on a busy
// machine). A changed migration gives a new digest and so a new template.
// SQLite migrates a new file in ≈ 10 ms and needs none.
var migratedTemplate = struct {
	sync.Mutex
	dsn string // once built or found
}{}

// migratedCopy returns the name of a fresh, migrated database on engine
// (on PostgreSQL a copy of the migrated template, on SQLite a new file
// that sqlstore.Open migrates), removed when the test ends. It fails the
// test when the template cannot be built or copied, and skips it when
// PostgreSQL is not configured, unless it is required.
func migratedCopy(t testing.TB, engine string) string {
	t.Helper()
	if engine != sqlstore.Postgres {
		return DSN(t, engine)
	}
	base := PostgresURL(t)
	migratedTemplate.Lock()
	if migratedTemplate.dsn == "" {
		digest, err := sqlstore.MigrationsDigest(engine)
		if err == nil {
			migratedTemplate.dsn, err = migratedPostgres(base, digest[:16])
		}
		if err != nil {
			migratedTemplate.Unlock()
			t.Fatalf("the migrated PostgreSQL template: %v", err)
		}
	}
	tpl := migratedTemplate.dsn
	migratedTemplate.Unlock()
	name := "t_" + randomHex(6)
	// WAL_LOG: a small database is copied faster through the WAL than
	// with the two checkpoints FILE_COPY takes, above all while other
	// tests write.
	dsn, err := createDatabaseStrategy(base, name, dbName(tpl), "WAL_LOG")
	if err != nil {
		t.Fatalf("copy the PostgreSQL template: %v", err)
	}
	t.Cleanup(func() { dropDatabase(base, name) })
	return dsn
}

// migratedPostgres returns the URL of the template database for digest on
// the server at base, building it (under another name, renamed when
// complete) while holding an advisory lock, so that test processes
// starting together build it once.
func migratedPostgres(base, digest string) (string, error) {
	ctx := context.Background()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return "", err
	}
	defer admin.Close()
	conn, err := admin.Conn(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(hashtext('healthcell.sqltest.migrated'))`); err != nil {
		return "", err
	}
	defer conn.ExecContext(ctx, `SELECT pg_advisory_unlock(hashtext('healthcell.sqltest.migrated'))`)
	name := "tpl_migrated_" + digest
	var exists bool
	if err := conn.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return "", err
	}
	if !exists {
		building := "tpl_building_" + randomHex(6)
		dsn, err := createDatabaseStrategy(base, building, "", "")
		if err != nil {
			return "", err
		}
		if err := migrateNew(dsn); err != nil {
			dropDatabase(base, building)
			return "", err
		}
		if _, err := conn.ExecContext(ctx, `ALTER DATABASE `+building+` RENAME TO `+name); err != nil {
			dropDatabase(base, building)
			return "", err
		}
	}
	return databaseURL(base, name)
}

// migrateNew opens dsn with sqlstore, which applies every migration, and
// closes it.
func migrateNew(dsn string) error {
	defs, err := catalog.Load()
	if err != nil {
		return err
	}
	db, err := sqlstore.Open(context.Background(), dsn, defs)
	if err != nil {
		return err
	}
	return db.Close()
}
