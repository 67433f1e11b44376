package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
)

// historyChecks are the queries checkHistory runs: each returns the ids of
// the persons or households whose status history (migration 0015) is
// broken, with what is wrong.
var historyChecks = []struct{ what, sql string }{
	{"person %d: a status span ends before it begins",
		`SELECT DISTINCT person_id FROM person_history WHERE valid_to <= valid_from ORDER BY 1`},
	{"person %d: the status history does not end where the current state begins",
		`SELECT p.id FROM persons p JOIN (SELECT person_id, MAX(valid_to) AS last FROM person_history GROUP BY person_id) h
			ON h.person_id = p.id WHERE h.last <> p.since ORDER BY 1`},
	{"person %d: the status history has a gap or an overlap",
		`SELECT DISTINCT s.person_id FROM person_history s WHERE s.valid_from <> '' AND NOT EXISTS
			(SELECT 1 FROM person_history e WHERE e.person_id = s.person_id AND e.valid_to = s.valid_from) ORDER BY 1`},
	{"household %d: a span ends before it begins",
		`SELECT DISTINCT household_id FROM household_history WHERE valid_to <= valid_from ORDER BY 1`},
	{"household %d: the history does not end where the current state begins",
		`SELECT x.id FROM households x JOIN (SELECT household_id, MAX(valid_to) AS last FROM household_history GROUP BY household_id) h
			ON h.household_id = x.id WHERE h.last <> x.since ORDER BY 1`},
	{"household %d: the history has a gap or an overlap",
		`SELECT DISTINCT s.household_id FROM household_history s WHERE s.valid_from <> '' AND NOT EXISTS
			(SELECT 1 FROM household_history e WHERE e.household_id = s.household_id AND e.valid_to = s.valid_from) ORDER BY 1`},
}

// checkHistory adds to r every person and household whose spans do not
// chain from an empty valid_from to the live row's since. It returns an error
// only when a query fails.
func (db *DB) checkHistory(ctx context.Context, r *CheckReport) error {
	for _, c := range historyChecks {
		rows, err := db.r.QueryContext(ctx, c.sql)
		if err != nil {
			return fmt.Errorf("check status history: %w", err)
		}
		if err := eachRow(rows, func(rows *sql.Rows) error {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			r.Problems = append(r.Problems, fmt.Sprintf(c.what, id))
			return nil
		}); err != nil {
			return err
		}
	}
	return nil
}
