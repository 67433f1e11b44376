package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/thumb"
	"github.com/healthcell/healthcell/workflow"
)

const rectColumns = `r.id, COALESCE(r.application_id, 0), COALESCE(r.inspection_id, 0), r.unit_kind, r.unit_ref, r.unit_name, r.division,
	r.department, r.item_code, r.text, r.owner, r.deadline, r.checker_level, r.state, r.answer_note, r.answered_by, r.answered_at,
	r.checked_by, r.check_note, r.created_by, r.created_at, r.version`

func scanRect(row interface{ Scan(...any) error }, today string) (*healthcell.Rectification, error) {
	r := &healthcell.Rectification{}
	var dept string
	var answeredAt sql.NullTime
	err := row.Scan(&r.ID, &r.ApplicationID, &r.InspectionID, &r.UnitKind, &r.UnitRef, &r.UnitName, &r.Division, &dept, &r.ItemCode,
		&r.Text, &r.Owner, &r.Deadline, &r.CheckerLevel, &r.State, &r.AnswerNote, &r.AnsweredBy, &answeredAt, &r.CheckedBy,
		&r.CheckNote, &r.CreatedBy, &r.CreatedAt, &r.Version)
	if answeredAt.Valid {
		t := answeredAt.Time
		r.AnsweredAt = &t
	}
	r.Overdue = r.OverdueOn(today)
	return r, err
}

// rectificationItems validates the items given with an action on a and
// returns them ready to store. Every problem is one field error with the
// item's 1-based position in Row: EINVALID for a missing or long text, an
// item code the standard does not have, a bad deadline or one in the past
// (Asia/Shanghai).
func (db *DB) rectificationItems(ctx context.Context, a *healthcell.Application, level workflow.Level, in []healthcell.RectificationInput, q queryer) ([]*healthcell.Rectification, error) {
	std, err := findStandard(ctx, q, `id = $1`, a.StandardID)
	if err != nil {
		return nil, err
	}
	today := healthcell.CampaignDay(db.Now())
	return checkRectInputs(in, today, func(code string) bool { return std.Item(code) != nil },
		func(r *healthcell.Rectification) {
			r.ApplicationID, r.UnitKind, r.UnitRef, r.UnitName, r.Division = a.ID, a.UnitKind, a.UnitRef, a.UnitName, a.Division
			r.CheckerLevel = string(level)
			if r.Owner == "" {
				r.Owner = a.UnitName
			}
		})
}

// checkRectInputs validates items; known says whether an item code exists.
func checkRectInputs(in []healthcell.RectificationInput, today string, known func(string) bool, fill func(*healthcell.Rectification)) ([]*healthcell.Rectification, error) {
	var fe []healthcell.FieldError
	var out []*healthcell.Rectification
	if len(in) > 100 {
		return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "rectifications", Message: "rectification.too_many"}})
	}
	for i, x := range in {
		row := i + 1
		r := &healthcell.Rectification{ItemCode: strings.TrimSpace(x.ItemCode), Text: strings.TrimSpace(x.Text),
			Owner: strings.TrimSpace(x.Owner), Deadline: strings.TrimSpace(x.Deadline), State: healthcell.RectOpen}
		switch n := utf8.RuneCountInString(r.Text); {
		case n == 0:
			fe = append(fe, healthcell.FieldError{Field: "text", Row: row, Message: "field.required"})
		case n > 500:
			fe = append(fe, healthcell.FieldError{Field: "text", Row: row, Message: "field.too_long"})
		}
		if utf8.RuneCountInString(r.Owner) > 60 {
			fe = append(fe, healthcell.FieldError{Field: "owner", Row: row, Message: "field.too_long"})
		}
		if r.ItemCode != "" && !known(r.ItemCode) {
			fe = append(fe, healthcell.FieldError{Field: "item_code", Row: row, Message: "sheet.item.unknown", Value: r.ItemCode})
		}
		if _, ok := healthcell.EndOfDay(r.Deadline); !ok {
			fe = append(fe, healthcell.FieldError{Field: "deadline", Row: row, Message: "campaign.date.invalid", Value: r.Deadline})
		} else if r.Deadline < today {
			fe = append(fe, healthcell.FieldError{Field: "deadline", Row: row, Message: "rectification.deadline.past", Value: r.Deadline})
		}
		fill(r)
		out = append(out, r)
	}
	if err := healthcell.Invalid(fe); err != nil {
		return nil, err
	}
	return out, nil
}

// insertRectification stores a new item.
func (tx *Tx) insertRectification(ctx context.Context, r *healthcell.Rectification) error {
	var app, insp any
	if r.ApplicationID != 0 {
		app = r.ApplicationID
	}
	if r.InspectionID != 0 {
		insp = r.InspectionID
	}
	var dept string
	if r.ApplicationID != 0 {
		if err := tx.QueryRowContext(ctx, `SELECT department FROM applications WHERE id = $1`, r.ApplicationID).Scan(&dept); err != nil {
			return err
		}
	} else if r.InspectionID != 0 {
		if err := tx.QueryRowContext(ctx, `SELECT department FROM inspections WHERE id = $1`, r.InspectionID).Scan(&dept); err != nil {
			return err
		}
	}
	r.State, r.CreatedBy, r.CreatedAt, r.Version = healthcell.RectOpen, tx.actor.Username, tx.now, 1
	err := tx.QueryRowContext(ctx, `INSERT INTO rectifications (application_id, inspection_id, unit_kind, unit_ref, unit_name, division, department,
		item_code, text, owner, deadline, checker_level, state, created_by, created_at, version)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 1) RETURNING id`,
		app, insp, r.UnitKind, r.UnitRef, r.UnitName, r.Division, dept, r.ItemCode, r.Text, r.Owner, r.Deadline, r.CheckerLevel,
		r.State, r.CreatedBy, r.CreatedAt).Scan(&r.ID)
	if err != nil {
		return fmt.Errorf("insert rectification: %w", err)
	}
	return nil
}

// findRectifications lists items matching where (on alias r), with their
// files, in id order.
func (db *DB) findRectifications(ctx context.Context, where string, args ...any) ([]*healthcell.Rectification, error) {
	return db.findRectificationsBy(ctx, where, "r.id", args...)
}

// findRectificationsBy lists at most 500 items matching where, in order, with their files.
func (db *DB) findRectificationsBy(ctx context.Context, where, order string, args ...any) ([]*healthcell.Rectification, error) {
	today := healthcell.CampaignDay(db.Now())
	rows, err := db.r.QueryContext(ctx, `SELECT `+rectColumns+` FROM rectifications r WHERE `+where+` ORDER BY `+order+` LIMIT 500`, args...)
	if err != nil {
		return nil, fmt.Errorf("find rectifications: %w", err)
	}
	var out []*healthcell.Rectification
	byID := map[int64]*healthcell.Rectification{}
	if err := eachRow(rows, func(rows *sql.Rows) error {
		r, err := scanRect(rows, today)
		if err != nil {
			return err
		}
		out = append(out, r)
		byID[r.ID] = r
		return nil
	}); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return out, nil
	}
	ids := make([]string, 0, len(out))
	for _, r := range out {
		ids = append(ids, fmt.Sprint(r.ID))
	}
	frows, err := db.r.QueryContext(ctx, `SELECT f.id, f.rectification_id, f.sha256, f.name, b.mime, b.size, b.thumb IS NOT NULL, f.uploaded_by, f.uploaded_at
		FROM workflow_files f JOIN evidence_blobs b ON b.sha256 = f.sha256 WHERE f.rectification_id IN (`+strings.Join(ids, ",")+`) ORDER BY f.id`)
	if err != nil {
		return nil, fmt.Errorf("rectification files: %w", err)
	}
	if err := eachRow(frows, func(frows *sql.Rows) error {
		e := &healthcell.Evidence{}
		var rid int64
		if err := frows.Scan(&e.ID, &rid, &e.SHA256, &e.Name, &e.MIME, &e.Size, &e.HasThumb, &e.UploadedBy, &e.UploadedAt); err != nil {
			return err
		}
		if r := byID[rid]; r != nil {
			r.Evidence = append(r.Evidence, e)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// rectContext is the workflow context of an item, to decide levels.
func rectContext(actor *healthcell.Actor, r *healthcell.Rectification, department string) workflow.Context {
	return workflow.Context{Actor: actor, UnitKind: r.UnitKind, UnitDivision: r.Division, UnitRef: r.UnitRef, UnitDepartment: department}
}

// writableRect loads an item in tx for the caller: ENOTFOUND when the
// caller may not see it, ECONFLICT MsgStateChanged when version (non-zero)
// is stale.
func (tx *Tx) writableRect(ctx context.Context, id int64, version int) (*healthcell.Rectification, string, error) {
	r, err := scanRect(tx.QueryRowContext(ctx, `SELECT `+rectColumns+` FROM rectifications r WHERE r.id = $1`, id), healthcell.CampaignDay(tx.now))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", notFound("rectification")
	}
	if err != nil {
		return nil, "", fmt.Errorf("find rectification %d: %w", id, err)
	}
	var dept string
	if err := tx.QueryRowContext(ctx, `SELECT department FROM rectifications WHERE id = $1`, id).Scan(&dept); err != nil {
		return nil, "", err
	}
	if !tx.actor.CanReadApplication(r.Division, r.UnitKind, r.UnitRef, dept) {
		return nil, "", notFound("rectification")
	}
	if version != 0 && version != r.Version {
		return nil, "", healthcell.Errorf(healthcell.ECONFLICT, MsgStateChanged)
	}
	return r, dept, nil
}

// AnswerRectification records the unit's answer to an item (a note of what
// was done) and marks it answered, in one audited transaction. Only the
// unit's own officer may answer (EFORBIDDEN otherwise); an accepted item
// cannot be answered again (ECONFLICT); the note is required (EINVALID).
func (db *DB) AnswerRectification(ctx context.Context, id int64, note string, version int) (*healthcell.Rectification, error) {
	if _, err := actorOf(ctx); err != nil {
		return nil, err
	}
	note = strings.TrimSpace(note)
	switch n := utf8.RuneCountInString(note); {
	case n == 0:
		return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "note", Message: "rectification.note.required"}})
	case n > 1000:
		return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "note", Message: "field.too_long"}})
	}
	var out *healthcell.Rectification
	err := db.write(ctx, func(tx *Tx) error {
		r, dept, err := tx.writableRect(ctx, id, version)
		if err != nil {
			return err
		}
		if !workflow.AtLevel(workflow.LevelSelf, rectContext(tx.actor, r, dept)) {
			return healthcell.Errorf(healthcell.EFORBIDDEN, "rectification.answer.forbidden")
		}
		if r.State == healthcell.RectAccepted {
			return healthcell.Errorf(healthcell.ECONFLICT, "rectification.closed")
		}
		before := *r
		r.State, r.AnswerNote, r.AnsweredBy, r.AnsweredAt = healthcell.RectAnswered, note, tx.actor.Username, &tx.now
		if _, err := tx.ExecContext(ctx, `UPDATE rectifications SET state = $1, answer_note = $2, answered_by = $3, answered_at = $4,
			version = version + 1 WHERE id = $5`, r.State, note, r.AnsweredBy, tx.now, id); err != nil {
			return fmt.Errorf("answer rectification: %w", err)
		}
		r.Version++
		out = r
		return tx.audit(ctx, "answer", "rectification", id, r.Division, rectSnap(&before), rectSnap(r))
	})
	return out, err
}

// CheckRectification is the checker's verdict on an answered item: accept
// closes it, otherwise it is reopened for the unit with note as the reason.
// Only an actor at the item's checker level may check (EFORBIDDEN); an item
// not answered yet cannot be checked (ECONFLICT "rectification.not_answered");
// reopening needs a note (EINVALID).
func (db *DB) CheckRectification(ctx context.Context, id int64, accept bool, note string, version int) (*healthcell.Rectification, error) {
	if _, err := actorOf(ctx); err != nil {
		return nil, err
	}
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > 1000 {
		return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "note", Message: "field.too_long"}})
	}
	if !accept && note == "" {
		return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "note", Message: "rectification.reopen.note"}})
	}
	var out *healthcell.Rectification
	err := db.write(ctx, func(tx *Tx) error {
		r, dept, err := tx.writableRect(ctx, id, version)
		if err != nil {
			return err
		}
		if !workflow.AtLevel(workflow.Level(r.CheckerLevel), rectContext(tx.actor, r, dept)) ||
			(tx.actor.Role == healthcell.RoleVillage || tx.actor.Role == healthcell.RoleUnit || tx.actor.Role == healthcell.RoleViewer) && !tx.actor.System {
			return healthcell.Errorf(healthcell.EFORBIDDEN, "rectification.check.forbidden")
		}
		if r.State != healthcell.RectAnswered {
			return healthcell.Errorf(healthcell.ECONFLICT, "rectification.not_answered")
		}
		before := *r
		r.State, r.CheckedBy, r.CheckNote = healthcell.RectAccepted, tx.actor.Username, note
		action := "accept"
		if !accept {
			r.State, action = healthcell.RectOpen, "reopen"
		}
		if _, err := tx.ExecContext(ctx, `UPDATE rectifications SET state = $1, checked_by = $2, check_note = $3, version = version + 1 WHERE id = $4`,
			r.State, r.CheckedBy, note, id); err != nil {
			return fmt.Errorf("check rectification: %w", err)
		}
		r.Version++
		r.Overdue = r.OverdueOn(healthcell.CampaignDay(tx.now))
		out = r
		return tx.audit(ctx, action, "rectification", id, r.Division, rectSnap(&before), rectSnap(r))
	})
	return out, err
}

// rectSnap is what the audit keeps of an item.
func rectSnap(r *healthcell.Rectification) map[string]any {
	return map[string]any{"state": r.State, "answer_note": r.AnswerNote, "check_note": r.CheckNote, "version": r.Version}
}

// AddRectificationFile attaches a photo or PDF to the unit's answer of an
// item, stored once by content hash in the evidence store, in one audited
// transaction. Errors as for AddEvidence, and EFORBIDDEN for anyone but the
// unit's own officer, ECONFLICT for an accepted item.
func (db *DB) AddRectificationFile(ctx context.Context, id int64, name string, data []byte) (*healthcell.Evidence, error) {
	if _, err := actorOf(ctx); err != nil {
		return nil, err
	}
	e, small, err := newEvidence(name, data)
	if err != nil {
		return nil, err
	}
	err = db.write(ctx, func(tx *Tx) error {
		r, dept, err := tx.writableRect(ctx, id, 0)
		if err != nil {
			return err
		}
		if !workflow.AtLevel(workflow.LevelSelf, rectContext(tx.actor, r, dept)) {
			return healthcell.Errorf(healthcell.EFORBIDDEN, "rectification.answer.forbidden")
		}
		if r.State == healthcell.RectAccepted {
			return healthcell.Errorf(healthcell.ECONFLICT, "rectification.closed")
		}
		if err := tx.storeFile(ctx, e, data, small, "rectification_id", id, r.Division); err != nil {
			return err
		}
		return tx.audit(ctx, "attach", "rectification", id, r.Division, nil, e)
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// newEvidence checks a file and prepares its record and thumbnail.
func newEvidence(name string, data []byte) (*healthcell.Evidence, []byte, error) {
	mime, err := sniffEvidence(data)
	if err != nil {
		return nil, nil, err
	}
	var small []byte
	if strings.HasPrefix(mime, "image/") {
		small, _ = thumb.Make(data, thumbSize)
	}
	sum := sha256.Sum256(data)
	return &healthcell.Evidence{SHA256: hex.EncodeToString(sum[:]), Name: cleanName(name), MIME: mime, Size: int64(len(data)), HasThumb: small != nil}, small, nil
}

// storeFile stores the blob once and a workflow_files row pointing at it
// from column (rectification_id or inspection_id).
func (tx *Tx) storeFile(ctx context.Context, e *healthcell.Evidence, data, small []byte, column string, owner int64, division string) error {
	var thumbArg any
	if small != nil {
		thumbArg = small
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO evidence_blobs (sha256, mime, size, data, thumb, taken_on) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (sha256) DO NOTHING`, e.SHA256, e.MIME, e.Size, data, thumbArg, takenOn(data, e.MIME)); err != nil {
		return fmt.Errorf("store file: %w", err)
	}
	e.Division, e.UploadedBy, e.UploadedAt = division, tx.actor.Username, tx.now
	if err := tx.QueryRowContext(ctx, `INSERT INTO workflow_files (`+column+`, sha256, name, division, uploaded_by, uploaded_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, owner, e.SHA256, e.Name, division, e.UploadedBy, e.UploadedAt).Scan(&e.ID); err != nil {
		return fmt.Errorf("attach file: %w", err)
	}
	return nil
}

// WorkflowFile returns a file of a rectification answer or an inspection
// and its bytes (the thumbnail when thumb is set and one exists) when the
// caller may see what it belongs to; ENOTFOUND otherwise.
func (db *DB) WorkflowFile(ctx context.Context, id int64, thumb bool) (*healthcell.Evidence, []byte, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, nil, err
	}
	e := &healthcell.Evidence{}
	var unitKind, unitRef, dept string
	var data, small []byte
	err = db.r.QueryRowContext(ctx, `SELECT f.id, f.sha256, f.name, f.division, f.uploaded_by, f.uploaded_at, b.mime, b.size, b.data, b.thumb,
		COALESCE(r.unit_kind, i.unit_kind), COALESCE(r.unit_ref, i.unit_ref), COALESCE(r.department, i.department)
		FROM workflow_files f JOIN evidence_blobs b ON b.sha256 = f.sha256
		LEFT JOIN rectifications r ON r.id = f.rectification_id LEFT JOIN inspections i ON i.id = f.inspection_id
		WHERE f.id = $1`, id).Scan(&e.ID, &e.SHA256, &e.Name, &e.Division, &e.UploadedBy, &e.UploadedAt, &e.MIME, &e.Size, &data, &small,
		&unitKind, &unitRef, &dept)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, notFound("evidence")
	}
	if err != nil {
		return nil, nil, fmt.Errorf("workflow file %d: %w", id, err)
	}
	if !a.CanReadApplication(e.Division, unitKind, unitRef, dept) {
		return nil, nil, notFound("evidence")
	}
	e.HasThumb = small != nil
	if thumb && small != nil {
		return e, small, nil
	}
	return e, data, nil
}

// FindRectifications lists the items under the caller's scope that the
// caller may see: state "" for all, "overdue" for open items past their
// deadline, or a state.
func (db *DB) FindRectifications(ctx context.Context, state string) ([]*healthcell.Rectification, error) {
	actor, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	where := scopeWhere(actor, "r", arg)
	switch state {
	case "":
	case "overdue":
		where += " AND r.state = 'open' AND r.deadline < " + arg(healthcell.CampaignDay(db.Now()))
	default:
		where += " AND r.state = " + arg(state)
	}
	return db.findRectificationsBy(ctx, where, "r.deadline, r.id", args...)
}
