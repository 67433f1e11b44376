package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/healthcell/healthcell"
)

// WarmIndicators computes every indicator of every county in the database
// for period, by township with the county's total, so that the per-village
// caches hold every village and the first dashboard after a start is as
// fast as the next. It returns the first error; the caller needs the
// system actor.
func (db *DB) WarmIndicators(ctx context.Context, period string) error {
	rows, err := db.r.QueryContext(ctx, `SELECT code FROM divisions WHERE level = $1 ORDER BY code`, healthcell.LevelCounty)
	if err != nil {
		return fmt.Errorf("warm indicators: %w", err)
	}
	var counties []string
	if err := eachRow(rows, func(rows *sql.Rows) error {
		var c string
		if err := rows.Scan(&c); err != nil {
			return err
		}
		counties = append(counties, c)
		return nil
	}); err != nil {
		return err
	}
	for _, c := range counties {
		q := healthcell.IndicatorQuery{Division: c, Level: healthcell.LevelNameTownship, WithTotal: true, Period: period}
		if _, err := db.IndicatorValues(ctx, q); err != nil {
			return fmt.Errorf("warm indicators of %s: %w", c, err)
		}
	}
	return nil
}
