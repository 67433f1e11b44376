// Package sqltest opens fresh, migrated databases on every engine for tests:
// a SQLite file in a temporary directory, and a PostgreSQL schema of its own
// when HEALTHCELL_TEST_POSTGRES names a server. With HEALTHCELL_REQUIRE_POSTGRES=1
// (set by scripts/test) a missing server fails the test instead of skipping.
package sqltest

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/catalog"
	"github.com/healthcell/healthcell/password"
	"github.com/healthcell/healthcell/sqlstore"
)

// Engines lists the engines every storage test runs on.
var Engines = []string{sqlstore.SQLite, sqlstore.Postgres}

// Now is the fixed time of test databases.
var Now = time.Date(2025, 6, 15, 9, 30, 0, 0, time.UTC)

// Open returns a fresh migrated database on engine, a copy of the migrated
// template (migrated.go), closed (and removed) when the test ends. It skips
// the test when PostgreSQL is not configured, unless it is required.
func Open(t testing.TB, engine string) *sqlstore.DB {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), migratedCopy(t, engine), Definitions(t))
	if err != nil {
		t.Fatalf("open %s: %v", engine, err)
	}
	db.Now = func() time.Time { return Now }
	db.PasswordParams = password.Params{Memory: 1024, Time: 1, Threads: 1}
	t.Cleanup(func() { db.Close() })
	return db
}

// Definitions returns the shipped definitions (catalog.Load), the ones
// every test database works with; it fails the test on a broken file.
func Definitions(t testing.TB) *catalog.Definitions {
	t.Helper()
	d, err := catalog.Load()
	if err != nil {
		t.Fatalf("catalog: %v", err)
	}
	return d
}

// DSN returns the name of a fresh, empty database on engine, removed when
// the test ends: a SQLite file in a temporary directory, or a PostgreSQL
// schema of its own. It skips the test when PostgreSQL is not configured,
// unless it is required.
func DSN(t testing.TB, engine string) string {
	t.Helper()
	switch engine {
	case sqlstore.SQLite:
		return filepath.Join(t.TempDir(), "test.db")
	case sqlstore.Postgres:
		return postgresSchema(t)
	}
	t.Fatalf("unknown engine %q", engine)
	return ""
}

// PostgresURL returns the server URL for tests, skipping (or failing, when
// required) if there is none.
func PostgresURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv("HEALTHCELL_TEST_POSTGRES")
	if base == "" {
		if os.Getenv("HEALTHCELL_REQUIRE_POSTGRES") == "1" {
			t.Fatal("HEALTHCELL_TEST_POSTGRES is not set but PostgreSQL is required")
		}
		t.Skip("PostgreSQL not configured: set HEALTHCELL_TEST_POSTGRES (scripts/test does)")
	}
	return base
}

// postgresSchema creates a schema of its own for this test and returns a DSN
// whose search_path points at it.
func postgresSchema(t testing.TB) string {
	t.Helper()
	base := PostgresURL(t)
	schema := "t_" + randomHex(6)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		admin.Close()
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Each runs fn as a subtest on every engine with a fresh database.
func Each(t *testing.T, fn func(t *testing.T, db *sqlstore.DB)) {
	for _, engine := range Engines {
		t.Run(engine, func(t *testing.T) {
			fn(t, Open(t, engine))
		})
	}
}

// System returns a context acting as the command line.
func System() context.Context {
	return healthcell.WithActor(context.Background(), healthcell.SystemActor)
}

// As returns a context acting as a user with role and scope.
func As(username string, role healthcell.Role, scope string) context.Context {
	return healthcell.WithActor(context.Background(), &healthcell.Actor{UserID: 1, Username: username, Role: role, Scope: scope})
}
