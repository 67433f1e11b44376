package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
)

// CheckReport is what Check found.
type CheckReport struct {
	Households int      // active households
	Persons    int      // active persons
	Problems   []string // empty when the database is consistent
}

// Check verifies the database: SQLite's own integrity check, that the live
// per-village counts agree with the rows, that every household's stored
// member count and head name agree with its persons, and that the status
// histories chain up to each row's current state. It returns an error only when
// the checks cannot run; what they find is in the report.
func (db *DB) Check(ctx context.Context) (*CheckReport, error) {
	r := &CheckReport{}
	if db.Engine == SQLite {
		rows, err := db.r.QueryContext(ctx, `PRAGMA quick_check`)
		if err != nil {
			return nil, fmt.Errorf("quick_check: %w", err)
		}
		if err := eachRow(rows, func(rows *sql.Rows) error {
			var s string
			if err := rows.Scan(&s); err != nil {
				return err
			}
			if s != "ok" {
				r.Problems = append(r.Problems, "sqlite: "+s)
			}
			return nil
		}); err != nil {
			return nil, err
		}
	}
	if err := db.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM households WHERE active`).Scan(&r.Households); err != nil {
		return nil, err
	}
	if err := db.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM persons WHERE status = 'active'`).Scan(&r.Persons); err != nil {
		return nil, err
	}
	rows, err := db.r.QueryContext(ctx, `SELECT c.village_code, c.households, c.persons, COALESCE(s.households, 0), COALESCE(s.persons, 0)
		FROM (SELECT v.village_code,
			(SELECT COUNT(*) FROM households h WHERE h.village_code = v.village_code AND h.active) AS households,
			(SELECT COUNT(*) FROM persons p WHERE p.village_code = v.village_code AND p.status = 'active') AS persons
			FROM (SELECT village_code FROM households UNION SELECT village_code FROM village_stats) v) c
		LEFT JOIN village_stats s ON s.village_code = c.village_code
		ORDER BY c.village_code`)
	if err != nil {
		return nil, fmt.Errorf("check counts: %w", err)
	}
	if err := eachRow(rows, func(rows *sql.Rows) error {
		var code string
		var h, p, sh, sp int
		if err := rows.Scan(&code, &h, &p, &sh, &sp); err != nil {
			return err
		}
		if h != sh || p != sp {
			r.Problems = append(r.Problems, fmt.Sprintf("village %s: counts %d households, %d persons; rows %d, %d", code, sh, sp, h, p))
		}
		return nil
	}); err != nil {
		return nil, err
	}
	if err := db.checkHouseholds(ctx, r); err != nil {
		return nil, err
	}
	if err := db.checkHistory(ctx, r); err != nil {
		return nil, err
	}
	return r, nil
}
