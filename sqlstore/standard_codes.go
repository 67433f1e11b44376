package sqlstore

import (
	"context"

	"github.com/healthcell/healthcell"
)

// StandardCodes returns the codes a standard may name: the indicators the
// caller sees (shipped and its county's own; all counties' for the system)
// and the kinds of the activity register. It returns the error of reading
// the county's indicators.
func (db *DB) StandardCodes(ctx context.Context) (healthcell.StandardCodes, error) {
	c := healthcell.StandardCodes{Indicators: map[string]bool{}, Activities: map[string]bool{}}
	inds, err := db.Indicators(ctx)
	if err != nil {
		return c, err
	}
	for _, ind := range inds {
		c.Indicators[ind.Code] = true
	}
	if d := db.Registers().Get("activities"); d != nil {
		if f := d.Field("kind"); f != nil {
			for _, o := range f.Options {
				c.Activities[o.Code] = true
			}
		}
	}
	return c, nil
}
