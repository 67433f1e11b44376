package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// sqliteImportConn runs an import inside a SQLite write transaction.
type sqliteImportConn struct {
	tx      *Tx
	ctx     context.Context
	stmts   map[string]*sql.Stmt
	dropped []string // CREATE INDEX statements to run again at the end
	cache   int      // cache_size to restore, when changed
}

// sqliteRebuildBelow is the number of stored residents under which a large
// import drops the secondary indexes of persons and households and builds them again at
// the end: sorting once is much faster than a million random index inserts,
// and rebuilding for this many existing rows costs a second or two.
const sqliteRebuildBelow = 500000

// sqliteImportCache is the page cache (KiB) of a large import, so that the
// ID number index it inserts into stays in memory.
const sqliteImportCache = 64 << 10

// bulk drops the secondary indexes of persons and households (all inside the transaction:
// a crash or an error brings them back with everything else) and enlarges
// the page cache.
func (c *sqliteImportConn) bulk(existing int) error {
	if err := c.tx.QueryRowContext(c.ctx, `PRAGMA cache_size`).Scan(&c.cache); err != nil {
		return err
	}
	if err := c.exec(fmt.Sprintf(`PRAGMA cache_size = -%d`, sqliteImportCache)); err != nil {
		return err
	}
	if existing >= sqliteRebuildBelow {
		return nil
	}
	rows, err := c.tx.QueryContext(c.ctx, `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('persons', 'households') AND sql IS NOT NULL ORDER BY name`)
	if err != nil {
		return err
	}
	var names []string
	if err := eachRow(rows, func(rows *sql.Rows) error {
		var name, q string
		if err := rows.Scan(&name, &q); err != nil {
			return err
		}
		names, c.dropped = append(names, name), append(c.dropped, q)
		return nil
	}); err != nil {
		return err
	}
	for _, n := range names {
		if err := c.exec(`DROP INDEX "` + n + `"`); err != nil {
			return fmt.Errorf("drop index %s: %w", n, err)
		}
	}
	return nil
}

func (c *sqliteImportConn) each(q string, args []any, fn func(importRows) error) error {
	rows, err := c.tx.QueryContext(c.ctx, q, args...)
	if err != nil {
		return err
	}
	return eachRow(rows, func(rows *sql.Rows) error { return fn(rows) })
}

func (c *sqliteImportConn) exec(q string, args ...any) error {
	_, err := c.tx.ExecContext(c.ctx, q, args...)
	return err
}

// sqliteInsertRows is how many rows one INSERT statement of an import
// carries: fewer, larger statements spend less time in the driver.
const sqliteInsertRows = 32

// insert stores rows into table, sqliteInsertRows at a time. A column whose
// value is the same in every row of the call (the timestamps, the version,
// the status…) is written into the statement as a literal rather than
// bound for each row: binding, and formatting a time for each row, was a
// sixth of the writer's work.
func (c *sqliteImportConn) insert(table string, cols []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	if c.stmts == nil {
		c.stmts = map[string]*sql.Stmt{}
	}
	lits := make([]string, len(cols)) // "" where the column is bound
	var bound []int
	for j := range cols {
		if l, ok := sqliteLiteral(rows[0][j]); ok && sameColumn(rows, j) {
			lits[j] = l
		} else {
			bound = append(bound, j)
		}
	}
	stmt := func(n int) (*sql.Stmt, error) {
		// Anonymous ? parameters: the driver looks each $N name up in a
		// list, which is quadratic in a statement of hundreds of them.
		var row strings.Builder
		row.WriteByte('(')
		for j, l := range lits {
			if j > 0 {
				row.WriteString(", ")
			}
			if l == "" {
				l = "?"
			}
			row.WriteString(l)
		}
		row.WriteByte(')')
		q := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES " + row.String() + strings.Repeat(", "+row.String(), n-1)
		if st, ok := c.stmts[q]; ok {
			return st, nil
		}
		if len(c.stmts) >= 16 {
			// Batches whose literals differ (one village in a whole
			// batch) each have their statements: keep a few.
			for k, st := range c.stmts {
				st.Close()
				delete(c.stmts, k)
			}
		}
		st, err := c.tx.PrepareContext(c.ctx, q)
		if err != nil {
			return nil, err
		}
		c.stmts[q] = st
		return st, nil
	}
	var st32, st1 *sql.Stmt
	args := make([]any, 0, sqliteInsertRows*len(bound))
	for len(rows) > 0 {
		n := sqliteInsertRows
		if len(rows) < n {
			n = 1
		}
		st, err := st32, error(nil)
		if n == 1 {
			st = st1
		}
		if st == nil {
			if st, err = stmt(n); err != nil {
				return err
			}
			if n == 1 {
				st1 = st
			} else {
				st32 = st
			}
		}
		args = args[:0]
		for _, r := range rows[:n] {
			for _, j := range bound {
				args = append(args, r[j])
			}
		}
		if _, err := st.ExecContext(c.ctx, args...); err != nil {
			return fmt.Errorf("insert into %s: %w", table, err)
		}
		rows = rows[n:]
	}
	return nil
}

// sameColumn reports whether column j holds the same value in every row.
func sameColumn(rows [][]any, j int) bool {
	v := rows[0][j]
	for _, r := range rows[1:] {
		if r[j] != v {
			return false
		}
	}
	return true
}

// sqliteLiteral returns v as a SQL literal that stores exactly what binding
// v stores (the driver writes a bool as 0 or 1 and a time in the layout of
// _time_format=sqlite, see sqliteDSN), and false for a value of another
// type.
func sqliteLiteral(v any) (string, bool) {
	switch x := v.(type) {
	case nil:
		return "NULL", true
	case bool:
		if x {
			return "1", true
		}
		return "0", true
	case int:
		return strconv.Itoa(x), true
	case int64:
		return strconv.FormatInt(x, 10), true
	case string:
		if strings.IndexByte(x, 0) >= 0 {
			return "", false // the statement text ends at a NUL
		}
		return "'" + strings.ReplaceAll(x, "'", "''") + "'", true
	case time.Time:
		return "'" + x.Format(sqliteTimeLayout) + "'", true
	}
	return "", false
}

// sqliteTimeLayout is how the driver writes a time.Time with
// _time_format=sqlite (sqliteDSN).
const sqliteTimeLayout = "2006-01-02 15:04:05.999999999-07:00"

func (c *sqliteImportConn) setHeads(pairs [][2]int64, now time.Time) error {
	for _, p := range pairs {
		if err := c.exec(`UPDATE households SET head_id = $2, version = version + 1, updated_at = $3 WHERE id = $1`, p[0], p[1], now); err != nil {
			return err
		}
	}
	return nil
}

func (c *sqliteImportConn) finish(villages []string, dirty []int64, after map[string]any) error {
	for _, st := range c.stmts {
		st.Close()
	}
	if len(c.dropped) > 0 {
		if err := c.rebuild(); err != nil {
			return err
		}
	}
	if c.cache != 0 {
		if err := c.exec(fmt.Sprintf(`PRAGMA cache_size = %d`, c.cache)); err != nil {
			return err
		}
	}
	if len(dirty) > 0 {
		st, err := c.tx.PrepareContext(c.ctx, refreshHouseholdSQL)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, id := range dirty {
			if _, err := st.ExecContext(c.ctx, id); err != nil {
				return fmt.Errorf("refresh household %d: %w", id, err)
			}
		}
	}
	if err := c.tx.refreshVillages(c.ctx, villages...); err != nil {
		return err
	}
	return c.tx.audit(c.ctx, "import", "residents", "", "", nil, after)
}

// rebuild builds the indexes bulk dropped again. Each sorts the million
// rows, with temporary storage in files for the while: the writer
// connection keeps it in memory (sqliteDSN), and then SQLite's sorter
// allocates every record on its own and sorts them as one list, instead of
// in runs of the page cache's size from one arena, which is slower.
func (c *sqliteImportConn) rebuild() error {
	if err := c.exec(`PRAGMA temp_store = FILE`); err != nil {
		return err
	}
	for _, q := range c.dropped {
		if err := c.exec(q); err != nil {
			return fmt.Errorf("rebuild index: %w", err)
		}
	}
	return c.exec(`PRAGMA temp_store = MEMORY`)
}
