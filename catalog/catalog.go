// Package catalog holds the data shipped inside the binary: the divisions of
// the demo county (and any other county files added under divisions/), and
// the standards under standards/ (see standards/README.md).
package catalog

import (
	"embed"
	"fmt"
	"io/fs"
	"path"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/chinadiv"
	"github.com/healthcell/healthcell/standardfile"
)

//go:embed divisions/*.csv regions.csv
var files embed.FS

//go:embed standards/*.yaml
var standardFiles embed.FS

// Standards returns the shipped standards, one per standards/*.yaml file in
// file-name order, each parsed and validated by standardfile.ParseYAML. A bad
// file (which the tests rule out) gives an error naming it that wraps the
// EINVALID error with the lines at fault.
func Standards() ([]*healthcell.Standard, error) {
	names, err := fs.Glob(standardFiles, "standards/*.yaml")
	if err != nil {
		return nil, fmt.Errorf("catalog standards: %w", err)
	}
	out := make([]*healthcell.Standard, 0, len(names))
	for _, name := range names { // fs.Glob returns names sorted
		f, err := standardFiles.Open(name)
		if err != nil {
			return nil, fmt.Errorf("catalog standards %s: %w", path.Base(name), err)
		}
		s, err := standardfile.ParseYAML(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("catalog standards %s: %w", path.Base(name), err)
		}
		out = append(out, s)
	}
	return out, nil
}

// Divisions returns the shipped divisions of a county (its 6-digit code), from
// the province down to its villages. It returns ENOTFOUND when the county is
// not shipped, and an error naming the line for a damaged file.
func Divisions(county string) ([]healthcell.Division, error) {
	f, err := files.Open("divisions/" + county + ".csv")
	if err != nil {
		return nil, healthcell.Errorf(healthcell.ENOTFOUND, "county %s is not shipped; load it with --from", county)
	}
	defer f.Close()
	rows, err := chinadiv.ParseCatalog(f)
	if err != nil {
		return nil, fmt.Errorf("catalog divisions %s: %w", county, err)
	}
	return FromChinadiv(rows), nil
}

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
