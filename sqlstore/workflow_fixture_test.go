package sqlstore_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// flowNow is the fixed clock of workflow tests: 1 May 2026, 18:00 in Shanghai.
var flowNow = time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)

// flow is a county running a 2026 campaign, a 健康村 standard reviewed
// every three years, a 健康学校 standard and a school of the education bureau.
type flow struct {
	db        *sqlstore.DB
	camp      *healthcell.Campaign
	village   *healthcell.Standard
	school    *healthcell.Standard
	schoolID  string
	clock     *time.Time
	campaigns int
}

// flowStandard is a two-item standard for kind, passing at 10 of 20 points.
func flowStandard(code, kind, cell string) *healthcell.Standard {
	return &healthcell.Standard{
		Code: code, Name: "测试" + cell + "标准", CellType: cell, UnitKind: kind, Issuer: "测试", Source: "测试",
		TotalPoints: 20, PassScore: 10, ReviewYears: 3,
		Items: []healthcell.Item{
			{Code: "1", Section: "组织管理", Text: "成立领导小组", Points: 10, Method: "yes"},
			{Code: "2", Section: "健康环境", Text: "公共厕所整洁", Points: 10, Method: "yes"},
		},
	}
}

func newFlow(t testing.TB, db *sqlstore.DB) *flow {
	t.Helper()
	sqltest.LoadDivisions(t, db)
	f := &flow{db: db, clock: new(time.Time)}
	*f.clock = flowNow
	db.Now = func() time.Time { return *f.clock }
	sys := sqltest.System()
	f.village = flowStandard("flow-village", "village", "健康村")
	f.school = flowStandard("flow-school", "school", "健康学校")
	for _, s := range []*healthcell.Standard{f.village, f.school} {
		if err := db.CreateStandard(sys, s); err != nil {
			t.Fatal(err)
		}
	}
	u := &healthcell.Unit{Kind: "school", Name: "陵江小学", Division: sqltest.Village, Department: "县教科体局"}
	if err := db.CreateUnit(sys, u); err != nil {
		t.Fatal(err)
	}
	f.schoolID = strconv.FormatInt(u.ID, 10)
	f.camp = &healthcell.Campaign{Division: sqltest.County, Year: 2026, Name: "2026年健康细胞创建", Deadline: "2026-08-15", BulletinDays: 15,
		Targets: []healthcell.CampaignTarget{{Township: sqltest.Township, Target: 3}, {Township: sqltest.Township2, Target: 2}}}
	if err := db.CreateCampaign(sys, f.camp); err != nil {
		t.Fatal(err)
	}
	return f
}

// at sets the clock.
func (f *flow) at(t time.Time) { *f.clock = t }

// apply creates an application of a village (kind village) or of the
// school (kind school) as ctx.
func (f *flow) newApp(t testing.TB, ctx context.Context, kind, ref string) *healthcell.Application {
	t.Helper()
	return f.newAppIn(t, ctx, f.camp.ID, kind, ref)
}

// newAppIn is newApp in campaign id.
func (f *flow) newAppIn(t testing.TB, ctx context.Context, campaign int64, kind, ref string) *healthcell.Application {
	t.Helper()
	a := &healthcell.Application{CampaignID: campaign, UnitKind: kind, UnitRef: ref}
	switch kind {
	case "school":
		a.StandardID = f.school.ID
		if ref == "" {
			a.UnitRef = f.schoolID
		}
	default:
		a.StandardID = f.village.ID
	}
	if err := f.db.CreateApplication(ctx, a); err != nil {
		t.Fatalf("create application %s %s: %v", kind, ref, err)
	}
	return a
}

// sheet fills the unit's score sheet of kind for the application, passing or not.
func (f *flow) sheet(t testing.TB, a *healthcell.Application, kind string, pass bool) int64 {
	t.Helper()
	sys := sqltest.System()
	s := &healthcell.ScoreSheet{StandardID: a.StandardID, Kind: kind, UnitKind: a.UnitKind, UnitRef: a.UnitRef, Year: a.Year}
	if err := f.db.CreateScoreSheet(sys, s); err != nil {
		t.Fatal(err)
	}
	if s.FrozenAt != nil { // submitted with a step: changes go to a new edition
		n, err := f.db.NewSheetEdition(sys, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		s = n
	}
	yes := pass
	for _, code := range []string{"1", "2"} {
		if err := f.db.SaveAnswer(sys, s.ID, &healthcell.Answer{ItemCode: code, Yes: &yes}); err != nil {
			t.Fatal(err)
		}
	}
	return s.ID
}

// step takes an action as the system and fails the test on error.
func (f *flow) step(t testing.TB, a *healthcell.Application, action string, items ...healthcell.RectificationInput) *healthcell.Application {
	t.Helper()
	got, err := f.db.Transition(sqltest.System(), a.ID, healthcell.TransitionRequest{Action: action, Comment: "意见", Rectifications: items})
	if err != nil {
		t.Fatalf("%s from %s: %v", action, a.State, err)
	}
	return got
}

// oneItem is a rectification item due ten days after flowNow.
var oneItem = healthcell.RectificationInput{ItemCode: "2", Text: "公共厕所未达标", Owner: "村主任", Deadline: "2026-05-11"}

// answerAll answers every open item of a as the system.
func (f *flow) answerAll(t testing.TB, a *healthcell.Application) {
	t.Helper()
	got, err := f.db.FindApplication(sqltest.System(), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range got.Rectifications {
		if r.State == healthcell.RectOpen {
			if _, err := f.db.AnswerRectification(sqltest.System(), r.ID, "已整改", 0); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// inState returns a new application of kind (village: ref is the village
// code) brought to state by the system, with passing sheets, in a campaign
// of its own (a unit applies once per campaign and standard).
func (f *flow) inState(t testing.TB, kind, ref, state string) *healthcell.Application {
	t.Helper()
	f.campaigns++
	c := &healthcell.Campaign{Division: sqltest.County, Year: 2026, Name: fmt.Sprintf("第%d轮", f.campaigns), Deadline: "2026-08-15"}
	if err := f.db.CreateCampaign(sqltest.System(), c); err != nil {
		t.Fatal(err)
	}
	a := f.newAppIn(t, sqltest.System(), c.ID, kind, ref)
	f.sheet(t, a, healthcell.SheetSelf, true)
	f.sheet(t, a, healthcell.SheetCheck, true)
	f.sheet(t, a, healthcell.SheetEvaluation, true)
	if state == "self_assessment" {
		return a
	}
	a = f.step(t, a, "apply")
	switch state {
	case "applied":
		return a
	case "rectifying":
		a = f.step(t, a, "return_for_rectification", oneItem)
		f.answerAll(t, a)
		return a
	case "failed":
		return f.step(t, a, "fail_check")
	}
	a = f.step(t, a, "pass_check")
	if state == "checked" {
		return a
	}
	if state == "declared" {
		return f.step(t, a, "declare_to_county")
	}
	a = f.step(t, a, "evaluate_pass")
	if state == "evaluated" {
		return a
	}
	a = f.step(t, a, "name")
	if state == "named" {
		return a
	}
	a = f.step(t, a, "start_review")
	if state == "review_due" {
		return a
	}
	a = f.step(t, a, "fail_review", oneItem)
	return f.step(t, a, "revoke")
}
