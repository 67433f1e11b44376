package sqlstore_test

import (
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestIssue12Indicators computes the indicators defined for the shipped
// standards (environment and institution registers) from a few rows, with
// the values worked out by hand, for a village and for one unit.
func TestIssue12Indicators(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		sqltest.LoadDivisions(t, db)
		sys := sqltest.System()
		h1 := sqltest.Household(t, db, sqltest.Village, "H1")
		h2 := sqltest.Household(t, db, sqltest.Village, "H2")
		h3 := sqltest.Household(t, db, sqltest.Village, "H3")
		units := map[string]*healthcell.Unit{}
		for _, u := range []*healthcell.Unit{
			{Kind: "school", Name: "甲村小学", Division: sqltest.Village},
			{Kind: "hospital", Name: "甲村卫生院", Division: sqltest.Village},
			{Kind: "enterprise", Name: "甲村酒厂", Division: sqltest.Village},
		} {
			if err := db.CreateUnit(sys, u); err != nil {
				t.Fatal(err)
			}
			units[u.Kind] = u
		}
		V := sqltest.Village
		rows := []*sqlstore.RegisterRow{
			// Livestock: penned, free-ranging, none → 1 of 2 keeping any.
			{Register: "sanitation", Village: V, HouseholdID: h1.ID, Values: []any{"sanitary", true, "2025-01-10", "penned"}},
			{Register: "sanitation", Village: V, HouseholdID: h2.ID, Values: []any{"sanitary", true, "2025-01-10", "free"}},
			{Register: "sanitation", Village: V, HouseholdID: h3.ID, Values: []any{"none", false, "2025-01-10", "none"}},
			// Roads 8 of 10 km; green 5 of 20 ha.
			{Register: "village_env", Village: V, Values: []any{"2025-02-01", 10.0, 8.0, 20.0, 5.0, "村委"}},
			// Refuse 9/10 + 10/10; water 3/4 (the second inspection took none);
			// a third inspection recorded neither.
			{Register: "env_inspections", Village: V, Values: []any{"2025-03-01", 80.0, "A", "A", "B", "B", "县爱卫办", 10, 9, 4, 3}},
			{Register: "env_inspections", Village: V, Values: []any{"2025-06-01", 85.0, "A", "A", "B", "B", "县爱卫办", 10, 10, nil, nil}},
			{Register: "env_inspections", Village: V, Values: []any{"2025-04-01", 70.0, "B", "B", "B", "B", "县爱卫办"}},
			// School: 15 of 20 classes, 720 of 800 students.
			{Register: "school_health", Village: V, UnitID: units["school"].ID, Values: []any{"2025-01-15", 20, 15, 800, 720, "校医"}},
			// Hospital: blood pressure 190 of 200, education 45 of 50.
			{Register: "hospital_health", Village: V, UnitID: units["hospital"].ID, Values: []any{"2025-01-31", 100, 90, 20, 18, "院办"}},
			{Register: "hospital_health", Village: V, UnitID: units["hospital"].ID, Values: []any{"2025-02-28", 100, 100, 30, 27, "院办"}},
			// Enterprise: 8 of 10 points, 45 of 50 workers.
			{Register: "occupational_health", Village: V, UnitID: units["enterprise"].ID, Values: []any{"2025-04-15", 10, 8, 50, 45, "市疾控中心"}},
			// Last year's survey does not count in 2025.
			{Register: "village_env", Village: V, Values: []any{"2024-02-01", 10.0, 1.0, 20.0, 1.0, "村委"}},
		}
		if _, err := db.LoadRegisters(sys, func(emit func(*sqlstore.RegisterRow) error) error {
			for _, r := range rows {
				if err := emit(r); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		want := map[string]float64{"livestock_penned_rate": 50, "road_rate": 80, "greening_rate": 25, "refuse_cleared_rate": 95,
			"water_quality_rate": 75, "school_health_class_rate": 75, "fitness_pass_rate": 90, "bp_first_visit_rate": 95,
			"ward_education_rate": 90, "hazard_pass_rate": 80, "occupational_exam_rate": 90}
		var codes []string
		for c := range want {
			codes = append(codes, c)
		}
		got, err := db.IndicatorValues(ctxCounty, healthcell.IndicatorQuery{Codes: codes, Division: V, Period: "2025"})
		if err != nil {
			t.Fatal(err)
		}
		for c, w := range want {
			if len(got[c]) != 1 || got[c][0].Value == nil || *got[c][0].Value != w {
				t.Errorf("%s = %+v, want %v", c, got[c], w)
			}
		}
		// One unit: the hospital's own figures; the school has no hospital rows.
		got, err = db.IndicatorValues(ctxCounty, healthcell.IndicatorQuery{Codes: []string{"bp_first_visit_rate"}, Unit: units["hospital"].ID, Period: "2025-02"})
		if err != nil || *got["bp_first_visit_rate"][0].Value != 100 {
			t.Errorf("the hospital in February: %+v %v", got, err)
		}
		got, err = db.IndicatorValues(ctxCounty, healthcell.IndicatorQuery{Codes: []string{"bp_first_visit_rate"}, Unit: units["school"].ID, Period: "2025"})
		if err != nil || got["bp_first_visit_rate"][0].Value != nil {
			t.Errorf("the school's blood pressure rate: %+v %v", got, err)
		}
	})
}

// TestUnitRegisterEntry: an entry of a unit register needs its unit, takes
// the unit's village, and a part may not exceed its whole.
func TestUnitRegisterEntry(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		sqltest.LoadDivisions(t, db)
		hosp := &healthcell.Unit{Kind: "hospital", Name: "甲村卫生院", Division: sqltest.Village}
		if err := db.CreateUnit(sqltest.System(), hosp); err != nil {
			t.Fatal(err)
		}
		fields := map[string]string{"report_date": "2025-05-31", "first_visits_35": "120", "bp_measured": "110", "discharged": "10", "ward_educated": "9"}
		_, err := db.CreateEntry(ctxVillageA, healthcell.EntryInput{Register: "hospital_health", VillageCode: sqltest.Village, Fields: fields})
		if fieldMessage(err, "unit") != "register.unit_required" {
			t.Errorf("without a unit: %v", err)
		}
		e, err := db.CreateEntry(ctxVillageA, healthcell.EntryInput{Register: "hospital_health", UnitID: hosp.ID, Fields: fields})
		if err != nil || e.VillageCode != sqltest.Village || e.UnitID != hosp.ID || e.Values["bp_measured"] != int64(110) {
			t.Fatalf("with its unit: %+v %v", e, err)
		}
		fields["bp_measured"] = "121"
		_, err = db.CreateEntry(ctxVillageA, healthcell.EntryInput{Register: "hospital_health", UnitID: hosp.ID, Fields: fields})
		if fieldMessage(err, "bp_measured") != "register.more_than_whole" {
			t.Errorf("more measured than patients: %v", err)
		}
	})
}

// TestNewRegistersKeepIndicatorsCurrent: an entry written to a new register
// after a value was computed (and cached per village) changes the value at
// once — the tables carry the version triggers.
func TestNewRegistersKeepIndicatorsCurrent(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		sqltest.LoadDivisions(t, db)
		hosp := &healthcell.Unit{Kind: "hospital", Name: "甲村卫生院", Division: sqltest.Village}
		if err := db.CreateUnit(sqltest.System(), hosp); err != nil {
			t.Fatal(err)
		}
		value := func(code string) any {
			got, err := db.IndicatorValues(ctxCounty, healthcell.IndicatorQuery{Codes: []string{code}, Division: sqltest.Township, Level: healthcell.LevelNameVillage, Period: "2025"})
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range got[code] {
				if v.Division == sqltest.Village && v.Value != nil {
					return *v.Value
				}
			}
			return nil
		}
		for _, c := range []struct {
			code string
			in   healthcell.EntryInput
			want float64
		}{
			{"road_rate", healthcell.EntryInput{Register: "village_env", VillageCode: sqltest.Village,
				Fields: map[string]string{"survey_date": "2025-03-01", "road_km": "10", "road_hardened_km": "6", "built_area_ha": "10", "green_area_ha": "3"}}, 60},
			{"bp_first_visit_rate", healthcell.EntryInput{Register: "hospital_health", UnitID: hosp.ID,
				Fields: map[string]string{"report_date": "2025-03-31", "first_visits_35": "40", "bp_measured": "30", "discharged": "5", "ward_educated": "5"}}, 75},
		} {
			if v := value(c.code); v != nil {
				t.Fatalf("%s before any entry: %v", c.code, v)
			}
			if _, err := db.CreateEntry(ctxVillageA, c.in); err != nil {
				t.Fatal(err)
			}
			if v := value(c.code); v != c.want {
				t.Errorf("%s after the entry: %v, want %v", c.code, v, c.want)
			}
		}
	})
}
