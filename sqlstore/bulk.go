package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/healthcell/healthcell"
)

// Population is a source of households with their members, pushed one
// household at a time into emit; an error from emit must stop it.
type Population func(emit func(h *healthcell.Household, members []*healthcell.Person) error) error

// bulkBatch is the number of rows buffered before they are written.
const bulkBatch = 20000

// LoadPopulation writes every household and person of pop in one transaction
// (COPY on PostgreSQL, prepared inserts on SQLite), rebuilds the live counts
// and records one audit entry, so a crash leaves either all of it or none.
// Rows are trusted: the caller validates them (the demo generator does). It
// returns how many households and persons it wrote, and EFORBIDDEN unless
// the caller is the system.
func (db *DB) LoadPopulation(ctx context.Context, pop Population) (households, persons int, err error) {
	a, err := actorOf(ctx)
	if err != nil {
		return 0, 0, err
	}
	if !a.System {
		return 0, 0, healthcell.Errorf(healthcell.EFORBIDDEN, "error.forbidden")
	}
	if db.Engine == Postgres {
		err = db.loadPopulationPostgres(ctx, pop, &households, &persons)
	} else {
		err = db.write(ctx, func(tx *Tx) error {
			return tx.withoutVersionTriggers(ctx, []string{"households", "persons"}, func() error {
				return tx.loadPopulationSQLite(ctx, pop, &households, &persons)
			})
		})
	}
	return households, persons, err
}

// bulkRows accumulates households and persons with pre-assigned ids.
type bulkRows struct {
	hid, pid   int64
	firstPID   int64 // the largest person id before the load
	households [][]any
	persons    [][]any
	heads      [][2]int64
	villages   map[string]bool
}

func (b *bulkRows) add(h *healthcell.Household, members []*healthcell.Person, now any) {
	b.hid++
	h.ID = b.hid
	b.villages[h.VillageCode] = true
	var head, active int64
	var headName string
	for _, p := range members {
		b.pid++
		p.ID, p.HouseholdID, p.VillageCode = b.pid, h.ID, h.VillageCode
		if p.Status == "" {
			p.Status = healthcell.StatusActive
		}
		if head == 0 && p.Relation == "户主" {
			head, headName = p.ID, p.Name
		}
		if p.Status == healthcell.StatusActive {
			active++
		}
		b.persons = append(b.persons, []any{p.ID, p.HouseholdID, p.VillageCode, p.Name, nullable(p.IDNumber), p.Sex, p.BirthDate,
			p.Relation, p.Phone, p.Registered, p.Resident, p.Status, p.StatusDate, 1, now, now, nil})
	}
	var headArg any
	if head != 0 {
		headArg = head
	}
	b.households = append(b.households, []any{h.ID, h.Number, h.VillageCode, h.Group, h.Address, headArg, headName, active, true, 1, now, now})
}

var householdCopyColumns = []string{"id", "number", "village_code", "grp", "address", "head_id", "head_name", "members", "active", "version", "created_at", "updated_at"}
var personCopyColumns = []string{"id", "household_id", "village_code", "name", "id_number", "sex", "birth_date", "relation", "phone",
	"registered", "resident", "status", "status_date", "version", "created_at", "updated_at", "id_claim"}

func (tx *Tx) loadPopulationSQLite(ctx context.Context, pop Population, households, persons *int) error {
	b := &bulkRows{villages: map[string]bool{}}
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM households`).Scan(&b.hid); err != nil {
		return err
	}
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM persons`).Scan(&b.pid); err != nil {
		return err
	}
	b.firstPID = b.pid
	hs, err := tx.PrepareContext(ctx, insertSQL("households", householdCopyColumns))
	if err != nil {
		return err
	}
	defer hs.Close()
	ps, err := tx.PrepareContext(ctx, insertSQL("persons", personCopyColumns))
	if err != nil {
		return err
	}
	defer ps.Close()
	flush := func() error {
		for _, r := range b.households {
			if _, err := hs.ExecContext(ctx, r...); err != nil {
				return fmt.Errorf("insert household %v: %w", r[1], err)
			}
		}
		for _, r := range b.persons {
			if _, err := ps.ExecContext(ctx, r...); err != nil {
				return fmt.Errorf("insert person %v: %w", r[3], err)
			}
		}
		*households += len(b.households)
		*persons += len(b.persons)
		b.households, b.persons = b.households[:0], b.persons[:0]
		return nil
	}
	err = pop(func(h *healthcell.Household, members []*healthcell.Person) error {
		b.add(h, members, tx.now)
		if len(b.persons) >= bulkBatch {
			return flush()
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := flush(); err != nil {
		return err
	}
	return tx.finishBulk(ctx, b, *households, *persons)
}

// bulkStatusSpans gives the persons of a bulk load written as dead or
// moved away, with a date, their span before it (status_history.go).
func bulkStatusSpans(exec func(q string, args ...any) error, firstID int64) error {
	for _, q := range bulkStatusSpansSQL {
		if err := exec(q, firstID); err != nil {
			return fmt.Errorf("status history of the load: %w", err)
		}
	}
	return nil
}

// finishBulk rebuilds counts and audits a bulk load, inside tx.
func (tx *Tx) finishBulk(ctx context.Context, b *bulkRows, households, persons int) error {
	if err := bulkStatusSpans(func(q string, args ...any) error { _, err := tx.ExecContext(ctx, q, args...); return err }, b.firstPID); err != nil {
		return err
	}
	codes := make([]string, 0, len(b.villages))
	for c := range b.villages {
		codes = append(codes, c)
	}
	if err := tx.refreshVillages(ctx, codes...); err != nil {
		return err
	}
	return tx.audit(ctx, "load", "population", "", "", nil, map[string]int{"households": households, "persons": persons})
}

func insertSQL(table string, cols []string) string {
	q := "INSERT INTO " + table + " ("
	v := ") VALUES ("
	for i, c := range cols {
		if i > 0 {
			q += ", "
			v += ", "
		}
		q += c
		v += fmt.Sprintf("$%d", i+1)
	}
	return q + v + ")"
}

// loadPopulationPostgres streams rows with COPY inside one pgx transaction,
// then moves the identity sequences past the ids it assigned.
func (db *DB) loadPopulationPostgres(ctx context.Context, pop Population, households, persons *int) error {
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	now := db.Now().UTC()
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
		if _, err := ptx.Exec(ctx, `LOCK TABLE households, persons IN EXCLUSIVE MODE`); err != nil {
			return err
		}
		b := &bulkRows{villages: map[string]bool{}}
		if err := ptx.QueryRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM households`).Scan(&b.hid); err != nil {
			return err
		}
		if err := ptx.QueryRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM persons`).Scan(&b.pid); err != nil {
			return err
		}
		b.firstPID = b.pid
		flush := func() error {
			if _, err := ptx.CopyFrom(ctx, pgx.Identifier{"households"}, householdCopyColumns, pgx.CopyFromRows(b.households)); err != nil {
				return fmt.Errorf("copy households: %w", err)
			}
			if _, err := ptx.CopyFrom(ctx, pgx.Identifier{"persons"}, personCopyColumns, pgx.CopyFromRows(b.persons)); err != nil {
				return fmt.Errorf("copy persons: %w", err)
			}
			*households += len(b.households)
			*persons += len(b.persons)
			b.households, b.persons = b.households[:0], b.persons[:0]
			return nil
		}
		err = pop(func(h *healthcell.Household, members []*healthcell.Person) error {
			b.add(h, members, now)
			if len(b.persons) >= bulkBatch {
				return flush()
			}
			return nil
		})
		if err != nil {
			return err
		}
		if err := flush(); err != nil {
			return err
		}
		for _, t := range []string{"households", "persons"} {
			if _, err := ptx.Exec(ctx, `SELECT setval(pg_get_serial_sequence('`+t+`', 'id'), (SELECT COALESCE(MAX(id), 1) FROM `+t+`))`); err != nil {
				return fmt.Errorf("advance %s ids: %w", t, err)
			}
		}
		if err := finishBulkPgx(ctx, ptx, now, healthcell.ActorFrom(ctx), b, *households, *persons); err != nil {
			return err
		}
		// Planner statistics now, not when autovacuum gets round to it.
		if _, err := ptx.Exec(ctx, `ANALYZE households, persons, village_stats`); err != nil {
			return fmt.Errorf("analyze: %w", err)
		}
		return ptx.Commit(ctx)
	})
}

// finishBulkPgx does what finishBulk does, on a pgx transaction.
func finishBulkPgx(ctx context.Context, ptx pgx.Tx, now time.Time, a *healthcell.Actor, b *bulkRows, households, persons int) error {
	if err := bulkStatusSpans(func(q string, args ...any) error { _, err := ptx.Exec(ctx, q, args...); return err }, b.firstPID); err != nil {
		return err
	}
	for c := range b.villages {
		if _, err := ptx.Exec(ctx, refreshVillageSQL, c); err != nil {
			return fmt.Errorf("refresh counts of %s: %w", c, err)
		}
	}
	after, _ := auditJSON(map[string]int{"households": households, "persons": persons})
	_, err := ptx.Exec(ctx, `INSERT INTO audit_log (at, user_id, username, action, entity, entity_id, division, before, after)
		VALUES ($1, $2, $3, 'load', 'population', '', '', '', $4)`, now, a.UserID, a.Username, after)
	return err
}
