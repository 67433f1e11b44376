package sqlstore_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"testing"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/catalog/standards"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// Five villages of 陵江镇 that are not communities.
var planVillages = []string{"510824100205", "510824100206", "510824100224", "510824100226", "510824100228"}

func actorCtx(role healthcell.Role, scope, dept string) context.Context {
	return healthcell.WithActor(context.Background(), &healthcell.Actor{UserID: 40, Username: string(role) + dept, Role: role, Scope: scope, Department: dept})
}

// testPlan is flow's campaign plan: 健康村 at 25 % of the villages of 陵江镇
// and 云峰镇 (陵江镇 and 云峰镇 have 18 each → 5), one school in 陵江镇, and
// applications ending with 推进实施 on 30 September.
func testPlan(f *flow) *healthcell.Plan {
	return &healthcell.Plan{CampaignID: f.camp.ID, Title: "健康村创建实施方案",
		Sections: []healthcell.PlanSection{{Key: "guiding", Title: "指导思想", Body: "以人民健康为中心"}},
		Goals: []healthcell.PlanGoal{{Standard: "flow-village", Year: 2026, Township: sqltest.Township, Kind: healthcell.GoalPercent, Value: 25},
			{Standard: "flow-village", Year: 2026, Township: sqltest.Township2, Kind: healthcell.GoalPercent, Value: 25},
			{Standard: "flow-school", Year: 2026, Township: sqltest.Township, Kind: healthcell.GoalCount, Value: 1}},
		Pilots: []healthcell.PlanPilot{{Township: sqltest.Township, Village: planVillages[0]}, {Township: sqltest.Township2, Village: "510824102204"}},
		Phases: []healthcell.PlanPhase{{Key: "launch", Name: "部署启动阶段", Start: "2026-05-01", End: "2026-06-30"},
			{Key: "implement", Name: "推进实施阶段", Start: "2026-07-01", End: "2026-09-30", EndsApplications: true},
			{Key: "accept", Name: "验收阶段", Start: "2026-10-01", End: "2026-12-31"}},
		Members: []healthcell.PlanMember{{Body: "group", Role: "组长", Name: "王副县长", Post: "县政府副县长", Phone: "13812345678"}},
		Tasks: []healthcell.PlanTask{{Key: "T1", Title: "健康教育宣传行动", Lead: "县卫健局", Responsible: []string{"县教科体局", healthcell.TownshipsResponsible}, Deadline: "2026-05-10"},
			{Key: "T2", Title: "环境综合整治行动", Lead: "县环卫局", Deadline: "2026-12-31"}},
		Milestones: []healthcell.PlanMilestone{{Date: "2026-06-30", Label: "二季度", Percent: 20, Standard: "flow-village"}},
		Budget:     []healthcell.PlanBudgetLine{{Key: "B1", Item: "健康村创建补助", Amount: 200000, Source: "县财政", UnitSubsidy: 20000, Condition: "验收不合格则扣除"}},
	}
}

func fieldsOf(err error) []string {
	e, ok := err.(*healthcell.Error)
	if !ok {
		return nil
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Field)
	}
	return out
}

func TestPlanSaveAndScope(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFlow(t, db)
		sys := sqltest.System()
		// Refused input stores nothing.
		for _, tc := range []struct {
			name   string
			change func(p *healthcell.Plan)
			field  string
		}{
			{"goal over 100 %", func(p *healthcell.Plan) { p.Goals[0].Value = 120 }, "goals.value"},
			{"phase ends before it starts", func(p *healthcell.Plan) { p.Phases[0].End = "2026-04-01" }, "phases.end"},
			{"task without lead", func(p *healthcell.Plan) { p.Tasks[0].Lead = " " }, "tasks.lead"},
			{"budget below zero", func(p *healthcell.Plan) { p.Budget[0].Amount = -5 }, "budget.amount"},
			{"unknown standard", func(p *healthcell.Plan) { p.Goals[0].Standard = "no-such" }, "goals.standard"},
		} {
			p := testPlan(f)
			tc.change(p)
			err := db.SavePlan(sys, p)
			if healthcell.ErrorCode(err) != healthcell.EINVALID || len(fieldsOf(err)) != 1 || fieldsOf(err)[0] != tc.field {
				t.Fatalf("%s: %v %v", tc.name, err, fieldsOf(err))
			}
			if _, err := db.FindPlan(sys, f.camp.ID); healthcell.ErrorCode(err) != healthcell.ENOTFOUND {
				t.Fatalf("%s: stored: %v", tc.name, err)
			}
		}
		town := actorCtx(healthcell.RoleTownship, sqltest.Township, "")
		dept := actorCtx(healthcell.RoleDepartment, sqltest.County, "县教科体局")
		viewer := actorCtx(healthcell.RoleViewer, sqltest.County, "")
		if err := db.SavePlan(town, testPlan(f)); healthcell.ErrorCode(err) != healthcell.EFORBIDDEN {
			t.Fatalf("township saves: %v", err)
		}
		p := testPlan(f)
		if err := db.SavePlan(sys, p); err != nil {
			t.Fatal(err)
		}
		if p.Version != 1 || p.Goals[0].CellType != "健康村" {
			t.Fatalf("saved %+v", p)
		}
		c, _ := db.FindCampaign(sys, f.camp.ID)
		if c.Deadline != "2026-09-30" {
			t.Fatalf("campaign deadline %q, want the end of 推进实施", c.Deadline)
		}
		// A draft is the county office's alone.
		if _, err := db.FindPlan(town, f.camp.ID); healthcell.ErrorCode(err) != healthcell.ENOTFOUND {
			t.Fatalf("township reads a draft: %v", err)
		}
		stale := testPlan(f)
		if err := db.SavePlan(sys, stale); healthcell.ErrorCode(err) != healthcell.ECONFLICT {
			t.Fatalf("second plan: %v", err)
		}
		if _, err := db.PublishPlan(sys, f.camp.ID, 1); err != nil {
			t.Fatal(err)
		}
		if _, err := db.PublishPlan(sys, f.camp.ID, 0); healthcell.ErrorCode(err) != healthcell.ECONFLICT {
			t.Fatalf("published twice: %v", err)
		}
		got, err := db.FindPlan(town, f.camp.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Members[0].Phone != "138****5678" || len(got.Pilots) != 1 || len(got.Goals) != 2 || got.Goals[0].Township != sqltest.Township {
			t.Fatalf("township reads %+v %+v %+v", got.Members, got.Pilots, got.Goals)
		}
		town2 := actorCtx(healthcell.RoleTownship, sqltest.Township2, "")
		got, _ = db.FindPlan(town2, f.camp.ID)
		if len(got.Goals) != 1 || got.Pilots[0].Township != sqltest.Township2 {
			t.Fatalf("云峰镇 reads another township's goals: %+v", got.Goals)
		}
		for _, ctx := range []context.Context{dept, viewer} {
			got, err := db.FindPlan(ctx, f.camp.ID)
			if err != nil || got.Members[0].Phone != "138****5678" {
				t.Fatalf("masked read: %v %+v", err, got)
			}
		}
		if got, _ := db.FindPlan(sys, f.camp.ID); got.Members[0].Phone != "13812345678" || got.State != healthcell.PlanPublished || got.Version != 2 {
			t.Fatalf("county reads %+v", got)
		}
		unit := actorCtx(healthcell.RoleUnit, sqltest.Village, "")
		if _, err := db.FindPlan(unit, f.camp.ID); healthcell.ErrorCode(err) != healthcell.ENOTFOUND {
			t.Fatalf("unit reads: %v", err)
		}
		other := actorCtx(healthcell.RoleCountyAdmin, "510825000000", "")
		if _, err := db.FindPlan(other, f.camp.ID); healthcell.ErrorCode(err) != healthcell.ENOTFOUND {
			t.Fatalf("another county reads: %v", err)
		}
		// Reports: a responsible department and, for 各乡镇人民政府, a township.
		if err := db.ReportTask(dept, &healthcell.PlanTaskReport{CampaignID: f.camp.ID, Task: "T1", Note: "已印发手册", Percent: 40}); err != nil {
			t.Fatal(err)
		}
		if err := db.ReportTask(town, &healthcell.PlanTaskReport{CampaignID: f.camp.ID, Task: "T1", Note: "已召开动员会", Percent: 60}); err != nil {
			t.Fatal(err)
		}
		agri := actorCtx(healthcell.RoleDepartment, sqltest.County, "县农业局")
		for _, ctx := range []context.Context{agri, viewer} {
			if err := db.ReportTask(ctx, &healthcell.PlanTaskReport{CampaignID: f.camp.ID, Task: "T1", Note: "x", Percent: 10}); healthcell.ErrorCode(err) != healthcell.EFORBIDDEN {
				t.Fatalf("not a responsible department: %v", err)
			}
		}
		if err := db.ReportTask(dept, &healthcell.PlanTaskReport{CampaignID: f.camp.ID, Task: "T1", Note: "x", Percent: 101}); healthcell.ErrorCode(err) != healthcell.EINVALID {
			t.Fatalf("101 %%: %v", err)
		}
		if err := db.RecordSpending(sys, &healthcell.PlanSpending{CampaignID: f.camp.ID, Line: "B1", Amount: 20000, SpentOn: "2026-05-01"}); err != nil {
			t.Fatal(err)
		}
		if err := db.RecordSpending(sys, &healthcell.PlanSpending{CampaignID: f.camp.ID, Line: "B9", Amount: 1, SpentOn: "2026-05-01"}); healthcell.ErrorCode(err) != healthcell.EINVALID {
			t.Fatalf("unknown line: %v", err)
		}
		got, _ = db.FindPlan(sys, f.camp.ID)
		if got.Tasks[0].Progress != 60 || len(got.Reports) != 2 || got.Reports[0].Department != healthcell.TownshipsResponsible || got.Budget[0].Spent != 20000 {
			t.Fatalf("activity %+v %+v %+v", got.Tasks[0], got.Reports, got.Budget)
		}
		// 1 May 18:00 in Shanghai: T1 (10 May) is not overdue yet.
		if got.Tasks[0].Overdue {
			t.Fatal("T1 overdue before its deadline")
		}
	})
}

func TestPlanProgress(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFlow(t, db)
		sys := sqltest.System()
		p := testPlan(f)
		p.State = healthcell.PlanPublished
		if err := db.SavePlan(sys, p); err != nil {
			t.Fatal(err)
		}
		// Name two villages of 陵江镇: one at 23:59 on 30 June in Shanghai,
		// one at 00:00 on 1 July (16:00 UTC on 30 June); a third is applied.
		name := func(village string, at time.Time) {
			f.at(at.Add(-time.Hour))
			a := f.newApp(t, sys, "village", village)
			f.sheet(t, a, healthcell.SheetSelf, true)
			f.sheet(t, a, healthcell.SheetCheck, true)
			f.sheet(t, a, healthcell.SheetEvaluation, true)
			for _, step := range []string{"apply", "pass_check", "evaluate_pass"} {
				a = f.step(t, a, step)
			}
			f.at(at)
			f.step(t, a, "name")
		}
		name(planVillages[0], time.Date(2026, 6, 30, 15, 59, 0, 0, time.UTC))
		name(planVillages[1], time.Date(2026, 6, 30, 16, 0, 0, 0, time.UTC))
		a := f.newApp(t, sys, "village", planVillages[2])
		f.sheet(t, a, healthcell.SheetSelf, true)
		f.step(t, a, "apply")

		// 30 June: one named. Goal 25 % of 18 → 5. 61 days since 1 May
		// (31 + 30): 4 more at 1/61 a day need 244 days → 2027-03-01, late.
		got, err := db.PlanProgress(sys, f.camp.ID, "2026-06-30")
		if err != nil {
			t.Fatal(err)
		}
		ling := got.Rows[0]
		if ling.Township != sqltest.Township {
			ling = got.Rows[1]
		}
		if ling.Standard != "flow-village" || ling.Eligible != 18 || ling.Target != 5 || ling.Named != 1 || ling.InProgress != 1 ||
			ling.Forecast != healthcell.ForecastLate || ling.ForecastDay != "2027-03-01" {
			t.Fatalf("30 June %+v", ling)
		}
		// The milestone of 30 June (20 % of 5 + 5 → 2) is behind on its day.
		if m := got.Milestones[0]; m.Expected != 2 || m.Named != 1 || m.State != healthcell.MilestoneBehind {
			t.Fatalf("milestone on 30 June %+v", m)
		}
		// 1 July: two named in 62 days; 3 more need ceil(3·31) = 93 days →
		// 2 October, on pace. The milestone (day passed, 1 named by it) is missed.
		got, _ = db.PlanProgress(sys, f.camp.ID, "2026-07-01")
		for _, r := range got.Rows {
			if r.Standard == "flow-village" && r.Township == sqltest.Township {
				if r.Named != 2 || r.Forecast != healthcell.ForecastOnPace || r.ForecastDay != "2026-10-02" || r.Rate != 40 {
					t.Fatalf("1 July %+v", r)
				}
			}
			if r.Standard == "flow-village" && r.Township == sqltest.Township2 && (r.Target != 5 || r.Forecast != healthcell.ForecastNever) {
				t.Fatalf("云峰镇 %+v", r)
			}
			if r.Standard == "flow-school" && (r.Township != sqltest.Township || r.Eligible != 1 || r.Target != 1) {
				t.Fatalf("school %+v", r)
			}
		}
		if m := got.Milestones[0]; m.State != healthcell.MilestoneMissed || m.Named != 1 {
			t.Fatalf("milestone on 1 July %+v", m)
		}
		// T1 (10 May, no report) is overdue from 11 May.
		if got.Tasks.Overdue != 1 || got.Overdue[0].Key != "T1" {
			t.Fatalf("tasks %+v", got.Tasks)
		}
		if got, _ := db.PlanProgress(sys, f.camp.ID, "2026-05-10"); got.Tasks.Overdue != 0 {
			t.Fatalf("overdue on its deadline %+v", got.Tasks)
		}
		// The day before the first phase (部署启动, 1 May) nothing is counted
		// or forecast; on 30 September (the last day of 推进实施) both namings count.
		if got, _ := db.PlanProgress(sys, f.camp.ID, "2026-04-30"); got.Start != "2026-05-01" || got.Totals[0].Named != 0 || got.Totals[0].Forecast != healthcell.ForecastNever {
			t.Fatalf("before the plan: %+v", got.Totals)
		}
		if got, _ := db.PlanProgress(sys, f.camp.ID, "2026-09-30"); got.Totals[0].Named != 2 {
			t.Fatalf("on the last day of 推进实施: %+v", got.Totals)
		}
		// A township sees its own rows.
		town2 := actorCtx(healthcell.RoleTownship, sqltest.Township2, "")
		mine, err := db.PlanProgress(town2, f.camp.ID, "2026-07-01")
		if err != nil || len(mine.Rows) != 1 || mine.Rows[0].Township != sqltest.Township2 || len(mine.Totals) != 1 || mine.Totals[0].Target != 5 {
			t.Fatalf("township progress %v %+v", err, mine)
		}
		// The campaign deadline follows the phase: applications close at
		// the end of 30 September in Shanghai.
		f.at(time.Date(2026, 9, 30, 15, 59, 0, 0, time.UTC))
		late := f.newApp(t, sys, "village", planVillages[3])
		f.sheet(t, late, healthcell.SheetSelf, true)
		f.step(t, late, "apply")
		f.at(time.Date(2026, 9, 30, 16, 0, 0, 0, time.UTC))
		later := f.newApp(t, sys, "village", planVillages[4])
		f.sheet(t, later, healthcell.SheetSelf, true)
		if _, err := db.Transition(sys, later.ID, healthcell.TransitionRequest{Action: "apply"}); healthcell.ErrorCode(err) != healthcell.EINVALID {
			t.Fatalf("apply after the phase: %v", err)
		}
	})
}

func TestPlanTemplateAndCopy(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFlow(t, db)
		sys := sqltest.System()
		if err := loadShippedStandards(sys, db); err != nil {
			t.Fatal(err)
		}
		town := actorCtx(healthcell.RoleTownship, sqltest.Township, "")
		if _, err := db.ApplyPlanTemplate(town, f.camp.ID, "healthy-village-county", 0); healthcell.ErrorCode(err) != healthcell.EFORBIDDEN {
			t.Fatalf("township applies a template: %v", err)
		}
		if _, err := db.ApplyPlanTemplate(sys, f.camp.ID, "no-such", 0); healthcell.ErrorCode(err) != healthcell.ENOTFOUND {
			t.Fatalf("unknown template: %v", err)
		}
		p, err := db.ApplyPlanTemplate(sys, f.camp.ID, "healthy-village-county", 0)
		if err != nil {
			t.Fatal(err)
		}
		if p.Goals[0].CellType != "健康村" || len(p.Tasks) != 8 {
			t.Fatalf("applied %+v", p.Goals)
		}
		if c, _ := db.FindCampaign(sys, f.camp.ID); c.Deadline != "2026-12-31" {
			t.Fatalf("deadline %q", c.Deadline)
		}
		next := &healthcell.Campaign{Division: sqltest.County, Year: 2027, Name: "2027年健康细胞创建"}
		if err := db.CreateCampaign(sys, next); err != nil {
			t.Fatal(err)
		}
		n, err := db.CopyPlan(sys, next.ID, f.camp.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		if n.Phases[0].Start != "2027-05-01" || n.Goals[0].Year != 2027 || n.Title != "2027年健康村和健康家庭创建工作实施方案" {
			t.Fatalf("copied %+v %+v", n.Phases[0], n.Goals[0])
		}
		// Copying again over the stored plan needs its version.
		if _, err := db.CopyPlan(sys, next.ID, f.camp.ID, 0); healthcell.ErrorCode(err) != healthcell.ECONFLICT {
			t.Fatalf("copy over a plan without its version: %v", err)
		}
	})
}

// loadShippedStandards stores the catalog's standards.
func loadShippedStandards(ctx context.Context, db *sqlstore.DB) error {
	all, err := standards.Shipped()
	if err != nil {
		return err
	}
	for _, s := range all {
		if err := db.CreateStandard(ctx, s); err != nil {
			return err
		}
	}
	return nil
}

func TestPlanQueueAndBulletin(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFlow(t, db)
		sys := sqltest.System()
		p := testPlan(f)
		p.State = healthcell.PlanPublished
		if err := db.SavePlan(sys, p); err != nil {
			t.Fatal(err)
		}
		dept := actorCtx(healthcell.RoleDepartment, sqltest.County, "县教科体局")
		agri := actorCtx(healthcell.RoleDepartment, sqltest.County, "县农业局")
		town := actorCtx(healthcell.RoleTownship, sqltest.Township, "")
		// T1 is due 10 May: at 23:59 that day in Shanghai nothing is overdue,
		// at 00:00 on 11 May it is, for its departments and the townships.
		f.at(time.Date(2026, 5, 10, 15, 59, 0, 0, time.UTC))
		if q, err := db.Queue(dept); err != nil || len(q.PlanTasks) != 0 {
			t.Fatalf("queue on the deadline: %v %+v", err, q)
		}
		f.at(time.Date(2026, 5, 10, 16, 0, 0, 0, time.UTC))
		for _, ctx := range []context.Context{dept, town, sys} {
			q, err := db.Queue(ctx)
			if err != nil || len(q.PlanTasks) != 1 || q.PlanTasks[0].Key != "T1" || q.PlanTasks[0].CampaignName != f.camp.Name {
				t.Fatalf("queue after the deadline: %v %+v", err, q)
			}
		}
		if q, _ := db.Queue(agri); len(q.PlanTasks) != 0 {
			t.Fatalf("another department's task queued: %+v", q.PlanTasks)
		}
		b, err := db.IssueBulletin(sys, f.camp.ID)
		if err != nil {
			t.Fatal(err)
		}
		// 陵江镇: 25 % of 18 villages → 5, and one school → 6; 云峰镇 5;
		// the campaign's own targets (3 and 2) are not used.
		tg := map[string]int{}
		for _, r := range b.Rows {
			tg[r.Township] = r.Target
		}
		if !b.PlanBased || tg[sqltest.Township] != 6 || tg[sqltest.Township2] != 5 || b.Total.Target != 11 ||
			len(b.OverdueTasks) != 1 || b.OverdueTasks[0].Lead != "县卫健局" {
			t.Fatalf("bulletin %+v %+v", tg, b)
		}
		// Readers of the published plan see its overdue tasks in the
		// bulletin; a unit contact, who reads no plan, does not.
		for ctx, want := range map[context.Context]int{ctxViewer: 1, agri: 1, town: 1, ctxUnit: 0} {
			if got, err := db.FindBulletin(ctx, b.ID); err != nil || len(got.OverdueTasks) != want {
				t.Errorf("bulletin's overdue tasks: %v %+v, want %d", err, got, want)
			}
		}
		// A full report takes the task out of the queue.
		if err := db.ReportTask(dept, &healthcell.PlanTaskReport{CampaignID: f.camp.ID, Task: "T1", Note: "完成", Percent: 100}); err != nil {
			t.Fatal(err)
		}
		if q, _ := db.Queue(dept); len(q.PlanTasks) != 0 {
			t.Fatalf("done task queued: %+v", q.PlanTasks)
		}
	})
}

func TestPlanGaps(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFlow(t, db)
		sys := sqltest.System()
		// A village whose self-assessment fails item 2, one without a sheet,
		// and a named one (no gaps).
		a := f.newApp(t, sys, "village", planVillages[0])
		s := &healthcell.ScoreSheet{StandardID: a.StandardID, Kind: healthcell.SheetSelf, UnitKind: a.UnitKind, UnitRef: a.UnitRef, Year: a.Year}
		if err := db.CreateScoreSheet(sys, s); err != nil {
			t.Fatal(err)
		}
		yes, no := true, false
		for code, v := range map[string]*bool{"1": &yes, "2": &no} {
			if err := db.SaveAnswer(sys, s.ID, &healthcell.Answer{ItemCode: code, Yes: v}); err != nil {
				t.Fatal(err)
			}
		}
		f.newApp(t, sys, "village", planVillages[1])
		g, err := db.PlanGaps(sys, f.camp.ID, planVillages[0])
		if err != nil {
			t.Fatal(err)
		}
		if len(g.Units) != 1 || len(g.Units[0].Items) != 1 || g.Units[0].Items[0].Code != "2" || g.Units[0].SheetID != s.ID || !g.Units[0].Items[0].Answered {
			t.Fatalf("village gaps %+v", g.Units)
		}
		if g, _ := db.PlanGaps(sys, f.camp.ID, planVillages[1]); len(g.Units) != 1 || len(g.Units[0].Items) != 2 || g.Units[0].SheetID != 0 {
			t.Fatalf("gaps without a sheet %+v", g.Units)
		}
		town, err := db.PlanGaps(sys, f.camp.ID, sqltest.Township)
		if err != nil || len(town.Villages) != 2 || len(town.Units) != 0 {
			t.Fatalf("township gaps %v %+v", err, town)
		}
		other := actorCtx(healthcell.RoleTownship, sqltest.Township2, "")
		if _, err := db.PlanGaps(other, f.camp.ID, planVillages[0]); healthcell.ErrorCode(err) != healthcell.ENOTFOUND {
			t.Fatalf("another township's village: %v", err)
		}
		// The township turns item 2 into a rectification item, once.
		ling := actorCtx(healthcell.RoleTownship, sqltest.Township, "")
		viewer := actorCtx(healthcell.RoleViewer, sqltest.County, "")
		if _, err := db.GapToRectification(viewer, a.ID, "2", "2026-05-20"); healthcell.ErrorCode(err) != healthcell.EFORBIDDEN {
			t.Fatalf("viewer: %v", err)
		}
		if _, err := db.GapToRectification(ling, a.ID, "9", "2026-05-20"); healthcell.ErrorCode(err) != healthcell.EINVALID {
			t.Fatalf("unknown item: %v", err)
		}
		if _, err := db.GapToRectification(ling, a.ID, "2", "2026-04-20"); healthcell.ErrorCode(err) != healthcell.EINVALID {
			t.Fatalf("deadline in the past: %v", err)
		}
		r, err := db.GapToRectification(ling, a.ID, "2", "2026-05-20")
		if err != nil {
			t.Fatal(err)
		}
		if r.CheckerLevel != "township" || r.Text != "公共厕所整洁" || r.State != healthcell.RectOpen {
			t.Fatalf("item %+v", r)
		}
		if _, err := db.GapToRectification(ling, a.ID, "2", "2026-05-20"); healthcell.ErrorCode(err) != healthcell.ECONFLICT {
			t.Fatalf("twice: %v", err)
		}
		g, _ = db.PlanGaps(ling, f.camp.ID, planVillages[0])
		if g.Units[0].Items[0].Rectification != r.ID {
			t.Fatalf("the item does not show its rectification: %+v", g.Units[0].Items[0])
		}
		// The village sees it to fix.
		if q, _ := db.Queue(actorCtx(healthcell.RoleVillage, planVillages[0], "")); len(q.ToFix) != 1 {
			t.Fatalf("village queue %+v", q.ToFix)
		}
	})
}

func TestPlanReportFiles(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFlow(t, db)
		sys := sqltest.System()
		p := testPlan(f)
		p.State = healthcell.PlanPublished
		if err := db.SavePlan(sys, p); err != nil {
			t.Fatal(err)
		}
		dept := actorCtx(healthcell.RoleDepartment, sqltest.County, "县教科体局")
		rep := &healthcell.PlanTaskReport{CampaignID: f.camp.ID, Task: "T1", Note: "已开展宣传", Percent: 30}
		if err := db.ReportTask(dept, rep); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		img := image.NewRGBA(image.Rect(0, 0, 40, 30))
		img.Set(3, 3, color.RGBA{R: 200, A: 255})
		if err := png.Encode(&buf, img); err != nil {
			t.Fatal(err)
		}
		town := actorCtx(healthcell.RoleTownship, sqltest.Township, "")
		if _, err := db.AddTaskReportFile(town, rep.ID, "photo.png", buf.Bytes()); healthcell.ErrorCode(err) != healthcell.ENOTFOUND {
			t.Fatalf("someone else's report: %v", err)
		}
		if _, err := db.AddTaskReportFile(dept, rep.ID, "notes.txt", []byte("plain text")); healthcell.ErrorCode(err) != healthcell.EINVALID {
			t.Fatalf("a text file: %v", err)
		}
		e, err := db.AddTaskReportFile(dept, rep.ID, "宣传照片.png", buf.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.FindPlan(town, f.camp.ID)
		if err != nil || len(got.Reports) != 1 || len(got.Reports[0].Files) != 1 || got.Reports[0].Files[0].ID != e.ID {
			t.Fatalf("reports %v %+v", err, got)
		}
		ev, data, err := db.PlanFile(town, e.ID, false)
		if err != nil || ev.MIME != "image/png" || !bytes.Equal(data, buf.Bytes()) {
			t.Fatalf("file: %v %+v", err, ev)
		}
		other := actorCtx(healthcell.RoleCountyAdmin, "510825000000", "")
		if _, _, err := db.PlanFile(other, e.ID, false); healthcell.ErrorCode(err) != healthcell.ENOTFOUND {
			t.Fatalf("another county reads the file: %v", err)
		}
		if _, _, err := db.PlanFile(sys, e.ID+100, false); healthcell.ErrorCode(err) != healthcell.ENOTFOUND {
			t.Fatalf("no such file: %v", err)
		}
	})
}
