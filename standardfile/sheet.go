package standardfile

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/width"

	"github.com/healthcell/healthcell"
)

// Spreadsheet layout. A standard is a table with one row per item under a
// header row (the first row holding 评分内容 or 评分标准), with the
// standard's own fields as "key, value" rows above the table and/or, in a
// workbook, on a sheet named 标准信息.
const (
	sheetInfoName  = "标准信息" // the sheet of key, value pairs
	sheetTableName = "评分标准" // the sheet of items written by WriteXLSX

	// Bounds of an uploaded spreadsheet; standards are a few hundred rows.
	sheetMaxBytes = 10 << 20 // file size
	sheetMaxRows  = 10000    // rows of a sheet, blank ones included
	sheetMaxCells = 500000   // cells of a CSV file, blank ones included
)

// scCol is a column of the items table.
type scCol int

const (
	scSection scCol = iota
	scSubsection
	scCode
	scText
	scCriteria
	scPoints
	scMethod
	scGrades
	scVeto
	scBonus
	scIndicator
	scTarget
	scActivity
	scMinCount
	scEvidence
	scDefault
	scCount
)

// sheetColumns lists the columns in the order they are written; the first
// name is the one written and reported, the others are accepted.
var sheetColumns = []struct {
	col   scCol
	names []string
}{
	{scSection, []string{"一级指标"}},
	{scSubsection, []string{"二级指标"}},
	{scCode, []string{"编号", "序号"}},
	{scText, []string{"评分内容"}},
	{scCriteria, []string{"评分标准"}},
	{scPoints, []string{"分值"}},
	{scMethod, []string{"评分方法"}},
	{scGrades, []string{"分级"}},
	{scVeto, []string{"否决项"}},
	{scBonus, []string{"加分项"}},
	{scIndicator, []string{"关联指标"}},
	{scTarget, []string{"目标值"}},
	{scActivity, []string{"活动类型"}},
	{scMinCount, []string{"最少次数"}},
	{scEvidence, []string{"佐证材料"}},
	{scDefault, []string{"系统默认"}}, // 是: a number chosen by us, not from the source document
}

// sheetColumnByName maps normalized header texts to columns.
var sheetColumnByName = func() map[string]scCol {
	m := map[string]scCol{}
	for _, c := range sheetColumns {
		for _, n := range c.names {
			m[sheetNorm(n)] = c.col
		}
	}
	return m
}()

// sheetColumnName returns the default header text of a column.
func sheetColumnName(c scCol) string {
	for _, x := range sheetColumns {
		if x.col == c {
			return x.names[0]
		}
	}
	return ""
}

// sheetMetaKeys lists the standard's own fields in the order they are
// written; the first label is the one written and reported.
var sheetMetaKeys = []struct {
	field  string // the Standard's JSON name, as in Validate's field errors
	labels []string
}{
	{"name", []string{"标准名称"}},
	{"code", []string{"标准编号"}},
	{"cell_type", []string{"创建类型"}},
	{"unit_kind", []string{"适用对象"}},
	{"issuer", []string{"发布单位"}},
	{"source", []string{"依据", "来源", "依据/来源", "依据或来源"}},
	{"total_points", []string{"总分"}},
	{"pass_score", []string{"合格分数"}},
	{"veto_min_rate", []string{"否决项最低得分率"}},
	{"review_years", []string{"复审周期（年）", "复审周期"}},
	{"regions", []string{"地区"}},
	{"levels", []string{"等级"}},
	{"notes", []string{"说明"}},
}

var sheetMetaByLabel = func() map[string]string {
	m := map[string]string{}
	for _, k := range sheetMetaKeys {
		for _, l := range k.labels {
			m[sheetNorm(l)] = k.field
		}
	}
	return m
}()

func sheetMetaLabel(field string) string {
	for _, k := range sheetMetaKeys {
		if k.field == field {
			return k.labels[0]
		}
	}
	return field
}

// sheetRequiredMeta are the fields whose absence is reported as one
// standard.meta.missing error.
var sheetRequiredMeta = []string{"name", "code", "cell_type", "unit_kind"}

var sheetMethodByName = map[string]string{
	"yes": healthcell.MethodYes, "是": healthcell.MethodYes,
	"no": healthcell.MethodNo, "否": healthcell.MethodNo,
	"graded": healthcell.MethodGraded, "分级": healthcell.MethodGraded,
	"egt": healthcell.MethodEGT, "达标": healthcell.MethodEGT, "不低于": healthcell.MethodEGT,
	"elt": healthcell.MethodELT, "不超过": healthcell.MethodELT, "不高于": healthcell.MethodELT,
	"count": healthcell.MethodCount, "计数": healthcell.MethodCount,
	"attach": healthcell.MethodAttach, "佐证": healthcell.MethodAttach,
}

// sheetMethodLabel is the Chinese name written for each method.
var sheetMethodLabel = map[string]string{
	healthcell.MethodYes:    "是",
	healthcell.MethodNo:     "否",
	healthcell.MethodGraded: "分级",
	healthcell.MethodEGT:    "达标",
	healthcell.MethodELT:    "不超过",
	healthcell.MethodCount:  "计数",
	healthcell.MethodAttach: "佐证",
}

var sheetUnitKindByName = map[string]string{
	"村": "village", "行政村": "village",
	"社区": "community",
	"家庭": "household",
	"学校": "school",
	"医院": "hospital",
	"机关": "agency",
	"企业": "enterprise",
	"乡镇": "township",
}

// sheetUnitKindLabel is the Chinese name written for each unit kind.
var sheetUnitKindLabel = map[string]string{
	"village": "村", "community": "社区", "household": "家庭", "school": "学校",
	"hospital": "医院", "agency": "机关", "enterprise": "企业", "township": "乡镇",
}

var sheetFlagByName = map[string]bool{
	"是": true, "√": true, "✓": true, "✔": true, "y": true, "yes": true, "true": true, "1": true,
	"否": false, "×": false, "✗": false, "n": false, "no": false, "false": false, "0": false,
}

// sheetTotalRows are the texts of a totals line below the table, skipped.
var sheetTotalRows = map[string]bool{"合计": true, "总计": true, "小计": true, "总分": true}

// sheetEmptySubsection are the texts that mark a deliberately empty 二级指标
// cell (a blank cell inherits the value above).
var sheetEmptySubsection = map[string]bool{"—": true, "——": true, "-": true, "/": true, "无": true}

// sheetGrid is one sheet: rows[i] is spreadsheet row i+1, cells trimmed.
type sheetGrid struct {
	name string
	rows [][]string
}

func (g *sheetGrid) empty() bool {
	for _, r := range g.rows {
		for _, c := range r {
			if c != "" {
				return false
			}
		}
	}
	return true
}

// sheetCell returns row[i], or "" when the column is absent.
func sheetCell(row []string, i int) string {
	if i < 0 || i >= len(row) {
		return ""
	}
	return row[i]
}

// sheetTrim trims spaces (full-width ones too), byte-order marks and
// zero-width spaces, and turns every line break into \n.
func sheetTrim(s string) string {
	if strings.ContainsRune(s, '\r') {
		s = strings.ReplaceAll(s, "\r\n", "\n")
		s = strings.ReplaceAll(s, "\r", "\n")
	}
	return strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == '\ufeff' || r == '\u200b'
	})
}

// sheetNorm normalizes a header or key text for matching: no spaces,
// half-width brackets and colons, lower case, no trailing colon.
func sheetNorm(s string) string {
	s = width.Narrow.String(s)
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\ufeff' || r == '\u200b' {
			return -1
		}
		return unicode.ToLower(r)
	}, s)
	return strings.TrimRight(s, ":")
}

// sheetStripParen removes a trailing parenthesized note, as in 分值（分）.
func sheetStripParen(n string) string {
	if strings.HasSuffix(n, ")") {
		if i := strings.LastIndex(n, "("); i > 0 {
			return n[:i]
		}
	}
	return n
}

// sheetLookup finds a normalized text in m, also without a trailing note.
func sheetLookup[V any](m map[string]V, s string) (V, bool) {
	n := sheetNorm(s)
	if v, ok := m[n]; ok {
		return v, true
	}
	v, ok := m[sheetStripParen(n)]
	return v, ok
}

// sheetErrs collects the problems of a file, at most one per row and field.
type sheetErrs struct {
	list []sheetErr
	seen map[sheetErrKey]bool
}

// Groups order the problems: the whole file, then the 标准信息 sheet, then
// the table's sheet, each by row.
const (
	sheetGroupFile  = 0
	sheetGroupInfo  = 1
	sheetGroupTable = 2
)

type sheetErr struct {
	group int
	fe    healthcell.FieldError
}

type sheetErrKey struct {
	group, row int
	field      string
}

func (e *sheetErrs) add(group, row int, field, msg, value string) {
	if row == 0 {
		group = sheetGroupFile
	}
	k := sheetErrKey{group, row, field}
	if e.seen == nil {
		e.seen = map[sheetErrKey]bool{}
	}
	if e.seen[k] {
		return
	}
	e.seen[k] = true
	e.list = append(e.list, sheetErr{group, healthcell.FieldError{Field: field, Message: msg, Row: row, Value: value}})
}

func (e *sheetErrs) err() error {
	sort.SliceStable(e.list, func(i, j int) bool {
		a, b := e.list[i], e.list[j]
		if a.group != b.group {
			return a.group < b.group
		}
		return a.fe.Row < b.fe.Row
	})
	fe := make([]healthcell.FieldError, len(e.list))
	for i, x := range e.list {
		fe[i] = x.fe
	}
	return healthcell.Invalid(fe)
}

func sheetFileError(msg, value string) error {
	return healthcell.Invalid([]healthcell.FieldError{{Field: "file", Message: msg, Value: value}})
}

// ParseSheet reads a standard from a spreadsheet: an .xlsx workbook or a
// .csv file (UTF-8 with or without a byte-order mark, or GB18030), chosen by
// the extension of filename. It returns EINVALID listing every problem of
// the file, each with the spreadsheet row as Excel shows it and the Chinese
// column or key name; problems of the 标准信息 sheet carry that sheet's row.
func ParseSheet(r io.Reader, filename string) (*healthcell.Standard, error) {
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
	return sheetParse(info, tables)
}

// sheetReadCSV decodes and splits a CSV file.
func sheetReadCSV(data []byte) (*sheetGrid, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if bytes.IndexByte(data, 0) >= 0 {
		// a binary file (a workbook renamed to .csv, UTF-16 text)
		return nil, sheetFileError("standard.file.unreadable", "")
	}
	var text string
	if utf8.Valid(data) {
		text = string(data)
	} else {
		b, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
		if err != nil {
			return nil, sheetFileError("standard.file.unreadable", "")
		}
		text = string(b)
	}
	rows, ok := sheetSplitCSV(text)
	if !ok {
		return nil, sheetFileError("standard.file.unreadable", "")
	}
	for _, row := range rows {
		for j, c := range row {
			c = sheetTrim(c)
			if strings.HasPrefix(c, "'") && sheetFormulaLike(c[1:]) {
				c = c[1:] // WriteCSV's guard against formula injection
			}
			row[j] = c
		}
	}
	return &sheetGrid{name: "csv", rows: rows}, nil
}

// sheetSplitCSV splits RFC 4180 text into records, leniently about stray
// quotes. Unlike encoding/csv it keeps blank lines as empty records, so that
// record i is the row i+1 that Excel shows. It returns false for a file of
// more than sheetMaxRows rows or sheetMaxCells cells.
func sheetSplitCSV(s string) ([][]string, bool) {
	var rows [][]string
	var row []string
	var field strings.Builder
	inQuotes, quoted, pending := false, false, false
	cells := 0
	endField := func() {
		row = append(row, field.String())
		field.Reset()
		quoted = false
		cells++
	}
	endRow := func() {
		endField()
		rows = append(rows, row)
		row = nil
		pending = false
	}
	for i := 0; i < len(s); i++ {
		if len(rows) > sheetMaxRows || cells > sheetMaxCells {
			return nil, false
		}
		c := s[i]
		if inQuotes {
			if c == '"' {
				if i+1 < len(s) && s[i+1] == '"' {
					field.WriteByte('"')
					i++
				} else {
					inQuotes = false
				}
				continue
			}
			field.WriteByte(c)
			continue
		}
		switch c {
		case '"':
			pending = true
			if field.Len() == 0 && !quoted {
				inQuotes, quoted = true, true
			} else {
				field.WriteByte(c)
			}
		case ',':
			pending = true
			endField()
		case '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
			endRow()
		case '\n':
			endRow()
		default:
			pending = true
			field.WriteByte(c)
		}
	}
	if pending || len(row) > 0 {
		endRow()
	}
	return rows, len(rows) <= sheetMaxRows && cells <= sheetMaxCells
}

// sheetFormulaLike reports whether a cell would be taken for a formula by a
// spreadsheet program opening a CSV file (leading quotes aside).
func sheetFormulaLike(s string) bool {
	s = strings.TrimLeft(s, "'")
	return s != "" && strings.ContainsRune("=+-@", rune(s[0]))
}

// sheetReadXLSX reads the sheets of a workbook: the 标准信息 sheet, if any,
// and the others, a sheet named 评分标准 first.
func sheetReadXLSX(data []byte) (info *sheetGrid, tables []*sheetGrid, err error) {
	defer func() {
		if recover() != nil { // a malformed workbook the library did not expect
			info, tables, err = nil, nil, sheetFileError("standard.file.unreadable", "")
		}
	}()
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit:    32 << 20,
		UnzipXMLSizeLimit: 16 << 20,
	})
	if err != nil {
		return nil, nil, sheetFileError("standard.file.unreadable", "")
	}
	defer f.Close()
	broken := false
	for _, name := range f.GetSheetList() {
		rows, err := f.GetRows(name)
		if err != nil { // a chart sheet, or a damaged one
			broken = true
			continue
		}
		if len(rows) > sheetMaxRows {
			return nil, nil, sheetFileError("standard.file.unreadable", "")
		}
		for _, row := range rows {
			for j := range row {
				row[j] = sheetTrim(row[j])
			}
		}
		g := &sheetGrid{name: name, rows: rows}
		switch strings.TrimSpace(name) {
		case sheetInfoName:
			info = g
		case sheetTableName:
			tables = append([]*sheetGrid{g}, tables...)
		default:
			tables = append(tables, g)
		}
	}
	if broken && len(tables) == 0 {
		return nil, nil, sheetFileError("standard.file.unreadable", "")
	}
	return info, tables, nil
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

func sheetParse(info *sheetGrid, tables []*sheetGrid) (*healthcell.Standard, error) {
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
	for _, fe := range healthcell.ErrorFields(s.Validate()) {
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

var sheetNumberRe = regexp.MustCompile(`^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$`)

// sheetNumber parses a plain decimal number, full-width digits and a unit
// suffix (such as 分) allowed.
func sheetNumber(s string, units ...string) (float64, bool) {
	t := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, width.Narrow.String(s))
	for _, u := range units {
		t = strings.TrimSuffix(t, u)
	}
	if !sheetNumberRe.MatchString(t) {
		return 0, false
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, false
	}
	return v, true
}

// sheetTarget parses a target: 90, 90%, ≥90%, ≤5 (the percent sign and the
// comparison are dropped).
func sheetTarget(s string) (float64, bool) {
	t := strings.TrimSpace(width.Narrow.String(s))
	for _, prefix := range []string{"≥", ">=", "≤", "<=", ">", "<", "="} {
		if strings.HasPrefix(t, prefix) {
			t = t[len(prefix):]
			break
		}
	}
	return sheetNumber(t, "%")
}

// sheetRate parses a rate: 0.75 or 75%.
func sheetRate(s string) (float64, bool) {
	t := strings.TrimSpace(width.Narrow.String(s))
	if p, ok := strings.CutSuffix(t, "%"); ok {
		v, ok := sheetNumber(p)
		return v / 100, ok
	}
	return sheetNumber(t)
}

// sheetInt parses a whole number, a unit suffix allowed.
func sheetInt(s string, units ...string) (int, bool) {
	v, ok := sheetNumber(s, units...)
	if !ok || v != math.Trunc(v) || math.Abs(v) > 1e9 {
		return 0, false
	}
	return int(v), true
}

// sheetSplit splits s at any of the separator runes, dropping empty parts.
func sheetSplit(s, seps string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(seps, r) }) {
		if part = sheetTrim(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// sheetPair splits "label:value" at the last colon.
func sheetPair(s string) (label, value string, ok bool) {
	i := strings.LastIndexAny(s, ":：")
	if i < 0 {
		return "", "", false
	}
	_, sz := utf8.DecodeRuneInString(s[i:])
	return sheetTrim(s[:i]), sheetTrim(s[i+sz:]), true
}

// sheetGrades parses "好:5;中:3;差:0".
func sheetGrades(s string) ([]healthcell.Grade, bool) {
	var out []healthcell.Grade
	ok := true
	for _, part := range sheetSplit(s, ";；\n") {
		label, value, found := sheetPair(part)
		v, numOK := sheetNumber(value, "分")
		if !found || label == "" || !numOK {
			ok = false
			continue
		}
		out = append(out, healthcell.Grade{Label: label, Points: v})
	}
	return out, ok && len(out) > 0
}

var sheetLevelRe = regexp.MustCompile(`^(.*?)\s*([0-9０-９.．]+)\s*分?$`)

// sheetLevels parses "铜:70;银:80;金:90" or "铜≥70、银≥80、金≥90".
func sheetLevels(s string) ([]healthcell.Level, bool) {
	var out []healthcell.Level
	ok := true
	for _, part := range sheetSplit(s, ";；、,，\n") {
		name, value := "", ""
		cut := -1
		var sep string
		for _, x := range []string{"≥", ">=", "＞＝", ">", "＞", ":", "：", "=", "＝"} {
			if i := strings.Index(part, x); i >= 0 && (cut < 0 || i < cut) {
				cut, sep = i, x
			}
		}
		if cut >= 0 {
			name, value = sheetTrim(part[:cut]), sheetTrim(part[cut+len(sep):])
		} else if m := sheetLevelRe.FindStringSubmatch(part); m != nil {
			name, value = sheetTrim(m[1]), m[2]
		}
		v, numOK := sheetNumber(value, "分")
		if name == "" || !numOK {
			ok = false
			continue
		}
		out = append(out, healthcell.Level{Name: name, Min: v})
	}
	return out, ok && len(out) > 0
}

// sheetTargets parses a target cell: one number, or per-region targets
// "东:95;中:90;西:80", optionally with a plain number for other regions.
func sheetTargets(s string) (float64, map[string]float64, bool) {
	var target float64
	var targets map[string]float64
	ok, plain := true, false
	for _, part := range sheetSplit(s, ";；、,，\n") {
		region, value, found := sheetPair(part)
		if !found {
			v, numOK := sheetTarget(part)
			if !numOK || plain {
				ok = false
				continue
			}
			target, plain = v, true
			continue
		}
		v, numOK := sheetTarget(value)
		if region == "" || !numOK {
			ok = false
			continue
		}
		if targets == nil {
			targets = map[string]float64{}
		}
		targets[region] = v
	}
	return target, targets, ok
}
