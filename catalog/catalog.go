// Package catalog holds the data shipped inside the binary: the divisions of
// the demo county (and any other county files added under divisions/), the
// registers, indicators and rules a county works with (Load gathers them
// into Definitions), plans and questionnaires. The standards are in
// catalog/standards and the import tables in catalog/imports, packages of
// their own because their readers also read spreadsheets.
package catalog

import (
	"embed"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/chinadiv"
)

//go:embed divisions/*.csv regions.csv
var files embed.FS

// FromChinadiv converts rows read by chinadiv into domain divisions. Where
// two rows pad to the same 12-digit code (a city without counties, such as
// 东莞市 4419 and its 441900), the first, higher level row is kept.
func FromChinadiv(rows []chinadiv.Division) []healthcell.Division {
	out := make([]healthcell.Division, 0, len(rows))
	seen := make(map[string]bool, len(rows))
	for _, r := range rows {
		if seen[r.Code] {
			continue
		}
		seen[r.Code] = true
		out = append(out, healthcell.Division{Code: r.Code, Name: r.Name, Level: r.Level, Parent: healthcell.ParentCode(r.Code)})
	}
	return out
}
