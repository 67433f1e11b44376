package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/healthcell/healthcell"
)

// resolveUnit finds the name and division of the unit a sheet scores:
// a division for villages, communities and townships, a household by id,
// or an institution by id. It returns EINVALID (sheet.unit.unknown) when
// there is no such unit of that kind.
func resolveUnit(ctx context.Context, q queryer, kind, ref string) (name, division string, err error) {
	unknown := healthcell.Invalid([]healthcell.FieldError{{Field: "unit_ref", Message: "sheet.unit.unknown", Value: ref}})
	switch kind {
	case "village", "community", "township":
		code := healthcell.NormalizeCode(ref)
		want := healthcell.LevelVillage
		if kind == "township" {
			want = healthcell.LevelTownship
		}
		if healthcell.CodeLevel(code) != want {
			return "", "", unknown
		}
		err := q.QueryRowContext(ctx, `SELECT name FROM divisions WHERE code = $1`, code).Scan(&name)
		if errors.Is(err, sql.ErrNoRows) {
			return "", "", unknown
		}
		return name, code, err
	case "household":
		id, perr := strconv.ParseInt(ref, 10, 64)
		if perr != nil {
			return "", "", unknown
		}
		h, err := findHousehold(ctx, q, id)
		if err != nil {
			return "", "", unknown
		}
		name = "户 " + h.Number
		if h.HeadName != "" {
			name += "（" + h.HeadName + "）"
		}
		return name, h.VillageCode, nil
	default:
		id, perr := strconv.ParseInt(ref, 10, 64)
		if perr != nil {
			return "", "", unknown
		}
		u, err := findUnit(ctx, q, id)
		if err != nil || u.Kind != kind {
			return "", "", unknown
		}
		return u.Name, u.Division, nil
	}
}

const sheetColumns = `s.id, s.standard_id, t.code, t.version, s.kind, s.unit_kind, s.unit_ref, s.unit_name, s.division, s.year, s.region,
	s.version, s.created_by, s.created_at, s.updated_at, s.edition, s.frozen_at`

func scanSheet(row interface{ Scan(...any) error }) (*healthcell.ScoreSheet, error) {
	s := &healthcell.ScoreSheet{}
	var frozen sql.NullTime
	err := row.Scan(&s.ID, &s.StandardID, &s.StandardCode, &s.StandardVersion, &s.Kind, &s.UnitKind, &s.UnitRef, &s.UnitName,
		&s.Division, &s.Year, &s.Region, &s.Version, &s.CreatedBy, &s.CreatedAt, &s.UpdatedAt, &s.Edition, &frozen)
	if frozen.Valid {
		t := frozen.Time
		s.FrozenAt = &t
	}
	return s, err
}

func findSheet(ctx context.Context, q queryer, id int64) (*healthcell.ScoreSheet, error) {
	s, err := scanSheet(q.QueryRowContext(ctx, `SELECT `+sheetColumns+` FROM score_sheets s JOIN standards t ON t.id = s.standard_id WHERE s.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("sheet")
	}
	if err != nil {
		return nil, fmt.Errorf("find sheet %d: %w", id, err)
	}
	return s, nil
}

// CreateScoreSheet opens the sheet of s.Kind for a unit against a standard
// (s.StandardID, or s.StandardCode's latest version) in s.Year. When the
// unit already has such a sheet, that sheet is returned in s instead: there
// is one self-assessment per unit, standard version and year. It returns
// EINVALID for an unknown standard, unit, kind or region or a standard for
// another kind of unit, and EFORBIDDEN when the caller may not fill it.
func (db *DB) CreateScoreSheet(ctx context.Context, s *healthcell.ScoreSheet) error {
	a, err := actorOf(ctx)
	if err != nil {
		return err
	}
	var fe []healthcell.FieldError
	if !containsStr(healthcell.SheetKinds, s.Kind) {
		fe = append(fe, healthcell.FieldError{Field: "kind", Message: "sheet.kind.invalid", Value: s.Kind})
	}
	if s.Year == 0 {
		s.Year = healthcell.CampaignYear(db.Now())
	}
	if s.Year < 2000 || s.Year > 2100 {
		fe = append(fe, healthcell.FieldError{Field: "year", Message: "sheet.year.invalid", Value: strconv.Itoa(s.Year)})
	}
	var std *healthcell.Standard
	if s.StandardID != 0 {
		std, err = findStandard(ctx, db.r, `id = $1`, s.StandardID)
	} else {
		std, err = findStandard(ctx, db.r, `code = $1 ORDER BY version DESC LIMIT 1`, s.StandardCode)
	}
	if err != nil {
		fe = append(fe, healthcell.FieldError{Field: "standard", Message: "error.not_found.standard", Value: s.StandardCode})
	} else {
		if s.UnitKind == "" {
			s.UnitKind = std.UnitKind
		}
		if !sameUnitKind(std.UnitKind, s.UnitKind) {
			fe = append(fe, healthcell.FieldError{Field: "unit_kind", Message: "sheet.unit_kind.mismatch", Value: s.UnitKind})
		}
		if len(std.Regions) == 0 {
			s.Region = ""
		}
	}
	if err := healthcell.Invalid(fe); err != nil {
		return err
	}
	name, division, err := resolveUnit(ctx, db.r, s.UnitKind, s.UnitRef)
	if err != nil {
		return err
	}
	if len(std.Regions) > 0 {
		if s.Region == "" {
			s.Region = db.defs.EconomicRegion(division) // 东 / 中 / 西 of the unit's province
		}
		if !containsStr(std.Regions, s.Region) {
			return healthcell.Invalid([]healthcell.FieldError{{Field: "region", Message: "sheet.region.invalid", Value: s.Region}})
		}
	}
	if !a.CanReadSheet(division, s.UnitKind, s.UnitRef) {
		return healthcell.Invalid([]healthcell.FieldError{{Field: "unit_ref", Message: "sheet.unit.unknown", Value: s.UnitRef}})
	}
	if !a.CanScore(s.Kind, division, s.UnitKind, s.UnitRef) {
		return healthcell.Errorf(healthcell.EFORBIDDEN, "error.forbidden")
	}
	s.StandardID, s.StandardCode, s.StandardVersion, s.UnitName, s.Division = std.ID, std.Code, std.Version, name, division
	return db.write(ctx, func(tx *Tx) error {
		var existing int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM score_sheets WHERE standard_id = $1 AND kind = $2 AND unit_kind = $3 AND unit_ref = $4 AND year = $5
			ORDER BY edition DESC LIMIT 1`,
			s.StandardID, s.Kind, s.UnitKind, s.UnitRef, s.Year).Scan(&existing)
		if err == nil {
			got, err := findSheet(ctx, tx, existing)
			if err != nil {
				return err
			}
			*s = *got
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		s.Version, s.Edition, s.CreatedBy, s.CreatedAt, s.UpdatedAt = 1, 1, tx.actor.Username, tx.now, tx.now
		err = tx.QueryRowContext(ctx, `INSERT INTO score_sheets (standard_id, kind, unit_kind, unit_ref, unit_name, division, year, region, version, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $10, $10) RETURNING id`,
			s.StandardID, s.Kind, s.UnitKind, s.UnitRef, s.UnitName, s.Division, s.Year, s.Region, s.CreatedBy, tx.now).Scan(&s.ID)
		if err != nil {
			return fmt.Errorf("insert sheet: %w", err)
		}
		return tx.audit(ctx, "create", "score_sheet", s.ID, s.Division, nil, s)
	})
}

// sameUnitKind reports whether a standard for want applies to a unit of
// kind got: villages and communities are both village-level divisions.
func sameUnitKind(want, got string) bool {
	if want == got {
		return true
	}
	vl := func(k string) bool { return k == "village" || k == "community" }
	return vl(want) && vl(got)
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// FindScoreSheet returns the sheet with its answers and evidence, and the
// computed values of its data-bound items bound to them (see bindComputed),
// when the caller may read it; ENOTFOUND otherwise.
func (db *DB) FindScoreSheet(ctx context.Context, id int64) (*healthcell.ScoreSheet, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	s, err := findSheet(ctx, db.r, id)
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
	if err := db.loadBound(ctx, s, std); err != nil {
		return nil, err
	}
	return s, nil
}

// answerBody is the stored part of an answer.
type answerBody struct {
	Yes   *bool    `json:"yes,omitempty"`
	Grade string   `json:"grade,omitempty"`
	Value *float64 `json:"value,omitempty"`
	Count *int     `json:"count,omitempty"`
	// Reason of an override of a computed value.
	Reason string `json:"reason,omitempty"`
}

func (db *DB) loadAnswers(ctx context.Context, s *healthcell.ScoreSheet) error {
	s.Answers = map[string]*healthcell.Answer{}
	rows, err := db.r.QueryContext(ctx, `SELECT item_code, answer, note, scored_by, scored_at FROM score_answers WHERE sheet_id = $1`, s.ID)
	if err != nil {
		return fmt.Errorf("answers of sheet %d: %w", s.ID, err)
	}
	if err := eachRow(rows, func(rows *sql.Rows) error {
		a := &healthcell.Answer{}
		var body string
		if err := rows.Scan(&a.ItemCode, &body, &a.Note, &a.ScoredBy, &a.ScoredAt); err != nil {
			return err
		}
		var b answerBody
		if err := json.Unmarshal([]byte(body), &b); err != nil {
			return fmt.Errorf("decode answer %s: %w", a.ItemCode, err)
		}
		a.Yes, a.Grade, a.Value, a.Count, a.Reason = b.Yes, b.Grade, b.Value, b.Count, b.Reason
		s.Answers[a.ItemCode] = a
		return nil
	}); err != nil {
		return err
	}
	rows, err = db.r.QueryContext(ctx, `SELECT e.id, e.item_code, e.sha256, e.name, b.mime, b.size, b.thumb IS NOT NULL, e.uploaded_by, e.uploaded_at
		FROM evidence e JOIN evidence_blobs b ON b.sha256 = e.sha256 WHERE e.sheet_id = $1 ORDER BY e.id`, s.ID)
	if err != nil {
		return fmt.Errorf("evidence of sheet %d: %w", s.ID, err)
	}
	if err := eachRow(rows, func(rows *sql.Rows) error {
		e := &healthcell.Evidence{SheetID: s.ID, Division: s.Division}
		if err := rows.Scan(&e.ID, &e.ItemCode, &e.SHA256, &e.Name, &e.MIME, &e.Size, &e.HasThumb, &e.UploadedBy, &e.UploadedAt); err != nil {
			return err
		}
		a, ok := s.Answers[e.ItemCode]
		if !ok {
			a = &healthcell.Answer{ItemCode: e.ItemCode}
			s.Answers[e.ItemCode] = a
		}
		a.Evidence = append(a.Evidence, e)
		return nil
	}); err != nil {
		return err
	}
	return nil
}

// FindScoreSheets lists the sheets under f.Division (the caller's scope
// when empty) that the caller may read, newest first, without answers.
func (db *DB) FindScoreSheets(ctx context.Context, f healthcell.SheetFilter) ([]*healthcell.ScoreSheet, int, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, 0, err
	}
	lo, hi, err := scopeRange(a, f.Division, a.CoversDivision)
	if err != nil {
		return nil, 0, err
	}
	// One village by equality, for a generic plan (see pageClause).
	where := []string{"s.division BETWEEN $1 AND $2"}
	args := []any{lo, hi}
	if lo == hi {
		where, args = []string{"s.division = $1"}, []any{lo}
	}
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	if f.StandardCode != "" {
		where = append(where, "t.code = "+arg(f.StandardCode))
	}
	if f.Kind != "" {
		where = append(where, "s.kind = "+arg(f.Kind))
	}
	if f.Year != 0 {
		where = append(where, "s.year = "+arg(f.Year))
	}
	if !a.System && a.Role == healthcell.RoleUnit {
		where = append(where, "s.unit_ref = "+arg(a.Unit), "s.unit_kind IN ('school', 'hospital', 'agency', 'enterprise')")
	}
	w := " WHERE " + strings.Join(where, " AND ")
	from := ` FROM score_sheets s JOIN standards t ON t.id = s.standard_id`
	n := len(args)
	limit, offset := page(f.Limit, f.Offset)
	pageSQL, pageArgs := pageClause(args[:n:n], limit, offset)
	out, err := db.findSheetRows(ctx, `SELECT `+sheetColumns+from+w+` ORDER BY s.updated_at DESC, s.id DESC`+pageSQL, pageArgs...)
	if err != nil {
		return nil, 0, err
	}
	// A first page that is not full holds them all (most villages have a
	// handful of sheets): no need to count.
	if offset == 0 && len(out) < limit {
		return out, len(out), nil
	}
	var total int
	if err := db.r.QueryRowContext(ctx, `SELECT COUNT(*)`+from+w, args[:n]...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count sheets: %w", err)
	}
	return out, total, nil
}

// findSheetRows runs a query of sheetColumns and returns its sheets.
func (db *DB) findSheetRows(ctx context.Context, q string, args ...any) ([]*healthcell.ScoreSheet, error) {
	rows, err := db.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("find sheets: %w", err)
	}
	var out []*healthcell.ScoreSheet
	if err := eachRow(rows, func(rows *sql.Rows) error {
		s, err := scanSheet(rows)
		if err != nil {
			return err
		}
		out = append(out, s)
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// MsgSheetFrozen is the ECONFLICT message of a change to a frozen sheet.
const MsgSheetFrozen = "sheet.frozen"

// writableSheet loads a sheet and its standard in tx and checks that the
// caller may fill it: ENOTFOUND when it may not read it, EFORBIDDEN when it
// may read but not score.
func (tx *Tx) writableSheet(ctx context.Context, id int64) (*healthcell.ScoreSheet, *healthcell.Standard, error) {
	s, err := findSheet(ctx, tx, id)
	if err != nil {
		return nil, nil, err
	}
	if !tx.actor.CanReadSheet(s.Division, s.UnitKind, s.UnitRef) {
		return nil, nil, notFound("sheet")
	}
	if !tx.actor.CanScore(s.Kind, s.Division, s.UnitKind, s.UnitRef) {
		return nil, nil, healthcell.Errorf(healthcell.EFORBIDDEN, "error.forbidden")
	}
	if s.FrozenAt != nil {
		return nil, nil, healthcell.Errorf(healthcell.ECONFLICT, MsgSheetFrozen)
	}
	std, err := findStandard(ctx, tx, `id = $1`, s.StandardID)
	if err != nil {
		return nil, nil, err
	}
	return s, std, nil
}

// touch bumps a sheet's version and time after a change.
func (tx *Tx) touch(ctx context.Context, sheetID int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE score_sheets SET version = version + 1, updated_at = $1 WHERE id = $2`, tx.now, sheetID)
	return err
}

// SaveAnswer records the answer to one item of a sheet, in one audited
// transaction. For a data-bound item with a computed value, an answer
// without a number (or with the computed one) lets the computed value count;
// another number is an override and needs a reason and a file already
// attached to the item (EINVALID naming "reason" and "evidence"). It
// returns EINVALID for an item the standard does not have or an answer that
// does not fit the item, ENOTFOUND for a sheet out of scope, EFORBIDDEN for
// a role that may not fill it, and ECONFLICT "sheet.frozen" for a sheet a
// step of an application has frozen.
func (db *DB) SaveAnswer(ctx context.Context, sheetID int64, ans *healthcell.Answer) error {
	a, err := actorOf(ctx)
	if err != nil {
		return err
	}
	computed, err := db.computedFor(ctx, a, sheetID, ans.ItemCode)
	if err != nil {
		return err
	}
	return db.write(ctx, func(tx *Tx) error {
		s, std, err := tx.writableSheet(ctx, sheetID)
		if err != nil {
			return err
		}
		if err := tx.storeAnswer(ctx, s, std, ans, computed[ans.ItemCode], 0); err != nil {
			return err
		}
		if err := tx.touch(ctx, sheetID); err != nil {
			return err
		}
		tx.keepAnswer(ans)
		return tx.audit(ctx, "answer", "score_sheet", sheetID, s.Division, nil, ans)
	})
}
