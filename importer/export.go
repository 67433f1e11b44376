package importer

import (
	"io"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/tablefile"
)

// Text returns how column c writes a stored value on export: its Export
// text, or the value itself.
func (c *Column) Text(v string) string {
	if t, ok := c.Export[v]; ok {
		return t
	}
	return v
}

// WriteResidents writes the residents rows emits as a table of kind "xlsx"
// or "csv" with t's columns and export headers, in the form ImportResidents
// reads back (villages by their 12-digit code, so that names shared by two
// villages stay unambiguous). It returns tablefile.ErrType for another kind,
// or the first error of rows or of writing.
func WriteResidents(w io.Writer, kind string, t *Table, rows func(emit func(*healthcell.ImportedResident) error) error) error {
	tw, err := tablefile.NewWriter(w, kind, t.Title, t.Headers())
	if err != nil {
		return err
	}
	cells := make([]any, len(t.Columns))
	bools := map[bool]string{true: "true", false: "false"}
	err = rows(func(r *healthcell.ImportedResident) error {
		p := &r.Person
		for i := range t.Columns {
			c := &t.Columns[i]
			var v string
			switch c.Field {
			case "name":
				v = p.Name
			case "sex":
				v = p.Sex
			case "id_number":
				v = p.IDNumber
			case "birth_date":
				v = p.BirthDate
			case "household":
				v = r.Household
			case "relation":
				v = p.Relation
			case "village":
				v = p.VillageCode
			case "group":
				v = r.Group
			case "phone":
				v = p.Phone
			case "registered":
				v = bools[p.Registered]
			case "resident":
				v = bools[p.Resident]
			}
			cells[i] = c.Text(v)
		}
		return tw.Write(cells)
	})
	if err != nil {
		return err
	}
	return tw.Close()
}
