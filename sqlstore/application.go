package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/score"
	"github.com/healthcell/healthcell/workflow"
)

// machine returns the creation workflow of the definitions; an error when
// they have none.
func (db *DB) machine() (*workflow.Machine, error) {
	if db.defs.Creation == nil {
		return nil, errors.New("sqlstore: the definitions have no creation workflow")
	}
	return db.defs.Creation, nil
}

// MsgStateChanged is the ECONFLICT message when an application changed
// since the caller read it.
const MsgStateChanged = "application.state.changed"

const applicationColumns = `a.id, a.campaign_id, a.year, a.standard_id, t.code, t.version, t.name, t.cell_type, a.unit_kind, a.unit_ref,
	a.unit_name, a.division, a.department, a.state, COALESCE(a.certificate_no, ''), a.named_on, a.review_due, a.failed_reviews,
	a.version, a.created_by, a.created_at, a.updated_at, a.named_by, COALESCE((SELECT nb.name FROM divisions nb WHERE nb.code = a.named_by), '')`

const applicationFrom = ` FROM applications a JOIN standards t ON t.id = a.standard_id`

// scanApplication scans applicationColumns, then extra.
func scanApplication(row interface{ Scan(...any) error }, extra ...any) (*healthcell.Application, error) {
	a := &healthcell.Application{}
	err := row.Scan(append([]any{&a.ID, &a.CampaignID, &a.Year, &a.StandardID, &a.StandardCode, &a.StandardVersion, &a.StandardName, &a.CellType,
		&a.UnitKind, &a.UnitRef, &a.UnitName, &a.Division, &a.Department, &a.State, &a.CertificateNo, &a.NamedOn, &a.ReviewDue,
		&a.FailedReviews, &a.Version, &a.CreatedBy, &a.CreatedAt, &a.UpdatedAt, &a.NamedBy, &a.NamedByName}, extra...)...)
	return a, err
}

// findApplication reads one application; ENOTFOUND when there is none.
func findApplication(ctx context.Context, q queryer, id int64) (*healthcell.Application, error) {
	a, err := scanApplication(q.QueryRowContext(ctx, `SELECT `+applicationColumns+applicationFrom+` WHERE a.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("application")
	}
	if err != nil {
		return nil, fmt.Errorf("find application %d: %w", id, err)
	}
	return a, nil
}

// readable reports whether the actor may see the application.
func readable(actor *healthcell.Actor, a *healthcell.Application) bool {
	return actor.CanReadApplication(a.Division, a.UnitKind, a.UnitRef, a.Department)
}

// CreateApplication starts an application of a unit (a.UnitKind,
// a.UnitRef) against a standard (a.StandardID, or the latest version of
// a.StandardCode) in a campaign (a.CampaignID, or the newest one of the
// caller's county), in the workflow's initial state, in one audited
// transaction. It returns EINVALID for an unknown campaign, standard or
// unit, one out of the caller's scope, or a standard for another kind of
// unit; EFORBIDDEN for roles that do not run creation (viewer, evaluator,
// department); ECONFLICT when the unit already applies against that
// standard version in that campaign.
func (db *DB) CreateApplication(ctx context.Context, app *healthcell.Application) error {
	actor, err := actorOf(ctx)
	if err != nil {
		return err
	}
	if !actor.System && !slices.Contains([]healthcell.Role{healthcell.RoleCountyAdmin, healthcell.RoleTownship, healthcell.RoleVillage, healthcell.RoleUnit}, actor.Role) {
		return healthcell.Errorf(healthcell.EFORBIDDEN, "error.forbidden")
	}
	m, err := db.machine()
	if err != nil {
		return err
	}
	var fe []healthcell.FieldError
	var camp *healthcell.Campaign
	if app.CampaignID == 0 {
		cs, err := db.FindCampaigns(ctx)
		if err != nil {
			return err
		}
		if len(cs) > 0 {
			camp = cs[0]
		}
	} else if c, err := db.FindCampaign(ctx, app.CampaignID); err == nil {
		camp = c
	}
	if camp == nil {
		fe = append(fe, healthcell.FieldError{Field: "campaign", Message: "error.not_found.campaign"})
	}
	var std *healthcell.Standard
	if app.StandardID != 0 {
		std, err = findStandard(ctx, db.r, `id = $1`, app.StandardID)
	} else {
		std, err = findStandard(ctx, db.r, `code = $1 ORDER BY version DESC LIMIT 1`, app.StandardCode)
	}
	if err != nil {
		fe = append(fe, healthcell.FieldError{Field: "standard", Message: "error.not_found.standard", Value: app.StandardCode})
	} else {
		if app.UnitKind == "" {
			app.UnitKind = std.UnitKind
		}
		if !sameUnitKind(std.UnitKind, app.UnitKind) {
			fe = append(fe, healthcell.FieldError{Field: "unit_kind", Message: "sheet.unit_kind.mismatch", Value: app.UnitKind})
		}
	}
	if err := healthcell.Invalid(fe); err != nil {
		return err
	}
	name, division, err := resolveUnit(ctx, db.r, app.UnitKind, app.UnitRef)
	if err != nil {
		return err
	}
	if app.UnitKind == "village" || app.UnitKind == "community" || app.UnitKind == "township" {
		app.UnitRef = division
	}
	department := ""
	if slices.Contains(healthcell.InstitutionKinds, app.UnitKind) {
		id, _ := strconv.ParseInt(app.UnitRef, 10, 64)
		u, err := findUnit(ctx, db.r, id)
		if err != nil {
			return err
		}
		department = u.Department
	}
	if !actor.CanReadApplication(division, app.UnitKind, app.UnitRef, department) || !healthcell.Covers(camp.Division, division) {
		return healthcell.Invalid([]healthcell.FieldError{{Field: "unit_ref", Message: "sheet.unit.unknown", Value: app.UnitRef}})
	}
	app.CampaignID, app.Year = camp.ID, camp.Year
	app.StandardID, app.StandardCode, app.StandardVersion, app.StandardName, app.CellType = std.ID, std.Code, std.Version, std.Name, std.CellType
	app.UnitName, app.Division, app.Department, app.State = name, division, department, m.Initial()
	return db.write(ctx, func(tx *Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM applications WHERE campaign_id = $1 AND standard_id = $2 AND unit_kind = $3 AND unit_ref = $4`,
			app.CampaignID, app.StandardID, app.UnitKind, app.UnitRef).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return healthcell.Errorf(healthcell.ECONFLICT, "application.duplicate")
		}
		app.Version, app.CreatedBy, app.CreatedAt, app.UpdatedAt = 1, tx.actor.Username, tx.now, tx.now
		if err := tx.QueryRowContext(ctx, `INSERT INTO applications (campaign_id, year, standard_id, unit_kind, unit_ref, unit_name, division, department,
			state, version, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $11, $11) RETURNING id`,
			app.CampaignID, app.Year, app.StandardID, app.UnitKind, app.UnitRef, app.UnitName, app.Division, app.Department, app.State,
			app.CreatedBy, tx.now).Scan(&app.ID); err != nil {
			return fmt.Errorf("insert application: %w", err)
		}
		if err := tx.logTransition(ctx, app.ID, "create", "", app.State, "", 0, 0); err != nil {
			return err
		}
		return tx.audit(ctx, "create", "application", app.ID, app.Division, nil, app)
	})
}

// logTransition records one step of an application.
func (tx *Tx) logTransition(ctx context.Context, id int64, action, from, to, comment string, sheetID, snapshotID int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO application_transitions (application_id, at, user_id, username, role, action, from_state, to_state, comment, sheet_id, snapshot_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`, id, tx.now, tx.actor.UserID, tx.actor.Username, string(tx.actor.Role), action, from, to, comment, sheetID, snapshotID)
	if err != nil {
		return fmt.Errorf("log transition: %w", err)
	}
	return nil
}

// FindApplication returns an application with its score sheets, timeline
// and rectification items when the caller may see it; ENOTFOUND otherwise.
func (db *DB) FindApplication(ctx context.Context, id int64) (*healthcell.Application, error) {
	actor, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	a, err := findApplication(ctx, db.r, id)
	if err != nil {
		return nil, err
	}
	if !readable(actor, a) {
		return nil, notFound("application")
	}
	if a.Sheets, err = db.applicationSheets(ctx, a); err != nil {
		return nil, err
	}
	rows, err := db.r.QueryContext(ctx, `SELECT t.id, t.at, t.username, COALESCE(u.display_name, ''), t.role, t.action, t.from_state, t.to_state, t.comment, t.sheet_id, t.snapshot_id
		FROM application_transitions t LEFT JOIN users u ON u.username = t.username
		WHERE t.application_id = $1 ORDER BY t.id`, id)
	if err != nil {
		return nil, fmt.Errorf("timeline: %w", err)
	}
	if err := eachRow(rows, func(rows *sql.Rows) error {
		t := &healthcell.Transition{ApplicationID: id}
		if err := rows.Scan(&t.ID, &t.At, &t.Username, &t.DisplayName, &t.Role, &t.Action, &t.From, &t.To, &t.Comment, &t.SheetID, &t.SnapshotID); err != nil {
			return err
		}
		a.Timeline = append(a.Timeline, t)
		return nil
	}); err != nil {
		return nil, err
	}
	if a.Rectifications, err = db.findRectifications(ctx, `r.application_id = $1`, id); err != nil {
		return nil, err
	}
	return a, nil
}

// sheetYear is the year whose score sheets count now: the campaign year
// until the unit is named, the current year (Asia/Shanghai) at a review.
func sheetYear(a *healthcell.Application, now string) int {
	if a.State == "named" || a.State == "review_due" {
		y, _ := strconv.Atoi(now[:4])
		return y
	}
	return a.Year
}

// applicationSheets returns the ids of the unit's score sheets against the
// application's standard version, by kind, for the year that counts now
// (the campaign year's when there is none for that year).
func (db *DB) applicationSheets(ctx context.Context, a *healthcell.Application) (map[string]int64, error) {
	year := sheetYear(a, healthcell.CampaignDay(db.Now()))
	rows, err := db.r.QueryContext(ctx, `SELECT kind, id, year FROM score_sheets WHERE standard_id = $1 AND unit_kind = $2 AND unit_ref = $3
		AND year IN ($4, $5) ORDER BY year, edition`, a.StandardID, a.UnitKind, a.UnitRef, a.Year, year)
	if err != nil {
		return nil, fmt.Errorf("application sheets: %w", err)
	}
	out := map[string]int64{}
	if err := eachRow(rows, func(rows *sql.Rows) error {
		var kind string
		var id int64
		var y int
		if err := rows.Scan(&kind, &id, &y); err != nil {
			return err
		}
		out[kind] = id // the later year, then the later edition wins
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// sheetPassed scores a score sheet of the application (with its computed
// values bound) and reports whether it is complete and passes; false when
// there is no sheet.
func (db *DB) sheetPassed(ctx context.Context, a *healthcell.Application, sheets map[string]int64, kind string) (id int64, passed bool, err error) {
	id = sheets[kind]
	if id == 0 {
		return 0, false, nil
	}
	res, err := db.sheetResult(ctx, id)
	if err != nil {
		return 0, false, err
	}
	return id, res.Complete && res.Passed, nil
}

// sheetResult scores score sheet id with its computed values bound; the
// error is ENOTFOUND for a missing sheet, or the storage's.
func (db *DB) sheetResult(ctx context.Context, id int64) (score.Result, error) {
	s, err := findSheet(ctx, db.r, id)
	if err != nil {
		return score.Result{}, err
	}
	std, err := db.standardVersion(ctx, s.StandardID)
	if err != nil {
		return score.Result{}, err
	}
	if err := db.loadBound(ctx, s, std); err != nil {
		return score.Result{}, err
	}
	return score.Compute(std, s), nil
}

// scopeWhere is the SQL condition on applications (alias a) or
// rectifications (alias r) that the actor may read, with its arguments
// appended to args.
func scopeWhere(actor *healthcell.Actor, alias string, arg func(any) string) string {
	if actor.System {
		return "1 = 1"
	}
	lo, hi := healthcell.CodeRange(actor.Scope)
	w := alias + ".division BETWEEN " + arg(lo) + " AND " + arg(hi)
	inst := alias + ".unit_kind IN ('school', 'hospital', 'agency', 'enterprise')"
	switch actor.Role {
	case healthcell.RoleUnit:
		w += " AND " + inst + " AND " + alias + ".unit_ref = " + arg(actor.Unit)
	case healthcell.RoleDepartment:
		w += " AND " + inst + " AND " + alias + ".department = " + arg(actor.Department) + " AND " + alias + ".department <> ''"
	}
	return w
}

// FindApplications lists the applications under f.Division (the caller's
// scope when empty) that the caller may see, most recently changed first,
// and their total. It returns ENOTFOUND for a division outside the scope.
func (db *DB) FindApplications(ctx context.Context, f healthcell.ApplicationFilter) ([]*healthcell.Application, int, error) {
	actor, err := actorOf(ctx)
	if err != nil {
		return nil, 0, err
	}
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	where := []string{scopeWhere(actor, "a", arg)}
	if f.Division != "" {
		lo, hi, err := scopeRange(actor, f.Division, actor.CoversDivision)
		if err != nil {
			return nil, 0, err
		}
		where = append(where, "a.division BETWEEN "+arg(lo)+" AND "+arg(hi))
	}
	if f.CampaignID != 0 {
		where = append(where, "a.campaign_id = "+arg(f.CampaignID))
	}
	if f.State != "" {
		where = append(where, "a.state = "+arg(f.State))
	}
	if f.UnitKind != "" {
		where = append(where, "a.unit_kind = "+arg(f.UnitKind))
	}
	w := " WHERE " + strings.Join(where, " AND ")
	var total int
	if err := db.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM applications a`+w, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count applications: %w", err)
	}
	limit, offset := page(f.Limit, f.Offset)
	rows, err := db.r.QueryContext(ctx, `SELECT `+applicationColumns+applicationFrom+w+` ORDER BY a.updated_at DESC, a.id DESC LIMIT `+arg(limit)+` OFFSET `+arg(offset), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find applications: %w", err)
	}
	var out []*healthcell.Application
	if err := eachRow(rows, func(rows *sql.Rows) error {
		a, err := scanApplication(rows)
		if err != nil {
			return err
		}
		out = append(out, a)
		return nil
	}); err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// FindNamedUnits lists the units named in a county, or in every county of
// a city or province (a 12-digit code), whose title stands — named or
// under review, not revoked — for the public page: no login is needed, so
// households show only their village and the head's surname. It returns
// ENOTFOUND for a code that is not a province, city or county.
func (db *DB) FindNamedUnits(ctx context.Context, county string) ([]*healthcell.Application, error) {
	if r := db.onReplica(ctx); r != db {
		return r.FindNamedUnits(ctx, county)
	}
	county = healthcell.NormalizeCode(county)
	if lv := healthcell.CodeLevel(county); lv < healthcell.LevelProvince || lv > healthcell.LevelCounty {
		return nil, notFound("division")
	}
	lo, hi := healthcell.CodeRange(county)
	rows, err := db.r.QueryContext(ctx, `SELECT `+applicationColumns+`, COALESCE(d.name, '')`+applicationFrom+`
		LEFT JOIN divisions d ON d.code = a.division
		WHERE a.division BETWEEN $1 AND $2 AND a.state IN ('named', 'review_due') ORDER BY a.named_on DESC, a.certificate_no`, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("named units: %w", err)
	}
	var out []*healthcell.Application
	if err := eachRow(rows, func(rows *sql.Rows) error {
		var village string
		a, err := scanApplication(rows, &village)
		if err != nil {
			return err
		}
		if a.UnitKind == "household" {
			a.UnitName = village + " " + publicHouseholdName(a.UnitName)
			a.UnitRef = ""
		}
		a.CreatedBy, a.Department = "", ""
		out = append(out, a)
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// publicHouseholdName turns "户 0012（张三）" into "张*家".
func publicHouseholdName(name string) string {
	i := strings.Index(name, "（")
	if i < 0 {
		return "家庭"
	}
	head := []rune(strings.TrimSuffix(name[i+len("（"):], "）"))
	if len(head) == 0 {
		return "家庭"
	}
	return string(head[0]) + strings.Repeat("*", len(head)-1) + "家"
}
