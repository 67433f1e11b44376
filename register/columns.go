package register

import (
	"github.com/healthcell/healthcell"
)

// subjectColumns are the columns before a register's fields in its table
// files, by subject, in Chinese and English. The division code makes a file
// import back without ambiguity; the names are for people.
var subjectColumns = map[Subject][][2]string{
	Person:    {{"区划代码", "Division code"}, {"所属村（社区）", "Village"}, {"姓名", "Name"}, {"身份证号", "ID number"}},
	Household: {{"区划代码", "Division code"}, {"所属村（社区）", "Village"}, {"户编号", "Household number"}},
	Village:   {{"区划代码", "Division code"}, {"所属村（社区）", "Village"}},
	Unit:      {{"区划代码", "Division code"}, {"所属村（社区）", "Village"}},
}

// unitColumn is the column naming an entry's unit, for registers with units.
var unitColumn = [2]string{"单位", "Unit"}

func label(l [2]string, lang string) string {
	if lang == "en" {
		return l[1]
	}
	return l[0]
}

// Columns returns the header of the register's table files in lang: the
// subject's columns, then each field's label.
func (d *Def) Columns(lang string) []string {
	var out []string
	for _, c := range subjectColumns[d.Subject] {
		out = append(out, label(c, lang))
	}
	if d.Units {
		out = append(out, label(unitColumn, lang))
	}
	for i := range d.Fields {
		out = append(out, d.Fields[i].Label(lang))
	}
	return out
}

// Row returns e as a row under Columns, every cell a string: values as
// Field.Text shows them.
func (d *Def) Row(e *healthcell.Entry, lang string) []any {
	out := []any{e.VillageCode, e.VillageName}
	switch d.Subject {
	case Person:
		out = append(out, e.PersonName, e.IDNumber)
	case Household:
		out = append(out, e.Household)
	}
	if d.Units {
		out = append(out, e.UnitName)
	}
	for i := range d.Fields {
		f := &d.Fields[i]
		out = append(out, f.Text(e.Values[f.Code], lang))
	}
	return out
}
