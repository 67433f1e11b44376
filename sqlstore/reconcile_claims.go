package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/healthcell/healthcell"
)

// idClaims finds the ID numbers that a resident claims (person_idclaim.go)
// and, for each, every person who holds or claims it, active or not: the
// holder as source "residents", each claimant as source
// healthcell.DiffIDClaim. A difference is listed when one of its persons
// lies between lo and hi and a sees personal data in the whole county of
// each of them: claims are the county office's to settle, and listing one to
// a township would tell it where the number lives. The key is the number;
// the fingerprint names each person, where and whether held or claimed, so a
// settled claim comes back when any of that changes.
func (db *DB) idClaims(ctx context.Context, a *healthcell.Actor, lo, hi string) ([]*healthcell.Difference, error) {
	rows, err := db.r.QueryContext(ctx, `WITH c AS (SELECT DISTINCT id_claim AS n FROM persons WHERE id_claim IS NOT NULL)
		SELECT c.n, p.id, p.household_id, p.village_code, p.name, p.id_claim IS NOT NULL
		FROM c JOIN persons p ON p.id_number = c.n OR p.id_claim = c.n
		ORDER BY c.n, p.id_claim IS NOT NULL, p.id`)
	if err != nil {
		return nil, err
	}
	var all []*healthcell.Difference
	if err := eachRow(rows, func(rows *sql.Rows) error {
		var n string
		var claimed bool
		pl := healthcell.DiffPlace{Source: "residents", Count: 1}
		if err := rows.Scan(&n, &pl.PersonID, &pl.Household, &pl.Village, &pl.Name, &claimed); err != nil {
			return err
		}
		if claimed {
			pl.Source = healthcell.DiffIDClaim
		}
		if len(all) == 0 || all[len(all)-1].IDNumber != n {
			all = append(all, &healthcell.Difference{Kind: healthcell.DiffIDClaim, Key: healthcell.DiffIDClaim + ":" + n, IDNumber: n})
		}
		d := all[len(all)-1]
		d.Places = append(d.Places, pl)
		if claimed && d.PersonID == 0 {
			d.Division, d.PersonID = pl.Village, pl.PersonID
		}
		return nil
	}); err != nil {
		return nil, err
	}
	var out []*healthcell.Difference
	for _, d := range all {
		inRange, county := false, true
		for _, p := range d.Places {
			inRange = inRange || p.Village >= lo && p.Village <= hi
			county = county && len(p.Village) == 12 && a.SeesPersonal(p.Village[:6]+"000000")
		}
		if inRange && county {
			d.Fingerprint = fingerprint(d.Places, func(p healthcell.DiffPlace) string {
				return fmt.Sprintf("%s:%d@%s", p.Source, p.PersonID, p.Village)
			})
			out = append(out, d)
		}
	}
	return out, nil
}
