package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/score"
)

// computedFor computes, before a write, the values of a sheet's data-bound
// items when item (or any item, for "") is one; nil map otherwise. A sheet
// the caller may not read is ENOTFOUND.
func (db *DB) computedFor(ctx context.Context, a *healthcell.Actor, sheetID int64, item string) (map[string]*healthcell.Computed, error) {
	s, err := findSheet(ctx, db.r, sheetID)
	if err != nil {
		return nil, err
	}
	if !a.CanReadSheet(s.Division, s.UnitKind, s.UnitRef) {
		return nil, notFound("sheet")
	}
	std, err := db.standardVersion(ctx, s.StandardID)
	if err != nil {
		return nil, err
	}
	if item != "" {
		if it := std.Item(item); it == nil || !it.DataBound() {
			return nil, nil
		}
	}
	return db.sheetComputed(ctx, s, std)
}

// storeAnswer checks ans against its item and computed value and writes it
// in tx; newFiles counts the files given with it for the item. See SaveAnswer
// for the rules and errors.
func (tx *Tx) storeAnswer(ctx context.Context, s *healthcell.ScoreSheet, std *healthcell.Standard, ans *healthcell.Answer, c *healthcell.Computed, newFiles int) error {
	it := std.Item(ans.ItemCode)
	if it == nil {
		return healthcell.Invalid([]healthcell.FieldError{{Field: "item_code", Message: "sheet.item.unknown", Value: ans.ItemCode}})
	}
	check := *ans
	_, entered := score.Entered(it, ans)
	bound := it.DataBound() && c != nil && c.Value != nil
	if bound && !entered && ans.Yes == nil && ans.Grade == "" {
		// No number: the computed value counts. It is checked within
		// range, so that a note can be saved whatever the registers hold.
		switch it.Method {
		case healthcell.MethodCount:
			n := min(max(int(*c.Value), 0), score.MaxCount)
			check.Count = &n
		default:
			v := min(max(*c.Value, 0), score.MaxPercent)
			check.Value = &v
		}
	}
	if err := score.CheckAnswer(it, &check); err != nil {
		return err
	}
	ans.Note = strings.TrimSpace(ans.Note)
	if utf8.RuneCountInString(ans.Note) > 500 {
		return healthcell.Invalid([]healthcell.FieldError{{Field: "note", Message: "field.too_long"}})
	}
	ans.Reason = strings.TrimSpace(ans.Reason)
	body := answerBody{Yes: ans.Yes, Grade: ans.Grade, Value: ans.Value, Count: ans.Count}
	if bound {
		if score.IsOverride(it, ans, c) {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM evidence WHERE sheet_id = $1 AND item_code = $2`, s.ID, it.Code).Scan(&n); err != nil {
				return fmt.Errorf("count evidence: %w", err)
			}
			if err := score.CheckOverride(it, ans, c, n+newFiles); err != nil {
				return err
			}
			body.Reason = ans.Reason
		} else {
			body.Value, body.Count, ans.Reason = nil, nil, ""
		}
	}
	raw, err := json.Marshal(body)
	if err != nil {
		return err
	}
	ans.ScoredBy, ans.ScoredAt = tx.actor.Username, tx.now
	_, err = tx.ExecContext(ctx, `INSERT INTO score_answers (sheet_id, item_code, answer, note, scored_by, scored_at) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (sheet_id, item_code) DO UPDATE SET answer = excluded.answer, note = excluded.note, scored_by = excluded.scored_by, scored_at = excluded.scored_at`,
		s.ID, ans.ItemCode, string(raw), ans.Note, ans.ScoredBy, ans.ScoredAt)
	if err != nil {
		return fmt.Errorf("save answer: %w", err)
	}
	return nil
}
