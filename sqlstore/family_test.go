package sqlstore_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/catalog/standards"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// famWorld is a 2026 campaign (clock 1 May 2026) with the shipped family
// standard and households whose registers make them eligible or not.
type famWorld struct {
	*flow
	std  *healthcell.Standard
	seq  int
	rows []*sqlstore.RegisterRow
}

func newFamWorld(t testing.TB, db *sqlstore.DB) *famWorld {
	t.Helper()
	w := &famWorld{flow: newFlow(t, db)}
	stds, err := standards.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range stds {
		if s.Code == "healthy-family" {
			w.std = s
			if err := db.CreateStandard(sqltest.System(), s); err != nil {
				t.Fatal(err)
			}
		}
	}
	return w
}

// famHousehold is the kind of household famWorld.add makes.
type famHousehold int

const (
	famGood       famHousehold = iota // contracted, checked up, every family item
	famUncontract                     // one of its two members has no contract
	famLow                            // contracted, but few family items: scores below 80
	famUnrecorded                     // no family_health entry: veto items unmet
)

// add makes a household of two resident members in village of the kind
// given, with its register rows queued for load.
func (w *famWorld) add(t testing.TB, village, number string, kind famHousehold) *healthcell.Household {
	t.Helper()
	h := sqltest.Household(t, w.db, village, number)
	for i := range 2 {
		w.seq++
		birth := fmt.Sprintf("19%02d-03-0%d", 50+w.seq%40, 1+i)
		p := &healthcell.Person{HouseholdID: h.ID, Name: number + "成员" + strconv.Itoa(i), IDNumber: sqltest.ID(t, birth, w.seq), Relation: "户主", Resident: true, Registered: true}
		if i > 0 {
			p.Relation = "配偶"
		}
		if err := w.db.CreatePerson(sqltest.System(), p); err != nil {
			t.Fatal(err)
		}
		if kind != famUncontract || i == 0 {
			w.rows = append(w.rows, &sqlstore.RegisterRow{Register: "contracts", Village: village, PersonID: p.ID,
				Values: []any{"王医生", "", "2026-01-10", "2027-01-09", "none"}})
		}
		w.rows = append(w.rows, &sqlstore.RegisterRow{Register: "checkups", Village: village, PersonID: p.ID,
			Values: []any{"2025-09-01", "general", "", ""}})
	}
	all := kind != famLow
	if kind != famUnrecorded {
		w.rows = append(w.rows, &sqlstore.RegisterRow{Register: "family_health", Village: village, HouseholdID: h.ID,
			Values: []any{number + "成员0", true, all, true, true, all, false, false, all, all, all, all, all, true, true, true, true, "2026-03-01"}})
	}
	return h
}

// load stores the queued register rows.
func (w *famWorld) load(t testing.TB) {
	t.Helper()
	if _, err := w.db.LoadRegisters(sqltest.System(), func(emit func(*sqlstore.RegisterRow) error) error {
		for _, r := range w.rows {
			if err := emit(r); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	w.rows = nil
}

func TestFamilyHouseholdsFromRegisters(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newFamWorld(t, db)
		good := w.add(t, sqltest.Village, "001", famGood)
		unc := w.add(t, sqltest.Village, "002", famUncontract)
		low := w.add(t, sqltest.Village, "003", famLow)
		unrec := w.add(t, sqltest.Village, "004", famUnrecorded)
		w.add(t, sqltest.Village2, "101", famGood)
		w.load(t)
		list, err := db.FamilyHouseholds(ctxVillageA, sqltest.Village, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(list.Households) != 4 || list.CampaignID != w.camp.ID || len(list.Items) != 13 || list.PassScore != 80 {
			t.Fatalf("list: %d households, campaign %d, %d items, pass %v", len(list.Households), list.CampaignID, len(list.Items), list.PassScore)
		}
		got := map[int64]*healthcell.FamilyHousehold{}
		for _, h := range list.Households {
			got[h.HouseholdID] = h
		}
		for _, c := range []struct {
			h                *healthcell.Household
			score            float64
			passed, eligible bool
			uncontracted     int
			unmet            []string
			guide            string
		}{
			{good, 100, true, true, 0, nil, "001成员0"},
			{unc, 100, false, false, 1, []string{"V2"}, "002成员0"},
			// 1.1: scale and monitor only; 1.2, 2.1–2.3, 3.1, 3.2 unmet.
			{low, 30, false, false, 0, []string{"1.1", "1.2", "2.1", "2.2", "2.3", "3.1", "3.2"}, "003成员0"},
			{unrec, 10, false, false, 0, []string{"V1", "V3", "1.1", "1.2", "2.1", "2.2", "2.3", "3.1", "3.2", "3.3", "3.4"}, ""},
		} {
			h := got[c.h.ID]
			if h == nil {
				t.Fatalf("household %s missing", c.h.Number)
			}
			if h.Score != c.score || h.Passed != c.passed || h.Eligible() != c.eligible || h.Uncontracted != c.uncontracted ||
				!slices.Equal(h.Unmet, c.unmet) || h.Guide != c.guide || h.ResidentMembers != 2 {
				t.Errorf("household %s: %+v", c.h.Number, h)
			}
		}
		// Scope: another village, a township's village from another township.
		_, err = db.FamilyHouseholds(ctxVillageA, sqltest.Village2, 0)
		wantCode(t, err, healthcell.ENOTFOUND)
		_, err = db.FamilyHouseholds(ctxTownship2, sqltest.Village, 0)
		wantCode(t, err, healthcell.ENOTFOUND)
		if l, err := db.FamilyHouseholds(ctxTownship, sqltest.Village2, 0); err != nil || len(l.Households) != 1 {
			t.Errorf("township reads its village: %v", err)
		}
	})
}

func TestApplyFamilies(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newFamWorld(t, db)
		good := w.add(t, sqltest.Village, "001", famGood)
		good2 := w.add(t, sqltest.Village, "002", famGood)
		unc := w.add(t, sqltest.Village, "003", famUncontract)
		low := w.add(t, sqltest.Village, "004", famLow)
		other := w.add(t, sqltest.Village2, "101", famGood)
		w.load(t)
		res, err := db.ApplyFamilies(ctxVillageA, sqltest.Village, w.camp.ID, []int64{good.ID, unc.ID, low.ID, other.ID, good2.ID})
		if err != nil {
			t.Fatal(err)
		}
		want := []struct {
			ok     bool
			reason string
			detail string
		}{
			{true, "", ""},
			{false, "workflow.guard.members_contracted", "1"},
			{false, "family.sheet.not_passed", "1.1、1.2、2.1、2.2、2.3、3.1、3.2"},
			{false, "family.household.unknown", ""}, // another village's household reads as unknown
			{true, "", ""},
		}
		for i, r := range res {
			if r.OK != want[i].ok || r.Reason != want[i].reason || r.Detail != want[i].detail {
				t.Errorf("result %d: %+v, want %+v", i, r, want[i])
			}
		}
		for _, r := range []*healthcell.FamilyApplyResult{res[0], res[4]} {
			a, err := db.FindApplication(ctxVillageA, r.ApplicationID)
			if err != nil || a.State != "applied" || a.UnitKind != "household" || a.Sheets[healthcell.SheetSelf] == 0 {
				t.Fatalf("application %d: %+v %v", r.ApplicationID, a, err)
			}
			s, err := db.FindScoreSheet(ctxVillageA, a.Sheets[healthcell.SheetSelf])
			if err != nil || len(s.Answers) != 13 || s.Answers["V2"].Note != "由台账数据生成" {
				t.Errorf("sheet: %v", err)
			}
		}
		// Nothing was created for the households refused.
		apps, total, err := db.FindApplications(ctxCounty, healthcell.ApplicationFilter{UnitKind: "household"})
		if err != nil || total != 2 || len(apps) != 2 {
			t.Errorf("applications: %d %v", total, err)
		}
		// Applying again: already applied.
		res, err = db.ApplyFamilies(ctxVillageA, sqltest.Village, w.camp.ID, []int64{good.ID})
		if err != nil || res[0].OK || res[0].Reason != "family.already_applied" || res[0].Detail != "applied" {
			t.Errorf("again: %+v %v", res[0], err)
		}
		// Scope and roles.
		_, err = db.ApplyFamilies(ctxVillageA, sqltest.Village2, w.camp.ID, []int64{other.ID})
		wantCode(t, err, healthcell.ENOTFOUND)
		_, err = db.ApplyFamilies(ctxVillageB, sqltest.Village, w.camp.ID, []int64{good.ID})
		wantCode(t, err, healthcell.ENOTFOUND)
		_, err = db.ApplyFamilies(ctxTownship, sqltest.Village, w.camp.ID, []int64{good.ID})
		wantCode(t, err, healthcell.EFORBIDDEN)
		_, err = db.ApplyFamilies(ctxVillageA, sqltest.Village, w.camp.ID, nil)
		wantInvalid(t, err, "households")
		// The guard holds for a single application too: the uncontracted household
		// with a passing sheet cannot apply.
		a := &healthcell.Application{CampaignID: w.camp.ID, StandardID: w.std.ID, UnitKind: "household", UnitRef: strconv.FormatInt(unc.ID, 10)}
		if err := db.CreateApplication(ctxVillageA, a); err != nil {
			t.Fatal(err)
		}
		s := &healthcell.ScoreSheet{StandardID: w.std.ID, Kind: healthcell.SheetSelf, UnitKind: "household", UnitRef: a.UnitRef, Year: 2026}
		if err := db.CreateScoreSheet(ctxVillageA, s); err != nil {
			t.Fatal(err)
		}
		yes := true
		var answers []*healthcell.Answer
		for _, it := range w.std.Items {
			answers = append(answers, &healthcell.Answer{ItemCode: it.Code, Yes: &yes})
		}
		if err := db.FillScoreSheet(ctxVillageA, s.ID, answers, nil); err != nil {
			t.Fatal(err)
		}
		_, err = db.Transition(ctxVillageA, a.ID, healthcell.TransitionRequest{Action: "apply"})
		wantInvalid(t, err, "members_contracted")
		// Once contracted, it can.
		p, _, err := db.FindPersons(ctxVillageA, healthcell.PersonFilter{HouseholdID: unc.ID})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range p {
			if _, err := db.CreateEntry(ctxVillageA, healthcell.EntryInput{Register: "contracts", PersonID: m.ID,
				Fields: map[string]string{"doctor": "李医生", "start_date": "2026-04-01", "end_date": "2027-03-31"}}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.Transition(ctxVillageA, a.ID, healthcell.TransitionRequest{Action: "apply"}); err != nil {
			t.Errorf("apply once contracted: %v", err)
		}
	})
}

// appliedFamilies applies n good households of village as its officer and
// returns their application ids.
func (w *famWorld) appliedFamilies(t testing.TB, village string, n int) []int64 {
	t.Helper()
	ctx := sqltest.As("v", healthcell.RoleVillage, village)
	var hs []int64
	for i := range n {
		hs = append(hs, w.add(t, village, fmt.Sprintf("%s-%03d", village[9:], i), famGood).ID)
	}
	w.load(t)
	res, err := w.db.ApplyFamilies(ctx, village, w.camp.ID, hs)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, r := range res {
		if !r.OK {
			t.Fatalf("apply %+v", r)
		}
		ids = append(ids, r.ApplicationID)
	}
	return ids
}

// checkSheet fills the township's check sheet of application id, passing or not.
func (w *famWorld) checkSheet(t testing.TB, id int64, pass bool) {
	t.Helper()
	a, err := w.db.FindApplication(ctxTownship, id)
	if err != nil {
		t.Fatal(err)
	}
	s := &healthcell.ScoreSheet{StandardID: a.StandardID, Kind: healthcell.SheetCheck, UnitKind: a.UnitKind, UnitRef: a.UnitRef, Year: a.Year}
	if err := w.db.CreateScoreSheet(ctxTownship, s); err != nil {
		t.Fatal(err)
	}
	var answers []*healthcell.Answer
	for _, it := range w.std.Items {
		yes := pass || it.Code != "V1"
		answers = append(answers, &healthcell.Answer{ItemCode: it.Code, Yes: &yes})
	}
	if err := w.db.FillScoreSheet(ctxTownship, s.ID, answers, nil); err != nil {
		t.Fatal(err)
	}
}

func TestDrawSample(t *testing.T) {
	ids := make([]int64, 25)
	for i := range ids {
		ids[i] = int64(100 + i)
	}
	a := sqlstore.DrawSample(ids, 10, 42)
	rev := slices.Clone(ids)
	slices.Reverse(rev)
	if b := sqlstore.DrawSample(rev, 10, 42); !slices.Equal(a, b) {
		t.Errorf("order matters: %v %v", a, b)
	}
	if len(a) != 3 || !slices.IsSorted(a) {
		t.Errorf("10%% of 25: %v", a)
	}
	// Recorded batches are verified by drawing again, so the draw must never
	// change between versions: these samples are pinned.
	if !slices.Equal(a, []int64{104, 108, 123}) {
		t.Errorf("seed 42 draws %v, want [104 108 123]", a)
	}
	if b := sqlstore.DrawSample(ids, 20, 20260501); !slices.Equal(b, []int64{102, 112, 116, 120, 123}) {
		t.Errorf("seed 20260501 draws %v, want [102 112 116 120 123]", b)
	}
	differ := false
	for seed := int64(1); seed < 20; seed++ {
		if !slices.Equal(sqlstore.DrawSample(ids, 10, seed), a) {
			differ = true
		}
	}
	if !differ {
		t.Error("every seed draws the same sample")
	}
	for _, c := range []struct{ n, pct, want int }{{5, 10, 1}, {1, 10, 1}, {10, 10, 1}, {11, 10, 2}, {8, 100, 8}, {500, 10, 50}} {
		if got := len(sqlstore.DrawSample(ids[:min(c.n, len(ids))], c.pct, 7)); c.n <= len(ids) && got != c.want {
			t.Errorf("%d at %d%%: %d drawn, want %d", c.n, c.pct, got, c.want)
		}
	}
}

func TestSampleBatchPasses(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newFamWorld(t, db)
		ids := w.appliedFamilies(t, sqltest.Village, 12)
		b, err := db.CreateSampleBatch(ctxTownship, ids, 10, 20260501)
		if err != nil {
			t.Fatal(err)
		}
		sampled := b.Sampled()
		var drawn []int64
		for _, m := range sampled {
			drawn = append(drawn, m.ApplicationID)
		}
		slices.Sort(drawn)
		if want := sqlstore.DrawSample(ids, 10, 20260501); len(sampled) != 2 || !slices.Equal(drawn, want) || b.Seed != 20260501 {
			t.Fatalf("sampled %v, want %v", drawn, want)
		}
		// The seed and the draw are in the audit log.
		hist, _, err := db.FindAudit(ctxCounty, healthcell.AuditFilter{Entity: "family_batch", EntityID: strconv.FormatInt(b.ID, 10)})
		if err != nil || len(hist) != 1 {
			t.Fatalf("audit: %d %v", len(hist), err)
		}
		// An application in an open batch cannot join another.
		_, err = db.CreateSampleBatch(ctxTownship, ids[:1], 10, 1)
		wantInvalid(t, err, "ids")
		// Not decided while a sampled household has no check sheet.
		_, err = db.DecideSampleBatch(ctxTownship, b.ID)
		wantInvalid(t, err, "sample", "sample")
		for _, m := range sampled {
			w.checkSheet(t, m.ApplicationID, true)
		}
		got, err := db.DecideSampleBatch(ctxTownship, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.State != healthcell.BatchPassed || got.DecidedBy != "township1" || !got.Redrawn {
			t.Errorf("batch: %+v", got)
		}
		for _, id := range ids {
			a, err := db.FindApplication(ctxTownship, id)
			if err != nil || a.State != "checked" {
				t.Fatalf("application %d: %v %v", id, a.State, err)
			}
			last := a.Timeline[len(a.Timeline)-1]
			if last.Action != "pass_check" || last.Comment == "" {
				t.Errorf("timeline: %+v", last)
			}
		}
		_, err = db.DecideSampleBatch(ctxTownship, b.ID)
		wantCode(t, err, healthcell.ECONFLICT)
	})
}

func TestSampleBatchFails(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newFamWorld(t, db)
		ids := w.appliedFamilies(t, sqltest.Village, 6)
		b, err := db.CreateSampleBatch(ctxTownship, ids, 50, 99)
		if err != nil {
			t.Fatal(err)
		}
		sampled := b.Sampled()
		if len(sampled) != 3 {
			t.Fatalf("sampled %d", len(sampled))
		}
		for i, m := range sampled {
			w.checkSheet(t, m.ApplicationID, i != 1) // the second one fails
		}
		got, err := db.DecideSampleBatch(ctxTownship, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.State != healthcell.BatchFailed {
			t.Fatalf("state %s", got.State)
		}
		failed := 0
		for _, m := range got.Sampled() {
			if m.Check == "failed" {
				failed++
			}
		}
		if failed != 1 {
			t.Errorf("%d failed", failed)
		}
		for _, id := range ids {
			if a, err := db.FindApplication(ctxTownship, id); err != nil || a.State != "applied" {
				t.Fatalf("application %d: %v %v", id, a.State, err)
			}
		}
		// The households are free for a new batch.
		if _, err := db.CreateSampleBatch(ctxTownship, ids, 10, 5); err != nil {
			t.Errorf("new batch: %v", err)
		}
	})
}

func TestSampleBatchScope(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newFamWorld(t, db)
		ids := w.appliedFamilies(t, sqltest.Village, 2)
		// Another township's officer: the applications read as missing.
		_, err := db.CreateSampleBatch(ctxTownship2, ids, 10, 1)
		wantInvalid(t, err, "ids", "ids")
		_, err = db.CreateSampleBatch(ctxVillageA, ids, 10, 1)
		wantCode(t, err, healthcell.EFORBIDDEN)
		_, err = db.CreateSampleBatch(ctxCounty, ids, 10, 1)
		wantCode(t, err, healthcell.EFORBIDDEN)
		_, err = db.CreateSampleBatch(ctxTownship, ids, 101, 1)
		wantInvalid(t, err, "percent")
		b, err := db.CreateSampleBatch(ctxTownship, ids, 0, 1) // the catalog's 10 %: one of two
		if err != nil || b.Percent != 10 || len(b.Sampled()) != 1 {
			t.Fatalf("default percent: %+v %v", b, err)
		}
		_, err = db.FindSampleBatch(ctxTownship2, b.ID)
		wantCode(t, err, healthcell.ENOTFOUND)
		_, err = db.FindSampleBatch(ctxVillageA, b.ID)
		wantCode(t, err, healthcell.ENOTFOUND)
		_, err = db.DecideSampleBatch(ctxTownship2, b.ID)
		wantCode(t, err, healthcell.ENOTFOUND)
		if l, err := db.FindSampleBatches(ctxTownship2); err != nil || len(l) != 0 {
			t.Errorf("township 2 lists %d", len(l))
		}
		if l, err := db.FindSampleBatches(ctxTownship); err != nil || len(l) != 1 || len(l[0].Members) != 2 {
			t.Errorf("township lists %v %v", l, err)
		}
		// A recorded sample that a fresh draw does not give shows.
		if got, err := db.FindSampleBatch(ctxTownship, b.ID); err != nil || !got.Redrawn {
			t.Fatalf("redrawn: %v %v", got, err)
		}
		if err := db.ExecForTest(context.Background(), `UPDATE family_batch_members SET sampled = NOT sampled WHERE batch_id = $1`, b.ID); err != nil {
			t.Fatal(err)
		}
		if got, err := db.FindSampleBatch(ctxTownship, b.ID); err != nil || got.Redrawn {
			t.Errorf("a changed sample reads as redrawn: %v", err)
		}
	})
}

// fillSheet fills the application's sheet of kind with every item met.
func (w *famWorld) fillSheet(t testing.TB, a *healthcell.Application, kind string) {
	t.Helper()
	sys := sqltest.System()
	s := &healthcell.ScoreSheet{StandardID: a.StandardID, Kind: kind, UnitKind: a.UnitKind, UnitRef: a.UnitRef, Year: a.Year}
	if err := w.db.CreateScoreSheet(sys, s); err != nil {
		t.Fatal(err)
	}
	var answers []*healthcell.Answer
	for _, it := range w.std.Items {
		yes := true
		answers = append(answers, &healthcell.Answer{ItemCode: it.Code, Yes: &yes})
	}
	if err := w.db.FillScoreSheet(sys, s.ID, answers, nil); err != nil {
		t.Fatal(err)
	}
}

// TestHealthyFamilyRate: named families over households, per village and
// township, current right after a naming (the per-village cache moves).
func TestHealthyFamilyRate(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newFamWorld(t, db)
		ids := w.appliedFamilies(t, sqltest.Village, 3)
		w.add(t, sqltest.Village2, "201", famGood)
		w.load(t)
		rate := func(div string) string {
			t.Helper()
			vals, err := db.IndicatorValues(ctxCounty, healthcell.IndicatorQuery{Codes: []string{"healthy_family_rate"}, Division: div, Period: "2026"})
			if err != nil {
				t.Fatal(err)
			}
			return fmtVal(vals["healthy_family_rate"][0].Value)
		}
		if got := rate(sqltest.Village); got != "0" {
			t.Errorf("before naming: %s", got)
		}
		for _, id := range ids[:2] {
			a, err := db.FindApplication(ctxCounty, id)
			if err != nil {
				t.Fatal(err)
			}
			w.fillSheet(t, a, healthcell.SheetCheck)
			a = w.step(t, a, "pass_check")
			w.fillSheet(t, a, healthcell.SheetEvaluation)
			a = w.step(t, a, "evaluate_pass")
			w.step(t, a, "name")
		}
		if v, tw := rate(sqltest.Village), rate(sqltest.Township); v != "66.67" || tw != "50" {
			t.Errorf("after naming two: village %s, township %s", v, tw)
		}
		// A period that ended before the naming does not count it.
		vals, err := db.IndicatorValues(ctxCounty, healthcell.IndicatorQuery{Codes: []string{"healthy_family_rate"}, Division: sqltest.Village, Period: "2025"})
		if err != nil || fmtVal(vals["healthy_family_rate"][0].Value) != "0" {
			t.Errorf("2025: %v %v", vals, err)
		}
	})
}

// TestApplyFamiliesKeepsAnswers: a self-assessment begun by hand keeps its
// answers; the registers fill only the rest, and eligibility follows the
// merged sheet.
func TestApplyFamiliesKeepsAnswers(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newFamWorld(t, db)
		low := w.add(t, sqltest.Village, "001", famLow)
		good := w.add(t, sqltest.Village, "002", famGood)
		w.load(t)
		begin := func(h *healthcell.Household, yes bool, codes ...string) int64 {
			t.Helper()
			a := &healthcell.Application{CampaignID: w.camp.ID, StandardID: w.std.ID, UnitKind: "household", UnitRef: strconv.FormatInt(h.ID, 10)}
			if err := db.CreateApplication(ctxVillageA, a); err != nil {
				t.Fatal(err)
			}
			s := &healthcell.ScoreSheet{StandardID: w.std.ID, Kind: healthcell.SheetSelf, UnitKind: "household", UnitRef: a.UnitRef, Year: 2026}
			if err := db.CreateScoreSheet(ctxVillageA, s); err != nil {
				t.Fatal(err)
			}
			for _, c := range codes {
				if err := db.SaveAnswer(ctxVillageA, s.ID, &healthcell.Answer{ItemCode: c, Yes: &yes, Note: "入户核实"}); err != nil {
					t.Fatal(err)
				}
			}
			return s.ID
		}
		// The officer found five of low's seven unmet items met: 80 points.
		lowSheet := begin(low, true, "1.1", "1.2", "2.1", "2.2", "2.3")
		// And good's 3.1 not met: 90 points, still passing.
		goodSheet := begin(good, false, "3.1")
		res, err := db.ApplyFamilies(ctxVillageA, sqltest.Village, w.camp.ID, []int64{low.ID, good.ID})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res {
			if !r.OK {
				t.Errorf("%s: %+v", r.Number, r)
			}
		}
		for _, c := range []struct {
			sheet int64
			item  string
			yes   bool
			note  string
		}{
			{lowSheet, "1.1", true, "入户核实"}, {lowSheet, "3.1", false, "由台账数据生成"},
			{goodSheet, "3.1", false, "入户核实"}, {goodSheet, "3.2", true, "由台账数据生成"},
		} {
			s, err := db.FindScoreSheet(ctxVillageA, c.sheet)
			if err != nil {
				t.Fatal(err)
			}
			if a := s.Answers[c.item]; a == nil || a.Yes == nil || *a.Yes != c.yes || a.Note != c.note {
				t.Errorf("sheet %d item %s: %+v", c.sheet, c.item, a)
			}
		}
	})
}

// TestApplyFamiliesFrozenSheet: a household whose self-assessment a step
// froze already gets a new edition, with the officer's answers kept and the
// registers filling the rest, rather than a conflict; the frozen sheet is
// left as it was.
func TestApplyFamiliesFrozenSheet(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newFamWorld(t, db)
		good := w.add(t, sqltest.Village, "002", famGood)
		w.load(t)
		ref := strconv.FormatInt(good.ID, 10)
		s := &healthcell.ScoreSheet{StandardID: w.std.ID, Kind: healthcell.SheetSelf, UnitKind: "household", UnitRef: ref, Year: 2026}
		if err := db.CreateScoreSheet(ctxVillageA, s); err != nil {
			t.Fatal(err)
		}
		no := false
		if err := db.SaveAnswer(ctxVillageA, s.ID, &healthcell.Answer{ItemCode: "3.1", Yes: &no, Note: "入户核实"}); err != nil {
			t.Fatal(err)
		}
		// Frozen by an earlier step (an application of the same year).
		if err := db.ExecForTest(context.Background(), `UPDATE score_sheets SET frozen_at = $1 WHERE id = $2`, sqltest.Now, s.ID); err != nil {
			t.Fatal(err)
		}
		res, err := db.ApplyFamilies(ctxVillageA, sqltest.Village, w.camp.ID, []int64{good.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(res) != 1 || !res[0].OK {
			t.Fatalf("apply: %+v", res[0])
		}
		app, err := db.FindApplication(ctxVillageA, res[0].ApplicationID)
		if err != nil {
			t.Fatal(err)
		}
		if app.State == "self_assessment" || app.Sheets[healthcell.SheetSelf] == s.ID {
			t.Fatalf("state %s, sheet %d (the frozen one is %d)", app.State, app.Sheets[healthcell.SheetSelf], s.ID)
		}
		next, err := db.FindScoreSheet(ctxVillageA, app.Sheets[healthcell.SheetSelf])
		if err != nil {
			t.Fatal(err)
		}
		if next.Edition != 2 || next.FrozenAt == nil {
			t.Errorf("new sheet: edition %d, frozen %v", next.Edition, next.FrozenAt)
		}
		if a := next.Answers["3.1"]; a == nil || a.Yes == nil || *a.Yes || a.Note != "入户核实" {
			t.Errorf("officer's answer: %+v", a)
		}
		if a := next.Answers["3.2"]; a == nil || a.Yes == nil || !*a.Yes {
			t.Errorf("registers' answer: %+v", a)
		}
		old, err := db.FindScoreSheet(ctxVillageA, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		if a := old.Answers["3.2"]; a != nil && a.Yes != nil {
			t.Errorf("the frozen sheet changed: %+v", a)
		}
	})
}
