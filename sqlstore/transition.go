package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/workflow"
)

// facts gathers what the workflow's guards read about an application, for
// the transition t (nil: every guard), and returns the context with the
// score sheet each level relies on.
func (db *DB) facts(ctx context.Context, q querier, actor *healthcell.Actor, a *healthcell.Application, t *workflow.Transition) (workflow.Context, map[string]int64, error) {
	now := db.Now()
	c := workflow.Context{Actor: actor, UnitKind: a.UnitKind, UnitDivision: a.Division, UnitRef: a.UnitRef,
		UnitDepartment: a.Department, CellType: a.CellType, Now: now, FailedReviews: a.FailedReviews}
	sheets, err := db.applicationSheets(ctx, a)
	if err != nil {
		return c, nil, err
	}
	needs := func(g string) bool { return t == nil || slices.Contains(t.Guards, g) }
	if needs("before_deadline") {
		camp, err := findCampaign(ctx, q, a.CampaignID)
		if err != nil {
			return c, nil, err
		}
		c.Deadline = camp.DeadlineAt()
	}
	if needs("self_sheet_passed") {
		if _, c.SelfSheetPassed, err = db.sheetPassed(ctx, a, sheets, healthcell.SheetSelf); err != nil {
			return c, nil, err
		}
	}
	if needs("check_sheet_passed") {
		if c.CheckSheetPassed, err = db.checkSheetPassed(ctx, a, sheets); err != nil {
			return c, nil, err
		}
	}
	if needs("evaluation_passed") {
		if _, c.EvaluationPassed, err = db.sheetPassed(ctx, a, sheets, healthcell.SheetEvaluation); err != nil {
			return c, nil, err
		}
	}
	if needs("assessment_passed") {
		if _, c.AssessmentPassed, err = db.sheetPassed(ctx, a, sheets, healthcell.SheetAssessment); err != nil {
			return c, nil, err
		}
	}
	if needs("members_contracted") && a.UnitKind == "household" {
		if c.ResidentMembers, c.UncontractedMembers, err = householdContracts(ctx, q, a.UnitRef, healthcell.CampaignDay(now)); err != nil {
			return c, nil, err
		}
	}
	// check_sheet_passed (the township's sheet, on pass_check) accepts a
	// household passed by its sampling batch instead: see family_batch.go.
	if needs("passed_by_sample") || needs("check_sheet_passed") {
		if c.PassedBySample, err = passedBySample(ctx, q, a.ID); err != nil {
			return c, nil, err
		}
	}
	// A unit not drawn in a passed naming batch (抽查 above the county):
	// see naming_batch_decide.go. ByBatch lets the batch's decision take
	// the transition marked batch.
	if needs("named_by_sample") {
		if c.NamedBySample, err = namedBySample(ctx, q, a.ID); err != nil {
			return c, nil, err
		}
	}
	c.ByBatch = byBatch(ctx)
	if needs("rectification_answered") || needs("rectification_accepted") {
		if err := q.QueryRowContext(ctx, `SELECT
			COALESCE(SUM(CASE WHEN state = 'open' THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN state <> 'accepted' THEN 1 ELSE 0 END), 0)
			FROM rectifications WHERE application_id = $1`, a.ID).Scan(&c.UnansweredRectifications, &c.UnacceptedRectifications); err != nil {
			return c, nil, fmt.Errorf("rectification counts: %w", err)
		}
	}
	return c, sheets, nil
}

// checkSheetPassed is the fact behind the guard check_sheet_passed of
// 初验通过: the township's check sheet (初验) of the application is complete
// and passes. It is the one place that decides it: a bulk pass that checks
// a sample by hand may answer here for the households it did not sample.
func (db *DB) checkSheetPassed(ctx context.Context, a *healthcell.Application, sheets map[string]int64) (bool, error) {
	_, passed, err := db.sheetPassed(ctx, a, sheets, healthcell.SheetCheck)
	return passed, err
}

// sheetKindOfLevel is the score sheet a step at a level relies on.
var sheetKindOfLevel = map[workflow.Level]string{
	workflow.LevelSelf:     healthcell.SheetSelf,
	workflow.LevelTownship: healthcell.SheetCheck,
	workflow.LevelCounty:   healthcell.SheetEvaluation,
	workflow.LevelAbove:    healthcell.SheetAssessment,
}

// AvailableActions lists the actions the caller may take now on a, all
// guards but those on input holding; nil when it may take none.
func (db *DB) AvailableActions(ctx context.Context, a *healthcell.Application) []string {
	actor := healthcell.ActorFrom(ctx)
	m, err := db.machine()
	if actor == nil || err != nil || !readable(actor, a) {
		return nil
	}
	c, _, err := db.facts(ctx, db.r, actor, a, nil)
	if err != nil {
		return nil
	}
	var out []string
	for _, t := range m.Available(a.State, c) {
		out = append(out, t.Action)
	}
	return out
}

// Transition takes req.Action on application id in one transaction: the
// workflow decides, the application's state and version change only if
// nobody changed it since req.Version (when given) and since it was read,
// rectification items given are stored, the step is logged with the score
// sheet it relied on, and an audit entry records it. On naming the
// application gets its certificate number and review date. Errors:
// ENOTFOUND outside the caller's scope; ECONFLICT MsgStateChanged for a
// stale version or a concurrent change, "workflow.transition.invalid" for
// an action not possible from the state; EFORBIDDEN for a wrong role or
// level; EINVALID for a missing comment, a failing guard or bad
// rectification items. Nothing changes on any error.
func (db *DB) Transition(ctx context.Context, id int64, req healthcell.TransitionRequest) (*healthcell.Application, error) {
	if _, err := actorOf(ctx); err != nil {
		return nil, err
	}
	var out *healthcell.Application
	err := db.write(ctx, func(tx *Tx) error {
		a, err := db.transition(ctx, tx, id, req)
		out = a
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// TransitionMany takes one action on several applications in one
// transaction: all or nothing. Its EINVALID error lists one field error per
// refused application (Row its 1-based position, Value its id, Message the
// reason's key); a concurrent change is ECONFLICT as for Transition.
func (db *DB) TransitionMany(ctx context.Context, ids []int64, req healthcell.TransitionRequest) error {
	if _, err := actorOf(ctx); err != nil {
		return err
	}
	if len(ids) == 0 {
		return healthcell.Invalid([]healthcell.FieldError{{Field: "ids", Message: "application.bulk.empty"}})
	}
	if len(ids) > 500 {
		return healthcell.Invalid([]healthcell.FieldError{{Field: "ids", Message: "application.bulk.too_many"}})
	}
	req.Version = 0
	return db.write(ctx, func(tx *Tx) error {
		var fe []healthcell.FieldError
		for i, id := range ids {
			if _, err := db.transition(ctx, tx, id, req); err != nil {
				if healthcell.ErrorMessage(err) == MsgStateChanged || healthcell.ErrorCode(err) == healthcell.EINTERNAL {
					return err
				}
				fe = append(fe, healthcell.FieldError{Field: "ids", Row: i + 1, Value: fmt.Sprint(id), Message: healthcell.ErrorMessage(err)})
			}
		}
		return healthcell.Invalid(fe)
	})
}

// transition is one step inside tx; see Transition.
func (db *DB) transition(ctx context.Context, tx *Tx, id int64, req healthcell.TransitionRequest) (*healthcell.Application, error) {
	m, err := db.machine()
	if err != nil {
		return nil, err
	}
	// The row is locked until the end of the transaction, so a concurrent
	// step waits and then sees this one (SQLite has one writer anyway).
	lock := ""
	if db.Engine == Postgres {
		lock = " FOR UPDATE OF a"
	}
	a, err := scanApplication(tx.QueryRowContext(ctx, `SELECT `+applicationColumns+applicationFrom+` WHERE a.id = $1`+lock, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("application")
	}
	if err != nil {
		return nil, fmt.Errorf("find application %d: %w", id, err)
	}
	if !readable(tx.actor, a) {
		return nil, notFound("application")
	}
	if req.Version != 0 && req.Version != a.Version {
		return nil, healthcell.Errorf(healthcell.ECONFLICT, MsgStateChanged)
	}
	t, ok := m.Transition(req.Action)
	// The state, role and level decide alone: refuse before reading facts.
	base := workflow.Context{Actor: tx.actor, UnitKind: a.UnitKind, UnitDivision: a.Division, UnitRef: a.UnitRef, UnitDepartment: a.Department, CellType: a.CellType, ByBatch: byBatch(ctx)}
	if _, err := m.Apply(a.State, req.Action, base); err != nil && healthcell.ErrorCode(err) != healthcell.EINVALID {
		return nil, err
	} else if !ok {
		return nil, err
	}
	c, sheets, err := db.facts(ctx, tx, tx.actor, a, &t)
	if err != nil {
		return nil, err
	}
	req.Comment = strings.TrimSpace(req.Comment)
	if utf8.RuneCountInString(req.Comment) > 1000 {
		return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "comment", Message: "field.too_long"}})
	}
	c.Comment, c.RectificationItems = req.Comment, len(req.Rectifications)
	next, err := m.Apply(a.State, req.Action, c)
	if err != nil {
		return nil, err
	}
	takesItems := slices.Contains(t.Guards, "rectification_items")
	if len(req.Rectifications) > 0 && !takesItems {
		return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "rectifications", Message: "rectification.not_expected"}})
	}
	level := m.LevelFor(req.Action, a.State)
	var items []*healthcell.Rectification
	if takesItems {
		if items, err = db.rectificationItems(ctx, a, level, req.Rectifications, tx); err != nil {
			return nil, err
		}
	}
	before := *a
	today := healthcell.CampaignDay(tx.now)
	a.State = next
	if next == "named" {
		if a.CertificateNo == "" {
			a.NamedBy = namingBody(a.Division, m.NamingLevel(a.CellType))
			if a.CertificateNo, err = tx.certificateNumber(ctx, a); err != nil {
				return nil, err
			}
			a.NamedOn = today
			if err := tx.QueryRowContext(ctx, `SELECT COALESCE((SELECT name FROM divisions WHERE code = $1), '')`, a.NamedBy).Scan(&a.NamedByName); err != nil {
				return nil, fmt.Errorf("naming body: %w", err)
			}
		}
		a.ReviewDue = ""
		years, err := tx.reviewYears(ctx, a.StandardID)
		if err != nil {
			return nil, err
		}
		if years == 0 {
			years = m.ReviewYears // the workflow file's default
		}
		if years > 0 {
			a.ReviewDue = healthcell.AddYears(today, years)
		}
		a.FailedReviews = 0
	}
	if before.State == "review_due" && next == "review_due" {
		a.FailedReviews++
	}
	var cert any
	if a.CertificateNo != "" {
		cert = a.CertificateNo
	}
	res, err := tx.ExecContext(ctx, `UPDATE applications SET state = $1, certificate_no = $2, named_on = $3, review_due = $4, failed_reviews = $5,
		version = version + 1, updated_at = $6, named_by = $9 WHERE id = $7 AND version = $8`,
		a.State, cert, a.NamedOn, a.ReviewDue, a.FailedReviews, tx.now, a.ID, before.Version, a.NamedBy)
	if err != nil {
		if isUniqueViolation(err) {
			return nil, healthcell.Errorf(healthcell.ECONFLICT, MsgStateChanged)
		}
		return nil, fmt.Errorf("update application: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return nil, err
	} else if n != 1 {
		return nil, healthcell.Errorf(healthcell.ECONFLICT, MsgStateChanged)
	}
	a.Version, a.UpdatedAt = before.Version+1, tx.now
	for _, r := range items {
		if err := tx.insertRectification(ctx, r); err != nil {
			return nil, err
		}
	}
	sheetID := int64(0)
	if actorLevel := level; actorLevel != "" {
		sheetID = sheets[sheetKindOfLevel[actorLevel]]
	}
	// The sheet the step relied on is frozen, and the application keeps
	// the exact copy.
	var snapshotID int64
	if sheetID != 0 {
		if snapshotID, err = db.freezeSheet(ctx, tx, a.ID, sheetID, req.Action); err != nil {
			return nil, err
		}
	}
	if err := tx.logTransition(ctx, a.ID, req.Action, before.State, a.State, req.Comment, sheetID, snapshotID); err != nil {
		return nil, err
	}
	type snap struct {
		State         string                      `json:"state"`
		Version       int                         `json:"version"`
		Action        string                      `json:"action,omitempty"`
		Comment       string                      `json:"comment,omitempty"`
		SheetID       int64                       `json:"sheet_id,omitempty"`
		CertificateNo string                      `json:"certificate_no,omitempty"`
		ReviewDue     string                      `json:"review_due,omitempty"`
		Items         []*healthcell.Rectification `json:"rectifications,omitempty"`
	}
	if err := tx.audit(ctx, req.Action, "application", a.ID, a.Division,
		snap{State: before.State, Version: before.Version},
		snap{State: a.State, Version: a.Version, Action: req.Action, Comment: req.Comment, SheetID: sheetID,
			CertificateNo: a.CertificateNo, ReviewDue: a.ReviewDue, Items: items}); err != nil {
		return nil, err
	}
	return a, nil
}

// certificateNumber returns the next certificate number of the campaign's
// county and year: 510824-2026-0007.
func (tx *Tx) certificateNumber(ctx context.Context, a *healthcell.Application) (string, error) {
	prefix := fmt.Sprintf("%s-%d-", a.NamedBy[:6], a.Year)
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM applications WHERE certificate_no LIKE $1`, prefix+"%").Scan(&n); err != nil {
		return "", fmt.Errorf("certificate number: %w", err)
	}
	return fmt.Sprintf("%s%04d", prefix, n+1), nil
}

// namingBody is the 12-digit code of the division whose 爱卫会 names a unit
// in division at level (healthcell.LevelCounty, LevelCity or
// LevelProvince): the division's ancestor at that level.
func namingBody(division string, level int) string {
	n := map[int]int{healthcell.LevelProvince: 2, healthcell.LevelCity: 4}[level]
	if n == 0 {
		n = 6
	}
	return division[:n] + strings.Repeat("0", 12-n)
}

// reviewYears is the standard's review period in years (0: none).
func (tx *Tx) reviewYears(ctx context.Context, standardID int64) (int, error) {
	std, err := findStandard(ctx, tx, `id = $1`, standardID)
	if err != nil {
		return 0, err
	}
	return std.ReviewYears, nil
}

// isUniqueViolation reports whether err is a unique-constraint failure on either engine.
func isUniqueViolation(err error) bool {
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "SQLSTATE 23505")
}
