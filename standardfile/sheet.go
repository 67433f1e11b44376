package standardfile

import (
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/healthcell/healthcell"
)

// ParseSheet reads a standard from a spreadsheet: an .xlsx workbook or a
// .csv file (UTF-8 with or without a byte-order mark, or GB18030), chosen by
// the extension of filename. It returns EINVALID listing every problem of
// the file, each with the spreadsheet row as Excel shows it and the Chinese
// column or key name; problems of the 标准信息 sheet carry that sheet's row.
func ParseSheet(r io.Reader, filename string) (*healthcell.Standard, error) {
	return ParseSheetChecked(r, filename, nil)
}

// ParseSheetChecked is ParseSheet that also checks, when known is not nil,
// every indicator and activity the items name (Standard.CheckCodes); an
// unknown code is reported at its row and column.
func ParseSheetChecked(r io.Reader, filename string, known *healthcell.StandardCodes) (*healthcell.Standard, error) {
	ext := strings.ToLower(filepath.Ext(filename))
	if ext != ".xlsx" && ext != ".csv" {
		return nil, sheetFileError("standard.file.type", filepath.Base(filename))
	}
	data, err := io.ReadAll(io.LimitReader(r, sheetMaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("standardfile: read %s: %w", filename, err)
	}
	if len(data) > sheetMaxBytes {
		return nil, sheetFileError("standard.file.unreadable", "")
	}
	if len(data) == 0 {
		return nil, sheetFileError("standard.file.empty", "")
	}
	var info *sheetGrid
	var tables []*sheetGrid
	if ext == ".csv" {
		g, err := sheetReadCSV(data)
		if err != nil {
			return nil, err
		}
		tables = []*sheetGrid{g}
	} else {
		info, tables, err = sheetReadXLSX(data)
		if err != nil {
			return nil, err
		}
	}
	return sheetParse(info, tables, known)
}

// sheetMetaValue is a standard field's text and where it was found.
type sheetMetaValue struct {
	text  string
	group int
	row   int
	label string
}

// sheetItemRow is where an item came from: its row and cell texts.
type sheetItemRow struct {
	row   int
	cells [scCount]string
}

// sheetParser turns grids into a standard.
type sheetParser struct {
	errs   sheetErrs
	meta   map[string]sheetMetaValue
	cols   [scCount]int    // column index, -1 when absent
	labels [scCount]string // header text used by the file, normalized to our names
	rows   []sheetItemRow  // per item
}

func sheetParse(info *sheetGrid, tables []*sheetGrid, known *healthcell.StandardCodes) (*healthcell.Standard, error) {
	p := &sheetParser{meta: map[string]sheetMetaValue{}}
	allEmpty := info == nil || info.empty()
	for _, t := range tables {
		allEmpty = allEmpty && t.empty()
	}
	if allEmpty {
		return nil, sheetFileError("standard.file.empty", "")
	}
	var table *sheetGrid
	header := -1
	for _, t := range tables {
		if header = sheetHeaderRow(t); header >= 0 {
			table = t
			break
		}
	}
	if info != nil {
		p.readMeta(info.rows, sheetGroupInfo)
	}
	if table == nil {
		var names []string
		for _, c := range []scCol{scSection, scText, scPoints, scMethod} {
			names = append(names, sheetColumnName(c))
		}
		p.errs.add(sheetGroupFile, 0, "header", "standard.header.missing", strings.Join(names, "、"))
		return nil, p.errs.err()
	}
	p.readMeta(table.rows[:header], sheetGroupTable)
	s := p.standard()

	if !p.readHeader(table.rows[header], header+1) {
		return nil, p.errs.err()
	}
	s.Items = p.readItems(table.rows, header+1)
	if len(s.Items) == 0 {
		p.errs.add(sheetGroupFile, 0, "items", "standard.items.empty", "")
	}
	parseErrors := len(p.errs.list) > 0
	for _, fe := range healthcell.ErrorFields(validate(s, known)) {
		if parseErrors && (fe.Message == "standard.total.mismatch" || fe.Message == "standard.pass.too_high") {
			continue // the sums are meaningless until the rows are fixed
		}
		p.mapValidateError(fe)
	}
	if len(p.errs.list) > 0 {
		return nil, p.errs.err()
	}
	return s, nil
}

// sheetHeaderRow returns the index of the table's header row, -1 if none:
// the first row with a 评分内容 or 评分标准 cell and another column name,
// that is not a key, value row.
func sheetHeaderRow(g *sheetGrid) int {
	for i, row := range g.rows {
		first := ""
		for _, c := range row {
			if c != "" {
				first = c
				break
			}
		}
		if _, isKey := sheetLookup(sheetMetaByLabel, first); isKey {
			continue
		}
		text, known := false, 0
		for _, c := range row {
			if col, ok := sheetLookup(sheetColumnByName, c); ok {
				known++
				text = text || col == scText || col == scCriteria
			}
		}
		if text && known >= 2 { // not a lone title cell 评分标准
			return i
		}
	}
	return -1
}

// readMeta reads key, value pairs from rows: a key cell and the next
// non-empty cell, or one cell "key：value". Later values win.
func (p *sheetParser) readMeta(rows [][]string, group int) {
	for i, row := range rows {
		var cells []string
		for _, c := range row {
			if c != "" {
				cells = append(cells, c)
			}
		}
		for j := 0; j < len(cells); j++ {
			c := cells[j]
			field, isKey := sheetLookup(sheetMetaByLabel, c)
			value := ""
			if isKey {
				if j+1 < len(cells) {
					_, nextIsKey := sheetLookup(sheetMetaByLabel, cells[j+1])
					if !nextIsKey || j+2 == len(cells) {
						value = cells[j+1]
						j++
					}
				}
			} else if k := strings.IndexAny(c, ":："); k > 0 {
				field, isKey = sheetLookup(sheetMetaByLabel, c[:k])
				_, sz := utf8.DecodeRuneInString(c[k:])
				value = sheetTrim(c[k+sz:])
			}
			if !isKey {
				continue
			}
			if old, ok := p.meta[field]; ok && value == "" && old.text != "" {
				continue
			}
			p.meta[field] = sheetMetaValue{text: value, group: group, row: i + 1, label: sheetMetaLabel(field)}
		}
	}
}

// metaError reports a problem with a standard field where it was found.
func (p *sheetParser) metaError(field, msg string) {
	m, ok := p.meta[field]
	if !ok {
		p.errs.add(sheetGroupFile, 0, sheetMetaLabel(field), msg, "")
		return
	}
	p.errs.add(m.group, m.row, m.label, msg, m.text)
}

// standard builds the standard's own fields from the key, value pairs.
func (p *sheetParser) standard() *healthcell.Standard {
	s := &healthcell.Standard{}
	text := func(f string) string { return p.meta[f].text }
	var missing []string
	for _, f := range sheetRequiredMeta {
		if text(f) == "" {
			missing = append(missing, sheetMetaLabel(f))
		}
	}
	if len(missing) > 0 {
		p.errs.add(sheetGroupFile, 0, "meta", "standard.meta.missing", strings.Join(missing, "、"))
	}
	s.Name = text("name")
	s.Code = text("code")
	s.CellType = text("cell_type")
	if u := text("unit_kind"); u != "" {
		kind, ok := sheetLookup(sheetUnitKindByName, u)
		if !ok {
			if k := strings.ToLower(u); sheetUnitKindLabel[k] != "" {
				kind, ok = k, true
			}
		}
		if ok {
			s.UnitKind = kind
		} else {
			s.UnitKind = u
			p.metaError("unit_kind", "standard.unit_kind.invalid")
		}
	}
	s.Issuer = text("issuer")
	s.Source = text("source")
	s.Notes = text("notes")
	number := func(f string, dst *float64, parse func(string) (float64, bool)) {
		if t := text(f); t != "" {
			v, ok := parse(t)
			if !ok {
				p.metaError(f, "standard.number.invalid")
			}
			*dst = v
		}
	}
	number("total_points", &s.TotalPoints, func(t string) (float64, bool) { return sheetNumber(t, "分") })
	number("pass_score", &s.PassScore, func(t string) (float64, bool) { return sheetNumber(t, "分") })
	number("veto_min_rate", &s.VetoMinRate, sheetRate)
	if t := text("review_years"); t != "" {
		v, ok := sheetInt(t, "年")
		if !ok {
			p.metaError("review_years", "standard.number.invalid")
		}
		s.ReviewYears = v
	}
	if t := text("regions"); t != "" {
		s.Regions = sheetSplit(t, "、,，;；\n\t ")
	}
	if t := text("levels"); t != "" {
		levels, ok := sheetLevels(t)
		if !ok {
			p.metaError("levels", "standard.number.invalid")
		}
		s.Levels = levels
	}
	return s
}

// readHeader maps the header row's columns; it reports missing required
// columns and returns false then.
func (p *sheetParser) readHeader(row []string, rowNum int) bool {
	for i := range p.cols {
		p.cols[i] = -1
	}
	for j, c := range row {
		col, ok := sheetLookup(sheetColumnByName, c)
		if !ok || p.cols[col] >= 0 {
			continue
		}
		p.cols[col] = j
		for _, x := range sheetColumns {
			if x.col != col {
				continue
			}
			p.labels[col] = x.names[0]
			n := sheetNorm(c)
			for _, name := range x.names {
				if sheetNorm(name) == n || sheetNorm(name) == sheetStripParen(n) {
					p.labels[col] = name
				}
			}
		}
	}
	for c := range p.labels {
		if p.labels[c] == "" {
			p.labels[c] = sheetColumnName(scCol(c))
		}
	}
	if p.cols[scText] < 0 && p.cols[scCriteria] >= 0 {
		// 评分标准 holds the item's text
		p.cols[scText], p.cols[scCriteria] = p.cols[scCriteria], -1
		p.labels[scText] = p.labels[scCriteria]
	}
	var missing []string
	for _, c := range []scCol{scSection, scText, scPoints, scMethod} {
		if p.cols[c] < 0 {
			missing = append(missing, sheetColumnName(c))
		}
	}
	if len(missing) > 0 {
		p.errs.add(sheetGroupTable, rowNum, "header", "standard.header.missing", strings.Join(missing, "、"))
		return false
	}
	return true
}

// readItems reads the item rows below the header row (at index start).
func (p *sheetParser) readItems(rows [][]string, start int) []healthcell.Item {
	var items []healthcell.Item
	var prevSec, prevSub string
	sections := map[string]int{}
	subsections := map[string]map[string]int{}
	counters := map[[2]string]int{}
	for i := start; i < len(rows); i++ {
		row, rowNum := rows[i], i+1
		var r sheetItemRow
		r.row = rowNum
		blank := true
		for c := range r.cells {
			r.cells[c] = sheetCell(row, p.cols[c])
			if r.cells[c] != "" {
				blank = false
			}
		}
		if blank || sheetSkipRow(row, r.cells) {
			continue
		}
		sec, sub := r.cells[scSection], r.cells[scSubsection]
		if sec == "" {
			sec = prevSec
		}
		switch {
		case sheetEmptySubsection[sub]:
			sub = ""
		case sub == "" && sec == prevSec:
			sub = prevSub
		}
		prevSec, prevSub = sec, sub
		heading := true
		for c, v := range r.cells {
			if v != "" && c != int(scSection) && c != int(scSubsection) && c != int(scCode) {
				heading = false
			}
		}
		if heading { // a line naming a section or subsection
			continue
		}

		// positions for generated codes: section, subsection, item
		if _, ok := sections[sec]; !ok {
			sections[sec] = len(sections) + 1
			subsections[sec] = map[string]int{}
		}
		code := strconv.Itoa(sections[sec])
		if sub != "" {
			if _, ok := subsections[sec][sub]; !ok {
				subsections[sec][sub] = len(subsections[sec]) + 1
			}
			code += "." + strconv.Itoa(subsections[sec][sub])
		}
		counters[[2]string{sec, sub}]++
		code += "." + strconv.Itoa(counters[[2]string{sec, sub}])
		if r.cells[scCode] != "" {
			code = r.cells[scCode]
		}

		items = append(items, p.item(&r, sec, sub, code))
		p.rows = append(p.rows, r)
	}
	return items
}

// sheetSkipRow reports lines that are not items: a totals line, and a note
// below the table (a single cell starting 注 / 说明 / 备注).
func sheetSkipRow(row []string, cells [scCount]string) bool {
	for _, c := range []scCol{scSection, scCode, scText} {
		if sheetTotalRows[sheetNorm(cells[c])] {
			return true
		}
	}
	var only string
	n := 0
	for _, c := range row {
		if c != "" {
			only = c
			n++
		}
	}
	if n != 1 {
		return false
	}
	for _, prefix := range []string{"注:", "注：", "说明", "备注"} {
		if strings.HasPrefix(only, prefix) {
			return true
		}
	}
	return false
}

// item builds one item from its row, reporting the cells it cannot read.
func (p *sheetParser) item(r *sheetItemRow, sec, sub, code string) healthcell.Item {
	cells := &r.cells
	bad := func(c scCol, msg string) {
		p.errs.add(sheetGroupTable, r.row, p.labels[c], msg, cells[c])
	}
	it := healthcell.Item{
		Code:       code,
		Section:    sec,
		Subsection: sub,
		Text:       cells[scText],
		Indicator:  cells[scIndicator],
		Activity:   cells[scActivity],
		Evidence:   cells[scEvidence],
	}
	if c := cells[scCriteria]; c != "" {
		if it.Text != "" {
			it.Text += "\n"
		}
		it.Text += c
	}
	if v := cells[scPoints]; v == "" {
		bad(scPoints, "standard.points.missing")
	} else if n, ok := sheetNumber(v, "分"); ok {
		it.Points = n
	} else {
		bad(scPoints, "standard.number.invalid")
	}
	if m, ok := sheetLookup(sheetMethodByName, cells[scMethod]); ok {
		it.Method = m
	} else {
		it.Method = cells[scMethod]
		bad(scMethod, "standard.method.unknown")
	}
	if v := cells[scGrades]; v != "" {
		g, ok := sheetGrades(v)
		if !ok {
			bad(scGrades, "standard.number.invalid")
		}
		it.Grades = g
	}
	for _, f := range []struct {
		col scCol
		dst *bool
	}{{scVeto, &it.Veto}, {scBonus, &it.Bonus}, {scDefault, &it.Default}} {
		if v := cells[f.col]; v != "" {
			b, ok := sheetLookup(sheetFlagByName, v)
			if !ok {
				bad(f.col, "standard.flag.invalid")
			}
			*f.dst = b
		}
	}
	if v := cells[scTarget]; v != "" {
		t, ts, ok := sheetTargets(v)
		if !ok {
			bad(scTarget, "standard.number.invalid")
		}
		it.Target, it.Targets = t, ts
	}
	if v := cells[scMinCount]; v != "" {
		n, ok := sheetInt(v, "次")
		if !ok {
			bad(scMinCount, "standard.number.invalid")
		}
		it.MinCount = n
	}
	return it
}

// sheetItemField maps Validate's item fields to columns.
var sheetItemField = map[string]scCol{
	"code":       scCode,
	"section":    scSection,
	"subsection": scSubsection,
	"text":       scText,
	"points":     scPoints,
	"method":     scMethod,
	"grades":     scGrades,
	"indicator":  scIndicator,
	"target":     scTarget,
	"targets":    scTarget,
	"activity":   scActivity,
	"min_count":  scMinCount,
}

// mapValidateError reports one of Validate's problems at its spreadsheet
// row and column; the first problem of a row and column wins.
func (p *sheetParser) mapValidateError(fe healthcell.FieldError) {
	if fe.Row == 0 {
		if fe.Field == "items" {
			p.errs.add(sheetGroupFile, 0, "items", fe.Message, "")
			return
		}
		for _, f := range sheetRequiredMeta {
			if f == fe.Field && p.meta[f].text == "" {
				return // reported as standard.meta.missing
			}
		}
		if m, ok := p.meta[fe.Field]; ok {
			p.errs.add(m.group, m.row, m.label, fe.Message, m.text)
		} else {
			p.errs.add(sheetGroupFile, 0, sheetMetaLabel(fe.Field), fe.Message, fe.Value)
		}
		return
	}
	if fe.Row > len(p.rows) {
		p.errs.add(sheetGroupFile, 0, fe.Field, fe.Message, fe.Value)
		return
	}
	r := p.rows[fe.Row-1]
	col, ok := sheetItemField[fe.Field]
	if !ok {
		p.errs.add(sheetGroupTable, r.row, fe.Field, fe.Message, fe.Value)
		return
	}
	value := r.cells[col]
	if value == "" {
		value = fe.Value
	}
	p.errs.add(sheetGroupTable, r.row, p.labels[col], fe.Message, value)
}
