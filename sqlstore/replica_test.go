package sqlstore_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestReplicaReads runs a streaming replica of the test server, pauses its
// replay, writes on the primary, and checks that the writer reads its own
// writes at once while the reads that allow a replica see the replica's
// older data — which shows they were served there — and see the writes once
// replay goes on (the replica's caches follow its replay position).
func TestReplicaReads(t *testing.T) {
	rep := sqltest.StartReplica(t)
	db := sqltest.Open(t, sqlstore.Postgres)
	sqltest.LoadDivisions(t, db)
	h := sqltest.Household(t, db, sqltest.Village, "R1")
	p1 := sqltest.Person(t, db, h, "张一", sqltest.ID(t, "1980-01-01", 1), "户主")
	sqltest.Person(t, db, h, "张二", sqltest.ID(t, "1982-02-02", 2), "配偶")
	rep.CatchUp(t)
	if err := db.OpenReplica(context.Background(), rep.URL(t, db.DSN)); err != nil {
		t.Fatal(err)
	}

	primary := sqltest.As("county", healthcell.RoleCountyAdmin, sqltest.County)
	replica := healthcell.WithReplicaReads(primary)
	// persons and records read the village's residents and the share of
	// them with a health record (a dashboard indicator) as ctx allows.
	persons := func(ctx context.Context) int {
		t.Helper()
		v, err := db.FindDivision(ctx, sqltest.Village)
		if err != nil {
			t.Fatal(err)
		}
		return v.Persons
	}
	records := func(ctx context.Context) string {
		t.Helper()
		vals, err := db.IndicatorValues(ctx, healthcell.IndicatorQuery{Codes: []string{"record_rate"}, Division: sqltest.Village, Period: "2025"})
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range vals["record_rate"] {
			if x.Division == sqltest.Village && x.Value != nil {
				return fmt.Sprintf("%.2f", *x.Value)
			}
		}
		return "none"
	}
	if got := persons(replica); got != 2 {
		t.Fatalf("replica before the writes: %d persons, want 2", got)
	}
	if got := records(replica); got != "0.00" {
		t.Fatalf("replica before the writes: record_rate %s, want 0.00", got)
	}

	rep.Pause(t)
	sqltest.Person(t, db, h, "张三", sqltest.ID(t, "2010-03-03", 3), "子")
	if _, err := db.LoadRegisters(sqltest.System(), func(emit func(*sqlstore.RegisterRow) error) error {
		return emit(&sqlstore.RegisterRow{Register: "health_records", Village: sqltest.Village, PersonID: p1.ID, Values: []any{"", "2025-03-01", ""}})
	}); err != nil {
		t.Fatal(err)
	}
	// The writer sees its writes at once: reads without the mark go to
	// the primary.
	if got := persons(primary); got != 3 {
		t.Errorf("primary after the write: %d persons, want 3", got)
	}
	if got := records(primary); got != "33.33" {
		t.Errorf("primary after the write: record_rate %s, want 33.33", got)
	}
	// Marked reads come from the paused replica.
	reads := status(t, db).Reads
	if got := persons(replica); got != 2 {
		t.Errorf("replica while paused: %d persons, want 2 (the read did not go to the replica)", got)
	}
	if got := records(replica); got != "0.00" {
		t.Errorf("replica while paused: record_rate %s, want 0.00 (the read did not go to the replica)", got)
	}
	st := status(t, db)
	if st.Reads != reads+2 {
		t.Errorf("reads sent to the replica: %d, want %d", st.Reads, reads+2)
	}
	// The replica reports a lag once its WAL receiver has the writes it
	// has not replayed; on a busy machine that can take a moment.
	rep.Received(t)
	if st := status(t, db); st.BytesBehind <= 0 || st.LagSeconds <= 0 {
		t.Errorf("paused replica: %+v, want bytes behind and lag above 0", st)
	}

	rep.Resume(t)
	rep.CatchUp(t)
	if got := persons(replica); got != 3 {
		t.Errorf("replica after replay: %d persons, want 3", got)
	}
	if got := records(replica); got != "33.33" {
		t.Errorf("replica after replay: record_rate %s, want 33.33 (a value cached before replay was served)", got)
	}
	// The primary itself is no replica.
	other := sqltest.Open(t, sqlstore.Postgres)
	if err := other.OpenReplica(context.Background(), db.DSN); err == nil || !strings.Contains(err.Error(), "not a standby") {
		t.Errorf("OpenReplica(primary) = %v, want not a standby", err)
	}
}

func status(t *testing.T, db *sqlstore.DB) healthcell.ReplicaStatus {
	t.Helper()
	st, err := db.ReplicaStatus(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// TestReplicaRefused: a replica needs PostgreSQL on both sides; without one
// attached, marked reads go to the primary and there is no status.
func TestReplicaRefused(t *testing.T) {
	db := sqltest.Open(t, sqlstore.SQLite)
	for _, dsn := range []string{"postgres://u:p@127.0.0.1:1/x", filepath.Join(t.TempDir(), "r.db")} {
		if err := db.OpenReplica(context.Background(), dsn); err == nil || !strings.Contains(err.Error(), "SQLite has no replicas") {
			t.Errorf("OpenReplica(%q) on SQLite = %v", dsn, err)
		}
	}
	if db.HasReplica() {
		t.Error("SQLite has a replica")
	}
	if _, err := db.ReplicaStatus(context.Background()); err == nil {
		t.Error("ReplicaStatus without a replica: no error")
	}
	sqltest.LoadDivisions(t, db)
	ctx := healthcell.WithReplicaReads(sqltest.As("county", healthcell.RoleCountyAdmin, sqltest.County))
	if _, err := db.FindDivision(ctx, sqltest.Village); err != nil {
		t.Errorf("marked read without a replica: %v", err)
	}
}
