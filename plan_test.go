package healthcell

import (
	"reflect"
	"testing"
)

func validPlan() *Plan {
	return &Plan{CampaignID: 1, Division: "510824000000", Year: 2026, Title: "健康村和健康家庭创建实施方案", State: PlanDraft,
		Sections: []PlanSection{{Key: "guiding", Title: "指导思想", Body: "坚持创新、协调"}},
		Goals: []PlanGoal{{Standard: "healthy-village", CellType: "健康村", Year: 2026, Kind: GoalPercent, Value: 75},
			{Standard: "healthy-family", CellType: "健康家庭", Year: 2026, Kind: GoalPercent, Value: 85}},
		Phases: []PlanPhase{{Key: "launch", Name: "部署启动阶段", Start: "2026-05-01", End: "2026-06-30"},
			{Key: "implement", Name: "推进实施阶段", Start: "2026-07-01", End: "2026-12-31", EndsApplications: true}},
		Members:    []PlanMember{{Body: "group", Role: "组长", Name: "张三", Post: "副县长", Phone: "13812345678"}},
		Tasks:      []PlanTask{{Key: "T1", Title: "健康教育宣传行动", Lead: "县卫健局", Responsible: []string{"县教科局"}, Deadline: "2026-09-30"}},
		Milestones: []PlanMilestone{{Date: "2026-09-30", Percent: 40}},
		Budget:     []PlanBudgetLine{{Key: "B1", Item: "创建补助", Amount: 100000, Source: "县财政"}},
	}
}

func TestPlanValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(p *Plan)
		fields []string
	}{
		{"valid", func(p *Plan) {}, nil},
		{"goal over 100 %", func(p *Plan) { p.Goals[0].Value = 101 }, []string{"goals.value"}},
		{"goal count fractional", func(p *Plan) { p.Goals[0].Kind, p.Goals[0].Value = GoalCount, 1.5 }, []string{"goals.value"}},
		{"goal kind", func(p *Plan) { p.Goals[0].Kind = "most" }, []string{"goals.kind"}},
		{"goal twice", func(p *Plan) { p.Goals[1].Standard = "healthy-village" }, []string{"goals.standard"}},
		{"goal township outside county", func(p *Plan) { p.Goals[0].Township = "510825100000" }, []string{"goals.township"}},
		{"phase ends before start", func(p *Plan) { p.Phases[0].End = "2026-04-30" }, []string{"phases.end"}},
		{"phase bad day", func(p *Plan) { p.Phases[0].Start = "2026-02-30" }, []string{"phases.start"}},
		{"two phases end applications", func(p *Plan) { p.Phases[0].EndsApplications = true }, []string{"phases.ends_applications"}},
		{"task without lead", func(p *Plan) { p.Tasks[0].Lead = "" }, []string{"tasks.lead"}},
		{"task without deadline", func(p *Plan) { p.Tasks[0].Deadline = "" }, []string{"tasks.deadline"}},
		{"budget below zero", func(p *Plan) { p.Budget[0].Amount = -1 }, []string{"budget.amount"}},
		{"milestone over 100", func(p *Plan) { p.Milestones[0].Percent = 120 }, []string{"milestones.percent"}},
		{"phone", func(p *Plan) { p.Members[0].Phone = "call me" }, []string{"members.phone"}},
		{"section unknown", func(p *Plan) { p.Sections[0].Key = "preface" }, []string{"sections.key"}},
		{"no title", func(p *Plan) { p.Title = "" }, []string{"title"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := validPlan()
			tt.change(p)
			p.Normalize()
			err := p.Validate()
			var got []string
			if e, ok := err.(*Error); ok {
				for _, f := range e.Fields {
					got = append(got, f.Field)
				}
			} else if err != nil {
				t.Fatalf("error %v", err)
			}
			if !reflect.DeepEqual(got, tt.fields) {
				t.Fatalf("fields %v, want %v", got, tt.fields)
			}
		})
	}
}

func TestCleanPlanText(t *testing.T) {
	if got := CleanPlanText(" a\r\nb\x00c\x1b \n"); got != "a\nbc" {
		t.Fatalf("got %q", got)
	}
}

// The progress tests count by hand: township A has 8 villages (75 % → 6)
// with namings on 06-30 and 07-01 (the first day of 推进实施) and 07-10;
// township B has 3 villages (→ 3) and none named; the forest farm has no
// villages and no row.
func TestComputeProgress(t *testing.T) {
	p := validPlan()
	p.Goals = p.Goals[:1]
	p.Milestones = []PlanMilestone{{Date: "2026-07-01", Percent: 20}, {Date: "2026-09-30", Percent: 40}}
	p.Tasks = append(p.Tasks, PlanTask{Key: "T2", Title: "环境整治", Lead: "县环卫局", Deadline: "2026-07-10"},
		PlanTask{Key: "T3", Title: "绿色产业", Lead: "县农业局", Deadline: "2026-12-31"})
	f := &PlanFacts{
		Townships:  map[string]string{"510824100000": "甲镇", "510824101000": "乙乡", "510824400000": "林场"},
		Eligible:   map[string]map[string]int{"healthy-village": {"510824100000": 8, "510824101000": 3}},
		Named:      map[string]map[string][]string{"healthy-village": {"510824100000": {"2026-06-30", "2026-07-01", "2026-07-10"}}},
		InProgress: map[string]map[string]int{"healthy-village": {"510824100000": 2, "510824101000": 1}},
		Reports:    map[string]int{"T1": 100, "T2": 50},
	}
	// On 2026-07-10: 71 days since 05-01 (31 + 30 + 10, both counted), 3
	// named in A: pace 3/71 a day; 3 more need 71 days → 2026-09-19.
	got := ComputeProgress(p, f, "2026-07-10")
	if len(got.Rows) != 2 {
		t.Fatalf("%d rows: a township without villages has no percentage goal", len(got.Rows))
	}
	a, b := got.Rows[0], got.Rows[1]
	if a.Target != 6 || a.Named != 3 || a.InProgress != 2 || a.Rate != 50 || a.Forecast != ForecastOnPace || a.ForecastDay != "2026-09-19" {
		t.Fatalf("A %+v", a)
	}
	if b.Target != 3 || b.Named != 0 || b.Forecast != ForecastNever {
		t.Fatalf("B %+v", b)
	}
	tot := got.Totals[0]
	// County: 3 of 9 at 3/71 a day: 6 more in 142 days → 2026-11-29.
	if tot.Target != 9 || tot.Named != 3 || tot.ForecastDay != "2026-11-29" || tot.Forecast != ForecastOnPace {
		t.Fatalf("total %+v", tot)
	}
	// Milestone 07-01 (20 % of 9 → 2): two named by 07-01 → met once the day has passed.
	if m := got.Milestones[0]; m.Expected != 2 || m.Named != 2 || m.State != MilestoneMet {
		t.Fatalf("milestone 1 %+v", m)
	}
	// Milestone 09-30 (40 % of 9 → 4): three named so far → behind.
	if m := got.Milestones[1]; m.Expected != 4 || m.Named != 3 || m.State != MilestoneBehind {
		t.Fatalf("milestone 2 %+v", m)
	}
	// T2's deadline is today: not overdue yet.
	if got.Tasks != (TaskCounts{Done: 1, InProgress: 1, NotStarted: 1}) {
		t.Fatalf("tasks %+v", got.Tasks)
	}
	// On the milestone's own day it is still to come; the naming of
	// 07-01 counts on 07-01.
	day := ComputeProgress(p, f, "2026-07-01")
	if m := day.Milestones[0]; m.Named != 2 || m.State != MilestoneOnTrack {
		t.Fatalf("milestone on its day %+v", m)
	}
	if day.Rows[0].Named != 2 {
		t.Fatalf("named on 07-01: %d", day.Rows[0].Named)
	}
	// The day after T2's deadline it is overdue.
	next := ComputeProgress(p, f, "2026-07-11")
	if next.Tasks.Overdue != 1 || next.Overdue[0].Key != "T2" {
		t.Fatalf("overdue %+v", next.Tasks)
	}
	// Late: one named in A on 12-01 from a 05-01 start → 6 would take to 2027.
	f.Named["healthy-village"]["510824100000"] = []string{"2026-12-01"}
	late := ComputeProgress(p, f, "2026-12-01")
	if late.Rows[0].Forecast != ForecastLate {
		t.Fatalf("late %+v", late.Rows[0])
	}
	// Reached.
	f.Named["healthy-village"]["510824101000"] = []string{"2026-08-01", "2026-08-02", "2026-08-03"}
	if r := ComputeProgress(p, f, "2026-08-03").Rows[1]; r.Forecast != ForecastReached || r.Rate != 100 {
		t.Fatalf("reached %+v", r)
	}
	// Before the plan starts nothing is forecast.
	if r := ComputeProgress(p, f, "2026-04-30").Rows[0]; r.Named != 0 || r.Forecast != ForecastNever {
		t.Fatalf("before start %+v", r)
	}
}
