package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/score"
	"github.com/healthcell/healthcell/workflow"
)

// PlanGaps lists what stands between a village (or each village of a
// township) and naming in a campaign: the failing or unanswered items of
// the latest score sheet of each application not named, with the open
// rectification item made of each, and the family applications under way.
// ENOTFOUND for a campaign or division out of the caller's scope; EINVALID
// for a division that is neither a village nor a township.
func (db *DB) PlanGaps(ctx context.Context, campaignID int64, division string) (*healthcell.Gaps, error) {
	c, err := db.FindCampaign(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	division = healthcell.NormalizeCode(division)
	level := healthcell.CodeLevel(division)
	if level != healthcell.LevelVillage && level != healthcell.LevelTownship {
		return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "division", Message: "division.code.invalid", Value: division}})
	}
	if !healthcell.Covers(c.Division, division) {
		return nil, notFound("division")
	}
	d, err := db.FindDivision(ctx, division) // ENOTFOUND out of scope
	if err != nil {
		return nil, err
	}
	g := &healthcell.Gaps{CampaignID: c.ID, Division: division, Name: d.Name, Units: []healthcell.UnitGaps{}, Households: []healthcell.FamilyGap{}}
	apps, _, err := db.FindApplications(ctx, healthcell.ApplicationFilter{Division: division, CampaignID: c.ID, Limit: 5000})
	if err != nil {
		return nil, err
	}
	open, err := db.openItemsByApp(ctx, c.ID, division)
	if err != nil {
		return nil, err
	}
	villages := map[string]*healthcell.VillageGap{}
	vg := func(code string) *healthcell.VillageGap {
		v := villages[code]
		if v == nil {
			v = &healthcell.VillageGap{Division: code}
			villages[code] = v
		}
		return v
	}
	for _, app := range apps {
		if app.State == "named" || app.State == "review_due" || app.State == "failed" || app.State == "revoked" {
			continue
		}
		items, sheet, err := db.failingItems(ctx, app)
		if err != nil {
			return nil, err
		}
		switch app.UnitKind {
		case "household":
			if len(g.Households) < 200 {
				g.Households = append(g.Households, healthcell.FamilyGap{ApplicationID: app.ID, UnitName: app.UnitName, Division: app.Division,
					State: app.State, Failing: len(items)})
			}
			vg(app.Division).Families++
		case "village", "community":
			for i := range items {
				items[i].Rectification = open[openKey{app.ID, items[i].Code}]
			}
			if level == healthcell.LevelVillage {
				g.Units = append(g.Units, healthcell.UnitGaps{ApplicationID: app.ID, UnitName: app.UnitName, Division: app.Division,
					CellType: app.CellType, State: app.State, SheetID: sheet, Items: items})
			}
			vg(app.Division).Items += len(items)
		}
	}
	if level == healthcell.LevelTownship {
		for _, ch := range d.Children {
			if v := villages[ch.Code]; v != nil {
				v.Name = ch.Name
				g.Villages = append(g.Villages, *v)
			}
		}
	}
	lo, hi := healthcell.CodeRange(division)
	if err := db.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM households h WHERE h.village_code BETWEEN $1 AND $2
		AND NOT EXISTS (SELECT 1 FROM applications a WHERE a.campaign_id = $3 AND a.unit_kind = 'household' AND a.unit_ref = `+castText(db)+`)`,
		lo, hi, c.ID).Scan(&g.Without); err != nil {
		return nil, fmt.Errorf("households without an application: %w", err)
	}
	return g, nil
}

// castText is h.id as text, for comparing with applications.unit_ref.
func castText(db *DB) string {
	if db.Engine == Postgres {
		return "h.id::text"
	}
	return "CAST(h.id AS TEXT)"
}

type openKey struct {
	app  int64
	item string
}

// openItemsByApp returns the open or answered rectification items of the
// campaign's applications under division, by application and item code.
func (db *DB) openItemsByApp(ctx context.Context, campaign int64, division string) (map[openKey]int64, error) {
	lo, hi := healthcell.CodeRange(division)
	rows, err := db.r.QueryContext(ctx, `SELECT r.application_id, r.item_code, r.id FROM rectifications r JOIN applications a ON a.id = r.application_id
		WHERE a.campaign_id = $1 AND r.division BETWEEN $2 AND $3 AND r.state <> 'accepted' AND r.item_code <> ''`, campaign, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("open items: %w", err)
	}
	out := map[openKey]int64{}
	if err := eachRow(rows, func(rows *sql.Rows) error {
		var k openKey
		var id int64
		if err := rows.Scan(&k.app, &k.item, &id); err != nil {
			return err
		}
		out[k] = id
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// failingItems scores the application's latest sheet — the evaluation when
// there is one, else the self-assessment — and returns its items that are
// unanswered or short of full marks (bonus items aside); with no sheet,
// every item of the standard.
func (db *DB) failingItems(ctx context.Context, app *healthcell.Application) ([]healthcell.GapItem, int64, error) {
	std, err := findStandard(ctx, db.r, `id = $1`, app.StandardID)
	if err != nil {
		return nil, 0, err
	}
	sheets, err := db.applicationSheets(ctx, app)
	if err != nil {
		return nil, 0, err
	}
	id := sheets[healthcell.SheetEvaluation]
	if id == 0 {
		id = sheets[healthcell.SheetSelf]
	}
	out := []healthcell.GapItem{}
	if id == 0 {
		for _, it := range std.Items {
			if !it.Bonus {
				out = append(out, healthcell.GapItem{Code: it.Code, Section: it.Section, Text: it.Text, Max: it.Points})
			}
		}
		return out, 0, nil
	}
	s, err := findSheet(ctx, db.r, id)
	if err != nil {
		return nil, 0, err
	}
	if err := db.loadAnswers(ctx, s); err != nil {
		return nil, 0, err
	}
	for _, r := range score.Compute(std, s).Items {
		if r.Bonus || r.Answered && r.Met {
			continue
		}
		it := std.Item(r.Code)
		out = append(out, healthcell.GapItem{Code: r.Code, Section: r.Section, Text: it.Text, Max: r.Max, Score: r.Score, Answered: r.Answered})
	}
	return out, id, nil
}

// GapToRectification turns a failing item of an application into an open
// rectification item (整改) due on deadline, checked at the caller's level,
// in one audited transaction. EFORBIDDEN for a caller who does not check
// the unit (only its township or the county office), EINVALID for an
// unknown item or a bad deadline, ECONFLICT when the item has an open
// rectification already or the application is named.
func (db *DB) GapToRectification(ctx context.Context, appID int64, item, deadline string) (*healthcell.Rectification, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	app, err := db.FindApplication(ctx, appID)
	if err != nil {
		return nil, err
	}
	c := workflow.Context{Actor: a, UnitKind: app.UnitKind, UnitDivision: app.Division, UnitRef: app.UnitRef, UnitDepartment: app.Department}
	level := workflow.LevelTownship
	if !workflow.AtLevel(level, c) || a.Role == healthcell.RoleViewer || a.Role == healthcell.RoleEvaluator {
		level = workflow.LevelCounty
		if !workflow.AtLevel(level, c) || a.Role != healthcell.RoleCountyAdmin && !a.System {
			return nil, healthcell.Errorf(healthcell.EFORBIDDEN, "error.forbidden")
		}
	}
	if app.State == "named" || app.State == "review_due" || app.State == "failed" || app.State == "revoked" {
		return nil, healthcell.Errorf(healthcell.ECONFLICT, "plan.gap.closed")
	}
	std, err := findStandard(ctx, db.r, `id = $1`, app.StandardID)
	if err != nil {
		return nil, err
	}
	it := std.Item(item)
	if it == nil {
		return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "item_code", Message: "sheet.item.unknown", Value: item}})
	}
	items, err := db.rectificationItems(ctx, app, level, []healthcell.RectificationInput{{ItemCode: item, Text: it.Text, Deadline: deadline}}, db.r)
	if err != nil {
		return nil, err
	}
	r := items[0]
	err = db.write(ctx, func(tx *Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM rectifications WHERE application_id = $1 AND item_code = $2 AND state <> 'accepted'`,
			app.ID, item).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return healthcell.Errorf(healthcell.ECONFLICT, "plan.gap.exists")
		}
		if err := tx.insertRectification(ctx, r); err != nil {
			return err
		}
		return tx.audit(ctx, "create", "rectification", r.ID, r.Division, nil, r)
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}
