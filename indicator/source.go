package indicator

import (
	"github.com/healthcell/healthcell/register"
)

// Pseudo-sources besides the registers.
const (
	Residents  = "residents"  // persons with status active; age is derived at the period's end; a past period counts them as they were at its end
	Households = "households" // active households; a past period counts them as they were at its end
	Responses  = "responses"  // questionnaire responses
)

// Field is one field a formula may name: its type, its allowed values for
// an enum, and the SQL it stands for (a column of the source's alias, or a
// derived expression).
type Field struct {
	Code    string
	Type    register.Type
	Options []string
	column  string // the column; "" when derived
	derived string // "age", "identified" or "named"
}

// Source is a table a measure counts or sums over: the allow-list of its
// fields, the columns that link it to persons and households, its period
// fields and whether its rows may name a unit.
type Source struct {
	Code       string
	Table      string
	Fields     map[string]*Field
	Period     string // the field placing a row in a period; "" for residents and households
	PeriodEnd  string // spans: where the span ends
	PeriodYear bool   // the period field is a year
	Units      bool   // rows carry unit_id
	personCol  string // column holding the person's id ("" when none)
	houseCol   string // column holding the household's id ("" when none)
	base       string // the condition every counted row meets, with %[1]s for the alias
	Subject    register.Subject
	history    *history // nil for sources without a history
}

// history is how a source's rows are read as they were at a past day
// (migration 0015): the live rows whose since is not after it, and the
// spans of table covering it, joined to their live row by key. cols are
// the columns the spans hold; the others (corrections such as the birth
// date) come from the live row. born: a person counts only from birth.
type history struct {
	table, key string
	cols       map[string]bool
	base       []string // columns every read needs besides the fields'
	born       bool
}

// Historical reports whether a past period reads src as it was then.
func (src *Source) Historical() bool { return src.history != nil }

// Sources is the allow-list of sources by code.
type Sources map[string]*Source

// NewSources returns the registers of regs as sources, plus residents,
// households and responses.
func NewSources(regs *register.Set) Sources {
	s := Sources{}
	for _, d := range regs.All() {
		src := &Source{Code: d.Code, Table: d.Table, Fields: map[string]*Field{}, Period: d.Period, PeriodEnd: d.PeriodEnd,
			Units: true, base: "%[1]s.active", Subject: d.Subject}
		switch d.Subject {
		case register.Person:
			src.personCol = "person_id"
		case register.Household:
			src.houseCol = "household_id"
		}
		for _, f := range d.Fields {
			fl := &Field{Code: f.Code, Type: f.Type, column: f.Code}
			for _, o := range f.Options {
				fl.Options = append(fl.Options, o.Code)
			}
			src.Fields[f.Code] = fl
		}
		src.PeriodYear = d.Field(d.Period).Type == register.Year
		s[d.Code] = src
	}
	s[Residents] = &Source{Code: Residents, Table: "persons", personCol: "id", houseCol: "household_id",
		base: "%[1]s.status = 'active'", Subject: register.Person, Fields: fields(
			&Field{Code: "age", Type: register.Int, derived: "age"},
			&Field{Code: "sex", Type: register.Enum, Options: []string{"M", "F"}, column: "sex"},
			&Field{Code: "birth_date", Type: register.Date, column: "birth_date"},
			&Field{Code: "resident", Type: register.Bool, column: "resident"},
			&Field{Code: "registered", Type: register.Bool, column: "registered"},
			&Field{Code: "relation", Type: register.Text, column: "relation"},
			&Field{Code: "identified", Type: register.Bool, derived: "identified"},
		), history: &history{table: "person_history", key: "person_id", born: true,
			cols: map[string]bool{"household_id": true, "village_code": true, "status": true, "relation": true, "registered": true, "resident": true},
			base: []string{"id", "household_id", "village_code", "status", "id_number"}}}
	s[Households] = &Source{Code: Households, Table: "households", houseCol: "id", base: "%[1]s.active",
		Subject: register.Household, Fields: fields(
			&Field{Code: "grp", Type: register.Text, column: "grp"},
			// named: named a 健康家庭 by the period's end (an application of
			// the household named, or named and under review, named_on ≤ end).
			&Field{Code: "named", Type: register.Bool, derived: "named"},
		), history: &history{table: "household_history", key: "household_id",
			cols: map[string]bool{"village_code": true, "grp": true, "active": true},
			base: []string{"id", "village_code", "active"}}}
	s[Responses] = &Source{Code: Responses, Table: "questionnaire_responses", Period: "survey_date", Units: true,
		personCol: "person_id", base: "%[1]s.active", Subject: register.Person, Fields: fields(
			&Field{Code: "questionnaire", Type: register.Text, column: "questionnaire"},
			&Field{Code: "version", Type: register.Int, column: "version"},
			&Field{Code: "age", Type: register.Int, column: "age"},
			&Field{Code: "sex", Type: register.Enum, Options: []string{"M", "F"}, column: "sex"},
			&Field{Code: "survey_date", Type: register.Date, column: "survey_date"},
			&Field{Code: "points", Type: register.Int, column: "points"},
			&Field{Code: "max_points", Type: register.Int, column: "max_points"},
			&Field{Code: "passed", Type: register.Bool, column: "passed"},
			&Field{Code: "knowledge_passed", Type: register.Bool, column: "knowledge_passed"},
			&Field{Code: "behaviour_passed", Type: register.Bool, column: "behaviour_passed"},
			&Field{Code: "resident", Type: register.Bool, column: "resident"},
		)}
	return s
}

func fields(fs ...*Field) map[string]*Field {
	m := map[string]*Field{}
	for _, f := range fs {
		m[f.Code] = f
	}
	return m
}

func numeric(t register.Type) bool {
	switch t {
	case register.Int, register.Year, register.Money, register.Decimal:
		return true
	}
	return false
}

func textual(t register.Type) bool {
	switch t {
	case register.Text, register.Enum, register.Date:
		return true
	}
	return false
}
