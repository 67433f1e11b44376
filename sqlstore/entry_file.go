package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/register"
)

const entryFileColumns = `f.id, f.register, f.entry_id, f.sha256, f.name, f.division, f.uploaded_by, f.uploaded_at, b.mime, b.size, b.thumb IS NOT NULL, b.taken_on`

func scanEntryFile(row interface{ Scan(...any) error }) (*healthcell.EntryFile, error) {
	f := &healthcell.EntryFile{}
	err := row.Scan(&f.ID, &f.Register, &f.EntryID, &f.SHA256, &f.Name, &f.Division, &f.UploadedBy, &f.UploadedAt, &f.MIME, &f.Size, &f.HasThumb, &f.TakenOn)
	return f, err
}

// EntryFiles lists the files of an entry the caller may read, oldest first;
// ENOTFOUND otherwise.
func (db *DB) EntryFiles(ctx context.Context, code string, entryID int64) ([]*healthcell.EntryFile, error) {
	if _, err := db.FindEntry(ctx, code, entryID); err != nil {
		return nil, err
	}
	rows, err := db.r.QueryContext(ctx, `SELECT `+entryFileColumns+` FROM entry_files f JOIN evidence_blobs b ON b.sha256 = f.sha256
		WHERE f.register = $1 AND f.entry_id = $2 ORDER BY f.id`, code, entryID)
	if err != nil {
		return nil, fmt.Errorf("entry files: %w", err)
	}
	var out []*healthcell.EntryFile
	if err := eachRow(rows, func(rows *sql.Rows) error {
		f, err := scanEntryFile(rows)
		if err != nil {
			return err
		}
		out = append(out, f)
		return nil
	}); err != nil {
		return nil, err
	}
	if code == "activities" && len(out) > 0 {
		if err := db.activityFileFlags(ctx, entryID, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// writableEntry returns the active entry of d with id when the caller may
// change it; ENOTFOUND otherwise.
func (db *DB) writableEntry(ctx context.Context, tx *Tx, d *register.Def, id int64) (*healthcell.Entry, error) {
	e, err := db.findEntry(ctx, tx, d, id)
	if err != nil || !e.Active || !db.mayChange(tx.actor, d, e) {
		return nil, notFound("entry")
	}
	return e, nil
}

// AddEntryFile attaches a photo or PDF to an entry of a register that takes
// files, in one audited transaction. It returns EINVALID for an empty, too
// large or unaccepted file or a register without files, and ENOTFOUND for an
// entry the caller may not change.
func (db *DB) AddEntryFile(ctx context.Context, code string, entryID int64, name string, data []byte) (*healthcell.EntryFile, error) {
	if _, err := actorOf(ctx); err != nil {
		return nil, err
	}
	d, err := db.registerDef(code)
	if err != nil {
		return nil, err
	}
	if !d.Files {
		return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "file", Message: "register.no_files"}})
	}
	mime, err := sniffEvidence(data)
	if err != nil {
		return nil, err
	}
	b := newBlob(data, mime)
	f := &healthcell.EntryFile{Register: code, EntryID: entryID, SHA256: b.sha, Name: cleanName(name), MIME: mime,
		Size: int64(len(data)), HasThumb: b.thumb != nil}
	err = db.write(ctx, func(tx *Tx) error {
		e, err := db.writableEntry(ctx, tx, d, entryID)
		if err != nil {
			return err
		}
		if err := tx.storeBlob(ctx, b); err != nil {
			return err
		}
		f.Division, f.UploadedBy, f.UploadedAt = e.VillageCode, tx.actor.Username, tx.now
		if err := tx.QueryRowContext(ctx, `INSERT INTO entry_files (register, entry_id, sha256, name, division, uploaded_by, uploaded_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, code, entryID, f.SHA256, f.Name, f.Division, f.UploadedBy, f.UploadedAt).Scan(&f.ID); err != nil {
			return fmt.Errorf("attach file: %w", err)
		}
		tx.keepAnswer(f)
		return tx.audit(ctx, "attach", "register."+code, entryID, e.VillageCode, nil, f)
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

// EntryFileData returns a file and its bytes (the thumbnail when thumb is set
// and one exists) when the caller may read its entry; ENOTFOUND otherwise.
func (db *DB) EntryFileData(ctx context.Context, id int64, thumb bool) (*healthcell.EntryFile, []byte, error) {
	var data, small []byte
	var f *healthcell.EntryFile
	row := db.r.QueryRowContext(ctx, `SELECT `+entryFileColumns+`, b.data, b.thumb FROM entry_files f
		JOIN evidence_blobs b ON b.sha256 = f.sha256 WHERE f.id = $1`, id)
	f = &healthcell.EntryFile{}
	err := row.Scan(&f.ID, &f.Register, &f.EntryID, &f.SHA256, &f.Name, &f.Division, &f.UploadedBy, &f.UploadedAt, &f.MIME, &f.Size, &f.HasThumb, &f.TakenOn, &data, &small)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, notFound("evidence")
	}
	if err != nil {
		return nil, nil, fmt.Errorf("find file %d: %w", id, err)
	}
	if _, err := db.FindEntry(ctx, f.Register, f.EntryID); err != nil {
		return nil, nil, notFound("evidence")
	}
	if thumb && small != nil {
		return f, small, nil
	}
	return f, data, nil
}

// RemoveEntryFile detaches a file from its entry, in one audited
// transaction; the bytes go too when nothing else refers to them. It returns
// ENOTFOUND when the entry is not the caller's to change.
func (db *DB) RemoveEntryFile(ctx context.Context, id int64) error {
	if _, err := actorOf(ctx); err != nil {
		return err
	}
	return db.write(ctx, func(tx *Tx) error {
		var code, sha, name string
		var entryID int64
		err := tx.QueryRowContext(ctx, `SELECT register, entry_id, sha256, name FROM entry_files WHERE id = $1`, id).Scan(&code, &entryID, &sha, &name)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("evidence")
		}
		if err != nil {
			return err
		}
		d, err := db.registerDef(code)
		if err != nil {
			return err
		}
		e, err := db.writableEntry(ctx, tx, d, entryID)
		if err != nil {
			return notFound("evidence")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM entry_files WHERE id = $1`, id); err != nil {
			return err
		}
		if err := tx.dropBlob(ctx, sha); err != nil {
			return err
		}
		return tx.audit(ctx, "detach", "register."+code, entryID, e.VillageCode, map[string]any{"file": id, "name": name}, nil)
	})
}
