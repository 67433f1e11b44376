package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
)

// A household row carries two values derived from its persons (migration
// 0003): members, the number of its active persons, and head_name, the name
// of the person head_id points at. They make a village's household list one
// index range scan. Every transaction that writes a person or a household's
// head recomputes them from the base tables before it commits, the way
// refreshVillages keeps village_stats, so a reader never sees a stale value.

// lockHouseholds takes the row locks of the households ids, in id order, so
// that two transactions touching the same two households (a person moved
// each way) cannot deadlock. The lock is FOR NO KEY UPDATE, the one an
// UPDATE of non-key columns takes: it does not conflict with the KEY SHARE
// lock that inserting a person (a foreign key to the household) holds, so
// two transactions adding persons to one household queue instead of
// deadlocking. SQLite has one writer and needs no row locks.
func (tx *Tx) lockHouseholds(ctx context.Context, ids ...int64) error {
	if tx.db.Engine != Postgres {
		return nil
	}
	for _, id := range sortedIDs(ids) {
		if _, err := tx.ExecContext(ctx, `SELECT 1 FROM households WHERE id = $1 FOR NO KEY UPDATE`, id); err != nil {
			return fmt.Errorf("lock household %d: %w", id, err)
		}
	}
	return nil
}

// refreshHouseholds recomputes members and head_name of the households ids
// from the persons table, inside tx. Under PostgreSQL's READ COMMITTED each
// statement takes a fresh snapshot, so the rows are locked first (by
// lockHouseholds) and counted by later statements, which then see every
// write committed by a transaction that held a lock before. It returns the
// first database error.
func (tx *Tx) refreshHouseholds(ctx context.Context, ids ...int64) error {
	if err := tx.lockHouseholds(ctx, ids...); err != nil {
		return err
	}
	for _, id := range sortedIDs(ids) {
		if _, err := tx.ExecContext(ctx, refreshHouseholdSQL, id); err != nil {
			return fmt.Errorf("refresh household %d: %w", id, err)
		}
	}
	return nil
}

// refreshHouseholdSQL recomputes one household's member count and head name.
const refreshHouseholdSQL = `UPDATE households SET
	members = (SELECT COUNT(*) FROM persons p WHERE p.household_id = households.id AND p.status = 'active'),
	head_name = COALESCE((SELECT p.name FROM persons p WHERE p.id = households.head_id), '')
	WHERE id = $1`

// sortedIDs returns the distinct non-zero ids in ascending order.
func sortedIDs(ids []int64) []int64 {
	var out []int64
	for _, id := range ids {
		if id != 0 && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// checkHouseholds adds to r every household whose stored member count or
// head name disagrees with its persons. It returns an error only when the
// query cannot run.
func (db *DB) checkHouseholds(ctx context.Context, r *CheckReport) error {
	rows, err := db.r.QueryContext(ctx, `SELECT h.id, h.members, h.head_name, c.members, c.head_name
		FROM households h
		JOIN (SELECT h2.id,
			(SELECT COUNT(*) FROM persons p WHERE p.household_id = h2.id AND p.status = 'active') AS members,
			COALESCE((SELECT p.name FROM persons p WHERE p.id = h2.head_id), '') AS head_name
			FROM households h2) c ON c.id = h.id
		WHERE h.members <> c.members OR h.head_name <> c.head_name
		ORDER BY h.id`)
	if err != nil {
		return fmt.Errorf("check households: %w", err)
	}
	if err := eachRow(rows, func(rows *sql.Rows) error {
		var id int64
		var m, cm int
		var name, cname string
		if err := rows.Scan(&id, &m, &name, &cm, &cname); err != nil {
			return err
		}
		r.Problems = append(r.Problems, fmt.Sprintf("household %d: stored %d members, head %q; rows %d, %q", id, m, name, cm, cname))
		return nil
	}); err != nil {
		return err
	}
	return nil
}
