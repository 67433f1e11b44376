package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/healthcell/healthcell"
)

const unitColumns = `id, kind, name, division, department, version, created_at`

func scanUnit(row interface{ Scan(...any) error }) (*healthcell.Unit, error) {
	u := &healthcell.Unit{}
	err := row.Scan(&u.ID, &u.Kind, &u.Name, &u.Division, &u.Department, &u.Version, &u.CreatedAt)
	return u, err
}

func findUnit(ctx context.Context, q queryer, id int64) (*healthcell.Unit, error) {
	u, err := scanUnit(q.QueryRowContext(ctx, `SELECT `+unitColumns+` FROM units WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("unit")
	}
	if err != nil {
		return nil, fmt.Errorf("find unit %d: %w", id, err)
	}
	return u, nil
}

// CreateUnit validates and stores u in one audited transaction. It returns
// EINVALID for bad fields, an unknown or out-of-scope division or a name
// taken there, and EFORBIDDEN for roles that do not manage units (county
// administrators and township officers do).
func (db *DB) CreateUnit(ctx context.Context, u *healthcell.Unit) error {
	a, err := actorOf(ctx)
	if err != nil {
		return err
	}
	if !a.System && a.Role != healthcell.RoleCountyAdmin && a.Role != healthcell.RoleTownship {
		return healthcell.Errorf(healthcell.EFORBIDDEN, "error.forbidden")
	}
	u.Division = healthcell.NormalizeCode(u.Division)
	if err := u.Validate(); err != nil {
		return err
	}
	if !a.CoversDivision(u.Division) {
		return healthcell.Invalid([]healthcell.FieldError{{Field: "division", Message: "division.out_of_scope", Value: u.Division}})
	}
	return db.write(ctx, func(tx *Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM divisions WHERE code = $1`, u.Division).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return healthcell.Invalid([]healthcell.FieldError{{Field: "division", Message: "division.unknown", Value: u.Division}})
		}
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM units WHERE division = $1 AND name = $2`, u.Division, u.Name).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return healthcell.Invalid([]healthcell.FieldError{{Field: "name", Message: "unit.name.taken", Value: u.Name}})
		}
		u.Version, u.CreatedAt = 1, tx.now
		if err := tx.QueryRowContext(ctx, `INSERT INTO units (kind, name, division, department, version, created_at)
			VALUES ($1, $2, $3, $4, 1, $5) RETURNING id`, u.Kind, u.Name, u.Division, u.Department, tx.now).Scan(&u.ID); err != nil {
			return fmt.Errorf("insert unit: %w", err)
		}
		return tx.audit(ctx, "create", "unit", u.ID, u.Division, nil, u)
	})
}

// FindUnit returns the unit when its division is in the caller's scope (a
// unit contact sees only its own); ENOTFOUND otherwise.
func (db *DB) FindUnit(ctx context.Context, id int64) (*healthcell.Unit, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	u, err := findUnit(ctx, db.r, id)
	if err != nil {
		return nil, err
	}
	if !a.CanReadSheet(u.Division, u.Kind, fmt.Sprint(u.ID)) {
		return nil, notFound("unit")
	}
	return u, nil
}

// FindUnits lists the units under division (the caller's scope when empty),
// by division and name; ENOTFOUND for a division outside the scope.
func (db *DB) FindUnits(ctx context.Context, division string) ([]*healthcell.Unit, error) {
	if r := db.onReplica(ctx); r != db {
		return r.FindUnits(ctx, division)
	}
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	lo, hi, err := scopeRange(a, division, a.CoversDivision)
	if err != nil {
		return nil, err
	}
	rows, err := db.r.QueryContext(ctx, `SELECT `+unitColumns+` FROM units WHERE division BETWEEN $1 AND $2 ORDER BY division, name`, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("find units: %w", err)
	}
	var out []*healthcell.Unit
	if err := eachRow(rows, func(rows *sql.Rows) error {
		u, err := scanUnit(rows)
		if err != nil {
			return err
		}
		if a.CanReadSheet(u.Division, u.Kind, fmt.Sprint(u.ID)) {
			out = append(out, u)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}
