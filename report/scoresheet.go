// Package report writes documents for people to keep, print or pass on:
// score sheets as Excel workbooks (and, as the product grows, statistical
// reports and campaign plans).
package report

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/score"
)

// ScoreSheetXLSX writes a score sheet as a workbook: a heading with the
// unit, standard and result, then one row per item with its points, answer,
// score and note, and subtotals per section. It returns the writer's error.
func ScoreSheetXLSX(w io.Writer, std *healthcell.Standard, sh *healthcell.ScoreSheet, res score.Result) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "评分表"
	f.SetSheetName("Sheet1", sheet)
	title, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Color: []string{"E7F5EE"}, Pattern: 1}})
	wrap, _ := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	set := func(cell string, v any) { f.SetCellValue(sheet, cell, v) }
	set("A1", std.Name+"评分表")
	f.SetCellStyle(sheet, "A1", "A1", title)
	set("A2", "评分对象")
	set("B2", sh.UnitName)
	set("D2", "标准")
	set("E2", fmt.Sprintf("%s（第 %d 版）", std.Code, std.Version))
	set("A3", "类型")
	set("B3", kindName[sh.Kind])
	set("D3", "年度")
	set("E3", sh.Year)
	set("A4", "总分")
	set("B4", fmt.Sprintf("%v / %v", res.Total, res.Max))
	set("D4", "结论")
	set("E4", verdict(std, res))
	header := []any{"一级指标", "二级指标", "编号", "评分内容", "分值", "评分方法", "填报", "得分", "说明", "佐证材料"}
	f.SetSheetRow(sheet, "A6", &header)
	f.SetCellStyle(sheet, "A6", "J6", bold)
	row := 7
	for i, it := range std.Items {
		a := sh.Answers[it.Code]
		ir := res.Items[i]
		note, ev := "", 0
		if a != nil {
			note, ev = a.Note, len(a.Evidence)
		}
		points := any(it.Points)
		if it.Bonus {
			points = fmt.Sprintf("加分 %v", it.Points)
		}
		if it.Veto {
			note = "【否决项】" + note
		}
		cells := []any{it.Section, it.Subsection, it.Code, it.Text, points, methodName[it.Method], answerText(&it, a), ir.Score, note, ev}
		f.SetSheetRow(sheet, fmt.Sprintf("A%d", row), &cells)
		f.SetCellStyle(sheet, fmt.Sprintf("D%d", row), fmt.Sprintf("D%d", row), wrap)
		row++
	}
	row++
	for _, st := range res.Sections {
		cells := []any{st.Section, "小计", "", "", st.Max, "", "", st.Score}
		f.SetSheetRow(sheet, fmt.Sprintf("A%d", row), &cells)
		row++
	}
	f.SetColWidth(sheet, "A", "B", 14)
	f.SetColWidth(sheet, "D", "D", 50)
	f.SetColWidth(sheet, "G", "G", 12)
	f.SetColWidth(sheet, "I", "I", 24)
	_, err := f.WriteTo(w)
	return err
}

var kindName = map[string]string{healthcell.SheetSelf: "自查", healthcell.SheetCheck: "初验", healthcell.SheetEvaluation: "评估验收", healthcell.SheetAssessment: "上级考核"}

var methodName = map[string]string{
	healthcell.MethodYes: "是", healthcell.MethodNo: "否", healthcell.MethodGraded: "分级", healthcell.MethodEGT: "达标",
	healthcell.MethodELT: "不超过", healthcell.MethodCount: "计数", healthcell.MethodAttach: "佐证",
}

// verdict is the result in words.
func verdict(std *healthcell.Standard, res score.Result) string {
	switch {
	case !res.Complete:
		return fmt.Sprintf("未完成（已填 %d / %d 项）", res.Answered, res.Required)
	case !res.VetoPassed:
		return "不合格（否决项未达到）"
	case !res.Passed:
		return fmt.Sprintf("不合格（低于合格分 %v）", std.PassScore)
	case res.Level != "":
		return "合格（" + res.Level + "）"
	}
	return "合格"
}

// answerText shows an answer as entered.
func answerText(it *healthcell.Item, a *healthcell.Answer) string {
	if a == nil {
		return ""
	}
	switch {
	case a.Yes != nil && *a.Yes:
		return "是"
	case a.Yes != nil:
		return "否"
	case a.Grade != "":
		return a.Grade
	case a.Value != nil:
		return fmt.Sprintf("%v%%", *a.Value)
	case a.Count != nil:
		return fmt.Sprintf("%d 次", *a.Count)
	}
	return ""
}
