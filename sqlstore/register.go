package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/idcard"
	"github.com/healthcell/healthcell/register"
)

// Registers returns the register definitions the store serves.
func (db *DB) Registers() *register.Set { return db.defs.Registers }

// registerDef returns the definition of code, or ENOTFOUND.
func (db *DB) registerDef(code string) (*register.Def, error) {
	d := db.Registers().Get(code)
	if d == nil {
		return nil, notFound("register")
	}
	return d, nil
}

// mayReadEntries reports whether a reads entries of d in the division code:
// personal registers need the right to see personal data there, the others
// the right to read persons (or, for a unit contact, their own unit's rows).
func mayReadEntries(a *healthcell.Actor, d *register.Def, code string) bool {
	if d.Personal {
		return a.SeesPersonal(code)
	}
	return a.CanReadPersons(code)
}

// mayWriteEntries reports whether a changes entries of d in code.
func mayWriteEntries(a *healthcell.Actor, d *register.Def, code string) bool {
	return a.CanWritePersons(code)
}

// entrySelect is the SELECT list and FROM clause of a register's entries:
// the frame, the subject's name, and each field (numbers as doubles, so both
// engines scan them alike).
func (db *DB) entrySelect(d *register.Def) string {
	var b strings.Builder
	b.WriteString(`SELECT r.id, r.village_code, COALESCE(dv.name, ''), COALESCE(r.person_id, 0), COALESCE(p.name, r.subject_name), COALESCE(NULLIF(r.id_number, ''), p.id_number, p.id_claim, ''),
		COALESCE(r.household_id, 0), COALESCE(h.number, ''), COALESCE(r.unit_id, 0), COALESCE(u.name, ''),
		r.active, r.version, r.created_by, r.created_at, r.updated_at`)
	for _, f := range d.Fields {
		b.WriteString(", ")
		switch f.Type {
		case register.Money, register.Decimal:
			if db.Engine == Postgres {
				b.WriteString("CAST(r." + f.Code + " AS DOUBLE PRECISION)")
				continue
			}
		}
		b.WriteString("r." + f.Code)
	}
	b.WriteString(" FROM " + d.Table + ` r
		LEFT JOIN divisions dv ON dv.code = r.village_code
		LEFT JOIN persons p ON p.id = r.person_id
		LEFT JOIN households h ON h.id = r.household_id
		LEFT JOIN units u ON u.id = r.unit_id`)
	return b.String()
}

// scanEntry reads one row of entrySelect.
func scanEntry(d *register.Def, row interface{ Scan(...any) error }) (*healthcell.Entry, error) {
	e := &healthcell.Entry{Register: d.Code, Values: map[string]any{}}
	dest := []any{&e.ID, &e.VillageCode, &e.VillageName, &e.PersonID, &e.PersonName, &e.IDNumber,
		&e.HouseholdID, &e.Household, &e.UnitID, &e.UnitName, &e.Active, &e.Version, &e.CreatedBy, &e.CreatedAt, &e.UpdatedAt}
	vals := make([]any, len(d.Fields))
	for i, f := range d.Fields {
		switch f.Type {
		case register.Year, register.Int:
			vals[i] = new(sql.NullInt64)
		case register.Money, register.Decimal:
			vals[i] = new(sql.NullFloat64)
		case register.Bool:
			vals[i] = new(bool)
		default:
			vals[i] = new(string)
		}
		dest = append(dest, vals[i])
	}
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	for i, f := range d.Fields {
		switch v := vals[i].(type) {
		case *sql.NullInt64:
			if v.Valid {
				e.Values[f.Code] = v.Int64
			}
		case *sql.NullFloat64:
			if v.Valid {
				e.Values[f.Code] = v.Float64
			}
		case *bool:
			e.Values[f.Code] = *v
		case *string:
			if *v != "" {
				e.Values[f.Code] = *v
			}
		}
	}
	return e, nil
}

// present masks the subject's ID number for callers who do not see
// personal data in the entry's village.
func presentEntry(a *healthcell.Actor, e *healthcell.Entry) *healthcell.Entry {
	if e.IDNumber != "" && !a.SeesPersonal(e.VillageCode) {
		e.IDNumber = idcard.Mask(e.IDNumber)
		e.Masked = true
	}
	return e
}

func (db *DB) findEntry(ctx context.Context, q queryer, d *register.Def, id int64) (*healthcell.Entry, error) {
	e, err := scanEntry(d, q.QueryRowContext(ctx, db.entrySelect(d)+` WHERE r.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("entry")
	}
	if err != nil {
		return nil, fmt.Errorf("find %s entry %d: %w", d.Code, id, err)
	}
	return e, nil
}

// FindEntry returns the entry of register with id, or ENOTFOUND when there
// is none the caller may read.
func (db *DB) FindEntry(ctx context.Context, code string, id int64) (*healthcell.Entry, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	d, err := db.registerDef(code)
	if err != nil {
		return nil, err
	}
	e, err := db.findEntry(ctx, db.r, d, id)
	if err != nil {
		return nil, err
	}
	if !mayReadEntries(a, d, e.VillageCode) && !(d.Units && e.UnitID != 0 && a.Role == healthcell.RoleUnit && a.Unit == fmt.Sprint(e.UnitID)) {
		return nil, notFound("entry")
	}
	return presentEntry(a, e), nil
}

// entryWhere builds the WHERE clause (and its arguments) of f for the
// caller: the scope, the subject and the period. It returns ENOTFOUND for an
// unknown register or a division outside the scope, and EFORBIDDEN when the
// caller may not read the register there.
func (db *DB) entryWhere(a *healthcell.Actor, f healthcell.EntryFilter) (*register.Def, string, []any, error) {
	d, err := db.registerDef(f.Register)
	if err != nil {
		return nil, "", nil, err
	}
	var where []string
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	if a.Role == healthcell.RoleUnit && !a.System {
		// a unit contact reads only its own unit's rows of registers that have units
		if !d.Units {
			return nil, "", nil, healthcell.Errorf(healthcell.EFORBIDDEN, "error.forbidden")
		}
		where = append(where, "r.unit_id = "+arg(a.Unit))
	} else {
		lo, hi, err := scopeRange(a, f.Division, a.CoversDivision)
		if err != nil {
			return nil, "", nil, err
		}
		div := healthcell.NormalizeCode(f.Division)
		if div == "" {
			div = a.Scope
		}
		if !a.System && !mayReadEntries(a, d, div) {
			return nil, "", nil, healthcell.Errorf(healthcell.EFORBIDDEN, "error.forbidden")
		}
		where = append(where, "r.village_code BETWEEN "+arg(lo)+" AND "+arg(hi))
	}
	if !f.Inactive {
		where = append(where, "r.active")
	}
	if f.PersonID != 0 {
		where = append(where, "r.person_id = "+arg(f.PersonID))
	}
	if f.HouseholdID != 0 {
		where = append(where, "r.household_id = "+arg(f.HouseholdID))
	}
	if f.UnitID != 0 {
		where = append(where, "r.unit_id = "+arg(f.UnitID))
	}
	period := "r." + d.Period
	from, to := any(f.From), any(f.To)
	if d.Field(d.Period).Type == register.Year {
		from, to = yearOf(f.From), yearOf(f.To)
	}
	if f.From != "" {
		where = append(where, period+" >= "+arg(from))
	}
	if f.To != "" {
		where = append(where, period+" <= "+arg(to))
	}
	return d, " WHERE " + strings.Join(where, " AND "), args, nil
}

// FindEntries returns a page of f.Register's entries under f.Division, the
// latest period first, and the total. It returns ENOTFOUND for an unknown
// register or a division outside the caller's scope, and EFORBIDDEN when the
// caller may not read the register there (personal registers for roles that
// do not see personal data).
func (db *DB) FindEntries(ctx context.Context, f healthcell.EntryFilter) ([]*healthcell.Entry, int, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, 0, err
	}
	d, w, args, err := db.entryWhere(a, f)
	if err != nil {
		return nil, 0, err
	}
	var total int
	if err := db.r.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+d.Table+" r"+w, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count %s: %w", d.Code, err)
	}
	limit, offset := page(f.Limit, f.Offset)
	args = append(args, limit, offset)
	rows, err := db.r.QueryContext(ctx, db.entrySelect(d)+w+fmt.Sprintf(" ORDER BY r.%s DESC, r.id DESC LIMIT $%d OFFSET $%d", d.Period, len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find %s: %w", d.Code, err)
	}
	var out []*healthcell.Entry
	if err := eachRow(rows, func(rows *sql.Rows) error {
		e, err := scanEntry(d, rows)
		if err != nil {
			return fmt.Errorf("scan %s: %w", d.Code, err)
		}
		out = append(out, presentEntry(a, e))
		return nil
	}); err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// EachEntry calls fn with every entry f selects (no paging), by village and
// period, for exports; it stops at fn's first error and returns it. Errors
// are those of FindEntries.
func (db *DB) EachEntry(ctx context.Context, f healthcell.EntryFilter, fn func(*healthcell.Entry) error) error {
	if r := db.onReplica(ctx); r != db {
		return r.EachEntry(ctx, f, fn)
	}
	a, err := actorOf(ctx)
	if err != nil {
		return err
	}
	d, w, args, err := db.entryWhere(a, f)
	if err != nil {
		return err
	}
	rows, err := db.r.QueryContext(ctx, db.entrySelect(d)+w+" ORDER BY r.village_code, r."+d.Period+", r.id", args...)
	if err != nil {
		return fmt.Errorf("export %s: %w", d.Code, err)
	}
	if err := eachRow(rows, func(rows *sql.Rows) error {
		e, err := scanEntry(d, rows)
		if err != nil {
			return fmt.Errorf("scan %s: %w", d.Code, err)
		}
		if err := fn(presentEntry(a, e)); err != nil {
			return err
		}
		return nil
	}); err != nil {
		return err
	}
	return nil
}

// yearOf returns the year of a YYYY-MM-DD (or YYYY) date, 0 when it has none.
func yearOf(date string) int {
	var y int
	fmt.Sscanf(date, "%4d", &y)
	return y
}
