package sqlstore_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// Issue 13, item 8: PostgreSQL writers in different villages run in
// parallel, and indicators and their caches stay exactly current.

// openPair opens two handles on one fresh database of engine: db, whose
// caches the test exercises, and fresh, whose caches are emptied before
// every computation (DropCachesForTest), the values computed from nothing.
func openPair(t *testing.T, engine string) (db, fresh *sqlstore.DB) {
	t.Helper()
	dsn := sqltest.DSN(t, engine)
	open := func() *sqlstore.DB {
		d, err := sqlstore.Open(context.Background(), dsn, sqltest.Definitions(t))
		if err != nil {
			t.Fatalf("open %s: %v", engine, err)
		}
		d.Now = func() time.Time { return sqltest.Now }
		t.Cleanup(func() { d.Close() })
		return d
	}
	return open(), open()
}

// indicatorSnapshot is every indicator of the county per township and per
// village (with the county's own value), as text, keyed by level,
// indicator and division.
func indicatorSnapshot(t *testing.T, db *sqlstore.DB) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, level := range []string{healthcell.LevelNameTownship, healthcell.LevelNameVillage} {
		got, err := db.IndicatorValues(sqltest.System(), healthcell.IndicatorQuery{Division: sqltest.County, Level: level, Period: "2025", WithTotal: true})
		if err != nil {
			t.Fatalf("indicators by %s: %v", level, err)
		}
		for code, vals := range got {
			for _, v := range vals {
				out[level+" "+code+" "+v.Division] = fmt.Sprintf("%s/%s=%s", fmtVal(v.Numerator), fmtVal(v.Denominator), fmtVal(v.Value))
			}
		}
	}
	return out
}

// fromNothing is indicatorSnapshot computed with every cache emptied.
func fromNothing(t *testing.T, fresh *sqlstore.DB) map[string]string {
	t.Helper()
	fresh.DropCachesForTest()
	return indicatorSnapshot(t, fresh)
}

// diffSnapshots returns the keys whose values differ, with both values.
func diffSnapshots(got, want map[string]string) []string {
	var d []string
	for k, w := range want {
		if g := got[k]; g != w {
			d = append(d, fmt.Sprintf("%s: cached %s, from the tables %s", k, g, w))
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			d = append(d, fmt.Sprintf("%s: cached %s, none from the tables", k, g))
		}
	}
	return d
}

// TestParallelWritersIndicatorsExact runs 10 writers, each in a village of
// its own, creating and updating persons and register entries, while
// readers of the county's indicators run all the time; at the end the
// indicators read through the caches equal those computed from nothing.
func TestParallelWritersIndicatorsExact(t *testing.T) {
	for _, engine := range sqltest.Engines {
		t.Run(engine, func(t *testing.T) {
			db, fresh := openPair(t, engine)
			sys := sqltest.System()
			sqltest.LoadDivisions(t, db)
			villages, err := db.FindVillages(sys, sqltest.County)
			if err != nil {
				t.Fatal(err)
			}
			// Ten villages spread over the townships.
			const writers, rounds = 10, 12
			var picked []string
			for i := 0; len(picked) < writers && i < len(villages); i += max(1, len(villages)/writers) {
				picked = append(picked, villages[i].Code)
			}
			if len(picked) < writers {
				t.Fatalf("only %d villages", len(picked))
			}
			homes := make([]*healthcell.Household, writers)
			ids := make([][]string, writers)
			for k, v := range picked {
				homes[k] = sqltest.Household(t, db, v, "P"+strconv.Itoa(k))
				for i := range rounds {
					ids[k] = append(ids[k], sqltest.ID(t, fmt.Sprintf("19%02d-0%d-1%d", 40+i*4, 1+k%9, i%10), 100+k*rounds+i))
				}
			}
			indicatorSnapshot(t, db) // warm every cache

			var stop atomic.Bool
			var wg, rg sync.WaitGroup
			errs := make(chan error, 100)
			var reads atomic.Int64
			for range 2 {
				rg.Add(1)
				go func() {
					defer rg.Done()
					for !stop.Load() {
						for _, level := range []string{healthcell.LevelNameTownship, healthcell.LevelNameVillage} {
							if _, err := db.IndicatorValues(sys, healthcell.IndicatorQuery{Division: sqltest.County, Level: level, Period: "2025", WithTotal: true}); err != nil {
								errs <- fmt.Errorf("read: %w", err)
								return
							}
							reads.Add(1)
						}
					}
				}()
			}
			for k := range writers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if err := parallelWriter(homes[k], ids[k], db); err != nil {
						errs <- fmt.Errorf("writer %d (%s): %w", k, picked[k], err)
					}
				}()
			}
			wg.Wait()
			stop.Store(true)
			rg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
			if t.Failed() {
				return
			}
			cached := indicatorSnapshot(t, db)
			want := fromNothing(t, fresh)
			for _, d := range diffSnapshots(cached, want) {
				t.Error(d)
			}
			// Twice: the second read is served from the caches the first
			// one filled.
			for _, d := range diffSnapshots(indicatorSnapshot(t, db), want) {
				t.Error("again:", d)
			}
			// The tables themselves: every writer's persons are there.
			n, err := db.CountRowsForTest(sys, `SELECT COUNT(*) FROM persons`)
			if err != nil {
				t.Fatal(err)
			}
			if n != writers*rounds {
				t.Errorf("%d persons, want %d", n, writers*rounds)
			}
			if key := "township oop_ratio " + sqltest.County; want[key] == "" || want[key] == "-/-=-" {
				t.Errorf("%s = %q: the writers gave it no data", key, want[key])
			}
			report, err := db.Check(sys)
			if err != nil {
				t.Fatal(err)
			}
			if len(report.Problems) > 0 {
				t.Errorf("check: %v", report.Problems)
			}
			t.Logf("%s: %d indicator reads during the writes, %d writes run again", engine, reads.Load(), db.WriteRetries())
		})
	}
}

// parallelWriter is one writer of TestParallelWritersIndicatorsExact: in
// household h, for each ID number, a person with a contract and a
// check-up; every third one registered poor with an inpatient stay; every
// fourth updated; every fifth contract withdrawn.
func parallelWriter(h *healthcell.Household, ids []string, db *sqlstore.DB) error {
	sys := sqltest.System()
	entry := func(reg string, pid int64, fields map[string]string) (*healthcell.Entry, error) {
		return db.CreateEntry(sys, healthcell.EntryInput{Register: reg, PersonID: pid, Fields: fields})
	}
	for i, id := range ids {
		p := &healthcell.Person{HouseholdID: h.ID, Name: "并行" + strconv.Itoa(i), IDNumber: id, Relation: "其他", Resident: true, Registered: true}
		if err := db.CreatePerson(sys, p); err != nil {
			return fmt.Errorf("create person: %w", err)
		}
		c, err := entry("contracts", p.ID, map[string]string{"doctor": "李医生", "start_date": "2025-02-01", "end_date": "2026-01-31", "priority_group": "none"})
		if err != nil {
			return fmt.Errorf("contract: %w", err)
		}
		if _, err := entry("checkups", p.ID, map[string]string{"exam_date": fmt.Sprintf("2025-0%d-10", 1+i%5), "kind": "general"}); err != nil {
			return fmt.Errorf("checkup: %w", err)
		}
		if i%3 == 0 {
			if _, err := entry("poverty", p.ID, map[string]string{"since_date": "2018-01-01", "status": "registered"}); err != nil {
				return fmt.Errorf("poverty: %w", err)
			}
			total := 1000 * (i + 1)
			if _, err := entry("expenses", p.ID, map[string]string{"visit_kind": "inpatient", "visit_date": "2025-04-01", "hospital": "苍溪县人民医院",
				"in_county": "是", "total": strconv.Itoa(total), "insurance_paid": strconv.Itoa(total / 2), "assistance": "0",
				"out_of_pocket": strconv.Itoa(total - total/2)}); err != nil {
				return fmt.Errorf("expense: %w", err)
			}
		}
		if i%4 == 1 {
			p.Resident = false
			if err := db.UpdatePerson(sys, p); err != nil {
				return fmt.Errorf("update person: %w", err)
			}
		}
		if i%5 == 2 {
			if err := db.DeactivateEntry(sys, "contracts", c.ID, c.Version); err != nil {
				return fmt.Errorf("withdraw contract: %w", err)
			}
		}
	}
	return nil
}

// TestIndicatorsNotStaleAfterCommit reads indicators, writes, and reads
// again: the second read shows the write. It does so for a plain write and
// for a write held open before its commit while a reader computes (on
// PostgreSQL the reader then sees the data version the write's triggers
// moved, without the write's rows): after the commit the cached value must
// not be served. One indicator of each cache: oop_ratio (cached per data
// version) and contract_rate (cached per village).
func TestIndicatorsNotStaleAfterCommit(t *testing.T) {
	for _, engine := range sqltest.Engines {
		t.Run(engine, func(t *testing.T) {
			db, fresh := openPair(t, engine)
			w := newIndWorld(t, db)
			stale := staleAfterHeldWrites(t, db, fresh, w, true)
			for _, s := range stale {
				t.Error(s)
			}
		})
	}
	// The same on PostgreSQL without the move of the data version after
	// the commit: the test sees the stale value, so it guards that move.
	t.Run("postgres without the bump after commit", func(t *testing.T) {
		db, fresh := openPair(t, sqlstore.Postgres)
		w := newIndWorld(t, db)
		db.SetNoBumpAfterCommitForTest(true)
		stale := staleAfterHeldWrites(t, db, fresh, w, false)
		found := false
		for _, s := range stale {
			found = found || len(s) > 0 && strings.Contains(s, "oop_ratio")
		}
		if !found {
			t.Errorf("without the bump after commit no stale oop_ratio was served; the test would not catch its loss (%v)", stale)
		}
	})
}

// staleAfterHeldWrites runs the writes of TestIndicatorsNotStaleAfterCommit
// and returns every value served stale after a write committed. When
// strict, it also fails the test if a value moves while the write is open
// (without the bump after commit, the values before a write may already be
// stale, and a read during it then corrects them).
func staleAfterHeldWrites(t *testing.T, db, fresh *sqlstore.DB, w *indWorld, strict bool) []string {
	t.Helper()
	sys := sqltest.System()
	codes := []string{"oop_ratio", "contract_rate"}
	read := func(d *sqlstore.DB) map[string]string {
		t.Helper()
		out := map[string]string{}
		for _, level := range []string{healthcell.LevelNameTownship, healthcell.LevelNameVillage} {
			got, err := d.IndicatorValues(sys, healthcell.IndicatorQuery{Codes: codes, Division: sqltest.County, Level: level, Period: "2025", WithTotal: true})
			if err != nil {
				t.Fatal(err)
			}
			for code, vals := range got {
				for _, v := range vals {
					out[level+" "+code+" "+v.Division] = fmtVal(v.Value)
				}
			}
		}
		return out
	}
	writes := []struct {
		name  string
		in    healthcell.EntryInput
		moves string // the indicator the write changes
	}{
		{"inpatient stay of a registered poor person", healthcell.EntryInput{Register: "expenses", PersonID: w.p["c2"].ID,
			Fields: map[string]string{"visit_kind": "inpatient", "visit_date": "2025-05-01", "hospital": "苍溪县人民医院", "in_county": "是",
				"total": "4000", "insurance_paid": "1000", "assistance": "0", "out_of_pocket": "3000"}}, "oop_ratio"},
		{"contract", healthcell.EntryInput{Register: "contracts", PersonID: w.p["a5"].ID,
			Fields: map[string]string{"doctor": "李医生", "start_date": "2025-06-01", "end_date": "2026-05-31", "priority_group": "none"}}, "contract_rate"},
		{"second inpatient stay", healthcell.EntryInput{Register: "expenses", PersonID: w.p["a1"].ID,
			Fields: map[string]string{"visit_kind": "inpatient", "visit_date": "2025-06-01", "hospital": "苍溪县人民医院", "in_county": "是",
				"total": "2000", "insurance_paid": "0", "assistance": "0", "out_of_pocket": "2000"}}, "oop_ratio"},
	}
	var stale []string
	for _, wr := range writes {
		before := read(db)
		{
			reached, release := make(chan struct{}), make(chan struct{})
			var once sync.Once
			db.SetBeforeCommitForTest(func() { once.Do(func() { close(reached); <-release }) })
			done := make(chan error, 1)
			go func() {
				_, err := db.CreateEntry(sys, wr.in)
				done <- err
			}()
			select {
			case <-reached:
			case err := <-done:
				t.Fatalf("%s: %v", wr.name, err)
			}
			// While the write is open: the reader sees the data before it.
			if d := diffSnapshots(read(db), before); strict && len(d) > 0 {
				t.Errorf("%s: values moved before the commit: %v", wr.name, d)
			}
			close(release)
			if err := <-done; err != nil {
				t.Fatalf("%s: %v", wr.name, err)
			}
			db.SetBeforeCommitForTest(nil)
		}
		after := read(db)
		fresh.DropCachesForTest()
		want := read(fresh)
		moved := false
		for k, v := range want {
			moved = moved || strings.Contains(k, wr.moves) && before[k] != v
		}
		if !moved {
			t.Errorf("%s: %s did not change in the tables; the step tests nothing", wr.name, wr.moves)
		}
		for _, d := range diffSnapshots(after, want) {
			stale = append(stale, wr.name+": "+d)
		}
	}
	return stale
}

// TestWritersInOtherVillagesDoNotWait holds a PostgreSQL write in one
// village open before its commit; writes in another village (a person, an
// entry, an update) and a read of the county's indicators complete
// meanwhile. Before issue 13 item 8 every write waited for the one global
// data_version row, and the second writer hung until the first committed.
func TestWritersInOtherVillagesDoNotWait(t *testing.T) {
	db := sqltest.Open(t, sqlstore.Postgres)
	sqltest.LoadDivisions(t, db)
	sys := sqltest.System()
	h1 := sqltest.Household(t, db, sqltest.Village, "A1")
	h2 := sqltest.Household(t, db, VillageT2, "B1")

	reached, release := make(chan struct{}), make(chan struct{})
	var first atomic.Bool
	var freed sync.Once
	free := func() { freed.Do(func() { close(release) }) }
	// Only the first write is held; the others pass (a sync.Once would
	// make them wait for it).
	db.SetBeforeCommitForTest(func() {
		if first.CompareAndSwap(false, true) {
			close(reached)
			<-release
		}
	})
	defer free()
	doneA := make(chan error, 1)
	pa := &healthcell.Person{HouseholdID: h1.ID, Name: "甲", IDNumber: sqltest.ID(t, "1970-01-01", 11), Relation: "户主", Resident: true, Registered: true}
	go func() { doneA <- db.CreatePerson(sys, pa) }()
	select {
	case <-reached:
	case err := <-doneA:
		t.Fatalf("writer A: %v", err)
	}

	// Writer B in another village, with a deadline far beyond its work:
	// a writer that waits for A never finishes while A is held.
	ctx, cancel := context.WithTimeout(sys, 60*time.Second)
	defer cancel()
	p := &healthcell.Person{HouseholdID: h2.ID, Name: "乙", IDNumber: sqltest.ID(t, "1971-02-02", 13), Relation: "户主", Resident: true, Registered: true}
	if err := db.CreatePerson(ctx, p); err != nil {
		t.Fatalf("writer B waited for writer A: %v", err)
	}
	if _, err := db.CreateEntry(ctx, healthcell.EntryInput{Register: "contracts", PersonID: p.ID,
		Fields: map[string]string{"doctor": "李医生", "start_date": "2025-06-01", "end_date": "2026-05-31", "priority_group": "none"}}); err != nil {
		t.Fatalf("writer B's entry waited for writer A: %v", err)
	}
	p.Phone = "13800000000"
	if err := db.UpdatePerson(ctx, p); err != nil {
		t.Fatalf("writer B's update waited for writer A: %v", err)
	}
	if _, err := db.IndicatorValues(ctx, healthcell.IndicatorQuery{Division: sqltest.County, Level: healthcell.LevelNameVillage, Period: "2025"}); err != nil {
		t.Fatalf("reader waited for writer A: %v", err)
	}
	select {
	case err := <-doneA:
		t.Fatalf("writer A finished while held: %v", err)
	default:
	}
	free()
	if err := <-doneA; err != nil {
		t.Fatalf("writer A: %v", err)
	}
	db.SetBeforeCommitForTest(nil)
}

// TestWritersInOneVillage runs writers in the same households at once:
// persons created and moved each way between two households, so that
// their locks cross. Every write succeeds (a deadlock is run again) and
// the household summaries stay right, on both engines.
func TestWritersInOneVillage(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		sqltest.LoadDivisions(t, db)
		sys := sqltest.System()
		hs := []*healthcell.Household{sqltest.Household(t, db, sqltest.Village, "X1"), sqltest.Household(t, db, sqltest.Village, "X2")}
		const writers, rounds = 4, 8
		ids := make([][]string, writers)
		for k := range writers {
			for i := range rounds {
				ids[k] = append(ids[k], sqltest.ID(t, fmt.Sprintf("1980-0%d-1%d", 1+k, i), 200+k*rounds+i))
			}
		}
		var wg sync.WaitGroup
		errs := make(chan error, writers)
		for k := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i, id := range ids[k] {
					p := &healthcell.Person{HouseholdID: hs[(k+i)%2].ID, Name: "同村" + strconv.Itoa(i), IDNumber: id, Relation: "其他", Resident: true, Registered: true}
					if err := db.CreatePerson(sys, p); err != nil {
						errs <- fmt.Errorf("writer %d create: %w", k, err)
						return
					}
					p.HouseholdID = hs[(k+i+1)%2].ID
					if err := db.UpdatePerson(sys, p); err != nil {
						errs <- fmt.Errorf("writer %d move: %w", k, err)
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		report, err := db.Check(sys)
		if err != nil {
			t.Fatal(err)
		}
		if len(report.Problems) > 0 {
			t.Errorf("check: %v", report.Problems)
		}
		if report.Persons != writers*rounds {
			t.Errorf("%d persons, want %d", report.Persons, writers*rounds)
		}
		t.Logf("%d writes run again", db.WriteRetries())
	})
}
