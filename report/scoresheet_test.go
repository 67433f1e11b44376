package report

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/score"
)

func TestScoreSheetXLSX(t *testing.T) {
	yes := true
	v := 45.0
	std := &healthcell.Standard{Code: "t", Version: 2, Name: "测试标准", PassScore: 10, Items: []healthcell.Item{
		{Code: "1", Section: "组织", Text: "领导小组", Points: 10, Method: "yes"},
		{Code: "2", Section: "环境", Text: "知晓率≥90%", Points: 10, Method: "egt", Indicator: "knowledge_rate", Target: 90},
		{Code: "V", Section: "否决", Text: "无事故", Points: 0, Method: "no", Veto: true},
	}}
	sh := &healthcell.ScoreSheet{UnitName: "金穗社区", Kind: healthcell.SheetSelf, Year: 2025, Answers: map[string]*healthcell.Answer{
		"1": {ItemCode: "1", Yes: &yes, Note: "已成立"},
		"2": {ItemCode: "2", Value: &v},
	}}
	var buf bytes.Buffer
	if err := ScoreSheetXLSX(&buf, std, sh, score.Compute(std, sh)); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("评分表")
	if err != nil {
		t.Fatal(err)
	}
	cell := func(r, c int) string {
		if r < len(rows) && c < len(rows[r]) {
			return rows[r][c]
		}
		return ""
	}
	tests := []struct {
		name     string
		row, col int
		want     string
	}{
		{"title", 0, 0, "测试标准评分表"},
		{"unit", 1, 1, "金穗社区"},
		{"kind", 2, 1, "自查"},
		{"total", 3, 1, "15 / 20"},
		{"verdict: incomplete", 3, 4, "未完成（已填 2 / 3 项）"},
		{"header", 5, 3, "评分内容"},
		{"yes answer", 6, 6, "是"},
		{"yes score", 6, 7, "10"},
		{"note", 6, 8, "已成立"},
		{"value answer", 7, 6, "45%"},
		{"proportional score", 7, 7, "5"},
		{"veto marked", 8, 8, "【否决项】"},
	}
	for _, tt := range tests {
		if got := cell(tt.row, tt.col); got != tt.want {
			t.Errorf("%s: cell (%d,%d) = %q, want %q", tt.name, tt.row, tt.col, got, tt.want)
		}
	}
}
