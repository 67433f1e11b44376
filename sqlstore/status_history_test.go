package sqlstore_test

import (
	"context"
	"strings"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// spans returns how many history spans a person has and its since (one of
// the days this test uses, else "").
func spans(t *testing.T, db *sqlstore.DB, personID int64) (n int, since string) {
	t.Helper()
	n, err := db.CountRowsForTest(context.Background(), `SELECT COUNT(*) FROM person_history WHERE person_id = $1`, personID)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"", "2025-01-01", "2025-03-01", "2025-06-15"} {
		if k, err := db.CountRowsForTest(context.Background(), `SELECT COUNT(*) FROM persons WHERE id = $1 AND since = $2`, personID, d); err != nil {
			t.Fatal(err)
		} else if k == 1 {
			since = d
		}
	}
	return n, since
}

// TestStatusHistoryWritePaths: every path that writes a person's village,
// household or status ends the span it replaces, once per day; name or
// birth-date corrections do not; a bulk load gives the dead it loads their
// span before their death, and an import with --update the span of a
// resident it moves.
func TestStatusHistoryWritePaths(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		sqltest.LoadDivisions(t, db)
		h1 := sqltest.Household(t, db, sqltest.Village, "S1")
		h2 := sqltest.Household(t, db, sqltest.Village2, "S2")
		p := &healthcell.Person{HouseholdID: h1.ID, Name: "史一", BirthDate: "1970-01-01", Sex: "M", Relation: "户主", Resident: true, Registered: true}
		if err := db.CreatePerson(sqltest.System(), p); err != nil {
			t.Fatal(err)
		}
		check := func(what string, id int64, wantN int, wantSince string) {
			t.Helper()
			if n, since := spans(t, db, id); n != wantN || since != wantSince {
				t.Errorf("%s: %d spans since %q, want %d since %q", what, n, since, wantN, wantSince)
			}
		}
		check("created", p.ID, 0, "")
		p.Name = "史壹" // a correction
		if err := db.UpdatePerson(sqltest.System(), p); err != nil {
			t.Fatal(err)
		}
		check("renamed", p.ID, 0, "")
		p.HouseholdID, p.Relation = h2.ID, "其他" // a move, today (2025-06-15)
		if err := db.UpdatePerson(sqltest.System(), p); err != nil {
			t.Fatal(err)
		}
		check("moved", p.ID, 1, "2025-06-15")
		p.Resident = false // the same day: replaces today's state
		if err := db.UpdatePerson(sqltest.System(), p); err != nil {
			t.Fatal(err)
		}
		check("flag the same day", p.ID, 1, "2025-06-15")
		if n, err := db.CountRowsForTest(context.Background(), `SELECT COUNT(*) FROM person_history WHERE person_id = $1 AND village_code = $2
			AND valid_from = '' AND valid_to = '2025-06-15' AND resident AND relation = '户主'`, p.ID, sqltest.Village); err != nil || n != 1 {
			t.Errorf("the span before the move: %d %v", n, err)
		}

		// The spans as the person page shows them; out of scope they do not exist.
		got, err := db.PersonSpans(ctxCounty, p.ID)
		if err != nil || len(got) != 2 || got[0].From != "" || got[0].To != "2025-06-15" || got[0].VillageCode != sqltest.Village ||
			got[0].VillageName == "" || !got[0].Resident || got[1].From != "2025-06-15" || got[1].To != "" ||
			got[1].VillageCode != sqltest.Village2 || got[1].Resident || got[1].Status != healthcell.StatusActive {
			t.Errorf("spans = %+v, %v", got, err)
		}
		_, err = db.PersonSpans(ctxVillageA, p.ID)
		wantCode(t, err, healthcell.ENOTFOUND)

		// A move whose day is given ends the span on that day; a day after
		// today or before the current state began is refused, nothing stored.
		q := &healthcell.Person{HouseholdID: h1.ID, Name: "史六", BirthDate: "1975-01-01", Sex: "F", Relation: "女", Resident: true, Registered: true}
		if err := db.CreatePerson(sqltest.System(), q); err != nil {
			t.Fatal(err)
		}
		for _, bad := range []string{"2025-06-16", "2025-13-01"} {
			c := *q
			c.HouseholdID, c.Since = h2.ID, bad
			err := db.UpdatePerson(sqltest.System(), &c)
			wantInvalid(t, err, "since")
		}
		check("refused", q.ID, 0, "")
		q.HouseholdID, q.Since = h2.ID, "2025-03-01"
		if err := db.UpdatePerson(sqltest.System(), q); err != nil {
			t.Fatal(err)
		}
		check("moved on a given day", q.ID, 1, "2025-03-01")
		if q.Since != "2025-03-01" {
			t.Errorf("since = %q", q.Since)
		}
		q.Resident, q.Since = false, "2025-01-01" // before the move
		wantInvalid(t, db.UpdatePerson(sqltest.System(), q), "since")

		// A death dated before today ends the span on that day.
		d := &healthcell.Person{HouseholdID: h1.ID, Name: "史二", BirthDate: "1940-01-01", Sex: "F", Relation: "配偶", Resident: true, Registered: true}
		if err := db.CreatePerson(sqltest.System(), d); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SetPersonStatus(sqltest.System(), d.ID, d.Version, healthcell.StatusDeceased, "2025-03-01"); err != nil {
			t.Fatal(err)
		}
		check("died", d.ID, 1, "2025-03-01")

		// A household moving to another village moves its members' spans.
		m := &healthcell.Person{HouseholdID: h1.ID, Name: "史三", BirthDate: "1980-01-01", Sex: "M", Relation: "子", Resident: true, Registered: true}
		if err := db.CreatePerson(sqltest.System(), m); err != nil {
			t.Fatal(err)
		}
		hh, err := db.FindHousehold(sqltest.System(), h1.ID)
		if err != nil {
			t.Fatal(err)
		}
		hh.VillageCode = VillageT2
		if err := db.UpdateHousehold(sqltest.System(), hh); err != nil {
			t.Fatal(err)
		}
		check("household moved", m.ID, 1, "2025-06-15")
		if n, err := db.CountRowsForTest(context.Background(), `SELECT COUNT(*) FROM household_history WHERE household_id = $1
			AND village_code = $2 AND valid_to = '2025-06-15'`, h1.ID, sqltest.Village); err != nil || n != 1 {
			t.Errorf("household span: %d %v", n, err)
		}

		// A bulk load of a person who died on 2025-01-01.
		lh := &healthcell.Household{Number: "L1", VillageCode: sqltest.Village}
		dead := &healthcell.Person{Name: "史四", BirthDate: "1930-01-01", Sex: "M", Relation: "户主", Resident: true, Registered: true,
			Status: healthcell.StatusDeceased, StatusDate: "2025-01-01"}
		alive := &healthcell.Person{Name: "史五", BirthDate: "1960-01-01", Sex: "F", Relation: "配偶", Resident: true, Registered: true}
		if _, _, err := db.LoadPopulation(sqltest.System(), func(emit func(*healthcell.Household, []*healthcell.Person) error) error {
			return emit(lh, []*healthcell.Person{dead, alive})
		}); err != nil {
			t.Fatal(err)
		}
		check("loaded dead", dead.ID, 1, "2025-01-01")
		check("loaded alive", alive.ID, 0, "")

		// An import with --update moving a resident to another household.
		moved := *alive
		moved.VillageCode = sqltest.Village2
		if _, err := db.ImportResidents(sqltest.System(), false, func(known healthcell.ResidentLookup, emit func(*healthcell.ImportedResident) error) error {
			return emit(&healthcell.ImportedResident{Row: 2, Person: moved, Household: "S9", Existing: alive.ID})
		}); err != nil {
			t.Fatal(err)
		}
		check("imported move", alive.ID, 1, "2025-06-15")

		// The histories chain; a broken one is reported by Check.
		if r, err := db.Check(context.Background()); err != nil || len(r.Problems) != 0 {
			t.Fatalf("check: %v %v", err, r)
		}
		if err := db.ExecForTest(context.Background(), `UPDATE persons SET since = '2025-07-01' WHERE id = $1`, d.ID); err != nil {
			t.Fatal(err)
		}
		r, err := db.Check(context.Background())
		if err != nil || len(r.Problems) != 1 || !strings.Contains(r.Problems[0], "status history does not end") {
			t.Errorf("check after breaking a history: %v %v", err, r)
		}
	})
}
