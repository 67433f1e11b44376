package sqlstore_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/catalog"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestScopeReads checks that records outside the caller's scope, or of a kind
// its role may not read, are indistinguishable from records that do not exist.
func TestScopeReads(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db)
		const missing = 1 << 40
		// The errors for records that do not exist, which denials must equal.
		_, noPerson := db.FindPerson(sqltest.System(), missing)
		_, noHousehold := db.FindHousehold(sqltest.System(), missing)
		_, noDivision := db.FindDivision(sqltest.System(), UnknownVillage)
		wantCode(t, noPerson, healthcell.ENOTFOUND)
		wantCode(t, noHousehold, healthcell.ENOTFOUND)
		wantCode(t, noDivision, healthcell.ENOTFOUND)

		findPerson := func(id int64) func(context.Context) error {
			return func(ctx context.Context) error { _, err := db.FindPerson(ctx, id); return err }
		}
		findHousehold := func(id int64) func(context.Context) error {
			return func(ctx context.Context) error { _, err := db.FindHousehold(ctx, id); return err }
		}
		findPersons := func(f healthcell.PersonFilter) func(context.Context) error {
			return func(ctx context.Context) error {
				ps, n, err := db.FindPersons(ctx, f)
				if err != nil && (len(ps) != 0 || n != 0) {
					t.Errorf("FindPersons returned %d persons (total %d) with %v", len(ps), n, err)
				}
				return err
			}
		}
		findHouseholds := func(f healthcell.HouseholdFilter) func(context.Context) error {
			return func(ctx context.Context) error {
				hs, n, err := db.FindHouseholds(ctx, f)
				if err != nil && (len(hs) != 0 || n != 0) {
					t.Errorf("FindHouseholds returned %d households (total %d) with %v", len(hs), n, err)
				}
				return err
			}
		}
		findDivision := func(code string) func(context.Context) error {
			return func(ctx context.Context) error { _, err := db.FindDivision(ctx, code); return err }
		}

		cases := []struct {
			name string
			ctx  context.Context
			call func(context.Context) error
			want string
			like error // a denial must read exactly like this error
		}{
			{name: "village officer: own person", ctx: ctxVillageA, call: findPerson(w.pA.ID)},
			{name: "village officer: own household", ctx: ctxVillageA, call: findHousehold(w.hA.ID)},
			{name: "village officer: person of sibling village", ctx: ctxVillageA, call: findPerson(w.pB.ID), want: healthcell.ENOTFOUND, like: noPerson},
			{name: "village officer: person of other township", ctx: ctxVillageA, call: findPerson(w.pC.ID), want: healthcell.ENOTFOUND, like: noPerson},
			{name: "village officer: missing person", ctx: ctxVillageA, call: findPerson(missing), want: healthcell.ENOTFOUND, like: noPerson},
			{name: "village officer: household of sibling village", ctx: ctxVillageA, call: findHousehold(w.hB.ID), want: healthcell.ENOTFOUND, like: noHousehold},
			{name: "village officer: persons of sibling village", ctx: ctxVillageA, call: findPersons(healthcell.PersonFilter{Division: sqltest.Village2}), want: healthcell.ENOTFOUND},
			{name: "village officer: persons of sibling village by name", ctx: ctxVillageA, call: findPersons(healthcell.PersonFilter{Division: sqltest.Village2, Query: "王"}), want: healthcell.ENOTFOUND},
			{name: "village officer: persons of own township", ctx: ctxVillageA, call: findPersons(healthcell.PersonFilter{Division: sqltest.Township}), want: healthcell.ENOTFOUND},
			{name: "village officer: persons of the county", ctx: ctxVillageA, call: findPersons(healthcell.PersonFilter{Division: "510824"}), want: healthcell.ENOTFOUND},
			{name: "village officer: members of sibling household", ctx: ctxVillageA, call: findPersons(healthcell.PersonFilter{HouseholdID: w.hB.ID}), want: healthcell.ENOTFOUND},
			{name: "village officer: members of sibling household, division own", ctx: ctxVillageA, call: findPersons(healthcell.PersonFilter{Division: sqltest.Village, HouseholdID: w.hB.ID}), want: healthcell.ENOTFOUND},
			{name: "village officer: households of sibling village", ctx: ctxVillageA, call: findHouseholds(healthcell.HouseholdFilter{Division: sqltest.Village2}), want: healthcell.ENOTFOUND},
			{name: "village officer: sibling village", ctx: ctxVillageA, call: findDivision(sqltest.Village2), want: healthcell.ENOTFOUND, like: noDivision},
			{name: "township officer: person of own village", ctx: ctxTownship, call: findPerson(w.pB.ID)},
			{name: "township officer: person of other township", ctx: ctxTownship, call: findPerson(w.pC.ID), want: healthcell.ENOTFOUND, like: noPerson},
			{name: "township officer: household of other township", ctx: ctxTownship, call: findHousehold(w.hC.ID), want: healthcell.ENOTFOUND, like: noHousehold},
			{name: "township officer: persons of other township", ctx: ctxTownship, call: findPersons(healthcell.PersonFilter{Division: sqltest.Township2}), want: healthcell.ENOTFOUND},
			{name: "township officer: members of other township's household", ctx: ctxTownship, call: findPersons(healthcell.PersonFilter{HouseholdID: w.hC.ID}), want: healthcell.ENOTFOUND},
			{name: "township officer: county", ctx: ctxTownship, call: findDivision(sqltest.County), want: healthcell.ENOTFOUND, like: noDivision},
			{name: "township officer: other township", ctx: ctxTownship, call: findDivision(sqltest.Township2), want: healthcell.ENOTFOUND, like: noDivision},
			{name: "township-scoped county admin: other township's person", ctx: sqltest.As("tadmin", healthcell.RoleCountyAdmin, sqltest.Township),
				call: findPerson(w.pC.ID), want: healthcell.ENOTFOUND, like: noPerson},
			{name: "viewer: person", ctx: ctxViewer, call: findPerson(w.pC.ID)},
			{name: "unit: person", ctx: ctxUnit, call: findPerson(w.pA.ID), want: healthcell.ENOTFOUND, like: noPerson},
			{name: "unit: household", ctx: ctxUnit, call: findHousehold(w.hA.ID), want: healthcell.ENOTFOUND, like: noHousehold},
			{name: "unit: persons", ctx: ctxUnit, call: findPersons(healthcell.PersonFilter{Division: sqltest.County}), want: healthcell.ENOTFOUND},
			{name: "unit: persons, default scope", ctx: ctxUnit, call: findPersons(healthcell.PersonFilter{}), want: healthcell.ENOTFOUND},
			{name: "unit: members of a household", ctx: ctxUnit, call: findPersons(healthcell.PersonFilter{HouseholdID: w.hA.ID}), want: healthcell.ENOTFOUND},
			{name: "unit: households", ctx: ctxUnit, call: findHouseholds(healthcell.HouseholdFilter{Division: sqltest.County}), want: healthcell.ENOTFOUND},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				err := tc.call(tc.ctx)
				wantCode(t, err, tc.want)
				if tc.like != nil && err.Error() != tc.like.Error() {
					t.Errorf("denial %q differs from not found %q", err, tc.like)
				}
			})
		}
	})
}

// TestScopeLists checks that lists contain exactly what lies in the caller's scope.
func TestScopeLists(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db)
		divs, err := catalog.Divisions("510824")
		if err != nil {
			t.Fatal(err)
		}
		var township1 []string
		for _, d := range divs {
			if d.Level == healthcell.LevelVillage && d.Parent == sqltest.Township {
				township1 = append(township1, d.Code)
			}
		}
		ids := func(ps []*healthcell.Person) []int64 {
			var out []int64
			for _, p := range ps {
				out = append(out, p.ID)
			}
			return out
		}
		hids := func(hs []*healthcell.Household) []int64 {
			var out []int64
			for _, h := range hs {
				out = append(out, h.ID)
			}
			return out
		}
		cases := []struct {
			name string
			ctx  context.Context
			list func(ctx context.Context) (any, error)
			want any
		}{
			{name: "township officer: villages", ctx: ctxTownship, want: township1,
				list: func(ctx context.Context) (any, error) {
					vs, err := db.FindVillages(ctx, sqltest.Township)
					var out []string
					for _, v := range vs {
						out = append(out, v.Code)
					}
					return out, err
				}},
			{name: "township officer: children of its township", ctx: ctxTownship, want: township1,
				list: func(ctx context.Context) (any, error) {
					v, err := db.FindDivision(ctx, sqltest.Township)
					if err != nil {
						return nil, err
					}
					var out []string
					for _, c := range v.Children {
						out = append(out, c.Code)
					}
					return out, nil
				}},
			{name: "township officer: persons", ctx: ctxTownship, want: []int64{w.pA.ID, w.pA2.ID, w.pB.ID},
				list: func(ctx context.Context) (any, error) {
					ps, _, err := db.FindPersons(ctx, healthcell.PersonFilter{Inactive: true})
					return ids(ps), err
				}},
			{name: "township officer: persons by ID prefix", ctx: ctxTownship, want: []int64{w.pA2.ID, w.pB.ID},
				list: func(ctx context.Context) (any, error) {
					ps, _, err := db.FindPersons(ctx, healthcell.PersonFilter{Query: "510824"})
					return ids(ps), err
				}},
			{name: "township officer: households", ctx: ctxTownship, want: []int64{w.hA.ID, w.hA2.ID, w.hB.ID},
				list: func(ctx context.Context) (any, error) {
					hs, _, err := db.FindHouseholds(ctx, healthcell.HouseholdFilter{})
					return hids(hs), err
				}},
			{name: "township 2 officer: persons", ctx: ctxTownship2, want: []int64{w.pC.ID},
				list: func(ctx context.Context) (any, error) {
					ps, _, err := db.FindPersons(ctx, healthcell.PersonFilter{})
					return ids(ps), err
				}},
			{name: "village officer: persons", ctx: ctxVillageA, want: []int64{w.pA.ID, w.pA2.ID},
				list: func(ctx context.Context) (any, error) {
					ps, _, err := db.FindPersons(ctx, healthcell.PersonFilter{})
					return ids(ps), err
				}},
			{name: "village officer: persons by ID region", ctx: ctxVillageB, want: []int64{w.pB.ID},
				list: func(ctx context.Context) (any, error) {
					ps, _, err := db.FindPersons(ctx, healthcell.PersonFilter{Query: "510824"})
					return ids(ps), err
				}},
			{name: "village officer: households", ctx: ctxVillageB, want: []int64{w.hB.ID},
				list: func(ctx context.Context) (any, error) {
					hs, _, err := db.FindHouseholds(ctx, healthcell.HouseholdFilter{})
					return hids(hs), err
				}},
			{name: "village officer: villages", ctx: ctxVillageB, want: []string{sqltest.Village2},
				list: func(ctx context.Context) (any, error) {
					vs, err := db.FindVillages(ctx, sqltest.Village2)
					var out []string
					for _, v := range vs {
						out = append(out, v.Code)
					}
					return out, err
				}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				got, err := tc.list(tc.ctx)
				if err != nil {
					t.Fatal(err)
				}
				if fmt.Sprint(got) != fmt.Sprint(tc.want) {
					t.Errorf("got %v\nwant %v", got, tc.want)
				}
			})
		}
	})
}

// TestScopeWrites checks that writes outside the caller's scope or role fail
// and change nothing, and that the same writes inside succeed.
func TestScopeWrites(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db)
		// as returns a copy of the person as ctx sees it.
		as := func(ctx context.Context, id int64) healthcell.Person {
			p, err := db.FindPerson(ctx, id)
			if err != nil {
				t.Fatalf("find person %d: %v", id, err)
			}
			return *p
		}
		current := func(id int64) healthcell.Person { return *mustPerson(t, db, id) }
		household := func(id int64) healthcell.Household { return *mustHousehold(t, db, id) }

		updatePerson := func(p healthcell.Person, edit func(*healthcell.Person)) func(context.Context) error {
			return func(ctx context.Context) error {
				edit(&p)
				return db.UpdatePerson(ctx, &p)
			}
		}
		rename := func(p *healthcell.Person) { p.Name = "改名" }
		setStatus := func(id int64) func(context.Context) error {
			return func(ctx context.Context) error {
				p, err := db.SetPersonStatus(ctx, id, current(id).Version, healthcell.StatusDeceased, "2024-01-01")
				if err != nil && p != nil {
					t.Errorf("SetPersonStatus returned %+v with %v", p, err)
				}
				return err
			}
		}
		createPerson := func(h *healthcell.Household, seq int) func(context.Context) error {
			return func(ctx context.Context) error {
				p := &healthcell.Person{HouseholdID: h.ID, Name: "新人", IDNumber: sqltest.ID(t, "2000-01-01", seq), Relation: "子"}
				return db.CreatePerson(ctx, p)
			}
		}
		updateHousehold := func(id int64, edit func(*healthcell.Household)) func(context.Context) error {
			return func(ctx context.Context) error {
				h := household(id)
				edit(&h)
				return db.UpdateHousehold(ctx, &h)
			}
		}
		readdress := func(h *healthcell.Household) { h.Address = "新地址" }
		createHousehold := func(village, number string) func(context.Context) error {
			return func(ctx context.Context) error {
				return db.CreateHousehold(ctx, &healthcell.Household{Number: number, VillageCode: village})
			}
		}

		denied := []string{healthcell.ENOTFOUND, healthcell.EFORBIDDEN}
		const notFound, invalid = healthcell.ENOTFOUND, healthcell.EINVALID
		type denial struct {
			name  string
			ctx   context.Context
			write func(context.Context) error
			want  []string // acceptable codes
			field string   // with EINVALID, the field at fault
		}
		var cases []denial
		// A village officer of village A and village B's records.
		cases = append(cases,
			denial{"village A: update person of B", ctxVillageA, updatePerson(current(w.pB.ID), rename), []string{notFound}, ""},
			denial{"village A: move person of B into A", ctxVillageA, updatePerson(current(w.pB.ID), func(p *healthcell.Person) { p.HouseholdID = w.hA.ID }), []string{notFound}, ""},
			denial{"village A: move own person into B", ctxVillageA, updatePerson(current(w.pA2.ID), func(p *healthcell.Person) { p.HouseholdID = w.hB.ID }), []string{invalid, notFound}, "household_id"},
			denial{"village A: status of person of B", ctxVillageA, setStatus(w.pB.ID), []string{notFound}, ""},
			denial{"village A: status of person of township 2", ctxVillageA, setStatus(w.pC.ID), []string{notFound}, ""},
			denial{"village A: person into B's household", ctxVillageA, createPerson(w.hB, 301), []string{invalid, notFound}, "household_id"},
			denial{"village A: person into township 2's household", ctxVillageA, createPerson(w.hC, 303), []string{invalid, notFound}, "household_id"},
			denial{"village A: household in B", ctxVillageA, createHousehold(sqltest.Village2, "X-1"), []string{invalid, notFound}, "village_code"},
			denial{"village A: update B's household", ctxVillageA, updateHousehold(w.hB.ID, readdress), []string{notFound}, ""},
			denial{"village A: move B's household into A", ctxVillageA, updateHousehold(w.hB.ID, func(h *healthcell.Household) { h.VillageCode = sqltest.Village }), []string{notFound}, ""},
			denial{"village A: move own household to B", ctxVillageA, updateHousehold(w.hA.ID, func(h *healthcell.Household) { h.VillageCode = sqltest.Village2 }), []string{invalid, notFound}, "village_code"},
			denial{"township 1: update person of township 2", ctxTownship, updatePerson(current(w.pC.ID), rename), []string{notFound}, ""},
			denial{"township 1: status of person of township 2", ctxTownship, setStatus(w.pC.ID), []string{notFound}, ""},
			denial{"township 1: move household to township 2", ctxTownship, updateHousehold(w.hB.ID, func(h *healthcell.Household) { h.VillageCode = VillageT2 }), []string{invalid, notFound}, "village_code"},
			denial{"township 1: person into township 2's household", ctxTownship, createPerson(w.hC, 305), []string{invalid, notFound}, "household_id"},
		)
		// Roles that read masked, and the unit role, write nothing anywhere.
		for _, r := range []struct {
			role string
			ctx  context.Context
		}{{"viewer", ctxViewer}, {"evaluator", ctxEvaluator}, {"department", ctxDept}, {"unit", ctxUnit}} {
			seen := current(w.pA.ID)
			if r.role != "unit" {
				seen = as(r.ctx, w.pA.ID)
			}
			cases = append(cases,
				denial{r.role + ": update person", r.ctx, updatePerson(current(w.pA.ID), rename), denied, ""},
				denial{r.role + ": update person as seen (masked)", r.ctx, updatePerson(seen, rename), denied, ""},
				denial{r.role + ": move person", r.ctx, updatePerson(current(w.pA2.ID), func(p *healthcell.Person) { p.HouseholdID = w.hC.ID }), denied, ""},
				denial{r.role + ": set status", r.ctx, setStatus(w.pB.ID), denied, ""},
				denial{r.role + ": create person", r.ctx, createPerson(w.hA, 307), denied, ""},
				denial{r.role + ": create household", r.ctx, createHousehold(sqltest.Village, "X-2"), denied, ""},
				denial{r.role + ": update household", r.ctx, updateHousehold(w.hA.ID, readdress), denied, ""},
			)
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				snap := takeSnapshot(t, db)
				err := tc.write(tc.ctx)
				wantOneOf(t, err, tc.want...)
				if healthcell.ErrorCode(err) == healthcell.EINVALID {
					wantInvalid(t, err, tc.field)
				}
				snap.unchanged(t, db)
			})
		}

		// The same kinds of writes inside the scope succeed.
		allowed := []struct {
			name  string
			ctx   context.Context
			write func(context.Context) error
		}{
			{"village B: update own person", ctxVillageB, updatePerson(current(w.pB.ID), func(p *healthcell.Person) { p.Phone = "13911112222" })},
			{"village B: status of own person", ctxVillageB, setStatus(w.pB.ID)},
			{"village B: create person", ctxVillageB, createPerson(w.hB, 309)},
			{"village B: create household", ctxVillageB, createHousehold(sqltest.Village2, "B-002")},
			{"village B: update own household", ctxVillageB, updateHousehold(w.hB.ID, readdress)},
			{"township 1: move household between its villages", ctxTownship, updateHousehold(w.hA2.ID, func(h *healthcell.Household) { h.VillageCode = sqltest.Village2 })},
			{"township 2: update own person", ctxTownship2, updatePerson(current(w.pC.ID), rename)},
		}
		for _, tc := range allowed {
			t.Run(tc.name, func(t *testing.T) {
				before := auditCount(t, db)
				wantCode(t, tc.write(tc.ctx), "")
				if e := lastAudit(t, db); auditCount(t, db) != before+1 || e.Username != healthcell.ActorFrom(tc.ctx).Username {
					t.Errorf("audit %d → %d, last %+v", before, auditCount(t, db), e)
				}
			})
		}
	})
}

// TestMasking checks what roles that read masked see of persons.
func TestMasking(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db)
		type role struct {
			name   string
			ctx    context.Context
			masked bool
		}
		roles := []role{
			{"viewer", ctxViewer, true},
			{"evaluator", ctxEvaluator, true},
			{"department", ctxDept, true},
			{"township-scoped viewer", sqltest.As("tviewer", healthcell.RoleViewer, sqltest.Township), true},
			{"county admin", ctxCounty, false},
			{"township officer", ctxTownship, false},
			{"village officer", ctxVillageA, false},
			{"system", sqltest.System(), false},
		}
		checks := []struct {
			name string
			run  func(t *testing.T, r role)
		}{
			{"find person", func(t *testing.T, r role) {
				p, err := db.FindPerson(r.ctx, w.pA.ID)
				if err != nil {
					t.Fatal(err)
				}
				id, phone := PersonAID, "13812345678"
				if r.masked {
					id, phone = "110105************", "138****5678"
				}
				if p.IDNumber != id || p.Phone != phone || p.Masked != r.masked {
					t.Errorf("got ID %q phone %q masked %v, want %q %q %v", p.IDNumber, p.Phone, p.Masked, id, phone, r.masked)
				}
				birth, year := "1949-12-31", 0
				if r.masked {
					birth, year = "", 1949 // the year only: the date would narrow the number down
				}
				if p.Name != "张三" || p.BirthDate != birth || p.BirthYear != year || p.Sex != "F" || p.VillageCode != sqltest.Village {
					t.Errorf("non-personal fields changed: %+v", p)
				}
			}},
			{"find persons", func(t *testing.T, r role) {
				ps, n, err := db.FindPersons(r.ctx, healthcell.PersonFilter{Division: sqltest.Village})
				if err != nil {
					t.Fatal(err)
				}
				if n != 2 || len(ps) != 2 {
					t.Fatalf("got %v total %d", names(ps), n)
				}
				for _, p := range ps {
					hidden := strings.HasSuffix(p.IDNumber, "************") && strings.Contains(p.Phone, "****") && p.BirthDate == ""
					if p.Masked != r.masked || hidden != r.masked {
						t.Errorf("%s: ID %q phone %q masked %v", p.Name, p.IDNumber, p.Phone, p.Masked)
					}
				}
			}},
			{"household members", func(t *testing.T, r role) {
				ps, _, err := db.FindPersons(r.ctx, healthcell.PersonFilter{HouseholdID: w.hA.ID})
				if err != nil {
					t.Fatal(err)
				}
				for _, p := range ps {
					if p.Masked != r.masked || (r.masked && slices.Contains([]string{w.pA.IDNumber, w.pA2.IDNumber}, p.IDNumber)) {
						t.Errorf("%s: ID %q masked %v", p.Name, p.IDNumber, p.Masked)
					}
				}
			}},
		}
		// Searching by ID number is for callers who see ID numbers.
		for _, q := range []struct {
			name string
			f    healthcell.PersonFilter
			want int // for callers who see personal data
		}{
			{"ID prefix", healthcell.PersonFilter{Division: sqltest.Village, Query: "110105"}, 1},
			{"full ID", healthcell.PersonFilter{Division: sqltest.Village, Query: PersonAID}, 1},
			{"full ID, lowercase", healthcell.PersonFilter{Division: sqltest.Village, Query: strings.ToLower(PersonAID)}, 1},
			{"ID prefix, default division", healthcell.PersonFilter{Query: "1101"}, 1},
			{"ID prefix in a household", healthcell.PersonFilter{HouseholdID: w.hA.ID, Query: "1101"}, 1},
			{"ID prefix in a household with division", healthcell.PersonFilter{Division: sqltest.Village, HouseholdID: w.hA.ID, Query: "110105194912"}, 1},
			{"region prefix in a household", healthcell.PersonFilter{HouseholdID: w.hA.ID, Query: "5108", Inactive: true}, 1},
			{"ID suffix", healthcell.PersonFilter{Division: sqltest.Village, Query: "002X"}, 0},
		} {
			checks = append(checks, struct {
				name string
				run  func(t *testing.T, r role)
			}{"search " + q.name, func(t *testing.T, r role) {
				f := q.f
				if f.Division == "" && f.HouseholdID == 0 && r.name == "system" {
					f.Division = sqltest.County
				}
				ps, n, err := db.FindPersons(r.ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				want := q.want
				if r.masked {
					want = 0
				}
				if len(ps) != want || n != want {
					t.Errorf("got %v total %d, want %d", names(ps), n, want)
				}
			}})
		}
		for _, r := range roles {
			for _, c := range checks {
				t.Run(r.name+"/"+c.name, func(t *testing.T) { c.run(t, r) })
			}
		}
	})
}

// TestNoActor checks that every method that needs a caller refuses a context without one.
func TestNoActor(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db)
		u := &healthcell.User{Username: "someone", Role: healthcell.RoleVillage, Scope: sqltest.Village}
		if err := db.CreateUser(sqltest.System(), u, "password1"); err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		calls := []struct {
			name string
			call func() error
		}{
			{"FindDivision", func() error { _, err := db.FindDivision(ctx, sqltest.County); return err }},
			{"FindVillages", func() error { _, err := db.FindVillages(ctx, sqltest.County); return err }},
			{"LoadDivisions", func() error {
				_, err := db.LoadDivisions(ctx, []healthcell.Division{{Code: sqltest.Village, Name: "x"}})
				return err
			}},
			{"FindHousehold", func() error { _, err := db.FindHousehold(ctx, w.hA.ID); return err }},
			{"FindHouseholds", func() error {
				_, _, err := db.FindHouseholds(ctx, healthcell.HouseholdFilter{Division: sqltest.County})
				return err
			}},
			{"CreateHousehold", func() error {
				return db.CreateHousehold(ctx, &healthcell.Household{Number: "N", VillageCode: sqltest.Village})
			}},
			{"UpdateHousehold", func() error { h := *w.hA; h.Address = "x"; return db.UpdateHousehold(ctx, &h) }},
			{"FindPerson", func() error { _, err := db.FindPerson(ctx, w.pA.ID); return err }},
			{"FindPersons", func() error {
				_, _, err := db.FindPersons(ctx, healthcell.PersonFilter{Division: sqltest.County})
				return err
			}},
			{"CreatePerson", func() error {
				return db.CreatePerson(ctx, &healthcell.Person{HouseholdID: w.hA.ID, Name: "x", Sex: "M", BirthDate: "2000-01-01"})
			}},
			{"UpdatePerson", func() error { p := *w.pA; p.Name = "x"; return db.UpdatePerson(ctx, &p) }},
			{"SetPersonStatus", func() error {
				_, err := db.SetPersonStatus(ctx, w.pA.ID, w.pA.Version, healthcell.StatusMoved, "2024-01-01")
				return err
			}},
			{"CreateUser", func() error {
				return db.CreateUser(ctx, &healthcell.User{Username: "new", Role: healthcell.RoleViewer, Scope: sqltest.County}, "password1")
			}},
			{"FindUsers", func() error { _, err := db.FindUsers(ctx); return err }},
			{"FindUserByUsername", func() error { _, err := db.FindUserByUsername(ctx, "someone"); return err }},
			{"SetPassword", func() error { return db.SetPassword(ctx, "someone", "password2") }},
			{"SetDisabled", func() error { return db.SetDisabled(ctx, "someone", true) }},
			{"FindAudit", func() error { _, _, err := db.FindAudit(ctx, healthcell.AuditFilter{}); return err }},
		}
		for _, c := range calls {
			t.Run(c.name, func(t *testing.T) {
				snap := takeSnapshot(t, db)
				wantCode(t, c.call(), healthcell.EUNAUTHORIZED)
				snap.unchanged(t, db)
			})
		}
		if _, err := db.Authenticate(ctx, "someone", "password1"); err != nil {
			t.Errorf("user changed: %v", err)
		}
	})
}
