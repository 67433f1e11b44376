package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/catalog"
	"github.com/healthcell/healthcell/indicator"
	"github.com/healthcell/healthcell/score"
)

// familyStandard returns the shipped family rules and the latest stored
// version of their standard; EINVALID "family.standard.missing" when that
// standard was never loaded.
func (db *DB) familyStandard(ctx context.Context) (*catalog.FamilyRules, *healthcell.Standard, error) {
	rules := db.defs.Family
	std, err := findStandard(ctx, db.r, `code = $1 ORDER BY version DESC LIMIT 1`, rules.Standard)
	if err != nil {
		if healthcell.ErrorCode(err) == healthcell.ENOTFOUND {
			return nil, nil, healthcell.Invalid([]healthcell.FieldError{{Field: "standard", Message: "family.standard.missing", Value: rules.Standard}})
		}
		return nil, nil, err
	}
	return rules, std, nil
}

// familyCampaign returns the campaign id names, or the newest one of the
// caller's county; EINVALID when there is none.
func (db *DB) familyCampaign(ctx context.Context, id int64) (*healthcell.Campaign, error) {
	if id != 0 {
		c, err := db.FindCampaign(ctx, id)
		if err != nil && healthcell.ErrorCode(err) != healthcell.ENOTFOUND {
			return nil, err
		}
		if c != nil {
			return c, nil
		}
	} else if cs, err := db.FindCampaigns(ctx); err != nil {
		return nil, err
	} else if len(cs) > 0 {
		return cs[0], nil
	}
	return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "campaign", Message: "error.not_found.campaign"}})
}

// FamilyHouseholds lists the village's active households, by number, with
// the family standard's items answered from the registers today (the rules
// of catalog/family), the score that gives and each household's
// application in the campaign. ENOTFOUND for a village outside the
// caller's scope (or a code that is not a village), EINVALID without a
// campaign or a loaded family standard.
func (db *DB) FamilyHouseholds(ctx context.Context, village string, campaignID int64) (*healthcell.FamilyList, error) {
	actor, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	if healthcell.CodeLevel(village) != healthcell.LevelVillage || !actor.CanReadPersons(village) {
		return nil, notFound("division")
	}
	out := &healthcell.FamilyList{Village: healthcell.Division{Code: village, Level: healthcell.LevelVillage}}
	if err := db.r.QueryRowContext(ctx, `SELECT name FROM divisions WHERE code = $1`, village).Scan(&out.Village.Name); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("division")
		}
		return nil, fmt.Errorf("village: %w", err)
	}
	camp, err := db.familyCampaign(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	rules, std, err := db.familyStandard(ctx)
	if err != nil {
		return nil, err
	}
	out.CampaignID, out.Standard, out.StandardID, out.PassScore = camp.ID, std.Code, std.ID, std.PassScore
	for _, r := range rules.Items {
		if it := std.Item(r.Item); it != nil {
			out.Items = append(out.Items, healthcell.FamilyItem{Code: it.Code, Text: it.Text})
		}
	}
	today := healthcell.CampaignDay(db.Now())
	byID := map[int64]*healthcell.FamilyHousehold{}
	rows, err := db.r.QueryContext(ctx, `SELECT h.id, h.number, h.head_name, COALESCE(f.knowledge_person, ''), f.id IS NOT NULL,
		(SELECT COUNT(*) FROM persons p WHERE p.household_id = h.id AND p.status = 'active' AND p.resident),
		(SELECT COUNT(*) FROM persons p WHERE p.household_id = h.id AND p.status = 'active' AND p.resident AND NOT EXISTS (
			SELECT 1 FROM reg_contracts c WHERE c.person_id = p.id AND c.active AND c.start_date <= $2 AND c.end_date >= $2))
		FROM households h LEFT JOIN reg_family_health f ON f.household_id = h.id AND f.active
		WHERE h.village_code = $1 AND h.active ORDER BY h.number, h.id`, village, today)
	if err != nil {
		return nil, fmt.Errorf("family households: %w", err)
	}
	if err := eachRow(rows, func(rows *sql.Rows) error {
		h := &healthcell.FamilyHousehold{Items: map[string]bool{}}
		if err := rows.Scan(&h.HouseholdID, &h.Number, &h.HeadName, &h.Guide, &h.Recorded, &h.ResidentMembers, &h.Uncontracted); err != nil {
			return err
		}
		out.Households = append(out.Households, h)
		byID[h.HouseholdID] = h
		return nil
	}); err != nil {
		return nil, err
	}
	if err := db.familyItems(ctx, rules, village, today, byID); err != nil {
		return nil, err
	}
	for _, h := range out.Households {
		res := score.Compute(std, familySheet(std, rules, h))
		h.Score, h.Passed = res.Total, res.Passed
		for _, it := range res.Items {
			if !it.Met {
				h.Unmet = append(h.Unmet, it.Code)
			}
		}
	}
	rows, err = db.r.QueryContext(ctx, `SELECT id, unit_ref, state FROM applications WHERE campaign_id = $1 AND standard_id = $2
		AND unit_kind = 'household' AND division = $3`, camp.ID, std.ID, village)
	if err != nil {
		return nil, fmt.Errorf("family applications: %w", err)
	}
	if err := eachRow(rows, func(rows *sql.Rows) error {
		var id int64
		var ref, state string
		if err := rows.Scan(&id, &ref, &state); err != nil {
			return err
		}
		hid, _ := strconv.ParseInt(ref, 10, 64)
		if h := byID[hid]; h != nil {
			h.ApplicationID, h.State = id, state
		}
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// familyItems answers every rule for the village's households in one query.
func (db *DB) familyItems(ctx context.Context, rules *catalog.FamilyRules, village, today string, byID map[int64]*healthcell.FamilyHousehold) error {
	srcs := db.sources
	day, err := time.Parse(time.DateOnly, today)
	if err != nil {
		return err
	}
	rs := make([]indicator.Rule, len(rules.Items))
	for i, r := range rules.Items {
		rs[i] = r.Rule()
	}
	q, err := indicator.CompileFlags(indicator.Households, rs, srcs, indicator.Period{Label: today, Start: day, End: day},
		indicator.Scope{Villages: []string{village}, GroupLen: 12})
	if err != nil {
		return err
	}
	rows, err := db.r.QueryContext(ctx, q.SQL, q.Args...)
	if err != nil {
		return fmt.Errorf("family items: %w", err)
	}
	flags := make([]int64, len(rs))
	dest := make([]any, len(rs)+1)
	var id int64
	dest[0] = &id
	for i := range flags {
		dest[i+1] = &flags[i]
	}
	if err := eachRow(rows, func(rows *sql.Rows) error {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		if h := byID[id]; h != nil {
			for i, r := range rules.Items {
				h.Items[r.Item] = flags[i] == 1
			}
		}
		return nil
	}); err != nil {
		return err
	}
	return nil
}

// familySheet is the self-assessment the registers give for h: every item
// with a rule answered yes or no, noted as taken from the registers.
func familySheet(std *healthcell.Standard, rules *catalog.FamilyRules, h *healthcell.FamilyHousehold) *healthcell.ScoreSheet {
	s := &healthcell.ScoreSheet{StandardID: std.ID, Kind: healthcell.SheetSelf, Answers: map[string]*healthcell.Answer{}}
	for _, r := range rules.Items {
		if std.Item(r.Item) == nil {
			continue
		}
		yes := h.Items[r.Item]
		s.Answers[r.Item] = &healthcell.Answer{ItemCode: r.Item, Yes: &yes, Note: familyNote}
	}
	return s
}

// familyNote marks answers filled from the registers.
const familyNote = "由台账数据生成"

// ApplyFamilies applies for each household given (at most healthcell.MaxFamilyBulk)
// of the village in the campaign: it reads the village's households as
// FamilyHouseholds does, refuses with a reason those that cannot apply
// (not in the village, already applied, members not contracted, a
// self-assessment from the data that does not pass), and for each other
// household creates its application (unless it has one in
// self-assessment), fills its self-assessment from the registers (an item
// the officer answered already keeps that answer) and applies — each household on its own: one failing does not stop or undo
// the others. For one household these are separate audited writes; when
// the last one (申报) is refused the household stays 自查中 with its sheet,
// and its result says why. EFORBIDDEN for anyone but a village officer
// (or the system); ENOTFOUND for a village out of scope.
func (db *DB) ApplyFamilies(ctx context.Context, village string, campaignID int64, households []int64) ([]*healthcell.FamilyApplyResult, error) {
	actor, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	if !actor.System && actor.Role != healthcell.RoleVillage {
		return nil, healthcell.Errorf(healthcell.EFORBIDDEN, "error.forbidden")
	}
	if len(households) == 0 {
		return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "households", Message: "application.bulk.empty"}})
	}
	if len(households) > healthcell.MaxFamilyBulk {
		return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "households", Message: "application.bulk.too_many"}})
	}
	list, err := db.FamilyHouseholds(ctx, village, campaignID)
	if err != nil {
		return nil, err
	}
	rules, std, err := db.familyStandard(ctx)
	if err != nil {
		return nil, err
	}
	camp, err := db.familyCampaign(ctx, list.CampaignID)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*healthcell.FamilyHousehold{}
	for _, h := range list.Households {
		byID[h.HouseholdID] = h
	}
	out := make([]*healthcell.FamilyApplyResult, 0, len(households))
	seen := map[int64]bool{}
	for _, id := range households {
		h := byID[id]
		r := &healthcell.FamilyApplyResult{HouseholdID: id}
		out = append(out, r)
		switch {
		case h == nil || seen[id]:
			r.Reason = "family.household.unknown"
			continue
		case h.State != "" && h.State != "self_assessment":
			r.Reason, r.Detail = "family.already_applied", h.State
		case h.ResidentMembers == 0:
			r.Reason = "family.no_resident.reason"
		case h.Uncontracted > 0:
			r.Reason, r.Detail = "workflow.guard.members_contracted", strconv.Itoa(h.Uncontracted)
		}
		if r.Reason == "" && h.ApplicationID != 0 {
			// A self-assessment begun by hand: its answers stand over the data's.
			if err := db.mergeGiven(ctx, std, camp, h); err != nil {
				return nil, err
			}
		}
		if r.Reason == "" && !h.Passed {
			r.Reason, r.Detail = "family.sheet.not_passed", strings.Join(h.Unmet, "、")
		}
		seen[id] = true
		r.Number, r.HeadName, r.ApplicationID = h.Number, h.HeadName, h.ApplicationID
		if r.Reason != "" {
			continue
		}
		if err := db.applyFamily(ctx, camp, std, rules, h, r); err != nil {
			if code := healthcell.ErrorCode(err); code == healthcell.EINTERNAL || code == "" {
				return nil, err
			}
			r.Reason = healthcell.ErrorMessage(err)
			var e *healthcell.Error
			if errors.As(err, &e) && len(e.Fields) > 0 {
				r.Reason = e.Fields[0].Message
			}
			continue
		}
		r.OK = true
	}
	return out, nil
}

// applyFamily creates h's application (unless it has one), fills the items
// of its self-assessment not answered yet from the registers (in a new
// edition when the sheet in use is frozen) and applies.
func (db *DB) applyFamily(ctx context.Context, camp *healthcell.Campaign, std *healthcell.Standard, rules *catalog.FamilyRules,
	h *healthcell.FamilyHousehold, r *healthcell.FamilyApplyResult) error {
	ref := strconv.FormatInt(h.HouseholdID, 10)
	if h.ApplicationID == 0 {
		app := &healthcell.Application{CampaignID: camp.ID, StandardID: std.ID, UnitKind: "household", UnitRef: ref}
		if err := db.CreateApplication(ctx, app); err != nil {
			return err
		}
		h.ApplicationID, h.State = app.ID, app.State
		r.ApplicationID = app.ID
	}
	sheet := &healthcell.ScoreSheet{StandardID: std.ID, Kind: healthcell.SheetSelf, UnitKind: "household", UnitRef: ref, Year: camp.Year}
	if err := db.CreateScoreSheet(ctx, sheet); err != nil {
		return err
	}
	// A self-assessment a step froze already (the same year's sheet of an
	// earlier application) is not written over: its next edition is.
	if sheet.FrozenAt != nil {
		next, err := db.NewSheetEdition(ctx, sheet.ID)
		if err != nil {
			return err
		}
		sheet = next
	}
	// An answer the officer gave already stands; the registers fill the rest.
	given, err := db.FindScoreSheet(ctx, sheet.ID)
	if err != nil {
		return err
	}
	filled := familySheet(std, rules, h)
	answers := make([]*healthcell.Answer, 0, len(filled.Answers))
	for _, it := range std.Items {
		if a := filled.Answers[it.Code]; a != nil && !answered(given.Answers[it.Code]) {
			answers = append(answers, a)
		}
	}
	if len(answers) > 0 {
		if err := db.FillScoreSheet(ctx, sheet.ID, answers, nil); err != nil {
			return err
		}
	}
	_, err = db.Transition(ctx, h.ApplicationID, healthcell.TransitionRequest{Action: "apply", Comment: "批量申报：自查表由台账数据生成"})
	return err
}

// mergeGiven rescores h with the answers its self-assessment of the
// campaign year holds already in place of the registers' (h.Items, Score,
// Passed and Unmet change); nothing when it has no sheet.
func (db *DB) mergeGiven(ctx context.Context, std *healthcell.Standard, camp *healthcell.Campaign, h *healthcell.FamilyHousehold) error {
	var id int64
	err := db.r.QueryRowContext(ctx, `SELECT id FROM score_sheets WHERE standard_id = $1 AND kind = $2 AND unit_kind = 'household' AND unit_ref = $3 AND year = $4
		ORDER BY edition DESC LIMIT 1`,
		std.ID, healthcell.SheetSelf, strconv.FormatInt(h.HouseholdID, 10), camp.Year).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("family sheet: %w", err)
	}
	given, err := findSheet(ctx, db.r, id)
	if err != nil {
		return err
	}
	if err := db.loadAnswers(ctx, given); err != nil {
		return err
	}
	for code, a := range given.Answers {
		if answered(a) && a.Yes != nil {
			h.Items[code] = *a.Yes
		}
	}
	rules := db.defs.Family
	sheet := familySheet(std, rules, h)
	for code, a := range given.Answers {
		if answered(a) {
			sheet.Answers[code] = a
		}
	}
	res := score.Compute(std, sheet)
	h.Score, h.Passed, h.Unmet = res.Total, res.Passed, nil
	for _, it := range res.Items {
		if !it.Met {
			h.Unmet = append(h.Unmet, it.Code)
		}
	}
	return nil
}

// answered reports whether a holds an answer (evidence alone is none).
func answered(a *healthcell.Answer) bool {
	return a != nil && (a.Yes != nil || a.Grade != "" || a.Value != nil || a.Count != nil)
}
