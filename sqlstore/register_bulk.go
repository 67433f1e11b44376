package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/register"
)

// RegisterRow is one row for LoadRegisters: the register's code, its frame
// (village, and the person, household or unit it is about; zero for none)
// and its field values in the order of the register's fields.
type RegisterRow struct {
	Register    string
	Village     string
	PersonID    int64
	HouseholdID int64
	UnitID      int64
	Values      []any
}

// RegisterRows is a source of register rows, pushed one at a time into
// emit; an error from emit must stop it.
type RegisterRows func(emit func(r *RegisterRow) error) error

// registerBatch is the number of rows of one register buffered before they
// are written.
const registerBatch = 10000

type registerBuf struct {
	def  *register.Def
	cols []string
	rows [][]any
	n    int
}

// LoadRegisters writes every row of src in one transaction (COPY on
// PostgreSQL, multi-row inserts on SQLite) with one audit entry, so that a
// crash leaves all of them or none. Rows are trusted (the demo generator and
// tests make them); the per-row checks of the register forms are not run.
// It returns the rows written per register; EFORBIDDEN unless the caller is
// the system, EINVALID for an unknown register or a row with the wrong
// number of values. A row may leave out trailing optional fields (fields
// added to a register after its callers were written): they are stored
// absent.
func (db *DB) LoadRegisters(ctx context.Context, src RegisterRows) (map[string]int, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	if !a.System {
		return nil, healthcell.Errorf(healthcell.EFORBIDDEN, "error.forbidden")
	}
	regs := db.defs.Registers
	bufs := map[string]*registerBuf{}
	var now time.Time
	buffer := func(r *RegisterRow, flush func(b *registerBuf) error) error {
		b := bufs[r.Register]
		if b == nil {
			d := regs.Get(r.Register)
			if d == nil {
				return healthcell.Invalid([]healthcell.FieldError{{Field: "register", Message: "indicator.unknown_source", Value: r.Register}})
			}
			b = &registerBuf{def: d, cols: []string{"village_code", "person_id", "household_id", "unit_id", "active", "version", "created_by", "created_at", "updated_at"}}
			for _, f := range d.Fields {
				b.cols = append(b.cols, f.Code)
			}
			bufs[r.Register] = b
		}
		if len(r.Values) > len(b.def.Fields) || !optionalFrom(b.def, len(r.Values)) {
			return healthcell.Invalid([]healthcell.FieldError{{Field: r.Register, Message: "field.invalid", Value: fmt.Sprint(len(r.Values))}})
		}
		row := make([]any, 0, len(b.cols))
		row = append(row, r.Village, nullID(r.PersonID), nullID(r.HouseholdID), nullID(r.UnitID), true, 1, a.Username, now, now)
		row = append(row, r.Values...)
		for _, f := range b.def.Fields[len(r.Values):] {
			row = append(row, absentValue(f.Type))
		}
		b.rows = append(b.rows, row)
		if len(b.rows) >= registerBatch {
			return flush(b)
		}
		return nil
	}
	flushAll := func(flush func(b *registerBuf) error) error {
		for _, b := range bufs {
			if len(b.rows) > 0 {
				if err := flush(b); err != nil {
					return err
				}
			}
		}
		return nil
	}
	counts := func() map[string]int {
		out := map[string]int{}
		for c, b := range bufs {
			out[c] = b.n
		}
		return out
	}
	if db.Engine == Postgres {
		err = db.loadRegistersPostgres(ctx, a, src, buffer, flushAll, counts, &now)
	} else {
		err = db.write(ctx, func(tx *Tx) error {
			now = tx.now
			// Indexes are dropped while the rows go in and built again at the
			// end, inside the same transaction: building an index from sorted
			// rows is several times cheaper than updating it row by row.
			indexes, err := tx.dropRegisterIndexes(ctx, regs)
			if err != nil {
				return err
			}
			flush := func(b *registerBuf) error {
				if err := tx.insertRows(ctx, b.def.Table, b.cols, b.rows); err != nil {
					return err
				}
				b.n += len(b.rows)
				b.rows = b.rows[:0]
				return nil
			}
			if err := src(func(r *RegisterRow) error { return buffer(r, flush) }); err != nil {
				return err
			}
			if err := flushAll(flush); err != nil {
				return err
			}
			for _, ix := range indexes {
				if _, err := tx.ExecContext(ctx, ix); err != nil {
					return fmt.Errorf("rebuild index: %w", err)
				}
			}
			if _, err := tx.ExecContext(ctx, bumpAllSQL); err != nil {
				return fmt.Errorf("data version: %w", err)
			}
			for _, b := range bufs {
				if _, err := tx.ExecContext(ctx, `ANALYZE `+b.def.Table); err != nil {
					return fmt.Errorf("analyze: %w", err)
				}
			}
			return tx.audit(ctx, "load", "register", "", "", nil, counts())
		})
	}
	if err != nil {
		return nil, err
	}
	return counts(), nil
}

// loadRegistersPostgres streams the rows with COPY inside one pgx
// transaction and analyses the tables it filled.
func (db *DB) loadRegistersPostgres(ctx context.Context, a *healthcell.Actor, src RegisterRows,
	buffer func(*RegisterRow, func(*registerBuf) error) error, flushAll func(func(*registerBuf) error) error,
	counts func() map[string]int, now *time.Time) error {
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	*now = db.Now().UTC().Truncate(time.Microsecond)
	return conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		ptx, err := pc.Begin(ctx)
		if err != nil {
			return err
		}
		if err := beginBulkPostgres(ctx, ptx); err != nil {
			ptx.Rollback(ctx)
			return err
		}
		defer ptx.Rollback(ctx)
		var tables []string
		flush := func(b *registerBuf) error {
			if _, err := ptx.CopyFrom(ctx, pgx.Identifier{b.def.Table}, b.cols, pgx.CopyFromRows(b.rows)); err != nil {
				return fmt.Errorf("copy %s: %w", b.def.Table, err)
			}
			if !slices.Contains(tables, b.def.Table) {
				tables = append(tables, b.def.Table)
			}
			b.n += len(b.rows)
			b.rows = b.rows[:0]
			return nil
		}
		if err := src(func(r *RegisterRow) error { return buffer(r, flush) }); err != nil {
			return err
		}
		if err := flushAll(flush); err != nil {
			return err
		}
		after, _ := auditJSON(counts())
		if _, err := ptx.Exec(ctx, `INSERT INTO audit_log (at, user_id, username, action, entity, entity_id, division, before, after)
			VALUES ($1, $2, $3, 'load', 'register', '', '', '', $4)`, *now, a.UserID, a.Username, after); err != nil {
			return err
		}
		for _, t := range tables {
			if _, err := ptx.Exec(ctx, `ANALYZE `+t); err != nil {
				return fmt.Errorf("analyze: %w", err)
			}
		}
		return ptx.Commit(ctx)
	})
}

// EachResident calls fn with every active person under division (a 12-digit
// code) in id order: the subjects of generated register rows. EFORBIDDEN
// unless the caller is the system, EINVALID for a division that is no code.
func (db *DB) EachResident(ctx context.Context, division string, fn func(id, household int64, village, birth string, registered, resident bool) error) error {
	lo, hi, err := systemRange(ctx, division)
	if err != nil {
		return err
	}
	rows, err := db.r.QueryContext(ctx, `SELECT id, household_id, village_code, birth_date, registered, resident FROM persons
		WHERE status = 'active' AND village_code BETWEEN $1 AND $2 ORDER BY id`, lo, hi)
	if err != nil {
		return fmt.Errorf("residents: %w", err)
	}
	if err := eachRow(rows, func(rows *sql.Rows) error {
		var id, h int64
		var v, b string
		var reg, res bool
		if err := rows.Scan(&id, &h, &v, &b, &reg, &res); err != nil {
			return err
		}
		if err := fn(id, h, v, b, reg, res); err != nil {
			return err
		}
		return nil
	}); err != nil {
		return err
	}
	return nil
}

// EachHousehold calls fn with every active household under division (a
// 12-digit code) in id order; the errors of EachResident.
// EFORBIDDEN unless the caller is the system.
func (db *DB) EachHousehold(ctx context.Context, division string, fn func(id int64, village, head string) error) error {
	lo, hi, err := systemRange(ctx, division)
	if err != nil {
		return err
	}
	rows, err := db.r.QueryContext(ctx, `SELECT id, village_code, head_name FROM households
		WHERE active AND village_code BETWEEN $1 AND $2 ORDER BY id`, lo, hi)
	if err != nil {
		return fmt.Errorf("households: %w", err)
	}
	if err := eachRow(rows, func(rows *sql.Rows) error {
		var id int64
		var v, head string
		if err := rows.Scan(&id, &v, &head); err != nil {
			return err
		}
		if err := fn(id, v, head); err != nil {
			return err
		}
		return nil
	}); err != nil {
		return err
	}
	return nil
}

// RegisterRowsExist reports whether any register has a row under division
// (a 12-digit code): the demo fills a county's registers only once. EINVALID
// for a division that is no code.
func (db *DB) RegisterRowsExist(ctx context.Context, division string) (bool, error) {
	lo, hi := healthcell.CodeRange(division)
	if lo == "" {
		return false, healthcell.Errorf(healthcell.EINVALID, "division %q", division)
	}
	var n int
	err := db.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM reg_contracts WHERE village_code BETWEEN $1 AND $2 LIMIT 1) x`, lo, hi).Scan(&n)
	return n > 0, err
}

// systemRange returns the code range under division for the system caller:
// EFORBIDDEN for anyone else, EINVALID for a division that is no code.
func systemRange(ctx context.Context, division string) (lo, hi string, err error) {
	if a, err := actorOf(ctx); err != nil || !a.System {
		return "", "", healthcell.Errorf(healthcell.EFORBIDDEN, "error.forbidden")
	}
	if lo, hi = healthcell.CodeRange(division); lo == "" {
		return "", "", healthcell.Errorf(healthcell.EINVALID, "division %q", division)
	}
	return lo, hi, nil
}

// dropRegisterIndexes drops the indexes and data-version triggers of every
// register table (SQLite) and returns the statements that create them
// again; the caller bumps the data version once instead.
func (tx *Tx) dropRegisterIndexes(ctx context.Context, regs *register.Set) ([]string, error) {
	var tables []any
	var marks []string
	for _, d := range regs.All() {
		tables = append(tables, d.Table)
		marks = append(marks, fmt.Sprintf("$%d", len(tables)))
	}
	rows, err := tx.QueryContext(ctx, `SELECT name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL AND tbl_name IN (`+strings.Join(marks, ", ")+`)`, tables...)
	if err != nil {
		return nil, fmt.Errorf("register indexes: %w", err)
	}
	var names, stmts []string
	if err := eachRow(rows, func(rows *sql.Rows) error {
		var n, s string
		if err := rows.Scan(&n, &s); err != nil {
			return err
		}
		names, stmts = append(names, n), append(stmts, s)
		return nil
	}); err != nil {
		return nil, err
	}
	for _, n := range names {
		kind := "INDEX"
		if strings.Contains(n, "_dv_") {
			kind = "TRIGGER"
		}
		if _, err := tx.ExecContext(ctx, `DROP `+kind+` "`+n+`"`); err != nil {
			return nil, fmt.Errorf("drop index %s: %w", n, err)
		}
	}
	return stmts, nil
}

// optionalFrom reports whether every field of d from index i on is optional.
func optionalFrom(d *register.Def, i int) bool {
	for _, f := range d.Fields[min(i, len(d.Fields)):] {
		if f.Required {
			return false
		}
	}
	return true
}

// absentValue is what a column holds for a field left out: empty text,
// false, or NULL for numbers.
func absentValue(t register.Type) any {
	switch t {
	case register.Text, register.Date, register.Enum:
		return ""
	case register.Bool:
		return false
	}
	return nil
}
