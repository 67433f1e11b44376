package sqlstore_test

import (
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// familyEntry is a family_health entry for household h.
func familyEntry(h *healthcell.Household, guide, date string, yes ...string) healthcell.EntryInput {
	f := map[string]string{"knowledge_person": guide, "recorded_date": date}
	for _, y := range yes {
		f[y] = "1"
	}
	return healthcell.EntryInput{Register: "family_health", HouseholdID: h.ID, Fields: f}
}

// TestFamilyHealthIndicators checks the four household indicators of the
// family register against hand-computed values: h1 and h2 in V1, h3 in V2,
// h4 and h5 (never recorded) in V3.
func TestFamilyHealthIndicators(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newIndWorld(t, db)
		sys := sqltest.System()
		for _, in := range []healthcell.EntryInput{
			familyEntry(w.h["h1"], "甲一", "2025-03-01", "handbook", "medicine_kit", "scale"),
			familyEntry(w.h["h2"], "", "2025-06-01", "handbook"),
			familyEntry(w.h["h3"], "乙一", "2025-06-10", "medicine_kit", "oil_pot"),
			familyEntry(w.h["h4"], "丙一", "2025-05-01", "handbook", "medicine_kit"),
		} {
			if _, err := db.CreateEntry(sys, in); err != nil {
				t.Fatal(err)
			}
		}
		// One active entry per household.
		_, err := db.CreateEntry(ctxVillageA, familyEntry(w.h["h1"], "甲二", "2025-06-01"))
		wantInvalid(t, err, "household")

		want := map[string][6]want{
			//                        V1      V2     V3     T1          T2     county
			"health_education_rate": {v(100), v(0), v(50), v(66.67), v(50), v(60)},
			"knowledge_person_rate": {v(50), v(100), v(50), v(66.67), v(50), v(60)},
			"medicine_kit_rate":     {v(50), v(100), v(50), v(66.67), v(50), v(60)},
			"health_tool_rate":      {v(50), v(100), v(0), v(66.67), v(0), v(40)},
		}
		codes := []string{"health_education_rate", "knowledge_person_rate", "medicine_kit_rate", "health_tool_rate"}
		q := func(level, div string) map[string][]healthcell.IndicatorValue {
			vals, err := db.IndicatorValues(ctxCounty, healthcell.IndicatorQuery{Codes: codes, Division: div, Level: level, Period: "2025"})
			if err != nil {
				t.Fatal(err)
			}
			return vals
		}
		villages, towns, county := q("village", sqltest.County), q("township", sqltest.County), q("", sqltest.County)
		find := func(vals []healthcell.IndicatorValue, code string) *float64 {
			for _, x := range vals {
				if x.Division == code {
					return x.Value
				}
			}
			t.Fatalf("no value for %s", code)
			return nil
		}
		for code, w := range want {
			got := []*float64{find(villages[code], sqltest.Village), find(villages[code], sqltest.Village2), find(villages[code], V3),
				find(towns[code], sqltest.Township), find(towns[code], sqltest.Township2), find(county[code], sqltest.County)}
			for i, label := range []string{"V1", "V2", "V3", "T1", "T2", "county"} {
				if fmtVal(got[i]) != fmtWant(w[i]) {
					t.Errorf("%s %s = %s, want %s", code, label, fmtVal(got[i]), fmtWant(w[i]))
				}
			}
		}
		// An entry counts from its date on: h3 (June) not in May.
		vals, err := db.IndicatorValues(ctxCounty, healthcell.IndicatorQuery{Codes: []string{"medicine_kit_rate"}, Division: sqltest.Village2, Period: "2025-05"})
		if err != nil || fmtVal(vals["medicine_kit_rate"][0].Value) != "0" {
			t.Errorf("V2 2025-05 medicine_kit_rate = %+v %v", vals["medicine_kit_rate"], err)
		}
	})
}
