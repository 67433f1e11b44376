package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"github.com/healthcell/healthcell"
)

// childPrefixLen is the number of code digits that identify a child at each
// parent level (province's children are cities: 4 digits, and so on).
var childPrefixLen = map[int]int{1: 4, 2: 6, 3: 9, 4: 12}

// FindDivision returns the division with its ancestors, children and live
// counts. The caller sees its scope and the ancestors of its scope root (so
// the breadcrumb works), but the children listed are only those it covers;
// a division neither covering nor covered by the scope is ENOTFOUND.
func (db *DB) FindDivision(ctx context.Context, code string) (*healthcell.DivisionView, error) {
	if r := db.onReplica(ctx); r != db {
		return r.FindDivision(ctx, code)
	}
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	code = healthcell.NormalizeCode(code)
	if code == "" || !a.CoversDivision(code) {
		return nil, notFound("division")
	}
	v := &healthcell.DivisionView{}
	d, ancestors, counts, err := db.divisionLine(ctx, code)
	if err != nil {
		return nil, err
	}
	v.Division, v.Ancestors, v.DivisionCounts = *d, ancestors, counts
	if v.Children, err = db.children(ctx, d); err != nil {
		return nil, err
	}
	if v.Children == nil {
		v.Children = []healthcell.DivisionNode{}
	}
	if v.Ancestors == nil {
		v.Ancestors = []healthcell.Division{}
	}
	return v, nil
}

// children lists d's children with their counts, in code order.
func (db *DB) children(ctx context.Context, d *healthcell.Division) ([]healthcell.DivisionNode, error) {
	n, ok := childPrefixLen[d.Level]
	if !ok {
		return nil, nil
	}
	rows, err := db.r.QueryContext(ctx, `SELECT code, name, level, parent FROM divisions WHERE parent = $1 ORDER BY code`, d.Code)
	if err != nil {
		return nil, fmt.Errorf("children of %s: %w", d.Code, err)
	}
	var out []healthcell.DivisionNode
	index := map[string]int{}
	if err := eachRow(rows, func(rows *sql.Rows) error {
		var c healthcell.DivisionNode
		if err := rows.Scan(&c.Code, &c.Name, &c.Level, &c.Parent); err != nil {
			return err
		}
		index[c.Code[:n]] = len(out)
		out = append(out, c)
		return nil
	}); err != nil {
		return nil, err
	}
	lo, hi := healthcell.CodeRange(d.Code)
	rows, err = db.r.QueryContext(ctx, fmt.Sprintf(`SELECT substr(village_code, 1, %d), SUM(households), SUM(persons)
		FROM village_stats WHERE village_code BETWEEN $1 AND $2 GROUP BY substr(village_code, 1, %d)`, n, n), lo, hi)
	if err != nil {
		return nil, fmt.Errorf("child counts of %s: %w", d.Code, err)
	}
	if err := eachRow(rows, func(rows *sql.Rows) error {
		var p string
		var c healthcell.DivisionCounts
		if err := rows.Scan(&p, &c.Households, &c.Persons); err != nil {
			return err
		}
		if i, ok := index[p]; ok {
			out[i].DivisionCounts = c
		}
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// LoadDivisions inserts new divisions and renames existing ones, in one
// transaction with one audit entry, and returns how many it inserted or
// changed. Divisions stored as given are left alone: loading the same list
// again writes nothing, no audit entry and no new data epoch, and returns 0.
// Every division is validated first; any invalid one stops the load with
// EINVALID and nothing is written. Only the system actor or a county
// administrator may load.
func (db *DB) LoadDivisions(ctx context.Context, divs []healthcell.Division) (int, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return 0, err
	}
	if !a.System && !(a.Role == healthcell.RoleCountyAdmin) {
		return 0, healthcell.Errorf(healthcell.EFORBIDDEN, "error.forbidden")
	}
	var fe []healthcell.FieldError
	for i := range divs {
		d := &divs[i]
		if err := d.Validate(); err != nil {
			for _, f := range healthcell.ErrorFields(err) {
				f.Row = i + 1
				fe = append(fe, f)
			}
			continue
		}
		d.Level = healthcell.CodeLevel(d.Code)
		d.Parent = healthcell.ParentCode(d.Code)
		if !a.System && !a.CoversDivision(d.Code) && !healthcell.Covers(d.Code, a.Scope) {
			fe = append(fe, healthcell.FieldError{Row: i + 1, Field: "code", Message: "division.out_of_scope", Value: d.Code})
		}
	}
	if err := healthcell.Invalid(fe); err != nil {
		return 0, err
	}
	changed := 0
	err = db.write(ctx, func(tx *Tx) error {
		changed = 0 // the transaction may run again
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO divisions (code, name, level, parent) VALUES ($1, $2, $3, $4)
			ON CONFLICT (code) DO UPDATE SET name = excluded.name, level = excluded.level, parent = excluded.parent
			WHERE divisions.name <> excluded.name OR divisions.level <> excluded.level OR divisions.parent <> excluded.parent`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, d := range divs {
			res, err := stmt.ExecContext(ctx, d.Code, d.Name, d.Level, d.Parent)
			if err != nil {
				return fmt.Errorf("load division %s: %w", d.Code, err)
			}
			k, err := res.RowsAffected()
			if err != nil {
				return err
			}
			changed += int(k)
		}
		if changed == 0 {
			return nil
		}
		root := ""
		if len(divs) > 0 {
			root = divs[0].Code
		}
		// Names and parents are on cached village pages (village_page.go).
		if _, err := tx.ExecContext(ctx, `UPDATE data_version SET epoch = epoch + 1 WHERE id = 1`); err != nil {
			return fmt.Errorf("data epoch: %w", err)
		}
		return tx.audit(ctx, "load", "division", root, "", nil, map[string]any{"count": changed})
	})
	if err != nil {
		return 0, err
	}
	return changed, nil
}

// FindVillages returns every village under code, in code order, for pickers
// and imports, kept in memory while the epoch is unchanged
// (village_list_cache.go). It returns ENOTFOUND when code is outside the
// caller's scope.
func (db *DB) FindVillages(ctx context.Context, code string) ([]healthcell.Division, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	if !a.CoversDivision(code) {
		return nil, notFound("division")
	}
	return db.villageLists.get(ctx, db.r, code, func() ([]healthcell.Division, error) { return db.readVillages(ctx, code) })
}

// readVillages reads the villages under code from the table; it returns
// the query's error.
func (db *DB) readVillages(ctx context.Context, code string) ([]healthcell.Division, error) {
	lo, hi := healthcell.CodeRange(code)
	rows, err := db.r.QueryContext(ctx, `SELECT code, name, level, parent FROM divisions WHERE code BETWEEN $1 AND $2 AND level = 5 ORDER BY code`, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("villages under %s: %w", code, err)
	}
	var out []healthcell.Division
	if err := eachRow(rows, func(rows *sql.Rows) error {
		var d healthcell.Division
		if err := rows.Scan(&d.Code, &d.Name, &d.Level, &d.Parent); err != nil {
			return err
		}
		out = append(out, d)
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// refreshVillages recomputes the live counts of the given villages from the
// base tables, inside tx, so the tree is current the moment the write commits.
//
// Each village's row is locked first, in code order (so that two moves in
// opposite directions cannot deadlock), and counted by a later statement:
// under PostgreSQL's READ COMMITTED each statement takes a fresh snapshot, so
// the count sees every write committed by a transaction that held the lock
// before; counting in the locking statement itself would lose those writes.
func (tx *Tx) refreshVillages(ctx context.Context, codes ...string) error {
	var todo []string
	for _, c := range codes {
		if c != "" && !slices.Contains(todo, c) {
			todo = append(todo, c)
		}
	}
	slices.Sort(todo)
	for _, c := range todo {
		if _, err := tx.ExecContext(ctx, `INSERT INTO village_stats (village_code) VALUES ($1)
			ON CONFLICT (village_code) DO UPDATE SET households = village_stats.households`, c); err != nil {
			return fmt.Errorf("lock counts of %s: %w", c, err)
		}
	}
	for _, c := range todo {
		_, err := tx.ExecContext(ctx, refreshVillageSQL, c)
		if err != nil {
			return fmt.Errorf("refresh counts of %s: %w", c, err)
		}
	}
	return nil
}

// refreshVillageSQL recomputes one village's live counts from the base tables.
const refreshVillageSQL = `INSERT INTO village_stats (village_code, households, persons) VALUES ($1,
	(SELECT COUNT(*) FROM households WHERE village_code = $1 AND active),
	(SELECT COUNT(*) FROM persons WHERE village_code = $1 AND status = 'active'))
	ON CONFLICT (village_code) DO UPDATE SET households = excluded.households, persons = excluded.persons`

// divisionLine returns the division code, the loaded divisions above it,
// from the province down, and the live counts under code, in one query:
// their codes follow from the code (LoadDivisions stores every parent as
// healthcell.ParentCode), and every row carries the counts. A missing
// ancestor (a county loaded without its province) is left out; a missing
// division is ENOTFOUND.
func (db *DB) divisionLine(ctx context.Context, code string) (*healthcell.Division, []healthcell.Division, healthcell.DivisionCounts, error) {
	var counts healthcell.DivisionCounts
	lo, hi := healthcell.CodeRange(code)
	args := []any{code, "", "", "", "", lo, hi}
	for i, p := 1, healthcell.ParentCode(code); p != "" && i < 5; i, p = i+1, healthcell.ParentCode(p) {
		args[i] = p
	}
	rows, err := db.r.QueryContext(ctx, `SELECT d.code, d.name, d.level, d.parent, c.households, c.persons
		FROM divisions d, (SELECT COALESCE(SUM(households), 0) AS households, COALESCE(SUM(persons), 0) AS persons
			FROM village_stats WHERE village_code BETWEEN $6 AND $7) c
		WHERE d.code IN ($1, $2, $3, $4, $5) ORDER BY d.level`, args...)
	if err != nil {
		return nil, nil, counts, fmt.Errorf("find division %s: %w", code, err)
	}
	var d *healthcell.Division
	ancestors := make([]healthcell.Division, 0, 4)
	var households, persons int64
	if err := eachRow(rows, func(rows *sql.Rows) error {
		var a healthcell.Division
		var level int64
		if err := rows.Scan(&a.Code, &a.Name, &level, &a.Parent, &households, &persons); err != nil {
			return err
		}
		a.Level = int(level)
		if a.Code == code {
			d = &a
		} else {
			ancestors = append(ancestors, a)
		}
		return nil
	}); err != nil {
		return nil, nil, counts, fmt.Errorf("find division %s: %w", code, err)
	}
	if d == nil {
		return nil, nil, counts, notFound("division")
	}
	counts.Households, counts.Persons = int(households), int(persons)
	return d, ancestors, counts, nil
}
