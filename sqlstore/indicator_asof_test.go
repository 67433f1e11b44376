package sqlstore_test

import (
	"testing"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// indicatorTable computes codes for period at village (V1, V2, V3),
// township (T1, T2) and county level, in that order.
func indicatorTable(t *testing.T, db *sqlstore.DB, period string, codes []string) map[string][6]*float64 {
	t.Helper()
	out := map[string][6]*float64{}
	get := func(level string) map[string][]healthcell.IndicatorValue {
		t.Helper()
		vals, err := db.IndicatorValues(ctxCounty, healthcell.IndicatorQuery{Codes: codes, Division: sqltest.County, Level: level, Period: period})
		if err != nil {
			t.Fatalf("%s %s: %v", period, level, err)
		}
		return vals
	}
	villages, towns, county := get("village"), get("township"), get("")
	find := func(vals []healthcell.IndicatorValue, code string) *float64 {
		for _, x := range vals {
			if x.Division == code {
				return x.Value
			}
		}
		t.Fatalf("no value for %s", code)
		return nil
	}
	for _, c := range codes {
		out[c] = [6]*float64{find(villages[c], sqltest.Village), find(villages[c], sqltest.Village2), find(villages[c], V3),
			find(towns[c], sqltest.Township), find(towns[c], sqltest.Township2), find(county[c], sqltest.County)}
	}
	return out
}

// checkTable compares got with the hand-computed want.
func checkTable(t *testing.T, what string, got map[string][6]*float64, want map[string][6]want) {
	t.Helper()
	for code, w := range want {
		for i, label := range []string{"V1", "V2", "V3", "T1", "T2", "county"} {
			if fmtVal(got[code][i]) != fmtWant(w[i]) {
				t.Errorf("%s: %s %s = %s, want %s", what, code, label, fmtVal(got[code][i]), fmtWant(w[i]))
			}
		}
	}
}

// TestIndicatorsAsOfPeriod: a period that has ended counts residents and
// households as they were at its end. After a death, a move between
// villages, a move away and a household moving to another village, all in
// 2026, every indicator for 2025 keeps its hand-computed value (the table
// of TestIndicatorValues) at village, township and county level, while the
// current period, 2026, changes as computed by hand below.
func TestIndicatorsAsOfPeriod(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newIndWorld(t, db)
		var codes []string
		for c := range indicatorWant {
			codes = append(codes, c)
		}
		// record_rate for 2026 (live): resident persons with a health record
		// by 2026-12-31 / resident persons.
		// V1: a1 a2 a4 a5 (a3 away, 甲故 dead), records a1 a2 a4 → 3/4.
		// V2: b1 b2, record b1 → 1/2. V3: c1 c2, records both → 2/2.
		record2026 := map[string][6]want{"record_rate": {v(75), v(50), v(100), v(66.67), v(100), v(75)}}

		db.Now = func() time.Time { return time.Date(2026, 3, 10, 4, 0, 0, 0, time.UTC) }
		checkTable(t, "2025 before", indicatorTable(t, db, "2025", codes), indicatorWant)
		checkTable(t, "2026 before", indicatorTable(t, db, "2026", []string{"record_rate"}), record2026)

		// 2026-02-01: a1 (V1) dies.
		a1, err := db.FindPerson(ctxCounty, w.p["a1"].ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.SetPersonStatus(ctxCounty, a1.ID, a1.Version, healthcell.StatusDeceased, "2026-02-01"); err != nil {
			t.Fatal(err)
		}
		// 2026-03-10: b1 (V2) moves into household h4 of V3.
		b1, err := db.FindPerson(ctxCounty, w.p["b1"].ID)
		if err != nil {
			t.Fatal(err)
		}
		b1.HouseholdID, b1.Relation = w.h["h4"].ID, "其他"
		if err := db.UpdatePerson(ctxCounty, b1); err != nil {
			t.Fatal(err)
		}
		// 2026-01-15: c2 (V3) moves away (deactivated).
		c2, err := db.FindPerson(ctxCounty, w.p["c2"].ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.SetPersonStatus(ctxCounty, c2.ID, c2.Version, healthcell.StatusMoved, "2026-01-15"); err != nil {
			t.Fatal(err)
		}
		checkTable(t, "2025 after", indicatorTable(t, db, "2025", codes), indicatorWant)
		// 2026 now: V1 a2 a4 a5, records a2 a4 → 2/3. V2: b2, no record →
		// 0/1. V3: c1 b1, both recorded → 2/2. T1 2/4, county 4/6.
		checkTable(t, "2026 after", indicatorTable(t, db, "2026", []string{"record_rate"}),
			map[string][6]want{"record_rate": {v(66.67), v(0), v(100), v(50), v(100), v(66.67)}})

		// The household h2 (a4, a5) moves from V1 to V2 in 2026: 2025 keeps
		// its values; in 2026 V1 has a2 (1/1) and V2 a4 a5 b2 (a4: 1/3).
		h2, err := db.FindHousehold(ctxCounty, w.h["h2"].ID)
		if err != nil {
			t.Fatal(err)
		}
		h2.VillageCode = sqltest.Village2
		if err := db.UpdateHousehold(ctxCounty, h2); err != nil {
			t.Fatal(err)
		}
		checkTable(t, "2025 after household move", indicatorTable(t, db, "2025", codes), indicatorWant)
		checkTable(t, "2026 after household move", indicatorTable(t, db, "2026", []string{"record_rate"}),
			map[string][6]want{"record_rate": {v(100), v(33.33), v(100), v(50), v(100), v(66.67)}})

		// The values of 2025 are cached per village. A correction of b1, who
		// lived in V2 in 2025 and lives in V3 now, reaches V2's cached 2025
		// value: born 1961-01-02, b1 was 64 at the end of 2025, and V2 has no
		// one aged 65 (elderly_managed_rate: V2 none, T1 a1 of a1 a2 → 50,
		// county 1/3). A health record opened in 2025 for a5 (V1 in 2025, V2
		// now, recorded in V2) reaches V1's: record_rate V1 3/4, T1 4/6,
		// county 6/8.
		two := []string{"elderly_managed_rate", "record_rate"}
		checkTable(t, "2025 cached", indicatorTable(t, db, "2025", two),
			map[string][6]want{"elderly_managed_rate": indicatorWant["elderly_managed_rate"], "record_rate": indicatorWant["record_rate"]})
		b1, err = db.FindPerson(ctxCounty, w.p["b1"].ID)
		if err != nil {
			t.Fatal(err)
		}
		b1.BirthDate = "1961-01-02"
		b1.IDNumber = sqltest.ID(t, b1.BirthDate, 21)
		b1.Sex = ""
		if err := db.UpdatePerson(ctxCounty, b1); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateEntry(ctxCounty, healthcell.EntryInput{Register: "health_records", PersonID: w.p["a5"].ID,
			Fields: map[string]string{"opened_date": "2025-05-01"}}); err != nil {
			t.Fatal(err)
		}
		checkTable(t, "2025 after corrections", indicatorTable(t, db, "2025", two),
			map[string][6]want{
				"elderly_managed_rate": {v(50), nil, v(0), v(50), v(0), v(33.33)},
				"record_rate":          {v(75), v(50), v(100), v(66.67), v(100), v(75)},
			})

		// Earlier periods than the changes keep their own values too: the
		// month 2026-02 ended after a1's death and c2's departure but
		// before b1's move (2026-03-10) and h2's: V1 has a2 a4 a5, all with
		// records (3/3), V2 still has b1 and b2 (1/2), V3 c1 (1/1).
		db.Now = func() time.Time { return time.Date(2026, 4, 2, 4, 0, 0, 0, time.UTC) }
		checkTable(t, "2026-02", indicatorTable(t, db, "2026-02", []string{"record_rate"}),
			map[string][6]want{"record_rate": {v(100), v(50), v(100), v(80), v(100), v(83.33)}})
	})
}
