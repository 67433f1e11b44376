package sqlstore_test

import (
	"context"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestLookupCountsEachNumberOnce: a register import checked with a dry run
// and then sent, sent again after it failed, or naming one number on many
// rows, counts each distinct number once against the account's lookup
// budget; new numbers still count.
func TestLookupCountsEachNumberOnce(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		sqltest.LoadDivisions(t, db)
		hB := sqltest.Household(t, db, "510824102001", "B-001")
		var others []string
		for i := range 3 {
			others = append(others, sqltest.Person(t, db, hB, "王五", sqltest.ID(t, "1970-03-04", 5+i), "子").IDNumber)
		}
		officer := healthcell.WithActor(context.Background(), &healthcell.Actor{UserID: 5, Username: "v5", Role: healthcell.RoleVillage, Scope: sqltest.Village})
		rows := func(ids ...string) []healthcell.EntryRow {
			var out []healthcell.EntryRow
			for i, id := range ids {
				out = append(out, healthcell.EntryRow{Row: i + 2, IDNumber: id, Fields: map[string]string{"year": "2025", "scheme": "resident"}})
			}
			return out
		}
		fresh := func(n, from int) []string {
			var out []string
			for i := range n {
				out = append(out, sqltest.ID(t, "1950-01-01", from+i))
			}
			return out
		}
		// 150 unknown numbers and one resident of another township.
		file := rows(append(fresh(149, 100), others[0])...)
		for i, dry := range []bool{true, false, false, true} {
			if _, _, err := db.ImportEntries(officer, "insurance", file, dry); healthcell.ErrorCode(err) != healthcell.EINVALID {
				t.Fatalf("attempt %d (dry run %v) of the same file: %v", i+1, dry, err)
			}
		}
		// One number on 300 rows is one lookup.
		var same []string
		for range 300 {
			same = append(same, others[1])
		}
		if _, _, err := db.ImportEntries(officer, "insurance", rows(same...), true); healthcell.ErrorCode(err) != healthcell.EINVALID {
			t.Fatalf("one number on 300 rows: %v", err)
		}
		// A resident import's lookups are not charged (a number held
		// elsewhere becomes a claim: person_idclaim.go).
		feed := func(known healthcell.ResidentLookup, emit func(*healthcell.ImportedResident) error) error {
			for _, n := range others {
				known.PersonID(n)
			}
			return nil
		}
		if _, err := db.ImportResidents(officer, true, feed); err != nil {
			t.Fatalf("resident import: %v", err)
		}
		// 151 spent: 49 new numbers pass, the 50th does not.
		if _, _, err := db.ImportEntries(officer, "insurance", rows(fresh(49, 300)...), true); healthcell.ErrorCode(err) != healthcell.EINVALID {
			t.Fatalf("49 new numbers: %v", err)
		}
		if _, _, err := db.ImportEntries(officer, "insurance", rows(fresh(1, 400)...), true); healthcell.ErrorCode(err) != healthcell.ETHROTTLED {
			t.Errorf("the 201st distinct number: %v", err)
		}
	})
}
