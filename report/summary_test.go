package report

import (
	"fmt"
	"testing"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/officedoc"
	"github.com/healthcell/healthcell/officedoc/officedoctest"
)

func f64(v float64) *float64 { return &v }
func yes(b bool) *bool       { return &b }

// summaryFixture: two townships with goals (one of them per cell type, as a
// plan gives them), one without; namings in and before the third quarter.
func summaryFixture() SummaryInput {
	c := &healthcell.Campaign{ID: 7, Name: "2026年健康细胞创建", Year: 2026,
		Targets: []healthcell.CampaignTarget{{Township: "510824100000", Target: 4}}}
	goals := append(GoalsFromTargets(c),
		SummaryGoal{Township: "510824102000", CellType: "健康村", Target: 2},
		SummaryGoal{Township: "510824102000", CellType: "健康家庭", Target: 10})
	return SummaryInput{
		Progress: &healthcell.CampaignProgress{
			Campaign: c, County: "苍溪县", Period: healthcell.SummaryPeriod{Year: 2026, Quarter: 3},
			Townships: []healthcell.TownshipName{{Code: "510824100000", Name: "陵江镇"}, {Code: "510824102000", Name: "云峰镇"}, {Code: "510824103000", Name: "东青镇"}},
			Counts: []healthcell.ProgressCount{
				{Township: "510824100000", CellType: "健康学校", Applications: 1, NamedInPeriod: 1, NamedByEnd: 1},
				{Township: "510824100000", CellType: "健康村", Applications: 3, NamedInPeriod: 1, NamedByEnd: 2, InProgress: 1},
				{Township: "510824102000", CellType: "健康家庭", Applications: 8, NamedInPeriod: 3, NamedByEnd: 5, InProgress: 3},
				{Township: "510824102000", CellType: "健康学校", Applications: 1, NamedInPeriod: 1, NamedByEnd: 1},
			},
			Named: []healthcell.NamedInPeriod{
				{Township: "510824100000", CellType: "健康村", UnitName: "城郊村", NamedOn: "2026-07-03"},
				{Township: "510824100000", CellType: "健康学校", UnitName: "陵江小学", NamedOn: "2026-08-01"},
			},
		},
		Goals:          goals,
		IndicatorPlace: "苍溪县",
		Indicators: []IndicatorResult{
			{Name: "基本医疗保险参保率", Unit: "%", Direction: "higher", Value: f64(96.5), Target: f64(95), Met: yes(true)},
			{Name: "健康档案建档率", Unit: "%", Direction: "higher", Value: f64(80), Target: f64(90), Met: yes(false)},
			{Name: "无数据的指标", Unit: "%"},
		},
		Date: time.Date(2026, 10, 9, 0, 0, 0, 0, healthcell.CampaignLocation()),
	}
}

// TestSummarize: hand-computed goals and results per township and type.
func TestSummarize(t *testing.T) {
	s := Summarize(summaryFixture())
	type want struct {
		goal, in, byEnd, now int
		rate                 float64
		kinds                string
	}
	for i, w := range []want{
		{4, 2, 3, 1, 75, "健康学校—/1/1 健康村—/1/2"},
		{12, 3, 5, 3, 41.7, "健康学校—/1/1 健康家庭10/3/5 健康村2/0/0"}, // the school is not in the total
		{0, 0, 0, 0, 0, ""},
	} {
		ts := s.Townships[i]
		kinds := ""
		for _, k := range ts.Kinds {
			g := "—"
			if k.HasGoal {
				g = fmt.Sprint(k.Goal)
			}
			if kinds != "" {
				kinds += " "
			}
			kinds += fmt.Sprintf("%s%s/%d/%d", k.CellType, g, k.NamedInPeriod, k.NamedByEnd)
		}
		got := want{ts.Total.Goal, ts.Total.NamedInPeriod, ts.Total.NamedByEnd, ts.Total.InProgress, ts.Total.Rate, kinds}
		if got != w {
			t.Errorf("%s: %+v, want %+v", ts.Name, got, w)
		}
	}
	if s.Total.Goal != 16 || s.Total.NamedByEnd != 8 || s.Total.Rate != 50 || s.Total.NamedInPeriod != 5 {
		t.Errorf("total %+v", s.Total)
	}
	if s.All.NamedInPeriod != 6 || s.All.NamedByEnd != 9 || s.All.Applications != 13 || s.All.InProgress != 4 {
		t.Errorf("all %+v", s.All)
	}
	if got := s.Townships[1].Kinds[1]; got.Rate != 50 {
		t.Errorf("云峰镇 健康家庭 rate %v, want 50", got.Rate)
	}
}

// TestSummaryDocument: LibreOffice reads the sections, the figures and a
// table per township from the summary; a year summary has the year title.
func TestSummaryDocument(t *testing.T) {
	in := summaryFixture()
	quarter, err := officedoc.Bytes(SummaryDocument(Summarize(in)))
	if err != nil {
		t.Fatal(err)
	}
	in.Progress.Period = healthcell.SummaryPeriod{Year: 2026}
	year, err := officedoc.Bytes(SummaryDocument(Summarize(in)))
	if err != nil {
		t.Fatal(err)
	}
	pdfs := officedoctest.Convert(t, map[string][]byte{"quarter": quarter, "year": year})
	rows := map[string][][]string{
		"quarter": {{"陵江镇", "4", "2", "3", "75%", "1"}, {"云峰镇", "12", "3", "5", "41.7%", "3"}, {"合计", "16", "5", "8", "50%", "4"},
			{"基本医疗保险参保率", "96.5%", "≥95.0%", "达标"}, {"健康档案建档率", "80.0%", "≥90.0%", "未达标"},
			{"健康学校", "—", "1", "1", "—", "0"}, {"健康家庭", "10", "3", "5", "50%", "3"}, {"健康村", "2", "0", "0", "0%", "0"}},
		"year": {{"陵江镇", "4", "2", "3", "75%", "1"}},
	}
	for name, wants := range map[string][]string{
		"quarter": {"苍溪县2026年健康细胞创建", "2026年第三季度工作总结", "2026年第三季度（2026年7月1日至2026年9月30日）",
			"本期新命名6个单位；截至2026年9月30日，计入创建目标的累计命名8个，目标16个，完成率50%；目前还有4个单位在创建中（共申报13个）",
			"一、目标完成情况", "表1各乡镇（街道）目标完成情况", "二、健康指标完成情况", "2项指标中，1项达标，未达标的有健康档案建档率",
			"三、各乡镇（街道）情况", "（一）陵江镇", "本期命名：城郊村（健康村）、陵江小学（健康学校）", "（二）云峰镇", "（三）东青镇", "本期无创建目标", "四、下一步工作", "云峰镇完成率低于50%",
			"苍溪县爱国卫生运动委员会办公室", "2026年10月9日"},
		"year": {"2026年度工作总结", "2026年（2026年1月1日至2026年12月31日）", "截至2026年10月9日，计入创建目标的累计命名8个"},
	} {
		p := pdfs[name]
		if !p.A4() {
			t.Errorf("%s: page %.0f x %.0f", name, p.Width, p.Height)
		}
		for _, w := range wants {
			if !p.Has(w) {
				t.Errorf("%s: PDF lacks %q", name, w)
			}
		}
		for _, row := range rows[name] {
			if !p.HasRow(row...) {
				t.Errorf("%s: no table row %q", name, row)
			}
		}
		if t.Failed() {
			t.Logf("%s:\n%s", name, p.Layout)
		}
	}
}
