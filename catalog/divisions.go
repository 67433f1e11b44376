package catalog

import (
	"fmt"
	"io/fs"
	"strings"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/chinadiv"
)

// Divisions returns the shipped divisions under code — 2 digits for a
// province, 4 for a city, 6 for a county — from the province down to its
// villages: the code's own subtree and its ancestors, sorted by code. A
// county with a file of its own (divisions/510824.csv) is read from it;
// anything else from its province's file (divisions/51.csv, all of 四川省).
// It returns EINVALID for a code that is not 2, 4 or 6 digits, ENOTFOUND
// when nothing under the code is shipped, and an error naming the line for
// a damaged file.
func Divisions(code string) ([]healthcell.Division, error) {
	if (len(code) != 2 && len(code) != 4 && len(code) != 6) || strings.Trim(code, "0123456789") != "" {
		return nil, healthcell.Errorf(healthcell.EINVALID, "division code %q must have 2 (province), 4 (city) or 6 (county) digits", code)
	}
	if len(code) == 6 {
		if rows, err := shippedFile(code); err == nil {
			return FromChinadiv(rows), nil
		} else if healthcell.ErrorCode(err) != healthcell.ENOTFOUND {
			return nil, err
		}
	}
	rows, err := shippedFile(code[:2])
	if err != nil {
		if healthcell.ErrorCode(err) == healthcell.ENOTFOUND {
			return nil, healthcell.Errorf(healthcell.ENOTFOUND, "divisions of %s are not shipped (shipped: %s); load them with --from", code, strings.Join(ShippedDivisions(), ", "))
		}
		return nil, err
	}
	prefix := code
	var out []chinadiv.Division
	found := false
	for _, r := range rows {
		ancestor := r.Level < levelOf(prefix) && strings.HasPrefix(prefix, r.Code[:2*r.Level])
		if ancestor || r.Level >= levelOf(prefix) && strings.HasPrefix(r.Code, prefix) {
			out = append(out, r)
			found = found || !ancestor
		}
	}
	if !found {
		return nil, healthcell.Errorf(healthcell.ENOTFOUND, "division %s is not in the shipped divisions of %s; load it with --from", code, code[:2])
	}
	return FromChinadiv(out), nil
}

// levelOf is the level of a 2-, 4- or 6-digit code: 1 province, 2 city, 3
// county.
func levelOf(prefix string) int { return len(prefix) / 2 }

// ShippedDivisions returns the names of the shipped division files without
// their extension ("51", "510824"), sorted; nil if there are none.
func ShippedDivisions() []string {
	entries, err := fs.ReadDir(files, "divisions")
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), ".csv"); ok {
			out = append(out, name)
		}
	}
	return out
}

// shippedFile parses divisions/NAME.csv: ENOTFOUND when there is no such
// file, an error naming the line when it is damaged.
func shippedFile(name string) ([]chinadiv.Division, error) {
	f, err := files.Open("divisions/" + name + ".csv")
	if err != nil {
		return nil, healthcell.Errorf(healthcell.ENOTFOUND, "divisions/%s.csv is not shipped", name)
	}
	defer f.Close()
	rows, err := chinadiv.ParseCatalog(f)
	if err != nil {
		return nil, fmt.Errorf("catalog divisions %s: %w", name, err)
	}
	return rows, nil
}
