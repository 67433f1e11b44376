package sqlstore

import (
	"context"
	"fmt"
	"runtime/debug"
	"slices"
	"strconv"
	"time"

	"github.com/healthcell/healthcell"
)

// ImportResidents stores the rows feed emits, in one transaction: COPY on
// PostgreSQL and 32-row prepared inserts on SQLite (with the secondary
// indexes rebuilt at the end of a large import). Each
// household is found by its 户编号 within its village, or created; a row
// whose relation is 户主 makes that resident the head. A row with Existing
// set updates that resident (moving them when the household differs). The
// live counts of every touched village are recomputed and one audit entry
// records the import as a whole, in the same transaction. When feed returns
// an error nothing is stored and that error is returned; with dryRun
// nothing is stored either, but feed still sees the database. Only actors
// who may write residents may import (EFORBIDDEN), into villages of their
// scope (the lookup offers only those). A number found outside that scope
// counts against the account's lookup budget (lookup_limit.go): ETHROTTLED
// once it is spent, dry runs included.
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
		run := func() error {
			return db.write(ctx, func(tx *Tx) error {
				// SQLite fires the data-version triggers once per row: drop
				// them for the import and bump the version once.
				return tx.withoutVersionTriggers(ctx, []string{"persons", "households"}, func() error {
					return importRun(ctx, &sqliteImportConn{tx: tx, ctx: ctx}, tx.now, a, lo, hi, dryRun, feed, &counts)
				})
			})
		}
		if db.SoleImports && !dryRun {
			err = db.withRollbackJournal(ctx, run) // residentimport_journal.go
		} else {
			err = run()
		}
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
	// each calls fn for each row of a query (eachRow).
	each(sql string, args []any, fn func(importRows) error) error
	exec(sql string, args ...any) error
	insert(table string, cols []string, rows [][]any) error
	setHeads(pairs [][2]int64, now time.Time) error
	// bulk is called once an import turns out to be large (its first full
	// batch), with the number of residents already stored.
	bulk(existing int) error
	// finish recomputes the summaries of the households dirty (members,
	// head_name: those the sink could not compute itself) and the counts
	// of the villages, restores what bulk changed and records the audit
	// entry.
	finish(villages []string, dirty []int64, audit map[string]any) error
}

type importRows interface {
	Scan(...any) error
}

// residentLookup answers the feed's questions from maps read at the start.
type residentLookup struct {
	villages []healthcell.Division
	persons  map[uint64]int64 // first 17 digits of the ID number → person id (negative outside the caller's scope)
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
	if err := c.each(`SELECT code, name, level, parent FROM divisions WHERE level = 5 AND code BETWEEN $1 AND $2 ORDER BY code`, []any{lo, hi}, func(rows importRows) error {
		var d healthcell.Division
		if err := rows.Scan(&d.Code, &d.Name, &d.Level, &d.Parent); err != nil {
			return err
		}
		look.villages = append(look.villages, d)
		return nil
	}); err != nil {
		return fmt.Errorf("import villages: %w", err)
	}
	// Numbers held and claimed (person_idclaim.go); of a number held or
	// claimed in the caller's scope and outside it, the caller's.
	if err := c.each(`SELECT id, COALESCE(id_number, id_claim), village_code FROM persons WHERE id_number IS NOT NULL OR id_claim IS NOT NULL`, nil, func(rows importRows) error {
		var id int64
		var n, v string
		if err := rows.Scan(&id, &n, &v); err != nil {
			return err
		}
		if v < lo || v > hi {
			id = -id // outside the caller's scope: not to be updated
		}
		if len(n) == 18 {
			if k, err := strconv.ParseUint(n[:17], 10, 64); err == nil && look.persons[k] <= 0 {
				look.persons[k] = id
			}
		}
		return nil
	}); err != nil {
		return fmt.Errorf("import persons: %w", err)
	}
	s := &importSink{c: c, now: now, existing: len(look.persons), households: map[string]int64{}, pending: map[int64]int{}, villages: map[string]bool{}, dirty: map[int64]bool{}, dryRun: dryRun, counts: counts}
	if err := c.each(`SELECT id, village_code, number FROM households WHERE village_code BETWEEN $1 AND $2`, []any{lo, hi}, func(rows importRows) error {
		var id int64
		var v, n string
		if err := rows.Scan(&id, &v, &n); err != nil {
			return err
		}
		s.households[v+"\x00"+n] = id
		return nil
	}); err != nil {
		return fmt.Errorf("import households: %w", err)
	}
	for _, q := range []struct {
		sql string
		dst *int64
	}{{`SELECT COALESCE(MAX(id), 0) FROM households`, &s.hid}, {`SELECT COALESCE(MAX(id), 0) FROM persons`, &s.pid}} {
		if err := c.each(q.sql, nil, func(rows importRows) error {
			if err := rows.Scan(q.dst); err != nil {
				return err
			}
			return nil
		}); err != nil {
			return err
		}
	}
	// Numbers held outside the caller's scope are not charged to its
	// lookup budget: they are stored as claims (ImportedResident.Claim), an
	// answer that tells nothing, where a refusal once the budget is spent
	// would.
	err := feed(look, s.add)
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
	for _, h := range s.lateHeads {
		s.dirty[h[0]] = true
	}
	codes := make([]string, 0, len(s.villages))
	for v := range s.villages {
		codes = append(codes, v)
	}
	dirty := make([]int64, 0, len(s.dirty))
	for id := range s.dirty {
		dirty = append(dirty, id)
	}
	slices.Sort(dirty)
	return c.finish(codes, dirty, map[string]any{"persons": counts.Persons, "updated": counts.Updated, "households": counts.Households})
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
	// dirty holds the households whose members and head_name the sink
	// cannot write with the row: those stored before the import, those
	// whose row went out in an earlier batch, those residents moved out of.
	// The households of this import whose rows are still pending get their
	// summary from the sink (hhMembers, hhHeadName).
	dirty     map[int64]bool
	hhRows    [][]any
	pRows     [][]any
	updates   [][]any
	lateHeads [][2]int64 // household, head, for households already written
	villages  map[string]bool
	existing  int  // residents stored before the import
	large     bool // a full batch has been written
	inflight  chan importWritten
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
			s.hhRows = append(s.hhRows, []any{hid, r.Household, p.VillageCode, r.Group, "", nil, "", 0, true, 1, s.now, s.now}) // householdCopyColumns
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
	// Every resident of a file is active in its household afterwards.
	i, pending := s.pending[hid]
	if pending {
		s.hhRows[i][hhMembers] = s.hhRows[i][hhMembers].(int) + 1
	} else {
		s.dirty[hid] = true
	}
	s.villages[p.VillageCode] = true
	pid := r.Existing
	if pid == 0 {
		s.pid++
		pid = s.pid
		number, claim := nullable(p.IDNumber), any(nil)
		if r.Claim {
			number, claim = nil, number
		}
		s.pRows = append(s.pRows, []any{pid, hid, p.VillageCode, p.Name, number, p.Sex, p.BirthDate,
			p.Relation, p.Phone, p.Registered, p.Resident, healthcell.StatusActive, "", 1, s.now, s.now, claim})
	} else {
		s.updates = append(s.updates, []any{pid, hid, p.VillageCode, p.Name, p.Sex, p.BirthDate, p.Relation, p.Phone, p.Registered, p.Resident, s.now})
	}
	if p.Relation == "户主" {
		if pending {
			s.hhRows[i][hhHead] = pid
			s.hhRows[i][hhHeadName] = p.Name
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

// The columns of a household row of hhRows (householdCopyColumns) that the
// sink fills in as the household's residents come.
const (
	hhHead     = 5
	hhHeadName = 6
	hhMembers  = 7
)

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
		v, h, err := s.write(hh, p, upd)
		ch <- importWritten{v, h, err}
	}()
	return nil
}

// importWritten is what a writer goroutine reports: the villages and
// households its updates moved residents out of, and its error.
type importWritten struct {
	villages   []string
	households []int64
	err        error
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
	for _, h := range r.households {
		s.dirty[h] = true
	}
	return r.err
}

// write stores one batch: new households, new residents, updates.
func (s *importSink) write(hh, p, updates [][]any) (left []string, leftHH []int64, err error) {
	if err := s.c.insert("households", householdCopyColumns, hh); err != nil {
		return nil, nil, err
	}
	if err := s.c.insert("persons", personCopyColumns, p); err != nil {
		return nil, nil, err
	}
	for _, u := range updates {
		// The village and household it leaves need their counts too.
		if err := s.c.each(`SELECT village_code, household_id FROM persons WHERE id = $1`, []any{u[0]}, func(rows importRows) error {
			var v string
			var h int64
			if err := rows.Scan(&v, &h); err != nil {
				return err
			}
			left, leftHH = append(left, v), append(leftHH, h)
			return nil
		}); err != nil {
			return nil, nil, err
		}
		// The resident's span ends today when the file moves or changes them.
		for _, q := range personSpanSQL(personChangedCond) {
			if err := s.c.exec(q, healthcell.CampaignDay(s.now), u[0], u[1], u[2], healthcell.StatusActive, u[6], u[8], u[9]); err != nil {
				return nil, nil, fmt.Errorf("status history of person %v: %w", u[0], err)
			}
		}
		if err := s.c.exec(importUpdateSQL, u...); err != nil {
			return nil, nil, fmt.Errorf("update person %v: %w", u[0], err)
		}
	}
	return left, leftHH, nil
}
