package sqlstore

import (
	"context"
	"fmt"

	"github.com/healthcell/healthcell"
)

// SheetFile is a file to attach to an item of a score sheet.
type SheetFile = healthcell.SheetFile

// FillScoreSheet saves many answers and files of one sheet in a single
// audited transaction, as SaveAnswer and AddEvidence do one at a time (the
// demo fills whole sheets with it; the web saves an override with its photo
// through it). It returns the first error those would return, and then
// nothing is saved.
func (db *DB) FillScoreSheet(ctx context.Context, sheetID int64, answers []*healthcell.Answer, files []healthcell.SheetFile) error {
	actor, err := actorOf(ctx)
	if err != nil {
		return err
	}
	computed, err := db.computedFor(ctx, actor, sheetID, "")
	if err != nil {
		return err
	}
	type prepared struct {
		e     *healthcell.Evidence
		small []byte
		data  []byte
		item  string
	}
	var pf []prepared
	for _, f := range files {
		e, small, err := newEvidence(f.Name, f.Data)
		if err != nil {
			return err
		}
		pf = append(pf, prepared{e, small, f.Data, f.ItemCode})
	}
	return db.write(ctx, func(tx *Tx) error {
		s, std, err := tx.writableSheet(ctx, sheetID)
		if err != nil {
			return err
		}
		perItem := map[string]int{}
		for _, p := range pf {
			perItem[p.item]++
		}
		for _, ans := range answers {
			if err := tx.storeAnswer(ctx, s, std, ans, computed[ans.ItemCode], perItem[ans.ItemCode]); err != nil {
				return err
			}
		}
		for _, p := range pf {
			if std.Item(p.item) == nil {
				return healthcell.Invalid([]healthcell.FieldError{{Field: "item_code", Message: "sheet.item.unknown", Value: p.item}})
			}
			var thumbArg any
			if p.small != nil {
				thumbArg = p.small
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO evidence_blobs (sha256, mime, size, data, thumb, taken_on) VALUES ($1, $2, $3, $4, $5, $6)
				ON CONFLICT (sha256) DO NOTHING`, p.e.SHA256, p.e.MIME, p.e.Size, p.data, thumbArg, takenOn(p.data, p.e.MIME)); err != nil {
				return fmt.Errorf("store evidence: %w", err)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO evidence (sheet_id, item_code, sha256, name, division, uploaded_by, uploaded_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7)`, sheetID, p.item, p.e.SHA256, p.e.Name, s.Division, tx.actor.Username, tx.now); err != nil {
				return fmt.Errorf("attach evidence: %w", err)
			}
		}
		if err := tx.touch(ctx, sheetID); err != nil {
			return err
		}
		return tx.audit(ctx, "fill", "score_sheet", sheetID, s.Division, nil, map[string]any{"answers": len(answers), "files": len(files)})
	})
}
