// Package rowsloop holds examples for TestRowsThroughEachRow: a loop over
// rows of its own (the way computeBulletin read townships before issue
// 13), which the check finds, and the same read through eachRow, which it
// accepts.
package rowsloop

import (
	"context"
	"database/sql"
)

func eachRow(rows *sql.Rows, fn func(*sql.Rows) error) error { return nil }

// townshipsByHand stops at a dropped connection without a word.
func townshipsByHand(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT name FROM divisions`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() { // the check finds this loop
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

// townships reads every row or fails.
func townships(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT name FROM divisions`)
	if err != nil {
		return nil, err
	}
	var out []string
	err = eachRow(rows, func(rows *sql.Rows) error {
		var n string
		if err := rows.Scan(&n); err != nil {
			return err
		}
		out = append(out, n)
		return nil
	})
	return out, err
}
