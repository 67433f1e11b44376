package sqlstore_test

import (
	"context"
	"strings"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestFindAuditMasked: the audit of register entries (a person register's
// and a household register's, created and changed), of changed persons and
// of resolved reconciliation differences (whose keys are built from ID
// numbers and birth dates) shows a masked role — viewer, evaluator,
// department, in the county or a township — no full ID number and no birth
// date anywhere in the entry: not in its snapshots, not in its entity id.
// Nor can such a role find a difference's audit by its unmasked key. The
// county office, which sees personal data, does see and find them, so the
// check can fail.
func TestFindAuditMasked(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db)
		// A check-up of 李四, changed; then 李四 renamed (a names difference).
		e, err := db.CreateEntry(ctxCounty, checkup(w.pA2, "2025-03-02"))
		if err != nil {
			t.Fatal(err)
		}
		in := checkup(w.pA2, "2025-03-02")
		in.Version, in.Fields["summary"] = e.Version, "血压偏高"
		if _, err := db.UpdateEntry(ctxCounty, e.ID, in); err != nil {
			t.Fatal(err)
		}
		p := mustPerson(t, db, w.pA2.ID)
		p.Name, p.Phone = "李思", "13912345678"
		wantCode(t, db.UpdatePerson(ctxCounty, p), "")
		// A household register's entry.
		if _, err := db.CreateEntry(ctxCounty, healthcell.EntryInput{Register: "sanitation", HouseholdID: w.hA.ID,
			Fields: map[string]string{"toilet": "sanitary", "tap_water": "true", "checked_date": "2025-03-02"}}); err != nil {
			t.Fatal(err)
		}
		// 王五 again, without an ID number, in two other households (a two-households difference).
		var persons []*healthcell.Person
		for _, h := range []*healthcell.Household{w.hB, w.hA2} {
			twin := &healthcell.Person{HouseholdID: h.ID, Name: "王五", Sex: w.pB.Sex, BirthDate: w.pB.BirthDate, Relation: "其他", Registered: true, Resident: true}
			wantCode(t, db.CreatePerson(ctxCounty, twin), "")
			persons = append(persons, twin)
		}
		got := differences(t, db, ctxCounty, healthcell.ReconcileFilter{})
		for _, kind := range []string{healthcell.DiffNames, healthcell.DiffTwoHouseholds} {
			if len(got[kind]) != 1 {
				t.Fatalf("%s differences: %+v", kind, got[kind])
			}
			d := got[kind][0]
			wantCode(t, db.ResolveDifference(ctxCounty, d.Key, d.Fingerprint, "已核实"), "")
		}
		for _, p := range []*healthcell.Person{w.pA, w.pA2, w.pB, w.pC} {
			persons = append(persons, mustPerson(t, db, p.ID))
		}
		// secrets are the full ID numbers and birth dates (as stored and as
		// digits) of every resident.
		var secrets []string
		for _, p := range persons {
			if p.IDNumber != "" {
				secrets = append(secrets, p.IDNumber)
			}
			secrets = append(secrets, p.BirthDate, strings.ReplaceAll(p.BirthDate, "-", ""))
		}
		leaks := func(ctx context.Context, f healthcell.AuditFilter) (n int, leaked []string) {
			t.Helper()
			f.Limit = 500
			es, _, err := db.FindAudit(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range es {
				text := e.EntityID + " " + e.Before + " " + e.After
				for _, s := range secrets {
					if strings.Contains(text, s) {
						leaked = append(leaked, e.Action+" "+e.Entity+" "+e.EntityID+": "+s)
					}
				}
			}
			return len(es), leaked
		}
		entities := []string{"register.checkups", "register.sanitation", "person", "reconcile"}
		for _, key := range []string{got[healthcell.DiffNames][0].Key, got[healthcell.DiffTwoHouseholds][0].Key} {
			if n, _ := leaks(ctxCounty, healthcell.AuditFilter{Entity: "reconcile", EntityID: key}); n != 1 {
				t.Errorf("county finds %d audit entries of %q, want 1", n, key)
			}
		}
		for _, entity := range entities {
			n, leaked := leaks(ctxCounty, healthcell.AuditFilter{Entity: entity})
			if n == 0 {
				t.Errorf("county reads no %s audit: the test reads nothing", entity)
			}
			if (entity == "person" || entity == "reconcile") && len(leaked) == 0 {
				t.Errorf("county sees no personal data in the %s audit: the test cannot fail", entity)
			}
		}
		masked := map[string]context.Context{
			"viewer": ctxViewer, "evaluator": ctxEvaluator, "department": ctxDept,
			"township viewer": sqltest.As("tviewer", healthcell.RoleViewer, sqltest.Township),
		}
		keys := []string{got[healthcell.DiffNames][0].Key, got[healthcell.DiffTwoHouseholds][0].Key}
		for name, ctx := range masked {
			// Finding an entry by its unmasked key would tell the key.
			for _, key := range keys {
				for _, entity := range []string{"reconcile", ""} {
					if n, _ := leaks(ctx, healthcell.AuditFilter{Entity: entity, EntityID: key}); n != 0 {
						t.Errorf("%s finds the audit of %q by its key", name, key)
					}
				}
			}
			for _, entity := range append(entities, "") {
				n, leaked := leaks(ctx, healthcell.AuditFilter{Entity: entity})
				if entity == "person" && n == 0 {
					t.Errorf("%s reads no person audit: the test reads nothing", name)
				}
				for _, l := range leaked {
					t.Errorf("%s, audit of %q: %s shown", name, entity, l)
				}
			}
		}
	})
}
