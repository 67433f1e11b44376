package sqlstore_test

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestIDNumberClaim: a village officer who enters a resident with a number
// that a resident of another township holds gets exactly the answer a
// number nobody has gets — the person is stored and reads back with the
// number typed — while the county office finds the two records as one
// DiffIDClaim in reconciliation and the townships do not. Register entries
// of the claimed number go to the claimant in its own village; once the
// other record's number is corrected, saving the claimant makes the number
// its own and the difference goes away.
func TestIDNumberClaim(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		sqltest.LoadDivisions(t, db)
		hA := sqltest.Household(t, db, sqltest.Village, "A-001")
		hC := sqltest.Household(t, db, "510824102001", "C-001")
		holder := sqltest.Person(t, db, hC, "赵六", sqltest.ID(t, "1975-07-08", 9), "户主")
		nobody := sqltest.ID(t, "1975-07-08", 11)
		officer := healthcell.WithActor(context.Background(), &healthcell.Actor{UserID: 7, Username: "v7", Role: healthcell.RoleVillage, Scope: sqltest.Village})
		county := healthcell.WithActor(context.Background(), &healthcell.Actor{UserID: 8, Username: "county", Role: healthcell.RoleCountyAdmin, Scope: sqltest.County})
		townshipOf := func(scope string) context.Context {
			return healthcell.WithActor(context.Background(), &healthcell.Actor{UserID: 9, Username: "t9", Role: healthcell.RoleTownship, Scope: scope})
		}

		// The two answers, and what reads back, differ only in the ID.
		shown := func(id string) healthcell.Person {
			p := &healthcell.Person{HouseholdID: hA.ID, Name: "赵小六", IDNumber: id, Relation: "子", Phone: "13812345678"}
			if err := db.CreatePerson(officer, p); err != nil {
				t.Fatalf("create with %s: %v", id, err)
			}
			if p.IDNumber != id {
				t.Errorf("answered ID %q, typed %q", p.IDNumber, id)
			}
			got, err := db.FindPerson(officer, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			found, n, err := db.FindPersons(officer, healthcell.PersonFilter{Query: id})
			if err != nil || n != 1 || found[0].ID != p.ID {
				t.Errorf("search by %s: %d found, %v", id, n, err)
			}
			v := *got
			v.ID, v.IDNumber, v.BirthDate, v.Sex, v.CreatedAt, v.UpdatedAt, v.Since = 0, "", "", "", v.CreatedAt.Truncate(0), v.UpdatedAt.Truncate(0), ""
			if got.IDNumber != id {
				t.Errorf("reads back %q, typed %q", got.IDNumber, id)
			}
			return v
		}
		claimed, free := shown(holder.IDNumber), shown(nobody)
		claimed.CreatedAt, claimed.UpdatedAt = free.CreatedAt, free.UpdatedAt
		if !reflect.DeepEqual(claimed, free) {
			t.Errorf("a number held elsewhere reads\n%+v\na free one\n%+v", claimed, free)
		}
		claimant, _, err := db.FindPersons(officer, healthcell.PersonFilter{Query: holder.IDNumber})
		if err != nil || len(claimant) != 1 {
			t.Fatalf("claimant: %v %v", claimant, err)
		}

		// Saving the claimant again (a new phone) keeps the claim and asks
		// nothing of the budget.
		c := claimant[0]
		c.Phone = "13900001111"
		if err := db.UpdatePerson(officer, c); err != nil {
			t.Fatalf("update the claimant: %v", err)
		}

		// Only the county office sees the claim, with both records.
		diffs := func(ctx context.Context) []*healthcell.Difference {
			ds, err := db.Reconcile(ctx, healthcell.ReconcileFilter{Kind: healthcell.DiffIDClaim})
			if err != nil {
				t.Fatalf("reconcile: %v", err)
			}
			return ds
		}
		ds := diffs(county)
		if len(ds) != 1 {
			t.Fatalf("county office: %d claims, want 1: %+v", len(ds), ds)
		}
		d := ds[0]
		var places []string
		for _, p := range d.Places {
			places = append(places, fmt.Sprintf("%s %s %d", p.Source, p.Village, p.PersonID))
		}
		want := []string{fmt.Sprintf("residents 510824102001 %d", holder.ID), fmt.Sprintf("id_claim %s %d", sqltest.Village, c.ID)}
		if d.IDNumber != holder.IDNumber || d.Division != sqltest.Village || d.PersonID != c.ID || !reflect.DeepEqual(places, want) {
			t.Errorf("claim %s %s %d %v, want %s %s %d %v", d.IDNumber, d.Division, d.PersonID, places, holder.IDNumber, sqltest.Village, c.ID, want)
		}
		for _, scope := range []string{sqltest.Township, "510824102000"} {
			if got := diffs(townshipOf(scope)); len(got) != 0 {
				t.Errorf("township %s sees the claim: %+v", scope, got)
			}
		}
		if all, err := db.Reconcile(townshipOf(sqltest.Township), healthcell.ReconcileFilter{}); err != nil {
			t.Fatal(err)
		} else {
			for _, d := range all {
				if d.IDNumber == holder.IDNumber {
					t.Errorf("township %s sees the number in %s", sqltest.Township, d.Kind)
				}
			}
		}
		if err := db.ResolveDifference(county, d.Key, d.Fingerprint, "已电话核实，另一户为误录"); err != nil {
			t.Errorf("resolve: %v", err)
		}

		// A register entry of the claimed number, imported in the
		// claimant's village, is the claimant's.
		row := []healthcell.EntryRow{{Row: 2, IDNumber: holder.IDNumber, Fields: map[string]string{"year": "2025", "scheme": "resident"}}}
		if n, _, err := db.ImportEntries(officer, "insurance", row, false); err != nil || n != 1 {
			t.Fatalf("entry of the claimed number: %d %v", n, err)
		}
		es, _, err := db.FindEntries(officer, healthcell.EntryFilter{Register: "insurance"})
		if err != nil || len(es) != 1 || es[0].PersonID != c.ID {
			t.Errorf("the entry: %+v %v, want the claimant %d", es, err, c.ID)
		}

		// Another claimant in the same village sees the first: taken.
		err = db.CreatePerson(officer, &healthcell.Person{HouseholdID: hA.ID, Name: "赵小六", IDNumber: holder.IDNumber, Relation: "子"})
		if fe := healthcell.ErrorFields(err); len(fe) != 1 || fe[0].Message != "person.id_number.taken" {
			t.Errorf("a second claim in the claimant's village: %v", err)
		}

		// The county corrects the other record: the claim stays listed
		// (resolved, as its data changed: listed again) until the
		// claimant is saved, which makes the number its own.
		h, err := db.FindPerson(county, holder.ID)
		if err != nil {
			t.Fatal(err)
		}
		h.IDNumber = sqltest.ID(t, "1975-07-08", 13)
		if err := db.UpdatePerson(county, h); err != nil {
			t.Fatalf("correct the holder: %v", err)
		}
		if ds := diffs(county); len(ds) != 1 || len(ds[0].Places) != 1 || ds[0].Resolved {
			t.Errorf("after the correction: %+v", ds)
		}
		c, err = db.FindPerson(officer, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.UpdatePerson(officer, c); err != nil {
			t.Fatalf("save the claimant: %v", err)
		}
		if ds := diffs(county); len(ds) != 0 {
			t.Errorf("after saving the claimant: %+v", ds)
		}
		err = db.CreatePerson(county, &healthcell.Person{HouseholdID: hC.ID, Name: "赵六", IDNumber: holder.IDNumber, Relation: "子"})
		if fe := healthcell.ErrorFields(err); len(fe) != 1 || fe[0].Message != "person.id_number.taken" {
			t.Errorf("the number is the claimant's now: %v", err)
		}

		// A resident import: the corrected holder's new number is another
		// township's, so the row is stored as a claim; the claimant's
		// number is the importer's own (positive id).
		feed := func(known healthcell.ResidentLookup, emit func(*healthcell.ImportedResident) error) error {
			if id, ok := known.PersonID(holder.IDNumber); !ok || id != c.ID {
				t.Errorf("the claimant's number: %d %v, want %d", id, ok, c.ID)
			}
			id, ok := known.PersonID(h.IDNumber)
			if !ok || id >= 0 {
				t.Errorf("another township's number: %d %v", id, ok)
			}
			return emit(&healthcell.ImportedResident{Row: 2, Household: "A-002", Claim: true,
				Person: healthcell.Person{VillageCode: sqltest.Village, Name: "赵六", IDNumber: h.IDNumber, Sex: "M", BirthDate: "1975-07-08", Relation: "户主", Registered: true, Resident: true}})
		}
		if n, err := db.ImportResidents(officer, false, feed); err != nil || n.Persons != 1 {
			t.Fatalf("resident import of another township's number: %+v %v", n, err)
		}
		ds = diffs(county)
		if len(ds) != 1 || ds[0].IDNumber != h.IDNumber || len(ds[0].Places) != 2 || ds[0].Places[1].Source != healthcell.DiffIDClaim {
			t.Errorf("the imported claim: %+v", ds)
		}
	})
}

// TestIDNumberClaimBudget: creating a person with a number outside the
// caller's sight and with a number nobody has cost the same lookup, and
// once the budget is spent both are refused alike.
func TestIDNumberClaimBudget(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		sqltest.LoadDivisions(t, db)
		hA := sqltest.Household(t, db, sqltest.Village, "A-001")
		hC := sqltest.Household(t, db, "510824102001", "C-001")
		holder := sqltest.Person(t, db, hC, "赵六", sqltest.ID(t, "1975-07-08", 9), "户主")
		officer := healthcell.WithActor(context.Background(), &healthcell.Actor{UserID: 7, Username: "v7", Role: healthcell.RoleVillage, Scope: sqltest.Village})
		create := func(id string) error {
			return db.CreatePerson(officer, &healthcell.Person{HouseholdID: hA.ID, Name: "张小", IDNumber: id, Relation: "子"})
		}
		// 199 free numbers, then the holder's: the 200th lookup.
		for i := range 199 {
			if err := create(sqltest.ID(t, "1990-06-07", 10+i)); err != nil {
				t.Fatalf("new number %d: %v", i, err)
			}
		}
		if err := create(holder.IDNumber); err != nil {
			t.Fatalf("the 200th lookup: %v", err)
		}
		// Spent: a free number and another resident's are refused alike.
		other := sqltest.Person(t, db, hC, "赵七", sqltest.ID(t, "1976-01-02", 9), "子")
		for _, id := range []string{sqltest.ID(t, "1991-01-01", 5), other.IDNumber} {
			err := create(id)
			if healthcell.ErrorCode(err) != healthcell.ETHROTTLED || healthcell.ErrorMessage(err) != "lookup.throttled" || healthcell.ErrorFields(err) != nil {
				t.Errorf("after the budget, %s: %v", id, err)
			}
		}
	})
}

// TestIDNumberClaimOnUpdate: changing an existing resident's number to one
// a resident of another township holds answers exactly like changing it to
// a number nobody has (same birth date and sex): no error, the same record
// answered, read back, found by the number and written to the audit log, but
// for the number itself.
func TestIDNumberClaimOnUpdate(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		sqltest.LoadDivisions(t, db)
		hA := sqltest.Household(t, db, sqltest.Village, "A-001")
		hC := sqltest.Household(t, db, "510824102001", "C-001")
		holder := sqltest.Person(t, db, hC, "赵六", sqltest.ID(t, "1975-07-08", 9), "户主")
		nobody := sqltest.ID(t, "1975-07-08", 11) // same birth date, same sex
		officer := healthcell.WithActor(context.Background(), &healthcell.Actor{UserID: 7, Username: "v7", Role: healthcell.RoleVillage, Scope: sqltest.Village})

		// normal is a person as JSON without what differs between two
		// records anyway (id, times), the number typed shown as <number>
		// and the one it replaced as <old>.
		normal := func(v any, typed, old string) string {
			t.Helper()
			snapshot, isSnapshot := v.(string) // an audit snapshot is JSON already
			if !isSnapshot {
				b, err := json.Marshal(v)
				if err != nil {
					t.Fatal(err)
				}
				snapshot = string(b)
			}
			if snapshot == "" {
				return ""
			}
			var m map[string]any
			if err := json.Unmarshal([]byte(snapshot), &m); err != nil {
				t.Fatalf("not a JSON object: %s", snapshot)
			}
			delete(m, "id")
			delete(m, "created_at")
			delete(m, "updated_at")
			switch m["id_number"] {
			case typed:
				m["id_number"] = "<number>"
			case old:
				m["id_number"] = "<old>"
			}
			b, _ := json.Marshal(m)
			return string(b)
		}
		// change gives a resident of the village the number id and returns
		// everything the officer is then shown about it.
		change := func(seq int, id string) map[string]any {
			t.Helper()
			p := sqltest.Person(t, db, hA, "赵小六", sqltest.ID(t, "1980-01-01", seq), "子")
			cur, err := db.FindPerson(officer, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			cur.IDNumber, cur.BirthDate, cur.Sex = id, "", ""
			err = db.UpdatePerson(officer, cur)
			got, ferr := db.FindPerson(officer, p.ID)
			if ferr != nil {
				t.Fatal(ferr)
			}
			found, n, ferr := db.FindPersons(officer, healthcell.PersonFilter{Query: id})
			if ferr != nil {
				t.Fatal(ferr)
			}
			es, _, ferr := db.FindAudit(officer, healthcell.AuditFilter{Entity: "person", EntityID: fmt.Sprint(p.ID), Limit: 1})
			if ferr != nil || len(es) != 1 {
				t.Fatalf("audit: %v %v", es, ferr)
			}
			return map[string]any{
				"error":    fmt.Sprint(err),
				"answered": normal(cur, id, p.IDNumber), "read": normal(got, id, p.IDNumber),
				"found":  n == 1 && found[0].ID == p.ID,
				"audit":  es[0].Action + " " + normal(es[0].Before, id, p.IDNumber) + " → " + normal(es[0].After, id, p.IDNumber),
				"number": got.IDNumber == id,
			}
		}
		held, free := change(20, holder.IDNumber), change(22, nobody)
		for k := range free {
			if fmt.Sprint(held[k]) != fmt.Sprint(free[k]) {
				t.Errorf("%s: a number held elsewhere gives\n%v\na free one\n%v", k, held[k], free[k])
			}
		}
		// The held number is stored as a claim, which the county office sees.
		county := healthcell.WithActor(context.Background(), &healthcell.Actor{UserID: 8, Username: "county", Role: healthcell.RoleCountyAdmin, Scope: sqltest.County})
		if ds, err := db.Reconcile(county, healthcell.ReconcileFilter{Kind: healthcell.DiffIDClaim}); err != nil || len(ds) != 1 || ds[0].IDNumber != holder.IDNumber {
			t.Errorf("claims: %+v %v", ds, err)
		}
		if free["error"] != "<nil>" || free["found"] != true || free["number"] != true || !strings.HasPrefix(free["audit"].(string), "update ") {
			t.Errorf("a free number: %v", free)
		}
	})
}
