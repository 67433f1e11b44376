// Package register holds the definitions of the registers (台账): health
// records, check-ups, family-doctor contracts, insurance, chronic disease and
// follow-ups, the poverty register and its expenses, activities, environment
// inspections and household sanitation. A definition is data, read from
// catalog/registers/*.yaml: its table, subject, period field and typed
// fields with their labels. Web forms, the JSON API, storage, import, export
// and the indicator formulas' allow-list are all driven by these
// definitions. The package is pure: it parses definitions and checks values;
// it stores nothing.
package register

import (
	"regexp"
	"sort"
)

// Subject is what a register's row is about.
type Subject string

// Subjects.
const (
	Person    Subject = "person"    // a resident: person_id is required
	Household Subject = "household" // a household: household_id is required
	Village   Subject = "village"   // only the village (and, when Units, a unit)
	Unit      Subject = "unit"      // an institution: unit_id is required; the village is the unit's (or named, for a unit above villages)
)

// Type is the type of a field.
type Type string

// Field types. Dates are stored as text YYYY-MM-DD, money and decimals as
// numbers with two decimals, booleans as booleans.
const (
	Text    Type = "text"
	Date    Type = "date"
	Enum    Type = "enum"
	Year    Type = "year"
	Int     Type = "int"
	Bool    Type = "bool"
	Money   Type = "money"
	Decimal Type = "decimal"
)

// Option is one allowed value of an enum field.
type Option struct {
	Code string `yaml:"code" json:"code,omitempty"`
	Zh   string `yaml:"zh" json:"zh,omitempty"`
	En   string `yaml:"en" json:"en,omitempty"`
}

// Field is one typed column of a register.
type Field struct {
	Code     string   `yaml:"code" json:"code,omitempty"`
	Type     Type     `yaml:"type" json:"type,omitempty"`
	Zh       string   `yaml:"zh" json:"zh,omitempty"`
	En       string   `yaml:"en" json:"en,omitempty"`
	Required bool     `yaml:"required" json:"required,omitempty"`
	Max      *float64 `yaml:"max" json:"max,omitempty"` // the longest text (characters) or the largest number
	Min      *float64 `yaml:"min" json:"min,omitempty"`
	Options  []Option `yaml:"options" json:"options,omitempty"`
	Future   bool     `yaml:"future" json:"future,omitempty"`   // a date that may lie ahead (a contract's end)
	After    string   `yaml:"after" json:"after,omitempty"`     // a date field this one may not precede
	SumOf    []string `yaml:"sum_of" json:"sum_of,omitempty"`   // money: must equal the sum of these fields ("-f" subtracts)
	AtMost   string   `yaml:"at_most" json:"at_most,omitempty"` // a number field this one may not exceed (a part of a whole), which must then be given
	// AtMostPopulation: an int no larger than the entry's village's active
	// population (attendance); checked by storage, which knows the population.
	AtMostPopulation bool `yaml:"at_most_population" json:"at_most_population,omitempty"`
}

// Def is a register's definition.
type Def struct {
	Code      string   `yaml:"code" json:"code,omitempty"`
	Table     string   `yaml:"table" json:"table,omitempty"`
	Zh        string   `yaml:"zh" json:"zh,omitempty"`
	En        string   `yaml:"en" json:"en,omitempty"`
	Subject   Subject  `yaml:"subject" json:"subject,omitempty"`
	Units     bool     `yaml:"units" json:"units,omitempty"`           // rows may name an institution unit (implied by subject unit)
	Personal  bool     `yaml:"personal" json:"personal,omitempty"`     // rows are personal data (health, money)
	Files     bool     `yaml:"files" json:"files,omitempty"`           // rows may carry files (photos, sign-in sheets)
	Period    string   `yaml:"period" json:"period,omitempty"`         // the date or year field that places a row in a period
	PeriodEnd string   `yaml:"period_end" json:"period_end,omitempty"` // for spans (contracts): the field where the span ends
	Unique    []string `yaml:"unique" json:"unique,omitempty"`         // columns unique among active rows
	Fields    []Field  `yaml:"fields" json:"fields,omitempty"`

	byCode map[string]*Field
}

// Field returns the field named code, or nil.
func (d *Def) Field(code string) *Field {
	return d.byCode[code]
}

// Label returns the field's label in lang ("en" or Chinese otherwise).
func (f *Field) Label(lang string) string {
	if lang == "en" && f.En != "" {
		return f.En
	}
	return f.Zh
}

// Name returns the register's name in lang.
func (d *Def) Name(lang string) string {
	if lang == "en" && d.En != "" {
		return d.En
	}
	return d.Zh
}

// Option returns the option of an enum field with code, or nil.
func (f *Field) Option(code string) *Option {
	for i := range f.Options {
		if f.Options[i].Code == code {
			return &f.Options[i]
		}
	}
	return nil
}

// Label returns the option's label in lang.
func (o *Option) Label(lang string) string {
	if lang == "en" && o.En != "" {
		return o.En
	}
	return o.Zh
}

// Set is every register, by code.
type Set struct {
	defs []*Def
	by   map[string]*Def
}

// NewSet returns the set of defs, in code order. It does not re-check them.
func NewSet(defs []*Def) *Set {
	s := &Set{by: map[string]*Def{}}
	for _, d := range defs {
		s.defs = append(s.defs, d)
		s.by[d.Code] = d
	}
	sort.Slice(s.defs, func(i, j int) bool { return s.defs[i].Code < s.defs[j].Code })
	return s
}

// All returns the registers in code order.
func (s *Set) All() []*Def { return s.defs }

// Get returns the register named code, or nil.
func (s *Set) Get(code string) *Def { return s.by[code] }

var identRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,40}$`)

// FrameColumns are the columns every register table has besides its fields.
var FrameColumns = []string{"id", "village_code", "person_id", "household_id", "unit_id", "id_number", "subject_name", "active", "version", "created_by", "created_at", "updated_at"}
