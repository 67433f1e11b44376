package importer

import (
	"bytes"
	"context"
	"io"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/idcard"
	"github.com/healthcell/healthcell/register"
	"github.com/healthcell/healthcell/tablefile"
)

// Fields of a register table's subject columns.
const (
	entryDivisionCode = "division_code"
)

// RegisterTable returns the import table of a register: its subject's
// columns (those register.Def.Columns writes, with the usual synonyms), then
// each field by its Chinese label, with its English label and code
// accepted too. Export and import thus use the same headers.
func RegisterTable(d *register.Def) (*Table, error) {
	t := Table{Name: d.Code, Title: d.Zh}
	t.Columns = append(t.Columns,
		Column{Field: entryDivisionCode, Header: "区划代码", Synonyms: []string{"Division code", "村（社区）代码", "行政区划代码", "统计用区划代码"}, Kind: KindText},
		Column{Field: healthcell.EntryColVillage, Header: "所属村（社区）", Synonyms: []string{"Village", "村（社区）", "所属村", "村", "社区", "村名"}, Kind: KindText})
	switch d.Subject {
	case register.Person:
		t.Columns = append(t.Columns,
			Column{Field: healthcell.EntryColName, Header: "姓名", Synonyms: []string{"Name", "居民姓名"}, Kind: KindText},
			Column{Field: healthcell.EntryColIDNumber, Header: "身份证号", Synonyms: []string{"ID number", "公民身份号码", "身份证号码", "证件号码", "身份证"}, Kind: KindID, Required: true})
	case register.Household:
		t.Columns = append(t.Columns, Column{Field: healthcell.EntryColHousehold, Header: "户编号", Synonyms: []string{"Household number", "户号"}, Kind: KindText, Required: true})
	}
	if d.Units {
		t.Columns = append(t.Columns, Column{Field: healthcell.EntryColUnit, Header: "单位", Synonyms: []string{"Unit", "单位名称"}, Kind: KindText, Required: d.Subject == register.Unit})
	}
	for _, f := range d.Fields {
		kind := KindText
		if f.Type == register.Date {
			kind = KindDate
		}
		t.Columns = append(t.Columns, Column{Field: f.Code, Header: f.Zh, Synonyms: []string{f.En, f.Code}, Kind: kind, Required: f.Required && f.Type != register.Bool})
	}
	// A register's table is the table file its definition implies; parsing
	// it builds the header index the same way as for the shipped tables.
	text, err := yaml.Marshal(t)
	if err != nil {
		return nil, err
	}
	return ParseTable(bytes.NewReader(text))
}

// EntryResult is the outcome of a register import.
type EntryResult struct {
	Result
	Entries int `json:"entries"` // entries stored (or, in a dry run, that would be)
}

// ImportEntries reads a register file (columns as RegisterTable declares
// them), normalises every row and, when the form of every row is right,
// hands them to store, which checks them against the database and stores
// them all in one transaction. It returns the result and, when any row (or
// the header) is wrong, EINVALID with key import.has_errors; then nothing is
// stored and the result's Issues name each row, column, value and reason.
// Other errors are of reading the file or of the store.
func ImportEntries(ctx context.Context, store healthcell.EntryImportService, d *register.Def, r tablefile.Reader, opt Options) (*EntryResult, error) {
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	t, err := RegisterTable(d)
	if err != nil {
		return nil, err
	}
	res := &EntryResult{Result: Result{DryRun: opt.DryRun}}
	src, fe, err := NewSource(r, t)
	if err != nil {
		return res, err
	}
	res.Unknown = src.Map.Unknown
	for _, f := range fe {
		res.Issues.Error(f)
	}
	if len(fe) > 0 {
		return res, hasErrors(&res.Result)
	}
	col := map[string]int{}
	for i, c := range t.Columns {
		col[c.Field] = i
	}
	var rows []healthcell.EntryRow
	for {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		cells, row, err := src.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return res, err
		}
		res.Rows = src.Rows
		if opt.Progress != nil && src.Rows%ProgressEvery == 0 {
			opt.Progress(src.Rows)
		}
		text := func(field string) string {
			i, ok := col[field]
			if !ok {
				return ""
			}
			return CleanText(src.Map.Cell(cells, i))
		}
		er := healthcell.EntryRow{Row: row, Village: text(entryDivisionCode), Name: text(healthcell.EntryColName),
			Household: text(healthcell.EntryColHousehold), Unit: text(healthcell.EntryColUnit), Fields: map[string]string{}}
		if er.Village == "" {
			er.Village = text(healthcell.EntryColVillage)
		}
		if d.Subject == register.Person {
			raw := src.Map.Cell(cells, col[healthcell.EntryColIDNumber])
			number, _, _, key := idcard.Check(raw, opt.Now)
			if key != "" {
				res.Issues.Error(healthcell.FieldError{Row: row, Field: src.Map.Header(col[healthcell.EntryColIDNumber]), Message: key, Value: CleanText(raw)})
			}
			er.IDNumber = number
		}
		for _, f := range d.Fields {
			v := text(f.Code)
			if f.Type == register.Date && v != "" {
				if iso, ok := ParseDate(v); ok {
					v = iso
				}
			}
			er.Fields[f.Code] = v
		}
		rows = append(rows, er)
	}
	if opt.Progress != nil {
		opt.Progress(src.Rows)
	}
	if res.Issues.Errors > 0 {
		return res, hasErrors(&res.Result)
	}
	n, warnings, err := store.ImportEntries(ctx, d.Code, rows, opt.DryRun)
	header := func(field string) string {
		if i, ok := col[field]; ok {
			return src.Map.Header(i)
		}
		return field
	}
	for _, w := range warnings {
		w.Field = header(w.Field)
		res.Issues.Warn(w)
	}
	if healthcell.ErrorCode(err) == healthcell.EINVALID {
		for _, f := range healthcell.ErrorFields(err) {
			if f.Row == 0 {
				return res, err // not a row's problem
			}
			f.Field = header(f.Field)
			res.Issues.Error(f)
		}
		return res, hasErrors(&res.Result)
	}
	if err != nil {
		return res, err
	}
	res.Entries = n
	return res, nil
}

// hasErrors is the error of an import with errors: EINVALID with key
// import.has_errors and the first thousand of them.
func hasErrors(res *Result) error {
	fe := res.Issues.FieldErrors()
	if len(fe) > 1000 {
		fe = fe[:1000]
	}
	return &healthcell.Error{Code: healthcell.EINVALID, Message: "import.has_errors", Fields: fe}
}
