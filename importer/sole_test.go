package importer_test

import (
	"strings"
	"testing"
	"time"

	"github.com/healthcell/healthcell/importer"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestImportLargeSole imports more rows than two batches the way the
// import command does (DB.SoleImports: a rollback journal on SQLite when
// the file is free, the secondary indexes dropped and rebuilt on
// PostgreSQL), then with --update a file of every seventh resident, moved
// to another household and renamed. Each time the
// database must pass Check, which compares every household's stored member
// count and head name with its persons (the import computes them itself
// for the households it creates) and, on SQLite, the indexes with the
// table. A file with an error changes nothing on this path either.
func TestImportLargeSole(t *testing.T) {
	if testing.Short() {
		t.Skip("50,000 rows")
	}
	rows := generated(t, 50000)
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		sqltest.LoadDivisions(t, db)
		db.SoleImports = true
		check := func(what string, persons int) {
			t.Helper()
			r, err := db.Check(sqltest.System())
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Problems) > 0 || r.Persons != persons {
				t.Fatalf("%s: %d residents, problems %v", what, r.Persons, r.Problems[:min(5, len(r.Problems))])
			}
		}
		dir := t.TempDir()
		// An error in the last row: nothing is stored.
		bad := append([][]string(nil), rows...)
		last := append([]string(nil), bad[len(bad)-1]...)
		last[0] = ""
		bad[len(bad)-1] = last
		if _, err := run(t, db, writeFile(t, dir, "csv", bad), importer.Options{}); err == nil {
			t.Fatal("a file with an empty name was imported")
		}
		check("after the bad file", 0)

		res, err := run(t, db, writeFile(t, dir, "csv", rows), importer.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Counts.Persons != 50000 {
			t.Errorf("counts %+v", res.Counts)
		}
		check("after the import", 50000)

		moved := [][]string{rows[0]}
		for i, r := range rows[1:] {
			r = append([]string(nil), r...)
			if i%7 == 6 && r[5] != "户主" {
				from := rows[1+i-5]
				r[4], r[6], r[7] = from[4], from[6], from[7]
				r[0] = strings.TrimSpace(r[0]) + "新"
				moved = append(moved, r)
			}
		}
		res, err = run(t, db, writeFile(t, dir, "csv", moved), importer.Options{Update: true})
		if err != nil {
			t.Fatal(err)
		}
		if res.Counts.Updated != len(moved)-1 || res.Counts.Persons != 0 {
			t.Errorf("update counts %+v", res.Counts)
		}
		check("after the update", 50000)
	})
}

// TestImportSoleBusyFile: when another connection (another process, say a
// server) has the SQLite file open, the import cannot switch it to a
// rollback journal; it finds that out at once and imports in WAL mode.
func TestImportSoleBusyFile(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		if db.Engine != sqlstore.SQLite {
			t.Skip("SQLite's journal")
		}
		sqltest.LoadDivisions(t, db)
		other, err := sqlstore.Open(sqltest.System(), db.DSN, sqltest.Definitions(t))
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		if _, err := other.Check(sqltest.System()); err != nil {
			t.Fatal(err)
		}
		db.SoleImports = true
		start := time.Now()
		res, err := run(t, db, writeFile(t, t.TempDir(), "csv", generated(t, 30)), importer.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("the import waited %s for the file", d)
		}
		r, err := other.Check(sqltest.System())
		if err != nil || r.Persons != res.Counts.Persons || len(r.Problems) > 0 {
			t.Errorf("the other connection sees %+v, %v", r, err)
		}
	})
}
