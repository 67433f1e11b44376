package sqlstore_test

import (
	"context"
	"database/sql"
	"os"
	"path"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// shippedMigrations are the names of the engine's migration files, as
// schema_migrations records them.
func shippedMigrations(t *testing.T, engine string) []string {
	t.Helper()
	dir := path.Join("migrations", engine)
	files, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range files {
		if strings.HasSuffix(f.Name(), ".sql") {
			out = append(out, path.Join(dir, f.Name()))
		}
	}
	return out
}

// TestMigrateConcurrently starts four servers together on one empty
// PostgreSQL schema: every one opens without error, and the migrations
// recorded are exactly the shipped ones.
func TestMigrateConcurrently(t *testing.T) {
	dsn := sqltest.DSN(t, sqlstore.Postgres)
	const servers = 4
	dbs := make([]*sqlstore.DB, servers)
	errs := make([]error, servers)
	var wg sync.WaitGroup
	for i := range servers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dbs[i], errs[i] = sqlstore.Open(context.Background(), dsn, sqltest.Definitions(t))
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("server %d: %v", i, err)
		} else {
			t.Cleanup(func() { dbs[i].Close() })
		}
	}
	if t.Failed() {
		return
	}
	names, err := dbs[0].Migrations(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if want := shippedMigrations(t, sqlstore.Postgres); !slices.Equal(names, want) {
		t.Errorf("recorded %q\nwant %q", names, want)
	}
}

// TestMigrateWaitsForLock: while another session holds the schema's
// migration advisory lock, Open waits on it — PostgreSQL lists its request
// as not granted and nothing is created in the schema — and once the lock
// is released it migrates and opens.
func TestMigrateWaitsForLock(t *testing.T) {
	dsn := sqltest.DSN(t, sqlstore.Postgres)
	raw, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	ctx := context.Background()
	holder, err := raw.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	const key = `hashtext('healthcell.migrate.' || current_schema())::bigint`
	if _, err := holder.ExecContext(ctx, `SELECT pg_advisory_lock(`+key+`)`); err != nil {
		t.Fatal(err)
	}
	locked := true
	unlock := func() {
		if locked {
			locked = false
			if _, err := holder.ExecContext(ctx, `SELECT pg_advisory_unlock(`+key+`)`); err != nil {
				t.Fatal(err)
			}
		}
	}
	defer unlock()

	type opened struct {
		db  *sqlstore.DB
		err error
	}
	done := make(chan opened, 1)
	openCtx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	go func() {
		db, err := sqlstore.Open(openCtx, dsn, sqltest.Definitions(t))
		done <- opened{db, err}
	}()
	// Wait until PostgreSQL shows a session waiting for this very lock.
	waiting := func() bool {
		var n int
		err := holder.QueryRowContext(ctx, `SELECT COUNT(*) FROM pg_locks l, (SELECT `+key+` AS k) x
			WHERE l.locktype = 'advisory' AND NOT l.granted AND l.objsubid = 1
			AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
			AND l.classid::text::bigint = (x.k >> 32) & 4294967295 AND l.objid::text::bigint = x.k & 4294967295`).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		return n > 0
	}
	for deadline := time.Now().Add(30 * time.Second); !waiting(); time.Sleep(20 * time.Millisecond) {
		select {
		case o := <-done:
			t.Fatalf("Open returned while the lock was held: %v", o.err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("Open never waited for the migration lock")
		}
	}
	var table sql.NullString
	if err := holder.QueryRowContext(ctx, `SELECT to_regclass('schema_migrations')::text`).Scan(&table); err != nil {
		t.Fatal(err)
	}
	if table.Valid {
		t.Errorf("schema_migrations created while the lock was held")
	}
	select {
	case o := <-done:
		t.Fatalf("Open returned while the lock was held: %v", o.err)
	default:
	}
	unlock()
	o := <-done
	if o.err != nil {
		t.Fatalf("Open after the lock was released: %v", o.err)
	}
	defer o.db.Close()
	names, err := o.db.Migrations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := shippedMigrations(t, sqlstore.Postgres); !slices.Equal(names, want) {
		t.Errorf("recorded %q\nwant %q", names, want)
	}
}
