package sqlstore_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestIDNumberLookupGlobalBudget: many accounts, each within its own
// budget, cannot together test numbers in bulk: the process's budget
// (ten accounts' worth) stops further misses of every account, whether
// from a register import or from creating a person, with the same
// ETHROTTLED answer; numbers the caller may see are still answered, and the
// county office, which sees the whole county, keeps working.
func TestIDNumberLookupGlobalBudget(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		sqltest.LoadDivisions(t, db)
		hA := sqltest.Household(t, db, sqltest.Village, "A-001")
		hB := sqltest.Household(t, db, sqltest.Village2, "B-001")
		hC := sqltest.Household(t, db, "510824102001", "C-001")
		mine := sqltest.Person(t, db, hA, "张三", sqltest.ID(t, "1960-01-02", 3), "户主")
		sameTownship := sqltest.Person(t, db, hB, "王五", sqltest.ID(t, "1970-03-04", 5), "户主")
		otherTownship := sqltest.Person(t, db, hC, "赵六", sqltest.ID(t, "1975-07-08", 9), "户主")
		village := func(id int64) context.Context {
			return healthcell.WithActor(context.Background(), &healthcell.Actor{UserID: id, Username: fmt.Sprint("v", id), Role: healthcell.RoleVillage, Scope: sqltest.Village})
		}
		county := healthcell.WithActor(context.Background(), &healthcell.Actor{UserID: 99, Username: "county", Role: healthcell.RoleCountyAdmin, Scope: sqltest.County})
		misses := func(account, n int) []healthcell.EntryRow {
			var rows []healthcell.EntryRow
			for i := range n {
				rows = append(rows, healthcell.EntryRow{Row: i + 2, IDNumber: sqltest.ID(t, fmt.Sprintf("1950-%02d-01", 1+account%12), 100+i+account/12*200),
					Fields: map[string]string{"year": "2025", "scheme": "resident"}})
			}
			return rows
		}
		create := func(ctx context.Context, id string) error {
			return db.CreatePerson(ctx, &healthcell.Person{HouseholdID: hA.ID, Name: "张小", IDNumber: id, Relation: "子"})
		}
		answer := func(err error) string {
			if fe := healthcell.ErrorFields(err); len(fe) == 1 {
				return fe[0].Field + " " + fe[0].Message
			}
			return fmt.Sprint(healthcell.ErrorCode(err), " ", healthcell.ErrorMessage(err))
		}

		// Another village's number answers the same wherever the record
		// is, as a number nobody has does: the person is stored, the
		// number as a claim.
		if err := create(village(1), sameTownship.IDNumber); err != nil {
			t.Errorf("same township: %v", err)
		}
		if err := create(village(1), otherTownship.IDNumber); err != nil {
			t.Errorf("other township: %v", err)
		}

		// Ten accounts spend 199 misses each, within their own budgets
		// (the two above were account 1's).
		for acct := 2; acct < 12; acct++ {
			_, _, err := db.ImportEntries(village(int64(acct)), "insurance", misses(acct, 199), true)
			if healthcell.ErrorCode(err) != healthcell.EINVALID {
				t.Fatalf("account %d: %v", acct, err)
			}
		}
		// 1992 of 2000 are spent: a fresh account's eight still pass, its
		// ninth does not, neither from an import nor from a new person.
		if _, _, err := db.ImportEntries(village(20), "insurance", misses(20, 8), true); healthcell.ErrorCode(err) != healthcell.EINVALID {
			t.Fatalf("the last misses of the process: %v", err)
		}
		_, _, err := db.ImportEntries(village(21), "insurance", misses(21, 1), true)
		if healthcell.ErrorCode(err) != healthcell.ETHROTTLED || healthcell.ErrorMessage(err) != "lookup.throttled" {
			t.Errorf("a fresh account after the process's budget: %v", err)
		}
		if err := create(village(22), sqltest.ID(t, "1991-02-03", 7)); healthcell.ErrorCode(err) != healthcell.ETHROTTLED {
			t.Errorf("creating a person after the process's budget: %v", err)
		}
		// Numbers the caller sees are no misses.
		if _, _, err := db.ImportEntries(village(21), "insurance", []healthcell.EntryRow{{Row: 2, IDNumber: mine.IDNumber, Fields: map[string]string{"year": "2025", "scheme": "resident"}}}, true); err != nil {
			t.Errorf("own resident after the process's budget: %v", err)
		}
		// The county office: every number of the county is its own, and
		// its misses count against its own budget only.
		if got := answer(create(county, otherTownship.IDNumber)); got != "id_number person.id_number.taken" {
			t.Errorf("county office, a number of its county: %s", got)
		}
		if _, _, err := db.ImportEntries(county, "insurance", misses(30, 50), true); healthcell.ErrorCode(err) != healthcell.EINVALID {
			t.Errorf("county office after the process's budget: %v", err)
		}
	})
}
