package sqlstore

import (
	"context"
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
	f, err := db.planFacts(ctx, c, p)
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
// task's latest reported percentage.
func (db *DB) planFacts(ctx context.Context, c *healthcell.Campaign, p *healthcell.Plan) (*healthcell.PlanFacts, error) {
	f := &healthcell.PlanFacts{Townships: map[string]string{}, Eligible: map[string]map[string]int{},
		Named: map[string]map[string][]string{}, InProgress: map[string]map[string]int{}, Reports: map[string]int{}}
	lo, hi := healthcell.CodeRange(c.Division)
	rows, err := db.r.QueryContext(ctx, `SELECT code, name FROM divisions WHERE level = $1 AND code BETWEEN $2 AND $3`, healthcell.LevelTownship, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("plan townships: %w", err)
	}
	for rows.Next() {
		var code, name string
		if err := rows.Scan(&code, &name); err != nil {
			rows.Close()
			return nil, err
		}
		f.Townships[code] = name
	}
	rows.Close()
	kinds := map[string]string{} // standard code → unit kind
	for _, g := range p.Goals {
		if _, ok := kinds[g.Standard]; ok {
			continue
		}
		var kind string
		if err := db.r.QueryRowContext(ctx, `SELECT unit_kind FROM standards WHERE code = $1 ORDER BY version DESC LIMIT 1`, g.Standard).Scan(&kind); err != nil {
			return nil, fmt.Errorf("goal standard %s: %w", g.Standard, err)
		}
		kinds[g.Standard] = kind
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
	for ar.Next() {
		var std, prefix, state, named string
		if err := ar.Scan(&std, &prefix, &state, &named); err != nil {
			ar.Close()
			return nil, err
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
	}
	ar.Close()
	if err := ar.Err(); err != nil {
		return nil, err
	}
	rr, err := db.r.QueryContext(ctx, `SELECT task, percent FROM plan_task_reports WHERE campaign_id = $1 ORDER BY id`, c.ID)
	if err != nil {
		return nil, fmt.Errorf("plan reports: %w", err)
	}
	defer rr.Close()
	for rr.Next() {
		var task string
		var pct int
		if err := rr.Scan(&task, &pct); err != nil {
			return nil, err
		}
		f.Reports[task] = pct
	}
	return f, rr.Err()
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
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var prefix string
		var n int64
		if err := rows.Scan(&prefix, &n); err != nil {
			return nil, err
		}
		out[prefix+"000"] = int(n)
	}
	return out, rows.Err()
}
