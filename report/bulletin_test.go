package report

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/healthcell/healthcell"
)

func TestBulletinXLSX(t *testing.T) {
	b := &healthcell.Bulletin{CampaignName: "2026年健康细胞创建", Number: 2, IssuedOn: "2026-06-01",
		Rows: []healthcell.BulletinRow{
			{Rank: 1, Name: "陵江镇", Target: 3, Applications: 4, Applied: 3, Named: 2, Rate: 66.7, Overdue: 0},
			{Rank: 2, Name: "云峰镇", Target: 2, Applications: 1, Applied: 1, Named: 0, Rectifying: 1, Overdue: 1},
		},
		Total:   healthcell.BulletinRow{Target: 5, Applications: 5, Applied: 4, Named: 2, Rate: 40, Rectifying: 1, Overdue: 1},
		Overdue: []*healthcell.Rectification{{UnitName: "烟峰楼社区", Text: "厕所未改造", Owner: "村主任", Deadline: "2026-05-20"}},
	}
	var buf bytes.Buffer
	if err := BulletinXLSX(&buf, b, "苍溪县"); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for cell, want := range map[string]string{
		"A1": "苍溪县2026年健康细胞创建工作通报（第2期）", "B2": "2026-06-01", "B5": "陵江镇", "F5": "2", "G5": "66.7",
		"B6": "云峰镇", "I6": "1", "B7": "合计", "F7": "2",
	} {
		if got, _ := f.GetCellValue("通报", cell); got != want {
			t.Errorf("通报!%s = %q, want %q", cell, got, want)
		}
	}
	if got, _ := f.GetCellValue("整改逾期", "B2"); got != "厕所未改造" {
		t.Errorf("整改逾期!B2 = %q", got)
	}
}
