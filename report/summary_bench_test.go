package report

import (
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/officedoc"
)

// countyProgress is a county-shaped summary input: 34 townships, each with
// goals for four cell types, counts for each, and 15 units named in the
// period; 20 indicators.
func countyProgress() SummaryInput {
	cells := []string{"健康村", "健康家庭", "健康学校", "卫生村"}
	c := &healthcell.Campaign{ID: 1, Name: "2026年健康细胞创建", Year: 2026}
	p := &healthcell.CampaignProgress{Campaign: c, County: "苍溪县", Period: healthcell.SummaryPeriod{Year: 2026}}
	var goals []SummaryGoal
	for i := 0; i < 34; i++ {
		code := fmt.Sprintf("510824%03d000", 100+i)
		p.Townships = append(p.Townships, healthcell.TownshipName{Code: code, Name: fmt.Sprintf("第%02d镇", i+1)})
		for j, cell := range cells {
			goals = append(goals, SummaryGoal{Township: code, CellType: cell, Target: 5 + 40*(j%2) + i%7})
			p.Counts = append(p.Counts, healthcell.ProgressCount{Township: code, CellType: cell, Applications: 30 + i, NamedInPeriod: i % 9, NamedByEnd: 3 + i%11, InProgress: 5})
		}
		for k := 0; k < 15; k++ {
			p.Named = append(p.Named, healthcell.NamedInPeriod{Township: code, CellType: cells[k%3], UnitName: fmt.Sprintf("第%02d村", k+1), NamedOn: "2026-06-01"})
		}
	}
	var inds []IndicatorResult
	for i := 0; i < 20; i++ {
		inds = append(inds, IndicatorResult{Name: fmt.Sprintf("指标%02d", i+1), Unit: "%", Direction: "higher", Value: f64(80 + float64(i)), Target: f64(90), Met: yes(i >= 10)})
	}
	return SummaryInput{Progress: p, Goals: goals, Indicators: inds, IndicatorPlace: "苍溪县", Date: time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)}
}

// BenchmarkSummaryDocxCounty: a county's year summary, from the counts to
// the .docx bytes (34 townships, a table each). The counting query is
// measured with the store; this is the document's own cost.
func BenchmarkSummaryDocxCounty(b *testing.B) {
	in := countyProgress()
	b.ReportAllocs()
	for b.Loop() {
		if err := officedoc.Write(io.Discard, SummaryDocument(Summarize(in))); err != nil {
			b.Fatal(err)
		}
	}
}
