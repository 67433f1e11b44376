package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/healthcell/healthcell"
)

// PublicCounties lists the counties loaded (code and name, in code order)
// for the public pages: the login page links each county's list of named
// units, whose heading names the county. Division names are public, so no
// actor is needed. It returns the store's error.
func (db *DB) PublicCounties(ctx context.Context) ([]healthcell.Division, error) {
	if r := db.onReplica(ctx); r != db {
		return r.PublicCounties(ctx)
	}
	rows, err := db.r.QueryContext(ctx, `SELECT code, name, level, parent FROM divisions WHERE level = $1 ORDER BY code`, healthcell.LevelCounty)
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
