package register

import (
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// Parse reads one definition from r and checks it. It returns an error naming
// the first problem: unknown keys, a bad identifier, an unknown type, an enum
// without options, a period or rule naming a missing field.
func Parse(r io.Reader) (*Def, error) {
	dec := yaml.NewDecoder(r)
	dec.KnownFields(true)
	var d Def
	if err := dec.Decode(&d); err != nil {
		return nil, fmt.Errorf("register: %w", err)
	}
	if err := d.check(); err != nil {
		return nil, fmt.Errorf("register %s: %w", d.Code, err)
	}
	return &d, nil
}

// LoadDir parses every *.yaml file in fsys's root, and returns the set. It
// returns an error naming the file at fault, or a duplicate code or table.
func LoadDir(fsys fs.FS) (*Set, error) {
	names, err := fs.Glob(fsys, "*.yaml")
	if err != nil {
		return nil, err
	}
	var defs []*Def
	seen := map[string]bool{}
	for _, name := range names {
		f, err := fsys.Open(name)
		if err != nil {
			return nil, err
		}
		d, err := Parse(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path.Base(name), err)
		}
		if seen[d.Code] || seen["table:"+d.Table] {
			return nil, fmt.Errorf("%s: code %q or table %q used twice", path.Base(name), d.Code, d.Table)
		}
		seen[d.Code], seen["table:"+d.Table] = true, true
		defs = append(defs, d)
	}
	return NewSet(defs), nil
}

var types = []Type{Text, Date, Enum, Year, Int, Bool, Money, Decimal}

func (d *Def) check() error {
	if !identRE.MatchString(d.Code) {
		return fmt.Errorf("bad code %q", d.Code)
	}
	if !identRE.MatchString(d.Table) || !strings.HasPrefix(d.Table, "reg_") {
		return fmt.Errorf("table %q must be reg_ and an identifier", d.Table)
	}
	if d.Zh == "" || d.En == "" {
		return fmt.Errorf("zh and en names are required")
	}
	switch d.Subject {
	case Person, Household, Village:
	case Unit:
		d.Units = true
	default:
		return fmt.Errorf("subject %q is not person, household, village or unit", d.Subject)
	}
	if len(d.Fields) == 0 {
		return fmt.Errorf("no fields")
	}
	d.byCode = map[string]*Field{}
	for i := range d.Fields {
		f := &d.Fields[i]
		if !identRE.MatchString(f.Code) || slices.Contains(FrameColumns, f.Code) {
			return fmt.Errorf("bad or reserved field code %q", f.Code)
		}
		if d.byCode[f.Code] != nil {
			return fmt.Errorf("field %q twice", f.Code)
		}
		if !slices.Contains(types, f.Type) {
			return fmt.Errorf("field %s: unknown type %q", f.Code, f.Type)
		}
		if f.Zh == "" || f.En == "" {
			return fmt.Errorf("field %s: zh and en labels are required", f.Code)
		}
		if (f.Type == Enum) != (len(f.Options) > 0) {
			return fmt.Errorf("field %s: options go with type enum, and only with it", f.Code)
		}
		if (f.Type == Int || f.Type == Decimal) && (f.Min == nil || f.Max == nil || *f.Min > *f.Max) {
			// Every number is range-checked: a rate of 1e308 must not pass.
			return fmt.Errorf("field %s: a number field needs min and max", f.Code)
		}
		for _, o := range f.Options {
			if o.Code == "" || o.Zh == "" {
				return fmt.Errorf("field %s: an option needs code and zh", f.Code)
			}
		}
		d.byCode[f.Code] = f
	}
	for i := range d.Fields {
		f := &d.Fields[i]
		if f.AtMostPopulation && (f.Type != Int || d.Subject != Village) {
			return fmt.Errorf("field %s: at_most_population needs an int field of a village register", f.Code)
		}
		if f.After != "" && (d.byCode[f.After] == nil || d.byCode[f.After].Type != Date || f.Type != Date) {
			return fmt.Errorf("field %s: after %q must name another date field", f.Code, f.After)
		}
		if f.AtMost != "" && (d.byCode[f.AtMost] == nil || d.byCode[f.AtMost] == f || !numeric(f.Type) || !numeric(d.byCode[f.AtMost].Type)) {
			return fmt.Errorf("field %s: at_most %q must name another number field", f.Code, f.AtMost)
		}
		for _, s := range f.SumOf {
			g := d.byCode[strings.TrimPrefix(s, "-")]
			if f.Type != Money || g == nil || g.Type != Money {
				return fmt.Errorf("field %s: sum_of %q must name money fields", f.Code, s)
			}
		}
	}
	if p := d.byCode[d.Period]; p == nil || (p.Type != Date && p.Type != Year) || !p.Required {
		return fmt.Errorf("period %q must name a required date or year field", d.Period)
	}
	if d.PeriodEnd != "" {
		if p := d.byCode[d.PeriodEnd]; p == nil || p.Type != Date {
			return fmt.Errorf("period_end %q must name a date field", d.PeriodEnd)
		}
	}
	for _, u := range d.Unique {
		if d.byCode[u] == nil && u != "person_id" && u != "household_id" {
			return fmt.Errorf("unique names %q, which is not a field", u)
		}
	}
	if d.Units && d.Subject != Village && d.Subject != Unit {
		return fmt.Errorf("units go only with subject village or unit")
	}
	return nil
}

// numeric reports whether fields of type t hold numbers.
func numeric(t Type) bool {
	switch t {
	case Int, Year, Money, Decimal:
		return true
	}
	return false
}
