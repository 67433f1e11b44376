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
	for rows.Next() {
		var name, q string
		if err := rows.Scan(&name, &q); err != nil {
			rows.Close()
			return err
		}
		names, c.dropped = append(names, name), append(c.dropped, q)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, n := range names {
		if err := c.exec(`DROP INDEX "` + n + `"`); err != nil {
			return fmt.Errorf("drop index %s: %w", n, err)
		}
	}
	return nil
}

func (c *sqliteImportConn) query(q string, args ...any) (importRows, error) {
	return c.tx.QueryContext(c.ctx, q, args...)
}

func (c *sqliteImportConn) exec(q string, args ...any) error {
	_, err := c.tx.ExecContext(c.ctx, q, args...)
	return err
}

// sqliteInsertRows is how many rows one INSERT statement of an import
// carries: fewer, larger statements spend less time in the driver.
const sqliteInsertRows = 32

func (c *sqliteImportConn) insert(table string, cols []string, rows [][]any) error {
	if c.stmts == nil {
		c.stmts = map[string]*sql.Stmt{}
	}
	stmt := func(n int) (*sql.Stmt, error) {
		key := table + "/" + strconv.Itoa(n)
		if st, ok := c.stmts[key]; ok {
			return st, nil
		}
		// Anonymous ? parameters: the driver looks each $N name up in a
		// list, which is quadratic in a statement of hundreds of them.
		row := "(?" + strings.Repeat(", ?", len(cols)-1) + ")"
		q := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES " + row + strings.Repeat(", "+row, n-1)
		st, err := c.tx.PrepareContext(c.ctx, q)
		if err != nil {
			return nil, err
		}
		c.stmts[key] = st
		return st, nil
	}
	args := make([]any, 0, sqliteInsertRows*len(cols))
	for len(rows) > 0 {
		n := sqliteInsertRows
		if len(rows) < n {
			n = 1
		}
		st, err := stmt(n)
		if err != nil {
			return err
		}
		args = args[:0]
		for _, r := range rows[:n] {
			args = append(args, r...)
		}
		if _, err := st.ExecContext(c.ctx, args...); err != nil {
			return fmt.Errorf("insert into %s: %w", table, err)
		}
		rows = rows[n:]
	}
	return nil
}

func (c *sqliteImportConn) setHeads(pairs [][2]int64, now time.Time) error {
	for _, p := range pairs {
		if err := c.exec(`UPDATE households SET head_id = $2, version = version + 1, updated_at = $3 WHERE id = $1`, p[0], p[1], now); err != nil {
			return err
		}
	}
	return nil
}

func (c *sqliteImportConn) finish(villages []string, after map[string]any) error {
	for _, st := range c.stmts {
		st.Close()
	}
	for _, q := range c.dropped {
		if err := c.exec(q); err != nil {
			return fmt.Errorf("rebuild index: %w", err)
		}
	}
	if c.cache != 0 {
		if err := c.exec(fmt.Sprintf(`PRAGMA cache_size = %d`, c.cache)); err != nil {
			return err
		}
	}
	for _, v := range villages {
		if _, err := c.tx.ExecContext(c.ctx, refreshVillageHouseholdsSQL, v); err != nil {
			return fmt.Errorf("refresh households of %s: %w", v, err)
		}
	}
	if err := c.tx.refreshVillages(c.ctx, villages...); err != nil {
		return err
	}
	return c.tx.audit(c.ctx, "import", "residents", "", "", nil, after)
}
