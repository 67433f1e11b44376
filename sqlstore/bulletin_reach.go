package sqlstore

import (
	"strings"

	"github.com/healthcell/healthcell"
)

// bulletinReach builds a bulletin's outreach table (Bulletin.Reach) from the
// indicator values of the campaign's year by township (attainment's vals):
// the indicators whose group is a theme marked bulletin in the catalog, one
// row per township of rows in their order, and the county's total. It
// returns nil when the catalog marks no such indicator.
func (db *DB) bulletinReach(vals map[string][]healthcell.IndicatorValue, county, period string, rows []healthcell.BulletinRow) *healthcell.BulletinReach {
	themes := map[string]bool{}
	var titles []string
	for _, t := range db.defs.Themes {
		if t.Bulletin {
			themes[t.Code] = true
			titles = append(titles, t.Zh)
		}
	}
	r := &healthcell.BulletinReach{Title: strings.Join(titles, "、"), Period: period}
	for _, ind := range db.defs.Indicators {
		if themes[ind.Group] {
			r.Columns = append(r.Columns, healthcell.BulletinColumn{Code: ind.Code, Name: ind.Zh, Unit: ind.Unit})
		}
	}
	if len(r.Columns) == 0 {
		return nil
	}
	row := func(code, name string) healthcell.BulletinReachRow {
		out := healthcell.BulletinReachRow{Township: code, Name: name, Values: make([]*float64, len(r.Columns))}
		for i, c := range r.Columns {
			for _, v := range vals[c.Code] {
				if v.Division == code {
					out.Values[i] = v.Value
					break
				}
			}
		}
		return out
	}
	for _, b := range rows {
		r.Rows = append(r.Rows, row(b.Township, b.Name))
	}
	r.Total = row(county, "")
	return r
}
