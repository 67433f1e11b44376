package standardfile

import (
	"encoding/csv"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/tablefile"
)

// sheetFloat formats a number the shortest way that reads back exactly.
func sheetFloat(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// sheetMetaPairs returns the key, value pairs of the standard's own fields,
// every key present; a value is a string, a float64, an int or nil (blank).
func sheetMetaPairs(s *healthcell.Standard) [][2]any {
	var out [][2]any
	num := func(v float64) any {
		if v == 0 {
			return nil
		}
		return v
	}
	for _, k := range sheetMetaKeys {
		var v any
		switch k.field {
		case "name":
			v = s.Name
		case "code":
			v = s.Code
		case "cell_type":
			v = s.CellType
		case "unit_kind":
			v = s.UnitKind
			if l, ok := sheetUnitKindLabel[s.UnitKind]; ok {
				v = l
			}
		case "issuer":
			v = s.Issuer
		case "source":
			v = s.Source
		case "total_points":
			v = num(s.TotalPoints)
		case "pass_score":
			v = num(s.PassScore)
		case "veto_min_rate":
			v = num(s.VetoMinRate)
		case "review_years":
			if s.ReviewYears != 0 {
				v = s.ReviewYears
			}
		case "regions":
			v = strings.Join(s.Regions, "、")
		case "levels":
			parts := make([]string, len(s.Levels))
			for i, l := range s.Levels {
				parts[i] = l.Name + ":" + sheetFloat(l.Min)
			}
			v = strings.Join(parts, ";")
		case "notes":
			v = s.Notes
		}
		out = append(out, [2]any{k.labels[0], v})
	}
	return out
}

// sheetWriteColumns returns the columns written for s: all but 评分标准
// (the text goes to 评分内容), and 系统默认 only when an item is marked.
func sheetWriteColumns(s *healthcell.Standard) []scCol {
	anyDefault := false
	for _, it := range s.Items {
		anyDefault = anyDefault || it.Default
	}
	var cols []scCol
	for _, c := range sheetColumns {
		if c.col == scCriteria || (c.col == scDefault && !anyDefault) {
			continue
		}
		cols = append(cols, c.col)
	}
	return cols
}

// sheetSectionCells returns the 一级指标 and 二级指标 cells of each item.
// A blank cell inherits the value above when read back, so an empty
// subsection below a named one of the same section is written as "—"; with
// merge, repeated values are left blank (their cells are then merged).
func sheetSectionCells(items []healthcell.Item, merge bool) (secs, subs []string) {
	secs, subs = make([]string, len(items)), make([]string, len(items))
	for i, it := range items {
		sameSec := i > 0 && items[i-1].Section == it.Section
		prevSub := ""
		if sameSec {
			prevSub = items[i-1].Subsection
		}
		secs[i] = it.Section
		if merge && sameSec {
			secs[i] = ""
		}
		switch {
		case it.Subsection == "" && prevSub != "":
			subs[i] = "—"
		case merge && sameSec && it.Subsection == prevSub:
			subs[i] = ""
		default:
			subs[i] = it.Subsection
		}
	}
	return secs, subs
}

// sheetTargetsText writes an item's target cell: its per-region targets in
// the standard's region order, after its plain target if it has one.
func sheetTargetsText(s *healthcell.Standard, it *healthcell.Item) string {
	var parts []string
	if it.Target != 0 {
		parts = append(parts, sheetFloat(it.Target))
	}
	regions := make([]string, 0, len(it.Targets))
	for r := range it.Targets {
		regions = append(regions, r)
	}
	order := func(r string) int {
		for i, x := range s.Regions {
			if x == r {
				return i
			}
		}
		return len(s.Regions)
	}
	sort.Slice(regions, func(i, j int) bool {
		a, b := order(regions[i]), order(regions[j])
		if a != b {
			return a < b
		}
		return regions[i] < regions[j]
	})
	for _, r := range regions {
		parts = append(parts, r+":"+sheetFloat(it.Targets[r]))
	}
	return strings.Join(parts, ";")
}

// sheetItemCells returns an item's cells for cols; a value is a string, a
// float64, an int or nil.
func sheetItemCells(s *healthcell.Standard, it *healthcell.Item, sec, sub string, cols []scCol) []any {
	flag := func(b bool) any {
		if b {
			return "是"
		}
		return nil
	}
	out := make([]any, len(cols))
	for i, c := range cols {
		var v any
		switch c {
		case scSection:
			v = sec
		case scSubsection:
			v = sub
		case scCode:
			v = it.Code
		case scText:
			v = it.Text
		case scPoints:
			v = it.Points
		case scMethod:
			v = it.Method
			if l, ok := sheetMethodLabel[it.Method]; ok {
				v = l
			}
		case scGrades:
			parts := make([]string, len(it.Grades))
			for j, g := range it.Grades {
				parts[j] = g.Label + ":" + sheetFloat(g.Points)
			}
			v = strings.Join(parts, ";")
		case scVeto:
			v = flag(it.Veto)
		case scBonus:
			v = flag(it.Bonus)
		case scIndicator:
			v = it.Indicator
		case scTarget:
			if len(it.Targets) == 0 {
				if it.Target != 0 {
					v = it.Target
				}
			} else {
				v = sheetTargetsText(s, it)
			}
		case scActivity:
			v = it.Activity
		case scMinCount:
			if it.MinCount != 0 {
				v = it.MinCount
			}
		case scEvidence:
			v = it.Evidence
		case scDefault:
			v = flag(it.Default)
		}
		out[i] = v
	}
	return out
}

// WriteXLSX writes s as a workbook that ParseSheet reads back: a 标准信息
// sheet of key, value pairs and a 评分标准 sheet with a header row and one
// row per item, 一级指标 and 二级指标 cells merged over their items.
func WriteXLSX(w io.Writer, s *healthcell.Standard) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := sheetFillXLSX(f, s); err != nil {
		return fmt.Errorf("standardfile: write xlsx: %w", err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("standardfile: write xlsx: %w", err)
	}
	return nil
}

func sheetSetCell(f *excelize.File, sheet string, col, row int, v any) error {
	cell, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		return err
	}
	switch v := v.(type) {
	case nil:
		return nil
	case string:
		if v == "" {
			return nil
		}
		return f.SetCellStr(sheet, cell, v)
	case float64:
		return f.SetCellFloat(sheet, cell, v, -1, 64)
	case int:
		return f.SetCellInt(sheet, cell, int64(v))
	default:
		return fmt.Errorf("cell %s: unexpected %T", cell, v)
	}
}

func sheetFillXLSX(f *excelize.File, s *healthcell.Standard) error {
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	header, err := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
	})
	if err != nil {
		return err
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	if err != nil {
		return err
	}

	// 标准信息
	info := sheetInfoName
	if err := f.SetSheetName(f.GetSheetName(0), info); err != nil {
		return err
	}
	pairs := sheetMetaPairs(s)
	for i, p := range pairs {
		if err := sheetSetCell(f, info, 1, i+1, p[0]); err != nil {
			return err
		}
		if err := sheetSetCell(f, info, 2, i+1, p[1]); err != nil {
			return err
		}
	}
	if err := f.SetColWidth(info, "A", "A", 20); err != nil {
		return err
	}
	if err := f.SetColWidth(info, "B", "B", 60); err != nil {
		return err
	}
	if err := f.SetCellStyle(info, "A1", fmt.Sprintf("A%d", len(pairs)), bold); err != nil {
		return err
	}
	if err := f.SetCellStyle(info, "B1", fmt.Sprintf("B%d", len(pairs)), wrap); err != nil {
		return err
	}

	// 评分标准
	table := sheetTableName
	idx, err := f.NewSheet(table)
	if err != nil {
		return err
	}
	cols := sheetWriteColumns(s)
	for j, c := range cols {
		if err := sheetSetCell(f, table, j+1, 1, sheetColumnName(c)); err != nil {
			return err
		}
		name, _ := excelize.ColumnNumberToName(j + 1)
		wd := 12.0
		switch c {
		case scText, scEvidence:
			wd = 48
		case scSection, scSubsection, scGrades, scIndicator, scTarget, scActivity:
			wd = 18
		case scCode, scPoints, scMethod, scVeto, scBonus, scMinCount, scDefault:
			wd = 9
		}
		if err := f.SetColWidth(table, name, name, wd); err != nil {
			return err
		}
	}
	last, _ := excelize.CoordinatesToCellName(len(cols), 1)
	if err := f.SetCellStyle(table, "A1", last, header); err != nil {
		return err
	}
	secs, subs := sheetSectionCells(s.Items, true)
	for i := range s.Items {
		row := i + 2
		for j, v := range sheetItemCells(s, &s.Items[i], secs[i], subs[i], cols) {
			if err := sheetSetCell(f, table, j+1, row, v); err != nil {
				return err
			}
		}
	}
	if n := len(s.Items); n > 0 {
		last, _ := excelize.CoordinatesToCellName(len(cols), n+1)
		if err := f.SetCellStyle(table, "A2", last, wrap); err != nil {
			return err
		}
	}
	// merge each run of equal sections, and of equal named subsections
	colOf := func(c scCol) int {
		for j, x := range cols {
			if x == c {
				return j + 1
			}
		}
		return 0
	}
	merge := func(col, from, to int) error {
		if to <= from {
			return nil
		}
		a, _ := excelize.CoordinatesToCellName(col, from+2)
		b, _ := excelize.CoordinatesToCellName(col, to+2)
		return f.MergeCell(table, a, b)
	}
	for i := 0; i < len(s.Items); {
		j := i
		for j+1 < len(s.Items) && s.Items[j+1].Section == s.Items[i].Section {
			j++
		}
		if err := merge(colOf(scSection), i, j); err != nil {
			return err
		}
		for k := i; k <= j; {
			m := k
			for m+1 <= j && s.Items[m+1].Subsection == s.Items[k].Subsection {
				m++
			}
			if s.Items[k].Subsection != "" {
				if err := merge(colOf(scSubsection), k, m); err != nil {
					return err
				}
			}
			k = m + 1
		}
		i = j + 1
	}
	if err := f.SetPanes(table, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	f.SetActiveSheet(idx)
	return nil
}

// WriteCSV writes s as UTF-8 CSV with a byte-order mark (so that Excel
// reads it as UTF-8) that ParseSheet reads back: the key, value pairs, a
// blank line, the header row and one row per item. A cell that a
// spreadsheet would take for a formula is written with a leading ', which
// ParseSheet removes.
func WriteCSV(w io.Writer, s *healthcell.Standard) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return fmt.Errorf("standardfile: write csv: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	text := func(v any) string {
		var t string
		switch v := v.(type) {
		case string:
			t = v
		case float64:
			return sheetFloat(v)
		case int:
			return strconv.Itoa(v)
		}
		if tablefile.FormulaLike(t) && !sheetNumberRe.MatchString(t) {
			t = "'" + t
		}
		return t
	}
	for _, p := range sheetMetaPairs(s) {
		if err := cw.Write([]string{text(p[0]), text(p[1])}); err != nil {
			return fmt.Errorf("standardfile: write csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("standardfile: write csv: %w", err)
	}
	if _, err := io.WriteString(w, "\r\n"); err != nil {
		return fmt.Errorf("standardfile: write csv: %w", err)
	}
	cols := sheetWriteColumns(s)
	record := make([]string, len(cols))
	for j, c := range cols {
		record[j] = sheetColumnName(c)
	}
	if err := cw.Write(record); err != nil {
		return fmt.Errorf("standardfile: write csv: %w", err)
	}
	secs, subs := sheetSectionCells(s.Items, false)
	for i := range s.Items {
		for j, v := range sheetItemCells(s, &s.Items[i], secs[i], subs[i], cols) {
			record[j] = text(v)
		}
		if err := cw.Write(record); err != nil {
			return fmt.Errorf("standardfile: write csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("standardfile: write csv: %w", err)
	}
	return nil
}
