package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
)

// demoPlanMembers are the demo plan's leading group and office (fictional
// people; the posts are those of seed 001's 苍溪 plan).
var demoPlanMembers = []healthcell.PlanMember{
	{Body: "group", Role: "组长", Name: "李建华", Post: "县政府副县长", Phone: "13908390001"},
	{Body: "group", Role: "副组长", Name: "王晓东", Post: "县卫健局局长", Phone: "13908390002"},
	{Body: "group", Role: "成员", Name: "陈立", Post: "县教科体局副局长", Phone: "13908390003"},
	{Body: "group", Role: "成员", Name: "赵敏", Post: "县农业局副局长", Phone: "13908390004"},
	{Body: "group", Role: "成员", Name: "周强", Post: "县环卫局副局长", Phone: "13908390005"},
	{Body: "office", Role: "办公室主任", Name: "刘芳", Post: "县卫健局副局长", Phone: "13908390006"},
}

// demoPlan gives the demo campaign its work plan, once (nothing when it has
// one): seed 001's 苍溪 plan from the healthy-village-county template — 75 %
// of villages and 85 % of families, its phases, its eight tasks with their
// departments — with a leading group, a pilot village in every township, a
// budget with some spending, and tasks in every state: done, in progress,
// overdue and not started (their deadlines set around today).
func (m *Main) demoPlan(ctx context.Context, db *sqlstore.DB) error {
	sys := system(ctx)
	cs, err := db.FindCampaigns(sys)
	if err != nil || len(cs) == 0 {
		return err
	}
	camp := cs[0]
	if _, err := db.FindPlan(sys, camp.ID); err == nil {
		return nil
	}
	realNow := db.Now
	defer func() { db.Now = realNow }()
	today := realNow()
	clock := today.AddDate(0, 0, -45)
	db.Now = func() time.Time { return clock }
	p, err := db.ApplyPlanTemplate(sys, camp.ID, "healthy-village-county", 0)
	if err != nil {
		return fmt.Errorf("demo plan: %w", err)
	}
	day := func(n int) string { return healthcell.CampaignDay(today.AddDate(0, 0, n)) }
	p.Members = demoPlanMembers
	county, err := db.FindDivision(sys, camp.Division)
	if err != nil {
		return err
	}
	for _, town := range county.Children {
		vs, err := db.FindVillages(sys, town.Code)
		if err != nil {
			return err
		}
		// The first administrative village (村, not a 社区) of the township.
		for _, v := range vs {
			if !demoWorkflowSkip[v.Code] && !strings.Contains(v.Name, "社区") {
				p.Pilots = append(p.Pilots, healthcell.PlanPilot{Township: town.Code, Village: v.Code})
				break
			}
		}
	}
	// Deadlines around today, so that every state shows: T1 and T2 are
	// done, T3 and T5 under way, T4 and T6 overdue, T7 and T8 not started.
	deadlines := map[string]string{"T1": day(-20), "T2": day(-5), "T3": day(40), "T4": day(-10), "T5": day(25), "T6": day(-3), "T7": day(60), "T8": day(90)}
	for i := range p.Tasks {
		if d, ok := deadlines[p.Tasks[i].Key]; ok {
			p.Tasks[i].Deadline = d
		}
	}
	p.Budget = []healthcell.PlanBudgetLine{
		{Key: "B1", Item: "健康村创建以奖代补", Amount: 2000000, Source: "县财政预算", UnitSubsidy: 20000, Condition: "验收不合格则扣除相应补助资金"},
		{Key: "B2", Item: "健康教育手册编印", Amount: 150000, Source: "基本公共卫生服务项目经费"},
		{Key: "B3", Item: "基线调查与评估", Amount: 300000, Source: "县财政预算"},
	}
	p.State = healthcell.PlanPublished
	if err := db.SavePlan(sys, p); err != nil {
		return fmt.Errorf("demo plan: %w", err)
	}
	as := func(dept string) context.Context {
		role := healthcell.RoleDepartment
		if dept == healthcell.TownshipsResponsible {
			return healthcell.WithActor(ctx, &healthcell.Actor{Username: "lingjiang", Role: healthcell.RoleTownship, Scope: "510824100000"})
		}
		return healthcell.WithActor(ctx, &healthcell.Actor{Username: dept, Role: role, Scope: camp.Division, Department: dept})
	}
	reports := []struct {
		days       int
		task, dept string
		pct        int
		note       string
	}{
		{-40, "T1", "县卫健局", 60, "《健康教育手册》已印发，一户一册发放过半"},
		{-22, "T1", "县教科体局", 100, "健康教育“五进五讲”活动已在全县学校开展，手册发放完毕"},
		{-30, "T2", "县环卫局", 50, "完成农村无害化卫生厕所改造 1200 户"},
		{-6, "T2", "县环卫局", 100, "生活垃圾集中收运覆盖所有行政村"},
		{-15, "T3", "县卫健局", 45, "家庭医生签约覆盖 62%，65 岁以上老人体检进行中"},
		{-12, "T4", "县卫健局", 30, "健康扶贫考核指标自查中，3 个村卫生室尚未达标"},
		{-8, "T5", healthcell.TownshipsResponsible, 35, "陵江镇基线调查完成，确定试点村 2 个"},
		{-4, "T6", "县精神文明办", 20, "移风易俗主题讲座已开展 6 场"},
	}
	for _, r := range reports {
		clock = today.AddDate(0, 0, r.days)
		rep := &healthcell.PlanTaskReport{CampaignID: camp.ID, Task: r.task, Note: r.note, Percent: r.pct}
		if err := db.ReportTask(as(r.dept), rep); err != nil {
			return fmt.Errorf("demo plan report %s: %w", r.task, err)
		}
	}
	for i, s := range []healthcell.PlanSpending{
		{Line: "B2", Amount: 120000, Note: "手册印制"},
		{Line: "B3", Amount: 80000, Note: "基线调查劳务"},
		{Line: "B1", Amount: 40000, Note: "首批命名村补助"},
	} {
		clock = today.AddDate(0, 0, -30+10*i)
		s.CampaignID, s.SpentOn = camp.ID, healthcell.CampaignDay(clock)
		if err := db.RecordSpending(sys, &s); err != nil {
			return fmt.Errorf("demo plan spending: %w", err)
		}
	}
	return nil
}
