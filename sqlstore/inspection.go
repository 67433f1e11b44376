package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/workflow"
)

const inspectionColumns = `i.id, i.unit_kind, i.unit_ref, i.unit_name, i.division, i.department, i.standard_code, i.inspected_on,
	i.inspectors, i.summary, i.created_by, i.created_at`

func scanInspection(row interface{ Scan(...any) error }) (*healthcell.Inspection, error) {
	in := &healthcell.Inspection{}
	err := row.Scan(&in.ID, &in.UnitKind, &in.UnitRef, &in.UnitName, &in.Division, &in.Department, &in.StandardCode, &in.InspectedOn,
		&in.Inspectors, &in.Summary, &in.CreatedBy, &in.CreatedAt)
	return in, err
}

// inspectorLevel is the level at which an actor inspects and accepts the
// findings' answers, "" for roles that do not inspect.
func inspectorLevel(a *healthcell.Actor) workflow.Level {
	if a.System {
		return workflow.LevelCounty
	}
	switch a.Role {
	case healthcell.RoleTownship:
		return workflow.LevelTownship
	case healthcell.RoleCountyAdmin, healthcell.RoleDepartment:
		return workflow.LevelCounty
	}
	return ""
}

// CreateInspection records an inspection of a unit (in.UnitKind, in.UnitRef)
// and turns each finding into a rectification item that the unit answers
// and the inspector's level (township or county) accepts, all in one
// audited transaction. It returns EFORBIDDEN for roles that do not inspect
// or an inspector not standing at its level for the unit (a township
// officer of another township, a department for another's institution);
// EINVALID for a bad date, missing inspectors, an unknown unit or one out
// of scope, an unknown standard, or bad findings (with their rows).
func (db *DB) CreateInspection(ctx context.Context, in *healthcell.Inspection, findings []healthcell.RectificationInput) error {
	a, err := actorOf(ctx)
	if err != nil {
		return err
	}
	level := inspectorLevel(a)
	if level == "" {
		return healthcell.Errorf(healthcell.EFORBIDDEN, "error.forbidden")
	}
	var fe []healthcell.FieldError
	in.Inspectors, in.Summary = strings.TrimSpace(in.Inspectors), strings.TrimSpace(in.Summary)
	if _, ok := healthcell.EndOfDay(in.InspectedOn); !ok {
		fe = append(fe, healthcell.FieldError{Field: "inspected_on", Message: "campaign.date.invalid", Value: in.InspectedOn})
	}
	switch n := utf8.RuneCountInString(in.Inspectors); {
	case n == 0:
		fe = append(fe, healthcell.FieldError{Field: "inspectors", Message: "field.required"})
	case n > 200:
		fe = append(fe, healthcell.FieldError{Field: "inspectors", Message: "field.too_long"})
	}
	if utf8.RuneCountInString(in.Summary) > 2000 {
		fe = append(fe, healthcell.FieldError{Field: "summary", Message: "field.too_long"})
	}
	var std *healthcell.Standard
	if in.StandardCode != "" {
		if std, err = findStandard(ctx, db.r, `code = $1 ORDER BY version DESC LIMIT 1`, in.StandardCode); err != nil {
			fe = append(fe, healthcell.FieldError{Field: "standard", Message: "error.not_found.standard", Value: in.StandardCode})
		}
	}
	if err := healthcell.Invalid(fe); err != nil {
		return err
	}
	name, division, err := resolveUnit(ctx, db.r, in.UnitKind, in.UnitRef)
	if err != nil {
		return err
	}
	if in.UnitKind == "village" || in.UnitKind == "community" || in.UnitKind == "township" {
		in.UnitRef = division
	}
	in.Department = ""
	if slices.Contains(healthcell.InstitutionKinds, in.UnitKind) {
		id, _ := strconv.ParseInt(in.UnitRef, 10, 64)
		u, err := findUnit(ctx, db.r, id)
		if err != nil {
			return err
		}
		in.Department = u.Department
	}
	if !a.CanReadApplication(division, in.UnitKind, in.UnitRef, in.Department) {
		return healthcell.Invalid([]healthcell.FieldError{{Field: "unit_ref", Message: "sheet.unit.unknown", Value: in.UnitRef}})
	}
	c := workflow.Context{Actor: a, UnitKind: in.UnitKind, UnitDivision: division, UnitRef: in.UnitRef, UnitDepartment: in.Department}
	if !workflow.AtLevel(level, c) {
		return healthcell.Errorf(healthcell.EFORBIDDEN, "workflow.level.forbidden")
	}
	in.UnitName, in.Division = name, division
	items, err := checkRectInputs(findings, healthcell.CampaignDay(db.Now()),
		func(code string) bool { return std != nil && std.Item(code) != nil },
		func(r *healthcell.Rectification) {
			r.UnitKind, r.UnitRef, r.UnitName, r.Division, r.CheckerLevel = in.UnitKind, in.UnitRef, name, division, string(level)
			if r.Owner == "" {
				r.Owner = name
			}
		})
	if err != nil {
		return err
	}
	return db.write(ctx, func(tx *Tx) error {
		in.CreatedBy, in.CreatedAt = tx.actor.Username, tx.now
		if err := tx.QueryRowContext(ctx, `INSERT INTO inspections (unit_kind, unit_ref, unit_name, division, department, standard_code,
			inspected_on, inspectors, summary, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
			in.UnitKind, in.UnitRef, in.UnitName, in.Division, in.Department, in.StandardCode, in.InspectedOn, in.Inspectors, in.Summary,
			in.CreatedBy, in.CreatedAt).Scan(&in.ID); err != nil {
			return fmt.Errorf("insert inspection: %w", err)
		}
		in.Findings = items
		for _, r := range items {
			r.InspectionID = in.ID
			if err := tx.insertRectification(ctx, r); err != nil {
				return err
			}
		}
		return tx.audit(ctx, "create", "inspection", in.ID, in.Division, nil, in)
	})
}

// readableInspection loads an inspection the caller may see; ENOTFOUND otherwise.
func readableInspection(ctx context.Context, q queryer, a *healthcell.Actor, id int64) (*healthcell.Inspection, error) {
	in, err := scanInspection(q.QueryRowContext(ctx, `SELECT `+inspectionColumns+` FROM inspections i WHERE i.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !a.CanReadApplication(in.Division, in.UnitKind, in.UnitRef, in.Department)) {
		return nil, notFound("inspection")
	}
	if err != nil {
		return nil, fmt.Errorf("find inspection %d: %w", id, err)
	}
	return in, nil
}

// AddInspectionPhoto attaches a photo or PDF to an inspection in one
// audited transaction: errors as for AddEvidence, EFORBIDDEN for anyone who
// may not inspect the unit.
func (db *DB) AddInspectionPhoto(ctx context.Context, id int64, name string, data []byte) (*healthcell.Evidence, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	e, small, err := newEvidence(name, data)
	if err != nil {
		return nil, err
	}
	err = db.write(ctx, func(tx *Tx) error {
		in, err := readableInspection(ctx, tx, a, id)
		if err != nil {
			return err
		}
		c := workflow.Context{Actor: a, UnitKind: in.UnitKind, UnitDivision: in.Division, UnitRef: in.UnitRef, UnitDepartment: in.Department}
		if l := inspectorLevel(a); l == "" || !workflow.AtLevel(l, c) {
			return healthcell.Errorf(healthcell.EFORBIDDEN, "error.forbidden")
		}
		if err := tx.storeFile(ctx, e, data, small, "inspection_id", id, in.Division); err != nil {
			return err
		}
		return tx.audit(ctx, "attach", "inspection", id, in.Division, nil, e)
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// FindInspection returns an inspection with its findings and photos when
// the caller may see it; ENOTFOUND otherwise.
func (db *DB) FindInspection(ctx context.Context, id int64) (*healthcell.Inspection, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	in, err := readableInspection(ctx, db.r, a, id)
	if err != nil {
		return nil, err
	}
	if in.Findings, err = db.findRectifications(ctx, `r.inspection_id = $1`, id); err != nil {
		return nil, err
	}
	rows, err := db.r.QueryContext(ctx, `SELECT f.id, f.sha256, f.name, b.mime, b.size, b.thumb IS NOT NULL, f.uploaded_by, f.uploaded_at
		FROM workflow_files f JOIN evidence_blobs b ON b.sha256 = f.sha256 WHERE f.inspection_id = $1 ORDER BY f.id`, id)
	if err != nil {
		return nil, fmt.Errorf("inspection photos: %w", err)
	}
	in.Photos = []*healthcell.Evidence{}
	if err := eachRow(rows, func(rows *sql.Rows) error {
		e := &healthcell.Evidence{}
		if err := rows.Scan(&e.ID, &e.SHA256, &e.Name, &e.MIME, &e.Size, &e.HasThumb, &e.UploadedBy, &e.UploadedAt); err != nil {
			return err
		}
		in.Photos = append(in.Photos, e)
		return nil
	}); err != nil {
		return nil, err
	}
	return in, nil
}

// FindInspections lists the inspections the caller may see, newest first,
// at most 200, without findings or photos.
func (db *DB) FindInspections(ctx context.Context) ([]*healthcell.Inspection, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	rows, err := db.r.QueryContext(ctx, `SELECT `+inspectionColumns+` FROM inspections i WHERE `+scopeWhere(a, "i", arg)+
		` ORDER BY i.inspected_on DESC, i.id DESC LIMIT 200`, args...)
	if err != nil {
		return nil, fmt.Errorf("find inspections: %w", err)
	}
	out := []*healthcell.Inspection{}
	if err := eachRow(rows, func(rows *sql.Rows) error {
		in, err := scanInspection(rows)
		if err != nil {
			return err
		}
		out = append(out, in)
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}
