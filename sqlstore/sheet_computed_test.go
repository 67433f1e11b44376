package sqlstore_test

import (
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/catalog/standards"
	"github.com/healthcell/healthcell/score"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// shippedStandard stores the catalog's standard code in db.
func shippedStandard(t *testing.T, db *sqlstore.DB, code string) *healthcell.Standard {
	t.Helper()
	all, err := standards.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range all {
		if s.Code == code {
			if err := db.CreateStandard(sqltest.System(), s); err != nil {
				t.Fatal(err)
			}
			return s
		}
	}
	t.Fatalf("no shipped standard %s", code)
	return nil
}

// TestSheetComputedEqualsIndicators: every data-bound item of the shipped
// 健康村 standard carries the value the indicator API gives for the same
// village and year (or says why there is none), activity counts are the
// register's entries of that kind in the year, and the score uses them.
func TestSheetComputedEqualsIndicators(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		newIndWorld(t, db)
		std := shippedStandard(t, db, "healthy-village")
		officer := sqltest.As("cun", healthcell.RoleVillage, sqltest.Village)
		sh := &healthcell.ScoreSheet{StandardID: std.ID, Kind: healthcell.SheetSelf, UnitKind: "village", UnitRef: sqltest.Village, Year: 2025}
		if err := db.CreateScoreSheet(officer, sh); err != nil {
			t.Fatal(err)
		}
		got, err := db.FindScoreSheet(officer, sh.ID)
		if err != nil {
			t.Fatal(err)
		}
		defs, err := db.Indicators(officer)
		if err != nil {
			t.Fatal(err)
		}
		defined := map[string]bool{}
		for _, d := range defs {
			defined[d.Code] = true
		}
		eq := func(a, b *float64) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }
		checked := 0
		for _, it := range std.Items {
			if !it.DataBound() {
				if a := got.Answers[it.Code]; a != nil && a.Computed != nil {
					t.Errorf("%s is not data-bound but has a computed value", it.Code)
				}
				continue
			}
			c := got.Answers[it.Code].Computed
			if c == nil {
				t.Fatalf("%s: no computed value", it.Code)
			}
			if it.Method == healthcell.MethodCount {
				if c.Source != healthcell.ComputedActivity || c.Code != it.Activity {
					t.Errorf("%s: computed %+v", it.Code, c)
				}
				continue
			}
			if !defined[it.Indicator] {
				if c.Missing != sqlstore.MsgIndicatorUndefined || c.Value != nil {
					t.Errorf("%s names undefined %s: %+v", it.Code, it.Indicator, c)
				}
				continue
			}
			vals, err := db.IndicatorValues(officer, healthcell.IndicatorQuery{Codes: []string{it.Indicator}, Division: sqltest.Village, Period: "2025"})
			if err != nil {
				t.Fatal(err)
			}
			want := vals[it.Indicator][0]
			if !eq(c.Value, want.Value) || !eq(c.Numerator, want.Numerator) || !eq(c.Denominator, want.Denominator) || c.Period != "2025" {
				t.Errorf("%s (%s): sheet %v %v/%v, API %v %v/%v", it.Code, it.Indicator, fmtVal(c.Value), fmtVal(c.Numerator), fmtVal(c.Denominator),
					fmtVal(want.Value), fmtVal(want.Numerator), fmtVal(want.Denominator))
			}
			if c.Value != nil {
				checked++
				if a := got.Answers[it.Code]; a.Value == nil || *a.Value != *c.Value || a.Override != nil {
					t.Errorf("%s: the score does not use the computed value: %+v", it.Code, a)
				}
			}
		}
		if checked < 3 {
			t.Fatalf("only %d indicator items had a value to compare", checked)
		}
		// 2.6: lectures in the village in 2025 — two (one of the school's); the 2024 one does not count.
		lect := got.Answers["2.6"]
		if lect.Computed == nil || lect.Computed.Value == nil || *lect.Computed.Value != 2 || *lect.Count != 2 {
			t.Fatalf("lectures: %+v", lect.Computed)
		}
		api, err := db.IndicatorValues(officer, healthcell.IndicatorQuery{Codes: []string{"activity_lectures"}, Division: sqltest.Village, Period: "2025"})
		if err != nil || *api["activity_lectures"][0].Value != 2 {
			t.Fatalf("activity_lectures %v %v", api, err)
		}
		if s, _, _ := score.ItemScore(std.Item("2.6"), lect, ""); s != 4*2.0/12 && s != 0.67 {
			t.Errorf("lecture score %v", s)
		}

		// An override of 2.6: refused without a reason and a file, with the fields named.
		forty := 40
		err = db.SaveAnswer(officer, sh.ID, &healthcell.Answer{ItemCode: "2.6", Count: &forty})
		wantInvalid(t, err, "reason", "evidence")
		err = db.SaveAnswer(officer, sh.ID, &healthcell.Answer{ItemCode: "2.6", Count: &forty, Reason: "部分讲座未录入台账"})
		wantInvalid(t, err, "evidence")
		if _, err := db.AddEvidence(officer, sh.ID, "2.6", "sign-in.png", pngBytes(t)); err != nil {
			t.Fatal(err)
		}
		if err := db.SaveAnswer(officer, sh.ID, &healthcell.Answer{ItemCode: "2.6", Count: &forty, Reason: "部分讲座未录入台账"}); err != nil {
			t.Fatal(err)
		}
		got, _ = db.FindScoreSheet(officer, sh.ID)
		lect = got.Answers["2.6"]
		if lect.Override == nil || lect.Override.Value != 40 || lect.Override.Reason != "部分讲座未录入台账" || *lect.Count != 40 || *lect.Computed.Value != 2 {
			t.Fatalf("override: %+v %+v", lect.Override, lect.Computed)
		}
		if s, _, met := score.ItemScore(std.Item("2.6"), lect, ""); s != 4 || !met {
			t.Errorf("the override does not count: %v", s)
		}
		// The override's only photo cannot go while the override stands.
		err = db.RemoveEvidence(officer, lect.Evidence[0].ID)
		wantInvalid(t, err, "evidence")
		// Entering the computed number again drops the override.
		two := 2
		if err := db.SaveAnswer(officer, sh.ID, &healthcell.Answer{ItemCode: "2.6", Count: &two}); err != nil {
			t.Fatal(err)
		}
		got, _ = db.FindScoreSheet(officer, sh.ID)
		if got.Answers["2.6"].Override != nil {
			t.Fatalf("override kept: %+v", got.Answers["2.6"].Override)
		}
		if err := db.RemoveEvidence(officer, lect.Evidence[0].ID); err != nil {
			t.Fatalf("the photo of a dropped override: %v", err)
		}
	})
}
