package sqlstore_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// summary is what a household list row shows of a household's persons.
type summary struct {
	Members  int
	HeadName string
}

// listed returns the summary of household id as the village's household
// list (the village page) shows it.
func listed(t testing.TB, db *sqlstore.DB, village string, id int64) summary {
	t.Helper()
	hs, _, err := db.FindHouseholds(sqltest.System(), healthcell.HouseholdFilter{Division: village, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hs {
		if h.ID == id {
			return summary{h.Members, h.HeadName}
		}
	}
	t.Fatalf("household %d not in the list of %s", id, village)
	return summary{}
}

// mustCheck fails unless Check finds the database consistent.
func mustCheck(t testing.TB, db *sqlstore.DB) {
	t.Helper()
	r, err := db.Check(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Problems) > 0 {
		t.Errorf("check: %v", r.Problems)
	}
}

// TestHouseholdSummary checks that the stored member count and head name of
// the households a write touches are current when the write returns, and
// unchanged when it fails.
func TestHouseholdSummary(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db)
		if got := listed(t, db, sqltest.Village, w.hA.ID); got != (summary{2, "张三"}) {
			t.Fatalf("initial hA: %+v", got)
		}
		cases := []struct {
			name  string
			write func() error
			err   string
			want  map[int64]summary // household → summary after the write
		}{
			{name: "new member", write: func() error {
				return db.CreatePerson(ctxVillageA, &healthcell.Person{HouseholdID: w.hA.ID, Name: "张小", Sex: "M", BirthDate: "2010-01-01", Relation: "子"})
			}, want: map[int64]summary{w.hA.ID: {3, "张三"}}},
			{name: "new head of an empty household", write: func() error {
				return db.CreatePerson(ctxVillageA, &healthcell.Person{HouseholdID: w.hA2.ID, Name: "钱七", Sex: "F", BirthDate: "1970-01-01", Relation: "户主"})
			}, want: map[int64]summary{w.hA2.ID: {1, "钱七"}}},
			{name: "head renamed", write: func() error {
				p := *mustPerson(t, db, w.pA.ID)
				p.Name = "张叁"
				return db.UpdatePerson(ctxVillageA, &p)
			}, want: map[int64]summary{w.hA.ID: {3, "张叁"}}},
			{name: "member renamed leaves the head", write: func() error {
				p := *mustPerson(t, db, w.pA2.ID)
				p.Name = "李肆"
				return db.UpdatePerson(ctxVillageA, &p)
			}, want: map[int64]summary{w.hA.ID: {3, "张叁"}}},
			{name: "head moves to another village's household", write: func() error {
				p := *mustPerson(t, db, w.pA.ID)
				p.HouseholdID, p.Relation = w.hB.ID, "其他"
				return db.UpdatePerson(ctxTownship, &p)
			}, want: map[int64]summary{w.hA.ID: {2, ""}, w.hB.ID: {2, "王五"}}},
			{name: "member becomes head", write: func() error {
				p := *mustPerson(t, db, w.pA2.ID)
				p.Relation = "户主"
				return db.UpdatePerson(ctxVillageA, &p)
			}, want: map[int64]summary{w.hA.ID: {2, "李肆"}}},
			{name: "head dies: one member fewer, still the head", write: func() error {
				p := mustPerson(t, db, w.pB.ID)
				_, err := db.SetPersonStatus(ctxVillageB, p.ID, p.Version, healthcell.StatusDeceased, "2025-03-01")
				return err
			}, want: map[int64]summary{w.hB.ID: {1, "王五"}}},
			{name: "back to active", write: func() error {
				p := mustPerson(t, db, w.pB.ID)
				_, err := db.SetPersonStatus(ctxVillageB, p.ID, p.Version, healthcell.StatusActive, "")
				return err
			}, want: map[int64]summary{w.hB.ID: {2, "王五"}}},
			{name: "household renumbered keeps its summary", write: func() error {
				h := *mustHousehold(t, db, w.hA.ID)
				h.Number = "A-100"
				return db.UpdateHousehold(ctxVillageA, &h)
			}, want: map[int64]summary{w.hA.ID: {2, "李肆"}}},

			{name: "stale version changes nothing", write: func() error {
				p := *w.pA2 // version 1, long since updated
				p.Name = "错"
				return db.UpdatePerson(ctxVillageA, &p)
			}, err: healthcell.ECONFLICT, want: map[int64]summary{w.hA.ID: {2, "李肆"}}},
			{name: "bad ID number changes nothing", write: func() error {
				return db.CreatePerson(ctxVillageA, &healthcell.Person{HouseholdID: w.hA.ID, Name: "坏", IDNumber: sqltest.BadCheck(PersonAID), Relation: "户主"})
			}, err: healthcell.EINVALID, want: map[int64]summary{w.hA.ID: {2, "李肆"}}},
			{name: "out of scope changes nothing", write: func() error {
				return db.CreatePerson(ctxVillageB, &healthcell.Person{HouseholdID: w.hA.ID, Name: "越", Sex: "M", BirthDate: "2000-01-01", Relation: "户主"})
			}, err: healthcell.EINVALID, want: map[int64]summary{w.hA.ID: {2, "李肆"}}},
		}
		village := map[int64]string{w.hA.ID: sqltest.Village, w.hA2.ID: sqltest.Village, w.hB.ID: sqltest.Village2}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				wantCode(t, tc.write(), tc.err)
				for id, want := range tc.want {
					if got := listed(t, db, village[id], id); got != want {
						t.Errorf("household %d listed as %+v, want %+v", id, got, want)
					}
					if h := mustHousehold(t, db, id); h.Members != want.Members || h.HeadName != want.HeadName {
						t.Errorf("household %d read as %d members, head %q; want %+v", id, h.Members, h.HeadName, want)
					}
				}
				mustCheck(t, db)
			})
		}
	})
}

// TestHouseholdSummaryConcurrent checks the member count when officers add
// persons to one household and move persons both ways between two at once.
func TestHouseholdSummaryConcurrent(t *testing.T) {
	const workers, each = 8, 5
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		sqltest.LoadDivisions(t, db)
		hA := sqltest.Household(t, db, sqltest.Village, "A")
		hB := sqltest.Household(t, db, sqltest.Village2, "B")
		var wg sync.WaitGroup
		errs := make(chan error, workers*each)
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range each {
					from, to := hA, hB
					if w%2 == 1 {
						from, to = hB, hA
					}
					p := &healthcell.Person{HouseholdID: from.ID, Name: fmt.Sprintf("人%d-%d", w, i), Sex: "F", BirthDate: "1990-01-01", Relation: "其他"}
					if err := db.CreatePerson(sqltest.System(), p); err != nil {
						errs <- err
						continue
					}
					if i%2 == 0 {
						p.HouseholdID = to.ID
						if err := db.UpdatePerson(sqltest.System(), p); err != nil {
							errs <- err
						}
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("write: %v", err)
		}
		a, b := listed(t, db, sqltest.Village, hA.ID), listed(t, db, sqltest.Village2, hB.ID)
		if a.Members+b.Members != workers*each {
			t.Errorf("members %d + %d, want %d in all", a.Members, b.Members, workers*each)
		}
		mustCheck(t, db)
	})
}

// TestCheckHouseholdSummary checks that `check` reports a household whose
// stored summary disagrees with its persons.
func TestCheckHouseholdSummary(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db)
		mustCheck(t, db)
		raw := rawDB(t, db)
		if _, err := raw.Exec(`UPDATE households SET members = 7, head_name = '某' WHERE id = $1`, w.hA.ID); err != nil {
			t.Fatal(err)
		}
		r, err := db.Check(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Problems) != 1 || !strings.Contains(r.Problems[0], fmt.Sprintf("household %d", w.hA.ID)) ||
			!strings.Contains(r.Problems[0], `rows 2, "张三"`) {
			t.Errorf("problems %q, want one about household %d", r.Problems, w.hA.ID)
		}
	})
}

// TestFindHouseholdsBrief checks that a brief list has the rows, order,
// total and list fields of the full one, and nothing else.
func TestFindHouseholdsBrief(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		newWorld(t, db)
		cases := []struct {
			name string
			ctx  context.Context
			f    healthcell.HouseholdFilter
			err  string
		}{
			{name: "county", ctx: ctxCounty, f: healthcell.HouseholdFilter{Division: sqltest.County}},
			{name: "village, second page", ctx: ctxVillageA, f: healthcell.HouseholdFilter{Division: sqltest.Village, Offset: 1, Limit: 1}},
			{name: "by number", ctx: ctxTownship, f: healthcell.HouseholdFilter{Division: sqltest.Township, Number: "B-001"}},
			{name: "masked viewer", ctx: ctxViewer, f: healthcell.HouseholdFilter{Division: sqltest.Village}},
			{name: "out of scope", ctx: ctxVillageB, f: healthcell.HouseholdFilter{Division: sqltest.Village}, err: healthcell.ENOTFOUND},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				full, total, err := db.FindHouseholds(tc.ctx, tc.f)
				wantCode(t, err, tc.err)
				b := tc.f
				b.Brief = true
				brief, btotal, berr := db.FindHouseholds(tc.ctx, b)
				wantCode(t, berr, tc.err)
				if len(brief) != len(full) || btotal != total {
					t.Fatalf("brief: %d rows of %d, full: %d of %d", len(brief), btotal, len(full), total)
				}
				for i, h := range full {
					want := healthcell.Household{ID: h.ID, Number: h.Number, VillageCode: h.VillageCode, Group: h.Group,
						HeadID: h.HeadID, HeadName: h.HeadName, Members: h.Members, Active: h.Active}
					if *brief[i] != want {
						t.Errorf("row %d: brief %+v, want %+v", i, *brief[i], want)
					}
				}
			})
		}
	})
}

// TestLoadPopulationSummary checks the member counts and head names a bulk
// load stores (its own code path on each engine).
func TestLoadPopulationSummary(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		sqltest.LoadDivisions(t, db)
		person := func(name, relation, status string) *healthcell.Person {
			p := &healthcell.Person{Name: name, Sex: "F", BirthDate: "1960-01-01", Relation: relation, Status: status}
			if status != healthcell.StatusActive && status != "" {
				p.StatusDate = "2024-01-01"
			}
			return p
		}
		pop := func(emit func(*healthcell.Household, []*healthcell.Person) error) error {
			if err := emit(&healthcell.Household{Number: "L-1", VillageCode: sqltest.Village},
				[]*healthcell.Person{person("甲", "户主", ""), person("乙", "配偶", healthcell.StatusDeceased), person("丙", "子", healthcell.StatusActive)}); err != nil {
				return err
			}
			return emit(&healthcell.Household{Number: "L-2", VillageCode: sqltest.Village}, []*healthcell.Person{person("丁", "其他", "")})
		}
		if _, _, err := db.LoadPopulation(sqltest.System(), pop); err != nil {
			t.Fatal(err)
		}
		hs, _, err := db.FindHouseholds(sqltest.System(), healthcell.HouseholdFilter{Division: sqltest.Village, Brief: true})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]summary{}
		for _, h := range hs {
			got[h.Number] = summary{h.Members, h.HeadName}
		}
		want := map[string]summary{"L-1": {2, "甲"}, "L-2": {1, ""}}
		if len(got) != len(want) || got["L-1"] != want["L-1"] || got["L-2"] != want["L-2"] {
			t.Errorf("loaded %v, want %v", got, want)
		}
		mustCheck(t, db)
	})
}

// TestFindHouseholdsTotal checks the total that comes with each kind of
// page: read along with the rows, or counted apart when the page is empty or
// a number is asked for.
func TestFindHouseholdsTotal(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		newWorld(t, db)
		cases := []struct {
			name        string
			f           healthcell.HouseholdFilter
			rows, total int
		}{
			{name: "county", f: healthcell.HouseholdFilter{Division: sqltest.County}, rows: 4, total: 4},
			{name: "first page", f: healthcell.HouseholdFilter{Division: sqltest.Village, Limit: 1}, rows: 1, total: 2},
			{name: "last page", f: healthcell.HouseholdFilter{Division: sqltest.Village, Limit: 1, Offset: 1}, rows: 1, total: 2},
			{name: "past the end", f: healthcell.HouseholdFilter{Division: sqltest.Village, Limit: 1, Offset: 2}, rows: 0, total: 2},
			{name: "brief past the end", f: healthcell.HouseholdFilter{Division: sqltest.Village, Limit: 1, Offset: 5, Brief: true}, rows: 0, total: 2},
			{name: "by number", f: healthcell.HouseholdFilter{Division: sqltest.Village, Number: "A-002"}, rows: 1, total: 1},
			{name: "no such number", f: healthcell.HouseholdFilter{Division: sqltest.Village, Number: "Z-9"}, rows: 0, total: 0},
			{name: "empty village", f: healthcell.HouseholdFilter{Division: UnknownVillage}, rows: 0, total: 0},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				hs, total, err := db.FindHouseholds(sqltest.System(), tc.f)
				if err != nil {
					t.Fatal(err)
				}
				if len(hs) != tc.rows || total != tc.total {
					t.Errorf("%d rows of %d, want %d of %d", len(hs), total, tc.rows, tc.total)
				}
			})
		}
	})
}
