package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/healthcell/healthcell"
)

// thumbSize is the longest side of evidence thumbnails, in pixels.
const thumbSize = 320

// sniffEvidence returns the content type of data when it is an accepted
// evidence type, judged from the bytes and not from the name; EINVALID
// (evidence.empty, evidence.too_large, evidence.type) otherwise.
func sniffEvidence(data []byte) (string, error) {
	switch {
	case len(data) == 0:
		return "", healthcell.Invalid([]healthcell.FieldError{{Field: "file", Message: "evidence.empty"}})
	case len(data) > healthcell.MaxEvidenceBytes:
		return "", healthcell.Invalid([]healthcell.FieldError{{Field: "file", Message: "evidence.too_large"}})
	}
	mime := http.DetectContentType(data)
	if i := strings.IndexByte(mime, ';'); i >= 0 {
		mime = mime[:i]
	}
	if !containsStr(healthcell.EvidenceTypes, mime) {
		return "", healthcell.Invalid([]healthcell.FieldError{{Field: "file", Message: "evidence.type", Value: mime}})
	}
	return mime, nil
}

// cleanName keeps a file name displayable: its base, valid UTF-8, at most
// 100 characters.
func cleanName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	if !utf8.ValidString(name) || name == "." || name == "/" {
		name = "file"
	}
	if r := []rune(name); len(r) > 100 {
		name = string(r[len(r)-100:])
	}
	return name
}

// AddEvidence stores data (a photo or a PDF) for an item of a sheet, once per
// content hash and with a thumbnail for photos, in one audited transaction.
// It returns EINVALID for an empty file, one over 10 MiB, one that is
// neither an image nor a PDF, or an unknown item; ENOTFOUND for a sheet out
// of scope; EFORBIDDEN for a role that may not fill it.
func (db *DB) AddEvidence(ctx context.Context, sheetID int64, itemCode, name string, data []byte) (*healthcell.Evidence, error) {
	if _, err := actorOf(ctx); err != nil {
		return nil, err
	}
	mime, err := sniffEvidence(data)
	if err != nil {
		return nil, err
	}
	b := newBlob(data, mime)
	e := &healthcell.Evidence{SheetID: sheetID, ItemCode: itemCode, SHA256: b.sha, Name: cleanName(name),
		MIME: mime, Size: int64(len(data)), HasThumb: b.thumb != nil}
	err = db.write(ctx, func(tx *Tx) error {
		s, std, err := tx.writableSheet(ctx, sheetID)
		if err != nil {
			return err
		}
		if std.Item(itemCode) == nil {
			return healthcell.Invalid([]healthcell.FieldError{{Field: "item_code", Message: "sheet.item.unknown", Value: itemCode}})
		}
		if err := tx.storeBlob(ctx, b); err != nil {
			return err
		}
		e.Division, e.UploadedBy, e.UploadedAt = s.Division, tx.actor.Username, tx.now
		if err := tx.QueryRowContext(ctx, `INSERT INTO evidence (sheet_id, item_code, sha256, name, division, uploaded_by, uploaded_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, sheetID, itemCode, e.SHA256, e.Name, e.Division, e.UploadedBy, e.UploadedAt).Scan(&e.ID); err != nil {
			return fmt.Errorf("attach evidence: %w", err)
		}
		if err := tx.touch(ctx, sheetID); err != nil {
			return err
		}
		tx.keepAnswer(e)
		return tx.audit(ctx, "attach", "score_sheet", sheetID, s.Division, nil, e)
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// EvidenceFile returns an evidence record and its bytes (the thumbnail when
// thumb is set and one exists) when the caller may read the sheet it belongs
// to; ENOTFOUND otherwise, exactly as for a missing file.
func (db *DB) EvidenceFile(ctx context.Context, id int64, thumb bool) (*healthcell.Evidence, []byte, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, nil, err
	}
	e := &healthcell.Evidence{}
	var unitKind, unitRef string
	var data, small []byte
	err = db.r.QueryRowContext(ctx, `SELECT e.id, e.sheet_id, e.item_code, e.sha256, e.name, e.division, e.uploaded_by, e.uploaded_at,
		b.mime, b.size, b.data, b.thumb, s.unit_kind, s.unit_ref
		FROM evidence e JOIN evidence_blobs b ON b.sha256 = e.sha256 JOIN score_sheets s ON s.id = e.sheet_id WHERE e.id = $1`, id).
		Scan(&e.ID, &e.SheetID, &e.ItemCode, &e.SHA256, &e.Name, &e.Division, &e.UploadedBy, &e.UploadedAt, &e.MIME, &e.Size, &data, &small, &unitKind, &unitRef)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, notFound("evidence")
	}
	if err != nil {
		return nil, nil, fmt.Errorf("find evidence %d: %w", id, err)
	}
	if !a.CanReadSheet(e.Division, unitKind, unitRef) {
		return nil, nil, notFound("evidence")
	}
	e.HasThumb = small != nil
	if thumb && small != nil {
		return e, small, nil
	}
	return e, data, nil
}

// RemoveEvidence detaches an evidence file from its item, in one audited
// transaction; the bytes go too when nothing else refers to them. ENOTFOUND
// for evidence out of scope, EFORBIDDEN for a role that may not fill the
// sheet, ECONFLICT sheet.frozen for a frozen sheet, EINVALID
// (sheet.override.evidence_required) for the last file of an override.
func (db *DB) RemoveEvidence(ctx context.Context, id int64) error {
	if _, err := actorOf(ctx); err != nil {
		return err
	}
	return db.write(ctx, func(tx *Tx) error {
		var sheetID int64
		var sha, item, name string
		err := tx.QueryRowContext(ctx, `SELECT sheet_id, sha256, item_code, name FROM evidence WHERE id = $1`, id).Scan(&sheetID, &sha, &item, &name)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("evidence")
		}
		if err != nil {
			return err
		}
		s, _, err := tx.writableSheet(ctx, sheetID)
		if err != nil {
			if healthcell.ErrorCode(err) == healthcell.ENOTFOUND {
				return notFound("evidence")
			}
			return err
		}
		if err := tx.keepOverrideEvidence(ctx, sheetID, item); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM evidence WHERE id = $1`, id); err != nil {
			return err
		}
		if err := tx.dropBlob(ctx, sha); err != nil {
			return err
		}
		if err := tx.touch(ctx, sheetID); err != nil {
			return err
		}
		return tx.audit(ctx, "detach", "score_sheet", sheetID, s.Division, map[string]any{"evidence": id, "item": item, "name": name}, nil)
	})
}

// keepOverrideEvidence refuses to remove the last file of an item whose
// answer overrides its computed value (an override is stored with its
// reason): an override needs evidence.
func (tx *Tx) keepOverrideEvidence(ctx context.Context, sheetID int64, item string) error {
	var body string
	err := tx.QueryRowContext(ctx, `SELECT answer FROM score_answers WHERE sheet_id = $1 AND item_code = $2`, sheetID, item).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	var b answerBody
	if json.Unmarshal([]byte(body), &b) != nil || b.Reason == "" {
		return nil
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM evidence WHERE sheet_id = $1 AND item_code = $2`, sheetID, item).Scan(&n); err != nil {
		return err
	}
	if n <= 1 {
		return healthcell.Invalid([]healthcell.FieldError{{Field: "evidence", Message: "sheet.override.evidence_required"}})
	}
	return nil
}
