package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/healthcell/healthcell"
)

// PersonSpans returns the person's spans from person_history, oldest
// first, then the current state (To ""), with the village names. It
// returns ENOTFOUND when the person is missing or outside the caller's
// scope.
func (db *DB) PersonSpans(ctx context.Context, id int64) ([]healthcell.PersonSpan, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	p, err := findPerson(ctx, db.r, id)
	if err != nil || !a.CanReadPersons(p.VillageCode) {
		return nil, notFound("person")
	}
	rows, err := db.r.QueryContext(ctx, `SELECT s.valid_from, s.valid_to, s.village_code, COALESCE(d.name, ''), s.household_id, s.status, s.relation,
			s.registered, s.resident
		FROM (SELECT valid_from, valid_to, village_code, household_id, status, relation, registered, resident FROM person_history WHERE person_id = $1
			UNION ALL SELECT since, '', village_code, household_id, status, relation, registered, resident FROM persons WHERE id = $1) s
		LEFT JOIN divisions d ON d.code = s.village_code
		ORDER BY s.valid_from, s.valid_to = '', s.valid_to`, id)
	if err != nil {
		return nil, fmt.Errorf("person spans: %w", err)
	}
	var out []healthcell.PersonSpan
	if err := eachRow(rows, func(rows *sql.Rows) error {
		var sp healthcell.PersonSpan
		if err := rows.Scan(&sp.From, &sp.To, &sp.VillageCode, &sp.VillageName, &sp.HouseholdID, &sp.Status, &sp.Relation,
			&sp.Registered, &sp.Resident); err != nil {
			return err
		}
		out = append(out, sp)
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}
