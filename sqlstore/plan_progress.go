package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/healthcell/healthcell"
)

// PlanProgress computes progress against a campaign's plan on day
// (YYYY-MM-DD; today in Asia/Shanghai when empty) from the live
// applications, units and task reports. A township or village officer gets
// the rows, totals and milestones of its own township only. ENOTFOUND as for FindPlan, EINVALID for
// a bad day.
func (db *DB) PlanProgress(ctx context.Context, campaignID int64, day string) (*healthcell.PlanProgress, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	if day == "" {
		day = healthcell.CampaignDay(db.Now())
	} else if _, ok := healthcell.EndOfDay(day); !ok {
		return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "day", Message: "campaign.date.invalid", Value: day}})
	}
	c, p, err := db.visiblePlan(ctx, a, campaignID)
	if err != nil {
		return nil, err
	}
	return db.progressOf(ctx, a, c, p, day, nil)
}

// FindPlanProgress is FindPlan and PlanProgress on today at once, for the
// plan page, with the campaign: the plan is read once and the reports
// once. Errors as for FindPlan.
func (db *DB) FindPlanProgress(ctx context.Context, campaignID int64) (*healthcell.Campaign, *healthcell.Plan, *healthcell.PlanProgress, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	c, p, err := db.visiblePlan(ctx, a, campaignID)
	if err != nil {
		return nil, nil, nil, err
	}
	if err := db.fillPlanActivity(ctx, p); err != nil {
		return nil, nil, nil, err
	}
	day := healthcell.CampaignDay(db.Now())
	latest := map[string]int{}
	for i := range p.Tasks {
		t := &p.Tasks[i]
		t.Overdue = t.Progress < 100 && day > t.Deadline
		latest[t.Key] = t.Progress
	}
	g, err := db.progressOf(ctx, a, c, p, day, latest)
	if err != nil {
		return nil, nil, nil, err
	}
	return c, p, g, nil
}

// progressOf computes the progress of c's plan p as a sees it on day;
// reports are the tasks' latest percentages when the caller has them
// (nil: read them).
func (db *DB) progressOf(ctx context.Context, a *healthcell.Actor, c *healthcell.Campaign, p *healthcell.Plan, day string, reports map[string]int) (*healthcell.PlanProgress, error) {
	f, err := db.planFacts(ctx, c, p, reports)
	if err != nil {
		return nil, err
	}
	if !a.System && (a.Role == healthcell.RoleTownship || a.Role == healthcell.RoleVillage) {
		// Its own township only: rows, totals and milestones.
		for town := range f.Townships {
			if !healthcell.Covers(town, a.Scope) {
				delete(f.Townships, town)
			}
		}
	}
	return healthcell.ComputeProgress(p, f, day), nil
}

// planFacts gathers what progress is computed from: the county's
// townships, the units of each goal's kind per township, the campaign's
// namings and applications under way per standard and township, and each
// task's latest reported percentage (reports, when not nil).
func (db *DB) planFacts(ctx context.Context, c *healthcell.Campaign, p *healthcell.Plan, reports map[string]int) (*healthcell.PlanFacts, error) {
	f, err := db.countyFacts(ctx, c, p, func() (*healthcell.PlanFacts, error) { return db.readCountyFacts(ctx, c, p) })
	if err != nil {
		return nil, err
	}
	if reports != nil {
		f.Reports = reports
		return f, nil
	}
	if f.Reports, err = db.latestReports(ctx, c.ID); err != nil {
		return nil, err
	}
	return f, nil
}

// readCountyFacts reads planFacts' counts from the tables, without
// Reports. It returns the first query's error.
func (db *DB) readCountyFacts(ctx context.Context, c *healthcell.Campaign, p *healthcell.Plan) (*healthcell.PlanFacts, error) {
	f := &healthcell.PlanFacts{Townships: map[string]string{}, Eligible: map[string]map[string]int{},
		Named: map[string]map[string][]string{}, InProgress: map[string]map[string]int{}}
	lo, hi := healthcell.CodeRange(c.Division)
	rows, err := db.r.QueryContext(ctx, `SELECT code, name FROM divisions WHERE level = $1 AND code BETWEEN $2 AND $3`, healthcell.LevelTownship, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("plan townships: %w", err)
	}
	if err := eachRow(rows, func(rows *sql.Rows) error {
		var code, name string
		if err := rows.Scan(&code, &name); err != nil {
			return err
		}
		f.Townships[code] = name
		return nil
	}); err != nil {
		return nil, err
	}
	stds, err := db.standards.get(ctx, db.r, db.findStandards)
	if err != nil {
		return nil, err
	}
	kinds := map[string]string{} // standard code → unit kind
	for _, g := range p.Goals {
		for _, s := range stds {
			if s.Code == g.Standard {
				kinds[g.Standard] = s.UnitKind
			}
		}
		if _, ok := kinds[g.Standard]; !ok {
			return nil, fmt.Errorf("goal standard %s is not stored", g.Standard)
		}
	}
	counted := map[string]map[string]int{} // unit kind → township → units
	for std, kind := range kinds {
		if _, ok := counted[kind]; !ok {
			m, err := db.eligibleUnits(ctx, kind, lo, hi)
			if err != nil {
				return nil, err
			}
			counted[kind] = m
		}
		f.Eligible[std] = counted[kind]
	}
	ar, err := db.r.QueryContext(ctx, `SELECT s.code, substr(a.division, 1, 9), a.state, a.named_on FROM applications a
		JOIN standards s ON s.id = a.standard_id WHERE a.campaign_id = $1`, c.ID)
	if err != nil {
		return nil, fmt.Errorf("plan applications: %w", err)
	}
	if err := eachRow(ar, func(ar *sql.Rows) error {
		var std, prefix, state, named string
		if err := ar.Scan(&std, &prefix, &state, &named); err != nil {
			return err
		}
		town := prefix + "000"
		switch state {
		case "named", "review_due":
			if f.Named[std] == nil {
				f.Named[std] = map[string][]string{}
			}
			f.Named[std][town] = append(f.Named[std][town], named)
		case "failed", "revoked":
		default:
			if f.InProgress[std] == nil {
				f.InProgress[std] = map[string]int{}
			}
			f.InProgress[std][town]++
		}
		return nil
	}); err != nil {
		return nil, err
	}
	return f, nil
}

// eligibleUnits counts the units of kind per township code in [lo, hi]:
// villages and communities (administrative villages by name: a 社区 or
// 居民委员会 is a community), households, townships, or institutions.
func (db *DB) eligibleUnits(ctx context.Context, kind, lo, hi string) (map[string]int, error) {
	var q string
	args := []any{lo, hi}
	switch kind {
	case "village":
		q = `SELECT substr(code, 1, 9), COUNT(*) FROM divisions WHERE level = 5 AND code BETWEEN $1 AND $2
			AND name NOT LIKE '%社区%' AND name NOT LIKE '%居民委员会' GROUP BY substr(code, 1, 9)`
	case "community":
		q = `SELECT substr(code, 1, 9), COUNT(*) FROM divisions WHERE level = 5 AND code BETWEEN $1 AND $2
			AND (name LIKE '%社区%' OR name LIKE '%居民委员会') GROUP BY substr(code, 1, 9)`
	case "household":
		q = `SELECT substr(village_code, 1, 9), SUM(households) FROM village_stats WHERE village_code BETWEEN $1 AND $2
			GROUP BY substr(village_code, 1, 9)`
	case "township":
		q = `SELECT substr(code, 1, 9), COUNT(*) FROM divisions WHERE level = 4 AND code BETWEEN $1 AND $2 GROUP BY substr(code, 1, 9)`
	default:
		q = `SELECT substr(division, 1, 9), COUNT(*) FROM units WHERE kind = $3 AND division BETWEEN $1 AND $2 GROUP BY substr(division, 1, 9)`
		args = append(args, kind)
	}
	rows, err := db.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("eligible %s: %w", kind, err)
	}
	out := map[string]int{}
	if err := eachRow(rows, func(rows *sql.Rows) error {
		var prefix string
		var n int64
		if err := rows.Scan(&prefix, &n); err != nil {
			return err
		}
		out[prefix+"000"] = int(n)
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}
