package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/officedoc"
	"github.com/healthcell/healthcell/officedoc/officedoctest"
)

// cityBulletin is 广元市's bulletin ranking its two counties.
func cityBulletin() *healthcell.Bulletin {
	return &healthcell.Bulletin{ID: 7, Division: "510800000000", Year: 2026, CampaignName: "2026年健康细胞建设", Number: 1, IssuedOn: "2026-06-01", IssuedBy: "市爱卫办",
		Rows: []healthcell.BulletinRow{
			{Rank: 1, Township: "510812000000", Name: "朝天区", Target: 2, Applications: 2, Applied: 2, Named: 2, Rate: 100},
			{Rank: 2, Township: "510824000000", Name: "苍溪县", Target: 5, Applications: 3, Applied: 2, Named: 1, Rate: 20, Overdue: 2},
		},
		Total:   healthcell.BulletinRow{Target: 7, Applications: 5, Applied: 4, Named: 3, Rate: 42.9, Overdue: 2},
		Overdue: []*healthcell.Rectification{},
	}
}

// TestBulletinWords: each level's bulletin names its rows, recipients and
// demand; a division of no known level is a county's.
func TestBulletinWords(t *testing.T) {
	tests := []struct {
		division, rows, recipients string
	}{
		{"510824000000", "乡镇（街道）", "各乡镇人民政府（街道办事处），县级有关部门"},
		{"510800000000", "县（市、区）", "各县（市、区）爱国卫生运动委员会办公室"},
		{"510000000000", "市（州）", "各市（州）爱国卫生运动委员会办公室"},
		{"", "乡镇（街道）", "各乡镇人民政府（街道办事处），县级有关部门"},
	}
	for _, tt := range tests {
		w := wordsOf(&healthcell.Bulletin{Division: tt.division})
		if w.Rows != tt.rows || w.Recipients != tt.recipients || w.Demand == "" {
			t.Errorf("%q: %+v", tt.division, w)
		}
	}
}

// TestCityBulletinDocument: a city's bulletin is an official document of
// the city's office ranking its counties, with the overdue items counted
// and not listed, as LibreOffice reads it; and a workbook whose ranking is
// by county.
func TestCityBulletinDocument(t *testing.T) {
	b := cityBulletin()
	doc := BulletinDocument(b, "广元市")
	if doc.Recipients != "各县（市、区）爱国卫生运动委员会办公室" || doc.Issuer != "广元市爱国卫生运动委员会办公室" {
		t.Errorf("recipients %q, issuer %q", doc.Recipients, doc.Issuer)
	}
	var buf bytes.Buffer
	if err := BulletinXLSX(&buf, b, "广元市"); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("通报")
	if len(rows) < 7 || rows[0][0] != "广元市2026年健康细胞建设工作通报（第1期）" || rows[3][1] != "县（市、区）" || rows[4][1] != "朝天区" || rows[5][1] != "苍溪县" {
		t.Errorf("workbook rows %q", rows)
	}
	one, err := officedoc.Bytes(doc)
	if err != nil {
		t.Fatal(err)
	}
	p := officedoctest.Convert(t, map[string][]byte{"city": one})["city"]
	for _, w := range []string{"广元市2026年健康细胞建设", "二、各县（市、区）进展排名", "表1各县（市、区）进展排名", "截至2026年6月1日，广元市共有5个单位启动申报",
		"朝天区完成率最高（100%），苍溪县完成率最低（20%）", "各县（市、区）共有2项整改逾期未完成", "各县（市、区）爱国卫生运动委员会办公室", "广元市爱国卫生运动委员会办公室"} {
		if !p.Has(w) {
			t.Errorf("PDF lacks %q", w)
		}
	}
	if p.Has("乡镇") {
		t.Errorf("the city's bulletin speaks of townships")
	}
	for _, row := range [][]string{{"1", "朝天区", "2", "2", "2", "2", "100%", "0", "0", "0/0", "0"}, {"2", "苍溪县", "5", "3", "2", "1", "20%", "0", "2", "0/0", "0"}} {
		if !p.HasRow(row...) {
			t.Errorf("no row %q", row)
		}
	}
	if t.Failed() {
		t.Log(strings.TrimSpace(p.Layout))
	}
}
