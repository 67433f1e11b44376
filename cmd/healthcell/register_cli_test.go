package main

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestExportAndReconcileCommands exports a register to a file and settles a
// reconciliation difference from the command line, on both engines.
func TestExportAndReconcileCommands(t *testing.T) {
	for _, engine := range sqltest.Engines {
		t.Run(engine, func(t *testing.T) {
			dsn := sqltest.DSN(t, engine)
			db, err := sqlstore.Open(context.Background(), dsn, sqltest.Definitions(t))
			if err != nil {
				t.Fatal(err)
			}
			sqltest.LoadDivisions(t, db)
			h := sqltest.Household(t, db, sqltest.Village, "001")
			p := sqltest.Person(t, db, h, "张三", sqltest.ID(t, "1950-03-04", 21), "户主")
			ctx := sqltest.System()
			if _, err := db.CreateEntry(ctx, healthcell.EntryInput{Register: "contracts", PersonID: p.ID, Fields: map[string]string{
				"doctor": "王医生", "team": "陵江镇卫生院一组", "start_date": "2025-01-05", "end_date": "2025-12-31", "priority_group": "elderly"}}); err != nil {
				t.Fatal(err)
			}
			p.Name = "张叁"
			if err := db.UpdatePerson(ctx, p); err != nil {
				t.Fatal(err)
			}
			db.Close()

			file := filepath.Join(t.TempDir(), "contracts.csv")
			if _, stderr, err := run(t, dsn, "export", "contracts", "--division", sqltest.Township, "--out", file); err != nil || !strings.Contains(stderr, "1 contracts entries") {
				t.Fatalf("export: %v %s", err, stderr)
			}
			data, _ := os.ReadFile(file)
			rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(data), "\uFEFF"))).ReadAll()
			if err != nil || len(rows) != 2 || rows[0][2] != "姓名" || rows[1][2] != "张叁" || rows[1][len(rows[1])-1] != "老年人" {
				t.Errorf("exported %v %v", rows, err)
			}
			if _, _, err := run(t, dsn, "export", "nope"); err == nil || !strings.Contains(err.Error(), "contracts") {
				t.Errorf("unknown register: %v", err)
			}

			out, _, err := run(t, dsn, "reconcile")
			if err != nil {
				t.Fatal(err)
			}
			diffs, _ := csv.NewReader(strings.NewReader(out)).ReadAll()
			if len(diffs) != 2 || diffs[1][0] != "names" {
				t.Fatalf("reconcile: %q", out)
			}
			key, fp := diffs[1][1], diffs[1][7]
			if _, _, err := run(t, dsn, "reconcile", "--resolve", key, "--fingerprint", fp); err == nil {
				t.Errorf("resolved without a note")
			}
			if _, _, err := run(t, dsn, "reconcile", "--resolve", key, "--fingerprint", fp, "--note", "户籍上为张叁"); err != nil {
				t.Fatal(err)
			}
			if out, _, _ := run(t, dsn, "reconcile"); strings.Count(out, "\n") != 1 {
				t.Errorf("after resolving: %q", out)
			}
			if out, _, _ := run(t, dsn, "reconcile", "--all"); !strings.Contains(out, "户籍上为张叁") {
				t.Errorf("--all: %q", out)
			}
		})
	}
}
