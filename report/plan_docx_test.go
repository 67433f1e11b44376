package report

import (
	"testing"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/officedoc"
	"github.com/healthcell/healthcell/officedoc/officedoctest"
)

// TestPlanDocument: the plan's sections with its goals, group, phases,
// tasks and budget as LibreOffice reads them, on A4.
func TestPlanDocument(t *testing.T) {
	pub := time.Date(2026, 5, 4, 2, 0, 0, 0, time.UTC)
	p := &healthcell.Plan{Title: "2026年健康村和健康家庭创建工作实施方案", Year: 2026, State: healthcell.PlanPublished, PublishedAt: &pub, UpdatedBy: "admin",
		Sections: []healthcell.PlanSection{{Key: "guiding", Title: "指导思想", Body: "坚持**预防为主**。\n- 政府主导\n- 全民参与"},
			{Key: "goals", Title: "工作目标", Body: "建成率分别达75%、85%。"}},
		Goals: []healthcell.PlanGoal{{Standard: "healthy-village", CellType: "健康村", Year: 2026, Kind: healthcell.GoalPercent, Value: 75},
			{Standard: "healthy-family", CellType: "健康家庭", Year: 2026, Kind: healthcell.GoalPercent, Value: 85}},
		Phases: []healthcell.PlanPhase{{Key: "launch", Name: "部署启动阶段", Start: "2026-05-01", End: "2026-06-30", Text: "成立领导小组。"},
			{Key: "implement", Name: "推进实施阶段", Start: "2026-07-01", End: "2026-12-31", EndsApplications: true}},
		Pilots:     []healthcell.PlanPilot{{Township: "510824100000", Village: "510824100205"}},
		Members:    []healthcell.PlanMember{{Body: "group", Role: "组长", Name: "李建华", Post: "县政府副县长", Phone: "139****0001"}},
		Tasks:      []healthcell.PlanTask{{Key: "T1", Title: "开展健康教育宣传行动", Text: "一户一册。", Lead: "县卫健局", Responsible: []string{"县教科体局", "各乡镇人民政府"}, Deadline: "2026-12-31"}},
		Milestones: []healthcell.PlanMilestone{{Date: "2026-09-30", Label: "三季度", Percent: 70}},
		Budget:     []healthcell.PlanBudgetLine{{Key: "B1", Item: "健康村创建以奖代补", Amount: 2000000, Source: "县财政预算", UnitSubsidy: 20000, Condition: "验收不合格则扣除"}},
	}
	one, err := officedoc.Bytes(PlanDocument(p, "苍溪县", map[string]string{"510824100205": "白观村"}))
	if err != nil {
		t.Fatal(err)
	}
	pdf := officedoctest.Convert(t, map[string][]byte{"plan": one})["plan"]
	if !pdf.A4() {
		t.Errorf("page %.0f x %.0f", pdf.Width, pdf.Height)
	}
	for _, w := range []string{"2026年健康村和健康家庭创建工作实施方案", "一、指导思想", "坚持预防为主", "（1）政府主导", "二、工作目标", "表1创建目标",
		"三、组织领导", "四、实施步骤", "部署启动阶段（2026年5月1日至2026年6月30日）", "本阶段结束即申报截止", "试点村：白观村。", "五、工作职责", "（一）开展健康教育宣传行动",
		"牵头单位：县卫健局；责任单位：县教科体局、各乡镇人民政府；完成时限：2026年12月31日", "六、保障措施", "每个命名单位20000元", "苍溪县爱国卫生运动委员会办公室", "2026年5月4日"} {
		if !pdf.Has(w) {
			t.Errorf("PDF lacks %q", w)
		}
	}
	for _, row := range [][]string{{"2026", "健康村", "各乡镇", "75%"}, {"组长", "李建华", "县政府副县长", "139****0001"},
		{"2026年9月30日", "三季度", "70%"}, {"健康村创建以奖代补", "2000000", "县财政预算"}} {
		if !pdf.HasRow(row...) {
			t.Errorf("no row %q", row)
		}
	}
	if t.Failed() {
		t.Log(pdf.Layout)
	}
}
