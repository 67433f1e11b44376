package sqlstore_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestPostgresDumpRestore backs a small province database up with pg_dump,
// restores it with pg_restore into a new database (docs/OPERATIONS.md),
// and checks that every table holds as many rows as before and that the
// indicators of every village, township and the county come out the same.
func TestPostgresDumpRestore(t *testing.T) {
	db := sqltest.Open(t, sqlstore.Postgres)
	newIndWorld(t, db)
	restoredDSN := sqltest.DumpRestore(t, db.DSN)
	restored, err := sqlstore.Open(context.Background(), restoredDSN, sqltest.Definitions(t))
	if err != nil {
		t.Fatalf("open the restored database: %v", err)
	}
	defer restored.Close()
	restored.Now = db.Now

	before, after := tableCounts(t, db.DSN), tableCounts(t, restoredDSN)
	if len(before) < 20 {
		t.Fatalf("only %d tables counted: %v", len(before), before)
	}
	rows := 0
	for table, n := range before {
		rows += n
		if after[table] != n {
			t.Errorf("%s: %d rows restored, %d backed up", table, after[table], n)
		}
	}
	if rows < 100 {
		t.Errorf("only %d rows backed up: the world is missing", rows)
	}
	for _, level := range []string{"", "township", "village"} {
		q := healthcell.IndicatorQuery{Division: sqltest.County, Level: level, Period: "2025"}
		if got, want := indicatorJSON(t, restored, q), indicatorJSON(t, db, q); got != want {
			t.Errorf("indicators at level %q after restore:\n%s\nbefore:\n%s", level, got, want)
		}
	}
	// The restored database takes writes: its sequences went with it.
	sqltest.Household(t, restored, sqltest.Village, "after-restore")
}

// tableCounts returns the rows of every table of dsn's schema.
func tableCounts(t *testing.T, dsn string) map[string]int {
	t.Helper()
	conn, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	rows, err := conn.Query(`SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	counts := map[string]int{}
	for _, table := range tables {
		var n int
		if err := conn.QueryRow(fmt.Sprintf(`SELECT COUNT(*) FROM %q`, table)).Scan(&n); err != nil {
			t.Fatalf("count %s: %v", table, err)
		}
		counts[table] = n
	}
	return counts
}

// indicatorJSON returns db's indicator values for q as JSON, to compare.
func indicatorJSON(t *testing.T, db *sqlstore.DB, q healthcell.IndicatorQuery) string {
	t.Helper()
	vals, err := db.IndicatorValues(ctxCounty, q)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(vals)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
