package report

import (
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/officedoc"
	"github.com/healthcell/healthcell/officedoc/officedoctest"
)

// TestBulletinDocument: the ranking with its total and the overdue items
// as LibreOffice reads them; the same bulletin gives the same bytes.
func TestBulletinDocument(t *testing.T) {
	b := &healthcell.Bulletin{ID: 3, CampaignName: "2026年健康细胞创建", Number: 2, IssuedOn: "2026-06-01", IssuedBy: "admin",
		Rows: []healthcell.BulletinRow{
			{Rank: 1, Name: "陵江镇", Target: 3, Applications: 4, Applied: 3, Named: 2, Rate: 66.7, IndicatorsMet: 5, IndicatorsTargeted: 9},
			{Rank: 2, Name: "云峰镇", Target: 2, Applications: 1, Applied: 1, Named: 0, Rectifying: 1, Overdue: 1, IndicatorsMet: 2, IndicatorsTargeted: 9},
		},
		Total:   healthcell.BulletinRow{Target: 5, Applications: 5, Applied: 4, Named: 2, Rate: 40, Rectifying: 1, Overdue: 1, IndicatorsMet: 6, IndicatorsTargeted: 12},
		Overdue: []*healthcell.Rectification{{UnitName: "烟峰楼社区", Text: "厕所未改造", Owner: "村主任", Deadline: "2026-05-20"}},
	}
	one, err := officedoc.Bytes(BulletinDocument(b, "苍溪县"))
	if err != nil {
		t.Fatal(err)
	}
	two, _ := officedoc.Bytes(BulletinDocument(b, "苍溪县"))
	if string(one) != string(two) {
		t.Error("one bulletin gives two documents")
	}
	p := officedoctest.Convert(t, map[string][]byte{"bulletin": one})["bulletin"]
	if !p.A4() {
		t.Errorf("page %.0f x %.0f", p.Width, p.Height)
	}
	for _, w := range []string{"第2期", "苍溪县2026年健康细胞创建", "工作进展情况通报", "截至2026年6月1日，苍溪县共有5个单位启动申报，4个已通过自评申报，已命名2个，目标5个，完成率40%",
		"陵江镇完成率最高（66.7%），云峰镇完成率最低（0%）", "三、整改逾期事项", "以下1项整改已超过期限", "表2整改逾期事项", "四、工作要求",
		"苍溪县爱国卫生运动委员会办公室", "2026年6月1日"} {
		if !p.Has(w) {
			t.Errorf("PDF lacks %q", w)
		}
	}
	for _, row := range [][]string{
		{"1", "陵江镇", "3", "4", "3", "2", "66.7%", "0", "0", "5/9", "0"},
		{"2", "云峰镇", "2", "1", "1", "0", "0%", "1", "1", "2/9", "0"},
		{"合计", "5", "5", "4", "2", "40%", "1", "1", "6/12", "0"},
		{"烟峰楼社区", "厕所未改造", "村主任", "2026年5月20日"},
	} {
		if !p.HasRow(row...) {
			t.Errorf("no row %q", row)
		}
	}
	if t.Failed() {
		t.Log(p.Layout)
	}
}

// TestBulletinDocumentPlan: a plan-based bulletin says so, counts the
// overrides per township and lists the plan's overdue tasks, as
// LibreOffice reads them.
func TestBulletinDocumentPlan(t *testing.T) {
	b := &healthcell.Bulletin{ID: 4, CampaignName: "2026年健康细胞创建", Number: 3, IssuedOn: "2026-07-01", IssuedBy: "admin", PlanBased: true,
		Rows: []healthcell.BulletinRow{
			{Rank: 1, Name: "陵江镇", Target: 4, Applications: 2, Applied: 2, Named: 1, Rate: 25, Overrides: 2},
			{Rank: 2, Name: "云峰镇", Target: 3, Applications: 1, Applied: 1, Named: 0, Overrides: 1},
		},
		Total: healthcell.BulletinRow{Target: 7, Applications: 3, Applied: 3, Named: 1, Rate: 14.3, Overrides: 3},
		OverdueTasks: []*healthcell.PlanTaskDue{{CampaignID: 1, CampaignName: "2026年健康细胞创建",
			PlanTask: healthcell.PlanTask{Key: "T2", Title: "开展健康教育宣传行动", Lead: "县卫健局", Responsible: []string{"县教科局", "各乡镇人民政府"}, Deadline: "2026-06-30", Progress: 40, Overdue: true}}},
	}
	doc, err := officedoc.Bytes(BulletinDocument(b, "苍溪县"))
	if err != nil {
		t.Fatal(err)
	}
	p := officedoctest.Convert(t, map[string][]byte{"bulletin": doc})["bulletin"]
	for _, w := range []string{"目标数按县工作方案确定的各类创建目标", "本期申报材料中共有3项未采用台账计算值", "改填项",
		"三、整改逾期事项", "四、重点任务逾期情况", "以下1项重点任务已超过完成时限", "表2重点任务逾期情况", "开展健康教育宣传行动", "县教科局、各乡镇人民政府", "2026年6月30日", "五、工作要求"} {
		if !p.Has(w) {
			t.Errorf("PDF lacks %q", w)
		}
	}
	for _, row := range [][]string{
		{"1", "陵江镇", "4", "2", "2", "1", "25%", "0", "0", "0/0", "2"},
		{"2", "云峰镇", "3", "1", "1", "0", "0%", "0", "0", "0/0", "1"},
		{"合计", "7", "3", "3", "1", "14.3%", "0", "0", "0/0", "3"},
		{"县卫健局", "40%"},
	} {
		if !p.HasRow(row...) {
			t.Errorf("no row %q", row)
		}
	}
	if t.Failed() {
		t.Log(p.Layout)
	}
}
