package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/score"
)

// Messages of sheet editions.
const (
	MsgSheetNotFrozen = "sheet.not_frozen"
	MsgSheetNotLatest = "sheet.not_latest"
)

// snapshotBody is what sheet_snapshots.body holds.
type snapshotBody struct {
	Sheet  *healthcell.ScoreSheet `json:"sheet"`
	Result score.Result           `json:"result"`
}

// freezeSheet copies sheet id as a step of application appID relies on it
// (answers bound to their computed values, overrides, evidence list and
// result), stores the copy and freezes the sheet, inside tx. It returns the
// copy's id.
func (db *DB) freezeSheet(ctx context.Context, tx *Tx, appID, id int64, action string) (int64, error) {
	s, err := findSheet(ctx, tx, id)
	if err != nil {
		return 0, err
	}
	std, err := db.standardVersion(ctx, s.StandardID)
	if err != nil {
		return 0, err
	}
	if err := db.loadBound(ctx, s, std); err != nil {
		return 0, err
	}
	if s.FrozenAt == nil {
		now := tx.now
		s.FrozenAt = &now
		if _, err := tx.ExecContext(ctx, `UPDATE score_sheets SET frozen_at = $1 WHERE id = $2`, tx.now, id); err != nil {
			return 0, fmt.Errorf("freeze sheet: %w", err)
		}
	}
	res := score.Compute(std, s)
	overrides := 0
	for _, a := range s.Answers {
		if a.Override != nil {
			overrides++
		}
	}
	body, err := json.Marshal(snapshotBody{Sheet: s, Result: res})
	if err != nil {
		return 0, err
	}
	var sid int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO sheet_snapshots (sheet_id, application_id, action, overrides, total, passed, body, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, id, appID, action, overrides, res.Total, res.Complete && res.Passed,
		string(body), tx.actor.Username, tx.now).Scan(&sid); err != nil {
		return 0, fmt.Errorf("store snapshot: %w", err)
	}
	return sid, nil
}

// FindSheetSnapshot returns the frozen copy id when the caller may read its
// sheet; ENOTFOUND otherwise.
func (db *DB) FindSheetSnapshot(ctx context.Context, id int64) (*healthcell.SheetSnapshot, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	sn := &healthcell.SheetSnapshot{ID: id}
	var body string
	err = db.r.QueryRowContext(ctx, `SELECT sheet_id, application_id, action, overrides, total, passed, body, created_by, created_at
		FROM sheet_snapshots WHERE id = $1`, id).Scan(&sn.SheetID, &sn.ApplicationID, &sn.Action, &sn.Overrides, &sn.Total, &sn.Passed, &body, &sn.CreatedBy, &sn.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("snapshot")
	}
	if err != nil {
		return nil, fmt.Errorf("find snapshot %d: %w", id, err)
	}
	var b snapshotBody
	if err := json.Unmarshal([]byte(body), &b); err != nil {
		return nil, fmt.Errorf("decode snapshot %d: %w", id, err)
	}
	if b.Sheet == nil || !a.CanReadSheet(b.Sheet.Division, b.Sheet.UnitKind, b.Sheet.UnitRef) {
		return nil, notFound("snapshot")
	}
	sn.Sheet = b.Sheet
	return sn, nil
}

// NewSheetEdition copies frozen sheet id (its answers, overrides and
// evidence) into the next edition of the same unit, standard, kind and
// year, in one audited transaction, and returns it. ECONFLICT
// MsgSheetNotFrozen when the sheet may still be edited, MsgSheetNotLatest
// when it already has a newer edition; ENOTFOUND and EFORBIDDEN as for
// filling it.
func (db *DB) NewSheetEdition(ctx context.Context, id int64) (*healthcell.ScoreSheet, error) {
	if _, err := actorOf(ctx); err != nil {
		return nil, err
	}
	var out *healthcell.ScoreSheet
	err := db.write(ctx, func(tx *Tx) error {
		s, err := findSheet(ctx, tx, id)
		if err != nil {
			return err
		}
		if !tx.actor.CanReadSheet(s.Division, s.UnitKind, s.UnitRef) {
			return notFound("sheet")
		}
		if !tx.actor.CanScore(s.Kind, s.Division, s.UnitKind, s.UnitRef) {
			return healthcell.Errorf(healthcell.EFORBIDDEN, "error.forbidden")
		}
		if s.FrozenAt == nil {
			return healthcell.Errorf(healthcell.ECONFLICT, MsgSheetNotFrozen)
		}
		var latest int
		if err := tx.QueryRowContext(ctx, `SELECT MAX(edition) FROM score_sheets WHERE standard_id = $1 AND kind = $2 AND unit_kind = $3 AND unit_ref = $4 AND year = $5`,
			s.StandardID, s.Kind, s.UnitKind, s.UnitRef, s.Year).Scan(&latest); err != nil {
			return err
		}
		if latest != s.Edition {
			return healthcell.Errorf(healthcell.ECONFLICT, MsgSheetNotLatest)
		}
		n := *s
		n.Edition, n.Version, n.FrozenAt, n.CreatedBy, n.CreatedAt, n.UpdatedAt = s.Edition+1, 1, nil, tx.actor.Username, tx.now, tx.now
		if err := tx.QueryRowContext(ctx, `INSERT INTO score_sheets (standard_id, kind, unit_kind, unit_ref, unit_name, division, year, region, version, edition, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $10, $11, $11) RETURNING id`,
			n.StandardID, n.Kind, n.UnitKind, n.UnitRef, n.UnitName, n.Division, n.Year, n.Region, n.Edition, n.CreatedBy, tx.now).Scan(&n.ID); err != nil {
			return fmt.Errorf("new edition: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO score_answers (sheet_id, item_code, answer, note, scored_by, scored_at)
			SELECT $1, item_code, answer, note, scored_by, scored_at FROM score_answers WHERE sheet_id = $2`, n.ID, id); err != nil {
			return fmt.Errorf("copy answers: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO evidence (sheet_id, item_code, sha256, name, division, uploaded_by, uploaded_at)
			SELECT $1, item_code, sha256, name, division, uploaded_by, uploaded_at FROM evidence WHERE sheet_id = $2 ORDER BY id`, n.ID, id); err != nil {
			return fmt.Errorf("copy evidence: %w", err)
		}
		out = &n
		return tx.audit(ctx, "new_edition", "score_sheet", n.ID, n.Division, map[string]any{"from": id}, map[string]any{"edition": n.Edition})
	})
	return out, err
}
