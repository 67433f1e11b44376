package report

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"github.com/healthcell/healthcell"
)

// BulletinXLSX writes a bulletin as a workbook: the ranking of townships on
// the first sheet, the overdue rectification items on the second, the
// outreach reach (when the bulletin has it) on the third. It
// returns the writer's error.
func BulletinXLSX(w io.Writer, b *healthcell.Bulletin, countyName string) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "通报"
	f.SetSheetName("Sheet1", sheet)
	title, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	head, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Color: []string{"E7F5EE"}, Pattern: 1}})
	set := func(sh, cell string, v any) { f.SetCellValue(sh, cell, v) }
	set(sheet, "A1", fmt.Sprintf("%s%s工作通报（第%d期）", countyName, b.CampaignName, b.Number))
	f.SetCellStyle(sheet, "A1", "A1", title)
	set(sheet, "A2", "通报日期")
	set(sheet, "B2", b.IssuedOn)
	headers := []string{"排名", wordsOf(b).Rows, "目标数", "申报数", "已申报", "已命名", "完成率（%）", "整改中", "整改逾期项", "指标达标", "人工改填项"}
	for i, h := range headers {
		cell, _ := excelize.CoordinatesToCellName(i+1, 4)
		set(sheet, cell, h)
	}
	f.SetCellStyle(sheet, "A4", "K4", head)
	row := 5
	put := func(r healthcell.BulletinRow, rank any, name string) {
		vals := []any{rank, name, r.Target, r.Applications, r.Applied, r.Named, r.Rate, r.Rectifying, r.Overdue,
			fmt.Sprintf("%d/%d", r.IndicatorsMet, r.IndicatorsTargeted), r.Overrides}
		for i, v := range vals {
			cell, _ := excelize.CoordinatesToCellName(i+1, row)
			set(sheet, cell, v)
		}
		row++
	}
	for _, r := range b.Rows {
		put(r, r.Rank, r.Name)
	}
	put(b.Total, "", "合计")
	f.SetCellStyle(sheet, fmt.Sprintf("A%d", row-1), fmt.Sprintf("J%d", row-1), head)
	f.SetColWidth(sheet, "B", "B", 18)
	f.SetColWidth(sheet, "C", "J", 11)

	const over = "整改逾期"
	f.NewSheet(over)
	for i, h := range []string{"单位", "整改内容", "责任人", "期限"} {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		set(over, cell, h)
	}
	f.SetCellStyle(over, "A1", "D1", head)
	for i, r := range b.Overdue {
		n := i + 2
		set(over, fmt.Sprintf("A%d", n), r.UnitName)
		set(over, fmt.Sprintf("B%d", n), r.Text)
		set(over, fmt.Sprintf("C%d", n), r.Owner)
		set(over, fmt.Sprintf("D%d", n), r.Deadline)
	}
	f.SetColWidth(over, "A", "B", 28)
	if header, rows := ReachTable(b); header != nil {
		reach := b.Reach.Title
		f.NewSheet(reach)
		for i, line := range append([][]string{header}, rows...) {
			for j, v := range line {
				cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
				set(reach, cell, v)
			}
		}
		last, _ := excelize.CoordinatesToCellName(len(header), 1)
		f.SetCellStyle(reach, "A1", last, head)
		f.SetColWidth(reach, "A", "A", 18)
	}
	return f.Write(w)
}
