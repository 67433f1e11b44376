package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/healthcell/healthcell"
)

// importPostgres runs an import in one pgx transaction, with COPY.
func (db *DB) importPostgres(ctx context.Context, a *healthcell.Actor, lo, hi string, dryRun bool, feed healthcell.ResidentFeed, counts *healthcell.ImportCounts) error {
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	now := db.Now().UTC().Truncate(time.Microsecond)
	return conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		ptx, err := pc.Begin(ctx)
		if err != nil {
			return err
		}
		// A bulk load: the per-village triggers would join every row; the
		// epoch moves instead (dataversion.go).
		if err := beginBulkPostgres(ctx, ptx); err != nil {
			ptx.Rollback(ctx)
			return err
		}
		defer ptx.Rollback(ctx)
		if !dryRun {
			if _, err := ptx.Exec(ctx, `LOCK TABLE households, persons IN EXCLUSIVE MODE`); err != nil {
				return err
			}
		}
		c := &pgImportConn{ctx: ctx, tx: ptx, now: now, actor: a, sole: db.SoleImports}
		err = importRun(ctx, c, now, a, lo, hi, dryRun, feed, counts)
		if err == errDryRun {
			return nil
		}
		if err != nil {
			return err
		}
		for _, t := range []string{"households", "persons"} {
			if _, err := ptx.Exec(ctx, `SELECT setval(pg_get_serial_sequence('`+t+`', 'id'), (SELECT COALESCE(MAX(id), 1) FROM `+t+`))`); err != nil {
				return fmt.Errorf("advance %s ids: %w", t, err)
			}
		}
		if counts.Persons > bulkBatch {
			if _, err := ptx.Exec(ctx, `ANALYZE households, persons, village_stats`); err != nil {
				return fmt.Errorf("analyze: %w", err)
			}
		}
		return ptx.Commit(ctx)
	})
}

type pgImportConn struct {
	ctx   context.Context
	tx    pgx.Tx
	now   time.Time
	actor *healthcell.Actor
	// sole is DB.SoleImports: the import may take the tables for itself.
	sole    bool
	dropped []string // CREATE INDEX statements to run again at the end
}

type pgRows struct{ pgx.Rows }

func (r pgRows) Next() bool {
	if r.Rows.Next() {
		return true
	}
	r.Rows.Close()
	return false
}

// Close closes the rows; pgx reports their error through Err.
func (r pgRows) Close() error {
	r.Rows.Close()
	return nil
}

func (c *pgImportConn) each(q string, args []any, fn func(importRows) error) error {
	rows, err := c.tx.Query(c.ctx, q, args...)
	if err != nil {
		return err
	}
	return eachRow(pgRows{rows}, func(rows pgRows) error { return fn(rows) })
}

func (c *pgImportConn) exec(q string, args ...any) error {
	_, err := c.tx.Exec(c.ctx, q, args...)
	return err
}

func (c *pgImportConn) insert(table string, cols []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	if _, err := c.tx.CopyFrom(c.ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows)); err != nil {
		return fmt.Errorf("copy %s: %w", table, err)
	}
	return nil
}

func (c *pgImportConn) setHeads(pairs [][2]int64, now time.Time) error {
	if len(pairs) == 0 {
		return nil
	}
	hs, ps := make([]int64, len(pairs)), make([]int64, len(pairs))
	for i, p := range pairs {
		hs[i], ps[i] = p[0], p[1]
	}
	return c.exec(`UPDATE households h SET head_id = v.p, version = h.version + 1, updated_at = $3
		FROM unnest($1::bigint[], $2::bigint[]) AS v(h, p) WHERE h.id = v.h`, hs, ps, now)
}

// bulk drops the secondary indexes of persons and households that no
// constraint needs, when the import runs as a command of its own
// (DB.SoleImports) into a database without residents: under COPY the server spends most of its time inserting into
// them, row by row, and building them once at the end is much cheaper.
// DROP INDEX locks the tables against readers too until the commit, which
// is why the web server's imports keep them. All of it happens inside the
// transaction: an error or a crash brings the indexes back.
func (c *pgImportConn) bulk(existing int) error {
	if !c.sole || existing > 0 {
		// With residents stored, an import may update them row by row,
		// which took 3.5 times as long without the indexes.
		return nil
	}
	rows, err := c.tx.Query(c.ctx, `SELECT i.indexname, i.indexdef FROM pg_indexes i
		WHERE i.schemaname = current_schema() AND i.tablename IN ('persons', 'households')
		AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conname = i.indexname AND k.connamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()))
		ORDER BY i.indexname`)
	if err != nil {
		return err
	}
	var names []string
	if err := eachRow(pgRows{rows}, func(rows pgRows) error {
		var n, def string
		if err := rows.Scan(&n, &def); err != nil {
			return err
		}
		names, c.dropped = append(names, n), append(c.dropped, def)
		return nil
	}); err != nil {
		return err
	}
	for _, n := range names {
		if _, err := c.tx.Exec(c.ctx, `DROP INDEX `+pgx.Identifier{n}.Sanitize()); err != nil {
			return fmt.Errorf("drop index %s: %w", n, err)
		}
	}
	return nil
}

// rebuild creates the indexes bulk dropped again.
func (c *pgImportConn) rebuild() error {
	if _, err := c.tx.Exec(c.ctx, `SET LOCAL maintenance_work_mem = '128MB'`); err != nil {
		return err
	}
	for _, q := range c.dropped {
		if _, err := c.tx.Exec(c.ctx, q); err != nil {
			return fmt.Errorf("rebuild index: %w", err)
		}
	}
	return nil
}

func (c *pgImportConn) finish(villages []string, dirty []int64, after map[string]any) error {
	if err := c.rebuild(); err != nil {
		return err
	}
	// The tables are locked (EXCLUSIVE): no row locks needed.
	if len(dirty) > 0 {
		if _, err := c.tx.Exec(c.ctx, `UPDATE households SET
			members = (SELECT COUNT(*) FROM persons p WHERE p.household_id = households.id AND p.status = 'active'),
			head_name = COALESCE((SELECT p.name FROM persons p WHERE p.id = households.head_id), '')
			WHERE id = ANY($1::bigint[])`, dirty); err != nil {
			return fmt.Errorf("refresh households: %w", err)
		}
	}
	b := &bulkRows{villages: map[string]bool{}}
	for _, v := range villages {
		b.villages[v] = true
	}
	for v := range b.villages {
		if _, err := c.tx.Exec(c.ctx, `INSERT INTO village_stats (village_code) VALUES ($1) ON CONFLICT (village_code) DO NOTHING`, v); err != nil {
			return err
		}
		if _, err := c.tx.Exec(c.ctx, refreshVillageSQL, v); err != nil {
			return fmt.Errorf("refresh counts of %s: %w", v, err)
		}
	}
	js, err := auditJSON(after)
	if err != nil {
		return err
	}
	_, err = c.tx.Exec(c.ctx, `INSERT INTO audit_log (at, user_id, username, action, entity, entity_id, division, before, after)
		VALUES ($1, $2, $3, 'import', 'residents', '', '', '', $4)`, c.now, c.actor.UserID, c.actor.Username, js)
	return err
}
