package sqlstore_test

import (
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestIndicatorVillageCache follows writes through the per-village cache:
// each step changes some villages' values, and every village (and the
// townships and county summed from them) must show the values of the data
// as it now is, whichever village the written row is recorded in.
func TestIndicatorVillageCache(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newIndWorld(t, db)
		sys := sqltest.System()
		counter := func(village string) int {
			t.Helper()
			n, err := db.CountRowsForTest(sys, `SELECT COALESCE(MAX(n), 0) FROM village_versions WHERE village_code = $1`, village)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		check := func(step string, want map[string]float64) {
			t.Helper()
			for _, level := range []string{healthcell.LevelNameVillage, healthcell.LevelNameTownship} {
				got, err := db.IndicatorValues(sys, healthcell.IndicatorQuery{Codes: []string{"contract_rate"}, Division: sqltest.County,
					Level: level, Period: "2025", WithTotal: true})
				if err != nil {
					t.Fatal(err)
				}
				for _, x := range got["contract_rate"] {
					wv, ok := want[x.Division]
					if !ok {
						continue
					}
					if x.Value == nil || *x.Value != wv {
						t.Errorf("%s: %s %s = %s, want %v", step, level, x.Division, fmtVal(x.Value), wv)
					}
				}
			}
		}
		// Warm every village, township and the county.
		check("start", map[string]float64{sqltest.Village: 50, sqltest.Village2: 100, V3: 50, sqltest.Township: 66.67, sqltest.County: 62.5})

		// A contract for a5 in V1: only V1's counter moves.
		v1, v3 := counter(sqltest.Village), counter(V3)
		if _, err := db.CreateEntry(sys, healthcell.EntryInput{Register: "contracts", PersonID: w.p["a5"].ID,
			Fields: map[string]string{"doctor": "李医生", "start_date": "2025-06-01", "end_date": "2026-05-31", "priority_group": "none"}}); err != nil {
			t.Fatal(err)
		}
		if counter(sqltest.Village) == v1 || counter(V3) != v3 {
			t.Errorf("counters after a write in V1: V1 %d→%d, V3 %d→%d", v1, counter(sqltest.Village), v3, counter(V3))
		}
		check("contract in V1", map[string]float64{sqltest.Village: 75, sqltest.Village2: 100, V3: 50, sqltest.Township: 83.33, sqltest.County: 75})

		// b1 (contracted, V2) moves into household h4 of V3.
		b1 := mustPerson(t, db, w.p["b1"].ID)
		b1.HouseholdID = w.h["h4"].ID
		if err := db.UpdatePerson(sys, b1); err != nil {
			t.Fatal(err)
		}
		check("b1 moved", map[string]float64{sqltest.Village: 75, sqltest.Village2: 100, V3: 66.67, sqltest.County: 75})

		// b1's contract, recorded in V2 before the move, is withdrawn: the
		// change is V3's too, where b1 now lives.
		var id int
		id, err := db.CountRowsForTest(sys, `SELECT id FROM reg_contracts WHERE person_id = $1`, w.p["b1"].ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.DeactivateEntry(sys, "contracts", int64(id), 1); err != nil {
			t.Fatal(err)
		}
		check("b1's contract withdrawn", map[string]float64{sqltest.Village: 75, sqltest.Village2: 100, V3: 33.33, sqltest.County: 62.5})

		// One statement changing many rows of a village (a PostgreSQL
		// statement trigger sees them all at once) moves its counter.
		v1 = counter(sqltest.Village)
		if err := db.ExecForTest(sys, `UPDATE households SET version = version + 1 WHERE village_code = $1`, sqltest.Village); err != nil {
			t.Fatal(err)
		}
		if counter(sqltest.Village) == v1 {
			t.Errorf("V1's counter did not move after a many-row update")
		}
	})
}
