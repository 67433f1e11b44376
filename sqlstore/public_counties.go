package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/healthcell/healthcell"
)

// PublicCounties lists the provinces, cities and counties loaded (code,
// name and level, in code order) for the public pages: each has a public
// list of named units, whose heading names it, and the login page links
// the cities' and counties' lists. Division names are public, so no actor
// is needed. It returns the store's error.
func (db *DB) PublicCounties(ctx context.Context) ([]healthcell.Division, error) {
	if r := db.onReplica(ctx); r != db {
		return r.PublicCounties(ctx)
	}
	rows, err := db.r.QueryContext(ctx, `SELECT code, name, level, parent FROM divisions WHERE level BETWEEN $1 AND $2 ORDER BY code`,
		healthcell.LevelProvince, healthcell.LevelCounty)
	if err != nil {
		return nil, fmt.Errorf("public counties: %w", err)
	}
	out := []healthcell.Division{}
	if err := eachRow(rows, func(rows *sql.Rows) error {
		var d healthcell.Division
		if err := rows.Scan(&d.Code, &d.Name, &d.Level, &d.Parent); err != nil {
			return err
		}
		out = append(out, d)
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}
