package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/healthcell/healthcell"
)

// ImportResidents stores the rows feed emits, in one transaction: COPY on
// PostgreSQL and prepared inserts on SQLite, as LoadPopulation does. Each
// household is found by its 户编号 within its village, or created; a row
// whose relation is 户主 makes that resident the head. A row with Existing
// set updates that resident (moving them when the household differs). The
// live counts of every touched village are recomputed and one audit entry
// records the import as a whole, in the same transaction. When feed returns
// an error nothing is stored and that error is returned; with dryRun
// nothing is stored either, but feed still sees the database. Only actors
// who may write residents may import (EFORBIDDEN), into villages of their
// scope (the lookup offers only those).
func (db *DB) ImportResidents(ctx context.Context, dryRun bool, feed healthcell.ResidentFeed) (healthcell.ImportCounts, error) {
	var counts healthcell.ImportCounts
	a, err := actorOf(ctx)
	if err != nil {
		return counts, err
	}
	if err := mayWrite(a); err != nil {
		return counts, err
	}
	lo, hi, err := scopeRange(a, "", a.CoversDivision)
	if err != nil {
		return counts, err
	}
	if db.Engine == Postgres {
		err = db.importPostgres(ctx, a, lo, hi, dryRun, feed, &counts)
	} else {
		err = db.write(ctx, func(tx *Tx) error {
			return importRun(ctx, &sqliteImportConn{tx: tx, ctx: ctx}, tx.now, a, lo, hi, dryRun, feed, &counts)
		})
		if err == errDryRun {
			err = nil
		}
	}
	if err != nil {
		return healthcell.ImportCounts{}, err
	}
	return counts, nil
}

// importConn is the one transaction an import runs in, on either engine.
type importConn interface {
	query(sql string, args ...any) (importRows, error)
	exec(sql string, args ...any) error
	insert(table string, cols []string, rows [][]any) error
	setHeads(pairs [][2]int64, now time.Time) error
	// bulk is called once an import turns out to be large (its first full
	// batch), with the number of residents already stored.
	bulk(existing int) error
	finish(villages []string, audit map[string]any) error
}

type importRows interface {
	Next() bool
	Scan(...any) error
	Err() error
}

// residentLookup answers the feed's questions from maps read at the start.
type residentLookup struct {
	villages []healthcell.Division
	persons  map[uint64]int64 // first 17 digits of the ID number → person id
}

func (l *residentLookup) Villages() []healthcell.Division { return l.villages }

func (l *residentLookup) PersonID(n string) (int64, bool) {
	if len(n) != 18 {
		return 0, false
	}
	k, err := strconv.ParseUint(n[:17], 10, 64)
	if err != nil {
		return 0, false
	}
	id, ok := l.persons[k]
	return id, ok
}

// importRun reads what the feed needs, then stores what it emits in
// batches, and finishes with the heads, the counts and the audit entry.
func importRun(ctx context.Context, c importConn, now time.Time, a *healthcell.Actor, lo, hi string, dryRun bool, feed healthcell.ResidentFeed, counts *healthcell.ImportCounts) error {
	look := &residentLookup{persons: map[uint64]int64{}}
	rows, err := c.query(`SELECT code, name, level, parent FROM divisions WHERE level = 5 AND code BETWEEN $1 AND $2 ORDER BY code`, lo, hi)
	if err != nil {
		return fmt.Errorf("import villages: %w", err)
	}
	for rows.Next() {
		var d healthcell.Division
		if err := rows.Scan(&d.Code, &d.Name, &d.Level, &d.Parent); err != nil {
			return err
		}
		look.villages = append(look.villages, d)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = c.query(`SELECT id, id_number, village_code FROM persons WHERE id_number IS NOT NULL`)
	if err != nil {
		return fmt.Errorf("import persons: %w", err)
	}
	for rows.Next() {
		var id int64
		var n, v string
		if err := rows.Scan(&id, &n, &v); err != nil {
			return err
		}
		if v < lo || v > hi {
			id = -id // outside the caller's scope: not to be updated
		}
		if len(n) == 18 {
			if k, err := strconv.ParseUint(n[:17], 10, 64); err == nil {
				look.persons[k] = id
			}
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	s := &importSink{c: c, now: now, existing: len(look.persons), households: map[string]int64{}, pending: map[int64]int{}, villages: map[string]bool{}, dryRun: dryRun, counts: counts}
	rows, err = c.query(`SELECT id, village_code, number FROM households WHERE village_code BETWEEN $1 AND $2`, lo, hi)
	if err != nil {
		return fmt.Errorf("import households: %w", err)
	}
	for rows.Next() {
		var id int64
		var v, n string
		if err := rows.Scan(&id, &v, &n); err != nil {
			return err
		}
		s.households[v+"\x00"+n] = id
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, q := range []struct {
		sql string
		dst *int64
	}{{`SELECT COALESCE(MAX(id), 0) FROM households`, &s.hid}, {`SELECT COALESCE(MAX(id), 0) FROM persons`, &s.pid}} {
		rows, err := c.query(q.sql)
		if err != nil {
			return err
		}
		for rows.Next() {
			if err := rows.Scan(q.dst); err != nil {
				return err
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
	}
	err = feed(look, s.add)
	// A batch may still be being written: the transaction is not to be
	// rolled back (or used) under its feet.
	if werr := s.wait(); err == nil {
		err = werr
	}
	if err != nil {
		return err
	}
	if dryRun {
		return errDryRun
	}
	if err := s.flush(); err != nil {
		return err
	}
	if err := s.wait(); err != nil {
		return err
	}
	look.persons, s.households = nil, nil
	if s.large {
		// The file's maps are garbage now: give their memory back before
		// the indexes are rebuilt, which needs memory of its own.
		debug.FreeOSMemory()
	}
	if err := c.setHeads(s.lateHeads, now); err != nil {
		return fmt.Errorf("import heads: %w", err)
	}
	codes := make([]string, 0, len(s.villages))
	for v := range s.villages {
		codes = append(codes, v)
	}
	return c.finish(codes, map[string]any{"persons": counts.Persons, "updated": counts.Updated, "households": counts.Households})
}

// errDryRun rolls back a dry run; ImportResidents does not return it.
var errDryRun = fmt.Errorf("dry run")

// importSink batches the rows of an import.
type importSink struct {
	c          importConn
	now        time.Time
	dryRun     bool
	counts     *healthcell.ImportCounts
	hid, pid   int64
	households map[string]int64 // village + 户编号 → id, stored or pending
	pending    map[int64]int    // household id → index in hhRows, for this batch
	hhRows     [][]any
	pRows      [][]any
	updates    [][]any
	lateHeads  [][2]int64 // household, head, for households already written
	villages   map[string]bool
	existing   int  // residents stored before the import
	large      bool // a full batch has been written
	inflight   chan importWritten
}

func (s *importSink) add(r *healthcell.ImportedResident) error {
	p := &r.Person
	key := p.VillageCode + "\x00" + r.Household
	hid, ok := s.households[key]
	if !ok {
		s.hid++
		hid = s.hid
		s.households[key] = hid
		s.counts.Households++
		if !s.dryRun {
			s.pending[hid] = len(s.hhRows)
			s.hhRows = append(s.hhRows, []any{hid, r.Household, p.VillageCode, r.Group, "", nil, true, 1, s.now, s.now})
		}
	}
	if r.Existing != 0 {
		s.counts.Updated++
	} else {
		s.counts.Persons++
	}
	if s.dryRun {
		return nil
	}
	s.villages[p.VillageCode] = true
	pid := r.Existing
	if pid == 0 {
		s.pid++
		pid = s.pid
		s.pRows = append(s.pRows, []any{pid, hid, p.VillageCode, p.Name, nullable(p.IDNumber), p.Sex, p.BirthDate,
			p.Relation, p.Phone, p.Registered, p.Resident, healthcell.StatusActive, "", 1, s.now, s.now})
	} else {
		s.updates = append(s.updates, []any{pid, hid, p.VillageCode, p.Name, p.Sex, p.BirthDate, p.Relation, p.Phone, p.Registered, p.Resident, s.now})
	}
	if p.Relation == "户主" {
		if i, ok := s.pending[hid]; ok {
			s.hhRows[i][5] = pid
		} else {
			s.lateHeads = append(s.lateHeads, [2]int64{hid, pid})
		}
	}
	if len(s.pRows)+len(s.updates) >= bulkBatch {
		if !s.large {
			s.large = true
			if err := s.c.bulk(s.existing); err != nil {
				return err
			}
		}
		return s.flush()
	}
	return nil
}

// importUpdateSQL updates a resident named in a file imported with
// --update.
const importUpdateSQL = `UPDATE persons SET household_id = $2, village_code = $3, name = $4, sex = $5, birth_date = $6,
	relation = $7, phone = $8, registered = $9, resident = $10, status = 'active', status_date = '',
	version = version + 1, updated_at = $11 WHERE id = $1`

// flush hands the rows gathered so far to a writer goroutine, so that the
// next rows are read and checked while these are written (two cores: one
// parses, one inserts). It first waits for the previous batch, whose error
// it returns. Only one goroutine uses the transaction at a time: the feed
// reads nothing from the database after its start.
func (s *importSink) flush() error {
	if err := s.wait(); err != nil {
		return err
	}
	hh, p, upd := s.hhRows, s.pRows, s.updates
	s.hhRows = make([][]any, 0, len(hh))
	s.pRows = make([][]any, 0, bulkBatch)
	s.updates = nil
	clear(s.pending)
	ch := make(chan importWritten, 1)
	s.inflight = ch
	go func() {
		v, err := s.write(hh, p, upd)
		ch <- importWritten{v, err}
	}()
	return nil
}

// importWritten is what a writer goroutine reports: the villages its
// updates moved residents out of, and its error.
type importWritten struct {
	villages []string
	err      error
}

// wait waits for the batch being written, if any, and returns its error.
func (s *importSink) wait() error {
	if s.inflight == nil {
		return nil
	}
	r := <-s.inflight
	s.inflight = nil
	for _, v := range r.villages {
		s.villages[v] = true
	}
	return r.err
}

// write stores one batch: new households, new residents, updates.
func (s *importSink) write(hh, p, updates [][]any) (left []string, err error) {
	if err := s.c.insert("households", householdCopyColumns, hh); err != nil {
		return nil, err
	}
	if err := s.c.insert("persons", personCopyColumns, p); err != nil {
		return nil, err
	}
	for _, u := range updates {
		// The village it leaves needs its counts too.
		rows, err := s.c.query(`SELECT village_code FROM persons WHERE id = $1`, u[0])
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var v string
			if err := rows.Scan(&v); err != nil {
				return nil, err
			}
			left = append(left, v)
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
		if err := s.c.exec(importUpdateSQL, u...); err != nil {
			return nil, fmt.Errorf("update person %v: %w", u[0], err)
		}
	}
	return left, nil
}

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
	if err := c.tx.refreshVillages(c.ctx, villages...); err != nil {
		return err
	}
	return c.tx.audit(c.ctx, "import", "residents", "", "", nil, after)
}

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
		defer ptx.Rollback(ctx)
		if !dryRun {
			if _, err := ptx.Exec(ctx, `LOCK TABLE households, persons IN EXCLUSIVE MODE`); err != nil {
				return err
			}
		}
		c := &pgImportConn{ctx: ctx, tx: ptx, now: now, actor: a}
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
}

type pgRows struct{ pgx.Rows }

func (r pgRows) Next() bool {
	if r.Rows.Next() {
		return true
	}
	r.Rows.Close()
	return false
}

func (c *pgImportConn) query(q string, args ...any) (importRows, error) {
	rows, err := c.tx.Query(c.ctx, q, args...)
	if err != nil {
		return nil, err
	}
	return pgRows{rows}, nil
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

func (c *pgImportConn) bulk(int) error { return nil }

func (c *pgImportConn) finish(villages []string, after map[string]any) error {
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
