package sqlstore_test

import (
	"context"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// differences returns the current unresolved differences by kind.
func differences(t *testing.T, db *sqlstore.DB, ctx context.Context, f healthcell.ReconcileFilter) map[string][]*healthcell.Difference {
	t.Helper()
	ds, err := db.Reconcile(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]*healthcell.Difference{}
	for _, d := range ds {
		out[d.Kind] = append(out[d.Kind], d)
	}
	return out
}

func TestReconcile(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db)
		if got := differences(t, db, ctxCounty, healthcell.ReconcileFilter{}); len(got) != 0 {
			t.Fatalf("a clean world has differences: %v", got)
		}
		mustEntry := func(p *healthcell.Person) *healthcell.Entry {
			t.Helper()
			e, err := db.CreateEntry(ctxCounty, checkup(p, "2025-03-02"))
			if err != nil {
				t.Fatal(err)
			}
			return e
		}
		update := func(p *healthcell.Person, change func(p *healthcell.Person)) {
			t.Helper()
			cur := mustPerson(t, db, p.ID)
			change(cur)
			if err := db.UpdatePerson(ctxCounty, cur); err != nil {
				t.Fatal(err)
			}
		}
		// 1. An entry recorded under an ID number that was later corrected.
		eA := mustEntry(w.pA)
		update(w.pA, func(p *healthcell.Person) { p.IDNumber = sqltest.ID(t, "1949-12-31", 78) })
		// 2. A resident renamed after a check-up was recorded.
		mustEntry(w.pA2)
		update(w.pA2, func(p *healthcell.Person) { p.Name = "李思" })
		// 3. The same person, without an ID number, in another household.
		twin := &healthcell.Person{HouseholdID: w.hB.ID, Name: "王五", Sex: w.pB.Sex, BirthDate: w.pB.BirthDate, Relation: "其他", Registered: true, Resident: true}
		if err := db.CreatePerson(ctxCounty, twin); err != nil {
			t.Fatal(err)
		}
		twin2 := &healthcell.Person{HouseholdID: w.hA2.ID, Name: "王五", Sex: w.pB.Sex, BirthDate: w.pB.BirthDate, Relation: "户主", Registered: true, Resident: true}
		if err := db.CreatePerson(ctxCounty, twin2); err != nil {
			t.Fatal(err)
		}
		// 4. A resident who moved to village A after a check-up in village B.
		mustEntry(w.pC)
		update(w.pC, func(p *healthcell.Person) { p.HouseholdID = w.hA.ID })

		got := differences(t, db, ctxCounty, healthcell.ReconcileFilter{})
		if d := got[healthcell.DiffUnmatched]; len(d) != 1 || d[0].EntryID != eA.ID || d[0].IDNumber != PersonAID {
			t.Errorf("unmatched = %+v", d)
		}
		if d := got[healthcell.DiffNames]; len(d) != 1 || len(d[0].Places) != 2 || d[0].IDNumber != w.pA2.IDNumber {
			t.Errorf("names = %+v", d)
		} else if d[0].Places[0].Name != "李四" || d[0].Places[1].Name != "李思" {
			t.Errorf("names places = %+v", d[0].Places)
		}
		if d := got[healthcell.DiffTwoHouseholds]; len(d) != 1 || len(d[0].Places) != 3 {
			t.Errorf("two households = %+v", d)
		}
		if d := got[healthcell.DiffVillage]; len(d) != 1 || d[0].PersonID != w.pC.ID || d[0].Division != sqltest.Village ||
			d[0].Places[1].Village != VillageT2 || d[0].Places[1].VillageName == "" {
			t.Errorf("village = %+v", d)
		}

		// Scope: a village officer sees its village's; a viewer none.
		if got := differences(t, db, ctxVillageB, healthcell.ReconcileFilter{}); len(got[healthcell.DiffNames]) != 0 || len(got[healthcell.DiffUnmatched]) != 0 {
			t.Errorf("village B sees %v", got)
		}
		_, err := db.Reconcile(ctxViewer, healthcell.ReconcileFilter{})
		wantCode(t, err, healthcell.EFORBIDDEN)
		_, err = db.Reconcile(ctxTownship, healthcell.ReconcileFilter{Division: sqltest.Township2})
		wantCode(t, err, healthcell.ENOTFOUND)

		// Resolving: a note is required, a stale fingerprint is a conflict.
		names := got[healthcell.DiffNames][0]
		wantInvalid(t, db.ResolveDifference(ctxCounty, names.Key, names.Fingerprint, " "), "note")
		wantCode(t, db.ResolveDifference(ctxCounty, names.Key, "old", "已核实"), healthcell.ECONFLICT)
		wantCode(t, db.ResolveDifference(ctxCounty, "names:nope", "x", "已核实"), healthcell.ENOTFOUND)
		wantCode(t, db.ResolveDifference(ctxVillageB, names.Key, names.Fingerprint, "已核实"), healthcell.ENOTFOUND)
		wantCode(t, db.ResolveDifference(ctxCounty, names.Key, names.Fingerprint, "身份证上为李思，体检表笔误"), "")
		if got := differences(t, db, ctxCounty, healthcell.ReconcileFilter{}); len(got[healthcell.DiffNames]) != 0 {
			t.Errorf("resolved difference still listed")
		}
		all := differences(t, db, ctxCounty, healthcell.ReconcileFilter{Resolved: true})
		if d := all[healthcell.DiffNames]; len(d) != 1 || !d[0].Resolved || d[0].Note == "" || d[0].ResolvedBy != "county" {
			t.Errorf("with resolved: %+v", d)
		}
		// ...until the data change again.
		update(w.pA2, func(p *healthcell.Person) { p.Name = "李斯" })
		if d := differences(t, db, ctxCounty, healthcell.ReconcileFilter{})[healthcell.DiffNames]; len(d) != 1 || d[0].Resolved {
			t.Errorf("after another change: %+v", d)
		}
	})
}
