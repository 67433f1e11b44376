package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/healthcell/healthcell"
)

// householdColumns reads the stored member count and head name, which every
// person write keeps current (household_summary.go).
const householdColumns = `h.id, h.number, h.village_code, h.grp, h.address, COALESCE(h.head_id, 0),
	h.head_name, h.members, h.active, h.version, h.created_at, h.updated_at`

// householdBriefColumns are the columns of a HouseholdFilter.Brief list:
// every row of such a list is active, and the village code is read only
// when the list covers more than one village (householdDest).
const householdBriefColumns = `h.id, h.number, h.grp, COALESCE(h.head_id, 0), h.head_name, h.members`

// householdDest returns dest[:0] with the destinations of a row of
// householdColumns into h, then extra; when brief, of a row of
// householdBriefColumns, then h.VillageCode when withVillage, then extra.
// Integer columns go through the int64s of ints, which database/sql assigns
// directly; into an int it formats and parses every value.
func householdDest(dest []any, h *healthcell.Household, ints *[2]int64, brief, withVillage bool, extra ...any) []any {
	if brief {
		dest = append(dest[:0], &h.ID, &h.Number, &h.Group, &h.HeadID, &h.HeadName, &ints[0])
		if withVillage {
			dest = append(dest, &h.VillageCode)
		}
	} else {
		dest = append(dest[:0], &h.ID, &h.Number, &h.VillageCode, &h.Group, &h.Address, &h.HeadID, &h.HeadName,
			&ints[0], &h.Active, &ints[1], &h.CreatedAt, &h.UpdatedAt)
	}
	return append(dest, extra...)
}

// scanHousehold scans householdColumns, then into extra.
func scanHousehold(row interface{ Scan(...any) error }, extra ...any) (*healthcell.Household, error) {
	h := &healthcell.Household{}
	var ints [2]int64
	err := row.Scan(householdDest(nil, h, &ints, false, false, extra...)...)
	h.Members, h.Version = int(ints[0]), int(ints[1])
	return h, err
}

// FindHousehold returns the household if the caller may read persons in its
// village; ENOTFOUND otherwise.
func (db *DB) FindHousehold(ctx context.Context, id int64) (*healthcell.Household, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	h, err := findHousehold(ctx, db.r, id)
	if err != nil {
		return nil, err
	}
	if !a.CanReadPersons(h.VillageCode) {
		return nil, notFound("household")
	}
	return h, nil
}

type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func findHousehold(ctx context.Context, q queryer, id int64) (*healthcell.Household, error) {
	h, err := scanHousehold(q.QueryRowContext(ctx, `SELECT `+householdColumns+` FROM households h WHERE h.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("household")
	}
	if err != nil {
		return nil, fmt.Errorf("find household %d: %w", id, err)
	}
	return h, nil
}

// FindHouseholds returns a page of active households under f.Division (the
// caller's scope when empty), ordered by village and number, and the total;
// with f.Brief, without address, version and times.
// It returns ENOTFOUND when the division is outside the caller's scope.
func (db *DB) FindHouseholds(ctx context.Context, f healthcell.HouseholdFilter) ([]*healthcell.Household, int, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, 0, err
	}
	lo, hi, err := scopeRange(a, f.Division, a.CanReadPersons)
	if err != nil {
		return nil, 0, err
	}
	// One village is asked for by equality: PostgreSQL then keeps a
	// generic plan for the statement instead of planning each execution
	// (see pageClause).
	inRange := `BETWEEN $1 AND $2`
	args := []any{lo, hi}
	if lo == hi {
		inRange, args = `= $1`, []any{lo}
	}
	where := ` WHERE h.village_code ` + inRange + ` AND h.active`
	if f.Number != "" {
		args = append(args, f.Number)
		where += fmt.Sprintf(` AND h.number = $%d`, len(args))
	}
	// The live per-village counts already hold the total of active
	// households. Without a number, every row of the page carries it (an
	// uncorrelated subquery, computed once), which saves a query.
	count := `SELECT COALESCE(SUM(households), 0) FROM village_stats WHERE village_code ` + inRange
	totalColumn := `, (` + count + `)`
	if f.Number != "" {
		count, totalColumn = `SELECT COUNT(*) FROM households h`+where, ""
	}
	limit, offset := page(f.Limit, f.Offset)
	cols := householdColumns
	// A brief list of one village has its code from the filter.
	withVillage := lo != hi
	if f.Brief {
		cols = householdBriefColumns
		if withVillage {
			cols += `, h.village_code`
		}
	}
	pageSQL, pageArgs := pageClause(args[:len(args):len(args)], limit, offset)
	rows, err := db.r.QueryContext(ctx, `SELECT `+cols+totalColumn+` FROM households h`+where+
		` ORDER BY h.village_code, h.number`+pageSQL, pageArgs...)
	if err != nil {
		return nil, 0, fmt.Errorf("find households: %w", err)
	}
	var total int
	var total64 int64
	var extra []any
	if totalColumn != "" {
		extra = []any{&total64}
	}
	// The households are allocated in blocks (a village page's in one),
	// and one list of destinations serves every row.
	out := make([]*healthcell.Household, 0, limit)
	var block []healthcell.Household
	var dest []any
	var ints [2]int64
	if err := eachRow(rows, func(rows *sql.Rows) error {
		if len(block) == 0 {
			block = make([]healthcell.Household, min(limit, 64))
		}
		h := &block[0]
		block = block[1:]
		dest = householdDest(dest, h, &ints, f.Brief, withVillage, extra...)
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		h.Members, h.Version = int(ints[0]), int(ints[1])
		if f.Brief {
			h.Active = true // the query reads active households only
			if !withVillage {
				h.VillageCode = lo
			}
		}
		out = append(out, h)
		return nil
	}); err != nil {
		return nil, 0, err
	}
	total = int(total64)
	if totalColumn == "" || len(out) == 0 {
		if err := db.r.QueryRowContext(ctx, count, args...).Scan(&total); err != nil {
			return nil, 0, fmt.Errorf("count households: %w", err)
		}
	}
	return out, total, nil
}

// CreateHousehold validates and stores h in one audited transaction. It
// returns EINVALID for bad fields or a village that does not exist or lies
// outside the caller's scope, or a number already taken in the village.
func (db *DB) CreateHousehold(ctx context.Context, h *healthcell.Household) error {
	a, err := actorOf(ctx)
	if err != nil {
		return err
	}
	if err := mayWrite(a); err != nil {
		return err
	}
	if err := h.Validate(); err != nil {
		return err
	}
	if !a.CanWritePersons(h.VillageCode) {
		return villageOutOfScope(h.VillageCode)
	}
	return db.write(ctx, func(tx *Tx) error {
		if err := tx.requireVillage(ctx, h.VillageCode); err != nil {
			return err
		}
		if err := tx.householdNumberFree(ctx, h.VillageCode, h.Number, 0); err != nil {
			return err
		}
		h.Active, h.Version, h.CreatedAt, h.UpdatedAt = true, 1, tx.now, tx.now
		err := tx.QueryRowContext(ctx, `INSERT INTO households (number, village_code, grp, address, active, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, 1, $6, $6) RETURNING id`, h.Number, h.VillageCode, h.Group, h.Address, true, tx.now).Scan(&h.ID)
		if err != nil {
			return fmt.Errorf("insert household: %w", err)
		}
		if err := tx.refreshVillages(ctx, h.VillageCode); err != nil {
			return err
		}
		return tx.audit(ctx, "create", "household", h.ID, h.VillageCode, nil, h)
	})
}

// UpdateHousehold saves number, group, address and village of h when
// h.Version is the stored version; ECONFLICT otherwise. Moving a household to
// another village moves its members with it.
func (db *DB) UpdateHousehold(ctx context.Context, h *healthcell.Household) error {
	a, err := actorOf(ctx)
	if err != nil {
		return err
	}
	if err := mayWrite(a); err != nil {
		return err
	}
	if err := h.Validate(); err != nil {
		return err
	}
	given := *h // a PostgreSQL write may run again (DB.write): each run starts from it
	return db.write(ctx, func(tx *Tx) error {
		*h = given
		old, err := findHousehold(ctx, tx, h.ID)
		if err != nil || !a.CanWritePersons(old.VillageCode) {
			return notFound("household")
		}
		if !a.CanWritePersons(h.VillageCode) {
			return villageOutOfScope(h.VillageCode)
		}
		if err := tx.requireVillage(ctx, h.VillageCode); err != nil {
			return err
		}
		if err := tx.householdNumberFree(ctx, h.VillageCode, h.Number, h.ID); err != nil {
			return err
		}
		day := healthcell.CampaignDay(tx.now)
		if err := tx.endSpans(ctx, householdSpanSQL(`id = $2 AND (village_code <> $3 OR grp <> $4)`), day, h.ID, h.VillageCode, h.Group); err != nil {
			return err
		}
		if err := tx.endSpans(ctx, personSpanSQL(`household_id = $2 AND village_code <> $3`), day, h.ID, h.VillageCode); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE households SET number = $1, village_code = $2, grp = $3, address = $4,
			version = version + 1, updated_at = $5 WHERE id = $6 AND version = $7`,
			h.Number, h.VillageCode, h.Group, h.Address, tx.now, h.ID, h.Version)
		if err != nil {
			return fmt.Errorf("update household: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return healthcell.Errorf(healthcell.ECONFLICT, "error.conflict")
		}
		if h.VillageCode != old.VillageCode {
			if _, err := tx.ExecContext(ctx, `UPDATE persons SET village_code = $1, version = version + 1, updated_at = $2 WHERE household_id = $3`,
				h.VillageCode, tx.now, h.ID); err != nil {
				return fmt.Errorf("move members: %w", err)
			}
		}
		if err := tx.refreshVillages(ctx, old.VillageCode, h.VillageCode); err != nil {
			return err
		}
		nh, err := findHousehold(ctx, tx, h.ID)
		if err != nil {
			return err
		}
		*h = *nh
		return tx.audit(ctx, "update", "household", h.ID, h.VillageCode, old, h)
	})
}

// requireVillage returns EINVALID unless code is a loaded village.
func (tx *Tx) requireVillage(ctx context.Context, code string) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM divisions WHERE code = $1 AND level = 5`, code).Scan(&n); err != nil {
		return fmt.Errorf("check village: %w", err)
	}
	if n == 0 {
		return healthcell.Invalid([]healthcell.FieldError{{Field: "village_code", Message: "division.village.unknown", Value: code}})
	}
	return nil
}

// householdNumberFree returns EINVALID on number when another
// household of the village has the number.
func (tx *Tx) householdNumberFree(ctx context.Context, village, number string, self int64) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM households WHERE village_code = $1 AND number = $2 AND id <> $3`,
		village, number, self).Scan(&n); err != nil {
		return fmt.Errorf("check household number: %w", err)
	}
	if n > 0 {
		return healthcell.Invalid([]healthcell.FieldError{{Field: "number", Message: "household.number.taken", Value: number}})
	}
	return nil
}

func villageOutOfScope(code string) error {
	return healthcell.Invalid([]healthcell.FieldError{{Field: "village_code", Message: "division.out_of_scope", Value: code}})
}

// mayWrite returns EFORBIDDEN unless the actor's role may change households
// and persons at all, before any input is looked at; the scope of each
// record is checked where it is read.
func mayWrite(a *healthcell.Actor) error {
	if !a.CanWritePersons(a.Scope) {
		return healthcell.Errorf(healthcell.EFORBIDDEN, "error.forbidden")
	}
	return nil
}
