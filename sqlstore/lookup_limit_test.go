package sqlstore_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestIDNumberOracle checks that a resident outside the caller's scope looks
// exactly like a number nobody has — in a register import (dry run or not)
// and when creating a person (TestIDNumberClaim) — and that an account
// testing numbers in bulk is stopped with ETHROTTLED.
func TestIDNumberOracle(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		sqltest.LoadDivisions(t, db)
		hA := sqltest.Household(t, db, sqltest.Village, "A-001")
		hB := sqltest.Household(t, db, sqltest.Village2, "B-001")
		mine := sqltest.Person(t, db, hA, "张三", sqltest.ID(t, "1960-01-02", 3), "户主")
		other := sqltest.Person(t, db, hB, "王五", sqltest.ID(t, "1970-03-04", 5), "户主")
		nobody := sqltest.ID(t, "1980-05-06", 7)
		ctx := func(id int64) context.Context {
			return healthcell.WithActor(context.Background(), &healthcell.Actor{UserID: id, Username: fmt.Sprint("v", id), Role: healthcell.RoleVillage, Scope: sqltest.Village})
		}
		row := func(id string) []healthcell.EntryRow {
			return []healthcell.EntryRow{{Row: 2, IDNumber: id, Fields: map[string]string{"year": "2025", "scheme": "resident"}}}
		}
		answer := func(err error) string {
			fe := healthcell.ErrorFields(err)
			if len(fe) != 1 {
				return fmt.Sprintf("%v", err)
			}
			return fe[0].Field + " " + fe[0].Message
		}
		for _, dry := range []bool{true, false} {
			_, _, errOther := db.ImportEntries(ctx(1), "insurance", row(other.IDNumber), dry)
			_, _, errNobody := db.ImportEntries(ctx(1), "insurance", row(nobody), dry)
			if answer(errOther) != answer(errNobody) || answer(errNobody) != "id_number import.entry.unknown_person" {
				t.Errorf("dry run %v: another village's resident %q, nobody's number %q", dry, answer(errOther), answer(errNobody))
			}
		}
		if _, _, err := db.ImportEntries(ctx(1), "insurance", row(mine.IDNumber), true); err != nil {
			t.Errorf("own resident: %v", err)
		}

		// Creating a person: taken in the caller's village names the fact;
		// taken elsewhere answers as a free number does (person_idclaim.go).
		create := func(id string) error {
			return db.CreatePerson(ctx(2), &healthcell.Person{HouseholdID: hA.ID, Name: "张小", IDNumber: id, Relation: "子"})
		}
		if got := answer(create(mine.IDNumber)); got != "id_number person.id_number.taken" {
			t.Errorf("own village's number: %s", got)
		}
		if err := create(other.IDNumber); err != nil {
			t.Errorf("another village's number: %v", err)
		}

		// Bulk testing: one file of 201 misses is refused whole, as are
		// further lookups of that account; another account is not affected.
		var many []healthcell.EntryRow
		for i := 0; i < 201; i++ {
			many = append(many, healthcell.EntryRow{Row: i + 2, IDNumber: sqltest.ID(t, "1950-01-01", 100+i), Fields: map[string]string{"year": "2025", "scheme": "resident"}})
		}
		_, _, err := db.ImportEntries(ctx(3), "insurance", many, true)
		if healthcell.ErrorCode(err) != healthcell.ETHROTTLED || healthcell.ErrorMessage(err) != "lookup.throttled" {
			t.Fatalf("201 misses: %v", err)
		}
		if _, _, err := db.ImportEntries(ctx(3), "insurance", row(nobody), true); healthcell.ErrorCode(err) != healthcell.ETHROTTLED {
			t.Errorf("after the budget is spent: %v", err)
		}
		if _, _, err := db.ImportEntries(ctx(3), "insurance", row(mine.IDNumber), true); err != nil {
			t.Errorf("a hit is still answered: %v", err)
		}
		if _, _, err := db.ImportEntries(ctx(4), "insurance", row(nobody), true); healthcell.ErrorCode(err) != healthcell.EINVALID {
			t.Errorf("another account: %v", err)
		}
		// Creating persons: every new number not among the caller's counts,
		// taken elsewhere or not, so that even the refusal says nothing.
		for i := 0; i < 250; i++ {
			if err := create(sqltest.ID(t, "1990-06-07", 10+i)); healthcell.ErrorCode(err) == healthcell.ETHROTTLED {
				return
			}
		}
		t.Errorf("creating persons with new numbers is never throttled")
	})
}
