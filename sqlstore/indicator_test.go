package sqlstore_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// indWorld is the hand-made data set of the indicator tests: villages V1 and
// V2 of township T1, V3 of township T2; period 2025 (end 2025-12-31).
type indWorld struct {
	p    map[string]*healthcell.Person
	h    map[string]*healthcell.Household
	unit *healthcell.Unit
}

const V3 = VillageT2

func indPerson(t *testing.T, db *sqlstore.DB, h *healthcell.Household, name, birth, sex string, withID, resident, registered bool, seq int) *healthcell.Person {
	t.Helper()
	p := &healthcell.Person{HouseholdID: h.ID, Name: name, BirthDate: birth, Sex: sex, Relation: "户主", Resident: resident, Registered: registered}
	if withID {
		p.IDNumber = sqltest.ID(t, birth, seq)
		p.Sex = ""
	}
	if err := db.CreatePerson(sqltest.System(), p); err != nil {
		t.Fatalf("create %s: %v", name, err)
	}
	return p
}

func newIndWorld(t *testing.T, db *sqlstore.DB) *indWorld {
	t.Helper()
	sqltest.LoadDivisions(t, db)
	w := &indWorld{p: map[string]*healthcell.Person{}, h: map[string]*healthcell.Household{}}
	w.h["h1"] = sqltest.Household(t, db, sqltest.Village, "H1")
	w.h["h2"] = sqltest.Household(t, db, sqltest.Village, "H2")
	w.h["h3"] = sqltest.Household(t, db, sqltest.Village2, "H3")
	w.h["h4"] = sqltest.Household(t, db, V3, "H4")
	w.h["h5"] = sqltest.Household(t, db, V3, "H5") // no members
	w.p["a1"] = indPerson(t, db, w.h["h1"], "甲一", "1950-03-01", "M", true, true, true, 11)
	w.p["a2"] = indPerson(t, db, w.h["h1"], "甲二", "1955-06-01", "F", true, true, true, 12)
	w.p["a3"] = indPerson(t, db, w.h["h1"], "甲三", "1990-01-01", "M", true, false, true, 13) // away
	w.p["a4"] = indPerson(t, db, w.h["h2"], "甲四", "2021-05-05", "F", false, true, true, 0)  // no ID number
	w.p["a5"] = indPerson(t, db, w.h["h2"], "甲五", "1985-07-07", "M", true, true, false, 15) // not registered here
	w.p["b1"] = indPerson(t, db, w.h["h3"], "乙一", "1960-12-31", "M", true, true, true, 21)  // 65 on the last day
	w.p["b2"] = indPerson(t, db, w.h["h3"], "乙二", "1961-01-01", "F", true, true, true, 22)  // 64, chronic
	w.p["c1"] = indPerson(t, db, w.h["h4"], "丙一", "1945-01-01", "M", true, true, true, 31)
	w.p["c2"] = indPerson(t, db, w.h["h4"], "丙二", "2000-01-01", "F", true, true, true, 32)
	d1 := indPerson(t, db, w.h["h1"], "甲故", "1940-01-01", "M", false, true, true, 0)
	if _, err := db.SetPersonStatus(sqltest.System(), d1.ID, d1.Version, healthcell.StatusDeceased, "2025-01-01"); err != nil {
		t.Fatal(err)
	}
	w.unit = &healthcell.Unit{Kind: "school", Name: "甲村小学", Division: sqltest.Village}
	if err := db.CreateUnit(sqltest.System(), w.unit); err != nil {
		t.Fatal(err)
	}
	row := func(reg, who string, vals ...any) *sqlstore.RegisterRow {
		p := w.p[who]
		return &sqlstore.RegisterRow{Register: reg, Village: p.VillageCode, PersonID: p.ID, Values: vals}
	}
	hrow := func(who string, vals ...any) *sqlstore.RegisterRow {
		h := w.h[who]
		return &sqlstore.RegisterRow{Register: "sanitation", Village: h.VillageCode, HouseholdID: h.ID, Values: vals}
	}
	act := func(village string, unit int64, kind, date string, n int) *sqlstore.RegisterRow {
		return &sqlstore.RegisterRow{Register: "activities", Village: village, UnitID: unit, Values: []any{kind, date, "村委会", "主题", "", n}}
	}
	contract := func(who, from, to string) *sqlstore.RegisterRow {
		return row("contracts", who, "王医生", "", from, to, "none")
	}
	checkup := func(who, date string) *sqlstore.RegisterRow { return row("checkups", who, date, "general", "", "") }
	record := func(who, date string) *sqlstore.RegisterRow { return row("health_records", who, "", date, "") }
	ins := func(who string, year int) *sqlstore.RegisterRow { return row("insurance", who, year, "resident", "") }
	exp := func(who, kind, date string, inCounty bool, total, insured, assist, oop float64) *sqlstore.RegisterRow {
		return row("expenses", who, kind, date, "县医院", inCounty, total, insured, assist, oop)
	}
	rows := []*sqlstore.RegisterRow{
		contract("a1", "2024-01-01", "2024-12-31"), contract("a1", "2025-03-01", "2026-02-28"), contract("a2", "2023-01-01", "2025-01-01"),
		contract("a4", "2026-01-01", "2026-12-31"), contract("a3", "2025-01-01", "2025-12-31"), contract("b1", "2025-06-01", "2026-05-31"),
		contract("b2", "2025-02-01", "2026-01-31"), contract("c2", "2025-01-01", "2025-12-31"),
		record("a1", "2020-01-01"), record("a2", "2025-12-31"), record("a4", "2026-01-05"), record("a3", "2020-01-01"),
		record("b1", "2019-01-01"), record("c1", "2021-01-01"), record("c2", "2022-01-01"),
		checkup("a1", "2025-04-01"), checkup("a2", "2024-06-01"), checkup("a4", "2025-12-31"), checkup("a5", "2024-01-01"),
		checkup("b1", "2025-01-01"), checkup("b2", "2024-05-05"), checkup("c1", "2023-05-05"), checkup("c2", "2023-12-31"), checkup("c2", "2026-01-02"),
		row("chronic", "b2", "hypertension", "2020-01-01", true, ""), row("chronic", "a5", "diabetes", "2026-03-01", true, ""),
		ins("a1", 2025), ins("a2", 2024), ins("a3", 2025), ins("a4", 2025), ins("a5", 2025), ins("b1", 2025), ins("b2", 2025), ins("c1", 2025),
		row("poverty", "a1", "2018-01-01", "registered"), row("poverty", "c1", "2018-01-01", "lifted"),
		row("poverty", "b2", "2026-01-01", "registered"), row("poverty", "c2", "2025-02-01", "registered"),
		exp("a1", "inpatient", "2025-03-01", true, 1000, 700, 200, 100), exp("a1", "inpatient", "2025-04-01", false, 5000, 2500, 500, 2000),
		exp("a1", "outpatient", "2025-05-01", true, 100, 50, 0, 50), exp("a1", "inpatient", "2024-12-31", true, 900, 0, 0, 900),
		exp("a2", "inpatient", "2025-03-01", true, 2000, 1000, 0, 1000), exp("b2", "inpatient", "2025-06-01", true, 3000, 2400, 0, 600),
		exp("c1", "inpatient", "2025-06-01", true, 4000, 3600, 0, 400), exp("c2", "inpatient", "2025-07-01", true, 500, 400, 25, 75),
		hrow("h1", "sanitary", true, "2024-01-01"), hrow("h2", "non_sanitary", true, "2024-01-01"), hrow("h3", "sanitary", false, "2026-02-01"),
		hrow("h4", "sanitary", true, "2025-05-01"), hrow("h5", "none", false, "2025-05-01"),
		act(sqltest.Village, w.unit.ID, "lecture", "2025-03-01", 50), act(sqltest.Village, 0, "lecture", "2025-05-01", 30),
		act(sqltest.Village, w.unit.ID, "training", "2025-07-01", 20), act(sqltest.Village, 0, "lecture", "2024-12-01", 10),
		act(V3, 0, "sports_event", "2025-08-08", 100), act(V3, 0, "meeting", "2025-09-09", 10),
	}
	if _, err := db.LoadRegisters(sqltest.System(), func(emit func(*sqlstore.RegisterRow) error) error {
		for _, r := range rows {
			if err := emit(r); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	resp := func(q, village string, age int, date string, passed bool, know, behave any) {
		t.Helper()
		if err := db.ExecForTest(context.Background(), `INSERT INTO questionnaire_responses (questionnaire, version, village_code, respondent_name, sex, age,
			survey_date, points, max_points, passed, knowledge_passed, behaviour_passed, active, created_by, created_at)
			VALUES ($1, 1, $2, '某人', 'F', $3, $4, 0, 66, $5, $6, $7, TRUE, 'test', $8)`, q, village, age, date, passed, know, behave, sqltest.Now); err != nil {
			t.Fatal(err)
		}
	}
	const hl, kb = "health-literacy-2020", "knowledge-behaviour"
	resp(hl, sqltest.Village, 30, "2025-03-01", true, nil, nil)
	resp(hl, sqltest.Village, 70, "2025-03-01", true, nil, nil)
	resp(hl, sqltest.Village, 15, "2025-03-01", false, nil, nil)
	resp(hl, sqltest.Village, 69, "2025-03-01", true, nil, nil)
	resp(hl, sqltest.Village, 14, "2025-03-01", true, nil, nil)
	resp(hl, sqltest.Village, 30, "2024-12-31", true, nil, nil)
	resp(hl, sqltest.Village2, 40, "2025-04-01", false, nil, nil)
	resp(hl, V3, 50, "2025-04-01", true, nil, nil)
	resp(hl, V3, 20, "2025-04-01", true, nil, nil)
	resp(kb, sqltest.Village, 30, "2025-03-01", false, true, false)
	resp(kb, sqltest.Village, 30, "2025-03-01", true, true, true)
	resp(kb, V3, 30, "2025-03-01", false, false, true)
	return w
}

// want is an expected value: nil for "no value" (a zero denominator).
type want *float64

func v(x float64) want { return &x }

// expected values for every shipped indicator in 2025, at village (V1, V2,
// V3), township (T1, T2) and county level.
var indicatorWant = map[string][6]want{
	//                      V1        V2        V3        T1          T2        county
	"contract_rate":        {v(50), v(100), v(50), v(66.67), v(50), v(62.5)},
	"record_rate":          {v(50), v(50), v(100), v(50), v(100), v(62.5)},
	"checkup_rate":         {v(75), v(50), v(0), v(66.67), v(0), v(50)},
	"elderly_managed_rate": {v(50), v(100), v(0), v(66.67), v(0), v(50)},
	"insured_rate":         {v(75), v(100), v(50), v(83.33), v(50), v(75)},
	"oop_ratio":            {v(10), nil, v(15), v(10), v(15), v(11.67)},
	"toilet_rate":          {v(50), v(0), v(50), v(33.33), v(50), v(40)},
	"tap_water_rate":       {v(100), v(0), v(50), v(66.67), v(50), v(60)},
	"baseline_rate":        {v(50), v(100), v(50), v(66.67), v(50), v(60)},
	"literacy_level":       {v(66.67), v(0), v(100), v(50), v(100), v(66.67)},
	"knowledge_rate":       {v(100), nil, v(0), v(100), v(0), v(66.67)},
	"behaviour_rate":       {v(50), nil, v(100), v(50), v(100), v(66.67)},
	"activity_lectures":    {v(2), v(0), v(0), v(2), v(0), v(2)},
	"activity_trainings":   {v(1), v(0), v(0), v(1), v(0), v(1)},
	"activity_publicity":   {v(0), v(0), v(0), v(0), v(0), v(0)},
	"activity_sports":      {v(0), v(0), v(1), v(0), v(1), v(1)},
	"activity_meetings":    {v(0), v(0), v(1), v(0), v(1), v(1)},
	"activity_attendance":  {v(100), v(0), v(110), v(100), v(110), v(210)},
}

func fmtWant(w want) string {
	if w == nil {
		return "none"
	}
	return fmt.Sprint(*w)
}

func fmtVal(x *float64) string {
	if x == nil {
		return "none"
	}
	return fmt.Sprint(*x)
}

func TestIndicatorValues(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		newIndWorld(t, db)
		ctx := ctxCounty
		// By village under the county, by township, and the county itself.
		villages, err := db.IndicatorValues(ctx, healthcell.IndicatorQuery{Division: sqltest.County, Level: "village", Period: "2025"})
		if err != nil {
			t.Fatal(err)
		}
		towns, err := db.IndicatorValues(ctx, healthcell.IndicatorQuery{Division: sqltest.County, Level: "township", Period: "2025"})
		if err != nil {
			t.Fatal(err)
		}
		county, err := db.IndicatorValues(ctx, healthcell.IndicatorQuery{Division: sqltest.County, Period: "2025"})
		if err != nil {
			t.Fatal(err)
		}
		find := func(vals []healthcell.IndicatorValue, code string) *float64 {
			for _, x := range vals {
				if x.Division == code {
					return x.Value
				}
			}
			t.Fatalf("no value for %s", code)
			return nil
		}
		for code, w := range indicatorWant {
			got := []*float64{find(villages[code], sqltest.Village), find(villages[code], sqltest.Village2), find(villages[code], V3),
				find(towns[code], sqltest.Township), find(towns[code], sqltest.Township2), find(county[code], sqltest.County)}
			for i, label := range []string{"V1", "V2", "V3", "T1", "T2", "county"} {
				if fmtVal(got[i]) != fmtWant(w[i]) {
					t.Errorf("%s %s = %s, want %s", code, label, fmtVal(got[i]), fmtWant(w[i]))
				}
			}
		}
		// The county's own value summed from its townships' agrees.
		withTotal, err := db.IndicatorValues(ctx, healthcell.IndicatorQuery{Division: sqltest.County, Level: "township", Period: "2025", WithTotal: true})
		if err != nil {
			t.Fatal(err)
		}
		for code, w := range indicatorWant {
			if x := withTotal[code][0]; x.Division != sqltest.County || fmtVal(x.Value) != fmtWant(w[5]) || len(withTotal[code]) != len(towns[code])+1 {
				t.Errorf("%s with total: %+v, want %s", code, x, fmtWant(w[5]))
			}
		}
		if len(county) < len(indicatorWant) {
			t.Errorf("%d indicators computed, want at least %d", len(county), len(indicatorWant))
		}
		// The one village asked for directly agrees with the village list.
		one, err := db.IndicatorValues(ctxVillageA, healthcell.IndicatorQuery{Codes: []string{"contract_rate"}, Division: sqltest.Village, Period: "2025"})
		if err != nil {
			t.Fatal(err)
		}
		c := one["contract_rate"][0]
		if *c.Value != 50 || *c.Numerator != 2 || *c.Denominator != 4 || *c.Target != 80 || *c.Met || c.Name == "" {
			t.Errorf("village A contract_rate = %+v", c)
		}
		if m := one["contract_rate"][0].Met; m == nil || *m {
			t.Errorf("met = %v", m)
		}
		// A quarter and a month.
		q, err := db.IndicatorValues(ctx, healthcell.IndicatorQuery{Codes: []string{"activity_lectures", "activity_attendance"}, Division: sqltest.Village, Period: "2025Q1"})
		if err != nil {
			t.Fatal(err)
		}
		if *q["activity_lectures"][0].Value != 1 || *q["activity_attendance"][0].Value != 50 {
			t.Errorf("2025Q1: %v %v", fmtVal(q["activity_lectures"][0].Value), fmtVal(q["activity_attendance"][0].Value))
		}
		m, err := db.IndicatorValues(ctx, healthcell.IndicatorQuery{Codes: []string{"activity_lectures"}, Division: sqltest.Village, Period: "2025-05"})
		if err != nil || *m["activity_lectures"][0].Value != 1 {
			t.Errorf("2025-05: %v %v", m, err)
		}
	})
}

func TestIndicatorUnit(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newIndWorld(t, db)
		got, err := db.IndicatorValues(ctxCounty, healthcell.IndicatorQuery{Unit: w.unit.ID, Period: "2025"})
		if err != nil {
			t.Fatal(err)
		}
		if got["contract_rate"] != nil {
			t.Error("a resident indicator computed for a unit")
		}
		for code, want := range map[string]float64{"activity_lectures": 1, "activity_trainings": 1, "activity_attendance": 70} {
			if len(got[code]) != 1 || *got[code][0].Value != want {
				t.Errorf("unit %s = %+v, want %v", code, got[code], want)
			}
		}
		_, err = db.IndicatorValues(ctxCounty, healthcell.IndicatorQuery{Codes: []string{"contract_rate"}, Unit: w.unit.ID, Period: "2025"})
		wantInvalid(t, err, "unit")
		_, err = db.IndicatorValues(ctxTownship2, healthcell.IndicatorQuery{Unit: w.unit.ID, Period: "2025"})
		wantCode(t, err, healthcell.ENOTFOUND)
	})
}

func TestIndicatorScope(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		newIndWorld(t, db)
		for _, c := range []struct {
			name string
			ctx  context.Context
			q    healthcell.IndicatorQuery
			code string
		}{
			{"other township", ctxTownship2, healthcell.IndicatorQuery{Division: sqltest.Township, Period: "2025"}, healthcell.ENOTFOUND},
			{"county from a township", ctxTownship, healthcell.IndicatorQuery{Division: sqltest.County, Level: "township", Period: "2025"}, healthcell.ENOTFOUND},
			{"other village", ctxVillageB, healthcell.IndicatorQuery{Division: sqltest.Village, Period: "2025"}, healthcell.ENOTFOUND},
			{"no actor", ctxNone, healthcell.IndicatorQuery{Division: sqltest.Village, Period: "2025"}, healthcell.EUNAUTHORIZED},
			{"unknown indicator", ctxCounty, healthcell.IndicatorQuery{Codes: []string{"nonesuch"}, Period: "2025"}, healthcell.ENOTFOUND},
			{"bad period", ctxCounty, healthcell.IndicatorQuery{Period: "2025Q7"}, healthcell.EINVALID},
			{"bad level", ctxCounty, healthcell.IndicatorQuery{Level: "street", Period: "2025"}, healthcell.EINVALID},
			{"level above division", ctxTownship, healthcell.IndicatorQuery{Division: sqltest.Village, Level: "township", Period: "2025"}, healthcell.EINVALID},
			{"own township's villages", ctxTownship, healthcell.IndicatorQuery{Level: "village", Period: "2025"}, ""},
		} {
			t.Run(c.name, func(t *testing.T) {
				got, err := db.IndicatorValues(c.ctx, c.q)
				wantCode(t, err, c.code)
				if c.code == "" {
					for _, x := range got["contract_rate"] {
						if !healthcell.Covers(sqltest.Township, x.Division) {
							t.Errorf("township officer sees %s", x.Division)
						}
					}
				}
			})
		}
	})
}

// TestIndicatorLive: a write shows in the next computation.
func TestIndicatorLive(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newIndWorld(t, db)
		q := healthcell.IndicatorQuery{Codes: []string{"contract_rate"}, Division: sqltest.Village, Period: "2025"}
		before, err := db.IndicatorValues(ctxVillageA, q)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.LoadRegisters(sqltest.System(), func(emit func(*sqlstore.RegisterRow) error) error {
			return emit(&sqlstore.RegisterRow{Register: "contracts", Village: sqltest.Village, PersonID: w.p["a5"].ID,
				Values: []any{"李医生", "", "2025-06-01", "2026-05-31", "none"}})
		}); err != nil {
			t.Fatal(err)
		}
		after, err := db.IndicatorValues(ctxVillageA, q)
		if err != nil {
			t.Fatal(err)
		}
		if *before["contract_rate"][0].Value != 50 || *after["contract_rate"][0].Value != 75 {
			t.Errorf("contract_rate %v then %v, want 50 then 75", *before["contract_rate"][0].Value, *after["contract_rate"][0].Value)
		}
		// A person moving away (no longer resident) shows at once too.
		p := mustPerson(t, db, w.p["a4"].ID)
		p.Resident = false
		if err := db.UpdatePerson(sqltest.System(), p); err != nil {
			t.Fatal(err)
		}
		again, err := db.IndicatorValues(ctxVillageA, q)
		if err != nil {
			t.Fatal(err)
		}
		if x := again["contract_rate"][0]; *x.Value != 100 || *x.Denominator != 3 {
			t.Errorf("after a4 moved away: %v/%v", *x.Numerator, *x.Denominator)
		}
	})
}

func TestCheckupsDue(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newIndWorld(t, db)
		got, err := db.CheckupsDue(ctxVillageA, sqltest.Village, "2025")
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].PersonID != w.p["a2"].ID || got[0].Rule != "yearly" || got[0].DueSince != "2025-06-01" || got[0].Overdue || got[0].LastExam != "2024-06-01" || got[0].Age != 70 {
			t.Errorf("V1 due: %+v", got)
		}
		got, err = db.CheckupsDue(ctxCounty, sqltest.Township2, "2025")
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].PersonID != w.p["c1"].ID || !got[0].Overdue || got[1].PersonID != w.p["c2"].ID || got[1].Overdue ||
			got[1].Rule != "biennial" || got[1].DueSince != "2025-12-31" {
			t.Errorf("T2 due: %+v", got)
		}
		// The due list and checkup_rate agree: residents not due are the numerator.
		vals, err := db.IndicatorValues(ctxCounty, healthcell.IndicatorQuery{Codes: []string{"checkup_rate"}, Division: sqltest.County, Period: "2025"})
		if err != nil {
			t.Fatal(err)
		}
		all, err := db.CheckupsDue(ctxCounty, sqltest.County, "2025")
		if err != nil {
			t.Fatal(err)
		}
		c := vals["checkup_rate"][0]
		if float64(len(all)) != *c.Denominator-*c.Numerator {
			t.Errorf("%d due, rate %v/%v", len(all), *c.Numerator, *c.Denominator)
		}
		_, err = db.CheckupsDue(ctxTownship2, sqltest.Village, "2025")
		wantCode(t, err, healthcell.ENOTFOUND)
		_, err = db.CheckupsDue(ctxViewer, sqltest.Village, "2025")
		wantCode(t, err, healthcell.ENOTFOUND)
		_, err = db.CheckupsDue(ctxVillageA, sqltest.Village, "next year")
		wantCode(t, err, healthcell.EINVALID)
	})
}

func TestSaveIndicator(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		newIndWorld(t, db)
		target := 100.0
		good := &healthcell.Indicator{Code: "poor_contract_rate", Zh: "贫困人口签约率", Unit: "%", Direction: "higher", Target: &target,
			Numerator:   &healthcell.Measure{From: "residents", Count: "persons", Where: "has(poverty, asof, status = 'registered') and has(contracts, overlap)"},
			Denominator: &healthcell.Measure{From: "residents", Count: "persons", Where: "has(poverty, asof, status = 'registered')"}}
		wantCode(t, db.SaveIndicator(ctxTownship, good), healthcell.EFORBIDDEN)
		n := auditCount(t, db)
		bad := *good
		bad.Code = "bad_rate"
		bad.Numerator = &healthcell.Measure{From: "residents", Count: "persons", Where: "has(vaccinations)"}
		err := db.SaveIndicator(ctxCounty, &bad)
		wantInvalid(t, err, "numerator.where")
		if fieldMessage(err, "numerator.where") != "indicator.unknown_source" {
			t.Errorf("message %q", fieldMessage(err, "numerator.where"))
		}
		shipped := *good
		shipped.Code = "contract_rate"
		wantInvalid(t, db.SaveIndicator(ctxCounty, &shipped), "code")
		if auditCount(t, db) != n {
			t.Error("a refused indicator was audited")
		}
		if err := db.SaveIndicator(ctxCounty, good); err != nil {
			t.Fatal(err)
		}
		mean := &healthcell.Indicator{Code: "mean_rate", Zh: "平均", Unit: "%", Direction: "higher", Expr: "(contract_rate + record_rate) / 2"}
		if err := db.SaveIndicator(ctxCounty, mean); err != nil {
			t.Fatal(err)
		}
		wantInvalid(t, db.SaveIndicator(ctxCounty, good), "code")
		got, err := db.IndicatorValues(ctxTownship, healthcell.IndicatorQuery{Codes: []string{"poor_contract_rate", "mean_rate"}, Level: "village", Period: "2025"})
		if err != nil {
			t.Fatal(err)
		}
		// Registered poor by the end of 2025: a1 (contract) in V1; b2 from 2026 does not count.
		if x := got["poor_contract_rate"]; *x[0].Value != 100 || x[1].Value != nil {
			t.Errorf("poor_contract_rate %s %s", fmtVal(x[0].Value), fmtVal(x[1].Value))
		}
		if x := got["mean_rate"]; *x[0].Value != 50 || *x[1].Value != 75 || x[0].Numerator != nil {
			t.Errorf("mean_rate %s %s", fmtVal(x[0].Value), fmtVal(x[1].Value))
		}
		inds, err := db.Indicators(ctxTownship)
		if err != nil {
			t.Fatal(err)
		}
		if last := inds[len(inds)-1]; last.Code != "poor_contract_rate" || last.County != sqltest.County {
			t.Errorf("last indicator %+v", last)
		}
	})
}
