package sqlstore_test

import (
	"context"
	"sync"
	"testing"

	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestMigrateConcurrently starts four servers together on one empty
// PostgreSQL schema: every one opens without error, and each migration is
// recorded once.
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
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n] {
			t.Errorf("%s recorded twice", n)
		}
		seen[n] = true
	}
	if len(names) == 0 {
		t.Errorf("no migrations recorded")
	}
}
