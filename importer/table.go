package importer

import (
	"fmt"
	"io"
	"strings"
	"unicode"

	"gopkg.in/yaml.v3"

	"github.com/healthcell/healthcell"
)

// Column kinds: how a cell is normalised before the register checks it.
const (
	KindText  = "text"  // spaces trimmed, full-width letters and digits made half-width
	KindID    = "id"    // a resident ID number, normalised by package idcard
	KindDate  = "date"  // any date form ParseDate accepts, stored as YYYY-MM-DD
	KindEnum  = "enum"  // one of Values' keys, stored as its value
	KindBool  = "bool"  // one of Values' keys, stored as "true" or "false"
	KindPhone = "phone" // digits, with spaces removed
)

// Column is one column of an import table.
type Column struct {
	Field    string            `yaml:"field"`    // the record's field name
	Header   string            `yaml:"header"`   // the header written on export
	Synonyms []string          `yaml:"synonyms"` // other headers accepted
	Kind     string            `yaml:"kind"`
	Required bool              `yaml:"required"` // the column must be present
	Values   map[string]string `yaml:"values"`   // accepted texts and what they mean
	Export   map[string]string `yaml:"export"`   // stored value → text written on export

	values map[string]string // Values with keys matched as headers are
}

// Table is the columns of one import, from a file under catalog/imports/.
type Table struct {
	Name    string   `yaml:"name"`
	Title   string   `yaml:"title"`
	Columns []Column `yaml:"columns"`

	byHeader map[string]int // normalised header or synonym → column
	byField  map[string]int
}

// ParseTable reads a table definition. It returns an error for bad YAML, an
// unknown kind, an enum or bool column without values, or a header claimed
// by two columns.
func ParseTable(r io.Reader) (*Table, error) {
	var t Table
	dec := yaml.NewDecoder(r)
	dec.KnownFields(true)
	if err := dec.Decode(&t); err != nil {
		return nil, fmt.Errorf("import table: %w", err)
	}
	t.byHeader, t.byField = map[string]int{}, map[string]int{}
	for i := range t.Columns {
		c := &t.Columns[i]
		switch c.Kind {
		case KindText, KindID, KindDate, KindPhone:
		case KindEnum, KindBool:
			if len(c.Values) == 0 {
				return nil, fmt.Errorf("import table %s: column %s has no values", t.Name, c.Field)
			}
		default:
			return nil, fmt.Errorf("import table %s: column %s: unknown kind %q", t.Name, c.Field, c.Kind)
		}
		if c.Field == "" || c.Header == "" {
			return nil, fmt.Errorf("import table %s: column %d needs a field and a header", t.Name, i+1)
		}
		if _, dup := t.byField[c.Field]; dup {
			return nil, fmt.Errorf("import table %s: field %s twice", t.Name, c.Field)
		}
		t.byField[c.Field] = i
		for _, h := range append([]string{c.Header}, c.Synonyms...) {
			k := HeaderKey(h)
			if j, dup := t.byHeader[k]; dup && j != i {
				return nil, fmt.Errorf("import table %s: header %s names two columns", t.Name, h)
			}
			t.byHeader[k] = i
		}
		c.values = make(map[string]string, len(c.Values))
		for k, v := range c.Values {
			c.values[HeaderKey(k)] = v
		}
	}
	return &t, nil
}

// Field returns the index of the column of field, or -1.
func (t *Table) Field(field string) int {
	if i, ok := t.byField[field]; ok {
		return i
	}
	return -1
}

// Headers returns the export headers, in column order.
func (t *Table) Headers() []string {
	out := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		out[i] = c.Header
	}
	return out
}

// HeaderKey normalises a header (or an enum text) for matching: full-width
// forms made half-width, spaces and zero-width characters removed, lower
// case, and a trailing colon or asterisk (a "required" mark) dropped.
func HeaderKey(s string) string {
	s = foldWidth(s)
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\ufeff' || r == '\u200b' {
			return -1
		}
		return unicode.ToLower(r)
	}, s)
	return strings.TrimRight(strings.TrimLeft(s, "*"), ":*")
}

// ColumnMap says where each column of a table is in a file.
type ColumnMap struct {
	Table   *Table
	index   []int    // per column: its cell index in a row, or -1
	headers []string // per column: the header as the file spells it
	Unknown []string // headers of the file that are no column, in file order
}

// MapHeader matches a header row (row is its row number) to t's columns. It
// returns the map and, as errors on that row, each required column that is
// missing and each column that appears twice.
func (t *Table) MapHeader(cells []string, row int) (*ColumnMap, []healthcell.FieldError) {
	m := &ColumnMap{Table: t, index: make([]int, len(t.Columns)), headers: make([]string, len(t.Columns))}
	for i := range m.index {
		m.index[i] = -1
	}
	var fe []healthcell.FieldError
	for j, cell := range cells {
		text := strings.TrimFunc(cell, isBlank) // as the file spells it, for messages
		if text == "" {
			continue
		}
		i, ok := t.byHeader[HeaderKey(text)]
		if !ok {
			m.Unknown = append(m.Unknown, text)
			continue
		}
		if m.index[i] >= 0 {
			fe = append(fe, healthcell.FieldError{Row: row, Field: text, Message: "import.column.duplicate", Value: text})
			continue
		}
		m.index[i], m.headers[i] = j, text
	}
	for i, c := range t.Columns {
		if c.Required && m.index[i] < 0 {
			fe = append(fe, healthcell.FieldError{Row: row, Field: c.Header, Message: "import.column.missing"})
		}
	}
	return m, fe
}

// Has reports whether column i is in the file.
func (m *ColumnMap) Has(i int) bool { return i >= 0 && m.index[i] >= 0 }

// Header returns column i's header as the file spells it (the export header
// when the column is absent).
func (m *ColumnMap) Header(i int) string {
	if m.headers[i] != "" {
		return m.headers[i]
	}
	return m.Table.Columns[i].Header
}

// Cell returns column i's raw cell of a row, "" when absent.
func (m *ColumnMap) Cell(cells []string, i int) string {
	if i < 0 {
		return ""
	}
	j := m.index[i]
	if j < 0 || j >= len(cells) {
		return ""
	}
	return cells[j]
}
