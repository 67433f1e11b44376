package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/healthcell/healthcell"
)

// ExportResidents streams the active residents under division (a code of
// any level; "" means the caller's scope), in village, household and person
// order, each with its household's 户编号 and group, to emit; an error from
// emit stops it and is returned. Personal fields are masked for callers who
// do not see them. It returns ENOTFOUND for a division outside the caller's
// scope and EFORBIDDEN for a role that does not read residents.
func (db *DB) ExportResidents(ctx context.Context, division string, emit func(*healthcell.ImportedResident) error) error {
	a, err := actorOf(ctx)
	if err != nil {
		return err
	}
	lo, hi, err := scopeRange(a, division, a.CanReadPersons)
	if err != nil {
		return err
	}
	rows, err := db.r.QueryContext(ctx, `SELECT p.id, p.name, p.sex, COALESCE(p.id_number, p.id_claim, ''), p.birth_date, p.relation, p.phone,
		p.registered, p.resident, p.village_code, h.number, h.grp
		FROM persons p JOIN households h ON h.id = p.household_id
		WHERE p.village_code BETWEEN $1 AND $2 AND p.status = 'active'
		ORDER BY p.village_code, h.number, p.id`, lo, hi)
	if err != nil {
		return fmt.Errorf("export residents: %w", err)
	}
	var r healthcell.ImportedResident
	if err := eachRow(rows, func(rows *sql.Rows) error {
		p := &r.Person
		if err := rows.Scan(&p.ID, &p.Name, &p.Sex, &p.IDNumber, &p.BirthDate, &p.Relation, &p.Phone,
			&p.Registered, &p.Resident, &p.VillageCode, &r.Household, &r.Group); err != nil {
			return err
		}
		if !a.SeesPersonal(p.VillageCode) {
			maskPerson(p)
		}
		if err := emit(&r); err != nil {
			return err
		}
		return nil
	}); err != nil {
		return err
	}
	return nil
}
