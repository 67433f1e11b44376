package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/frequency"
)

// MissedActivities lists the periods of year in which a village or an
// institution under division recorded fewer activities than a frequency
// rule asks (the definitions' Frequencies). Villages are listed for callers who read
// the village's registers (their activities are all the rows recorded in
// the village, an institution's among them); institutions as FindUnits
// gives them (a unit contact sees its own). Periods count when they ended
// before today in China. One query counts the ledger by village, unit,
// kind and month. ENOTFOUND for a division outside the caller's scope,
// EINVALID for a year outside 2000 … this year.
func (db *DB) MissedActivities(ctx context.Context, division string, year int) ([]healthcell.ActivityMiss, error) {
	if r := db.onReplica(ctx); r != db {
		return r.MissedActivities(ctx, division, year)
	}
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	lo, hi, err := scopeRange(a, division, a.CoversDivision)
	if err != nil {
		return nil, err
	}
	code := healthcell.NormalizeCode(division)
	if code == "" {
		code = lo
	}
	today := healthcell.CampaignDay(db.Now())
	if this, _ := strconv.Atoi(today[:4]); year < 2000 || year > this {
		return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "year", Message: "frequency.year.invalid", Value: strconv.Itoa(year)}})
	}
	rules := db.defs.Frequencies
	var villages []healthcell.Division
	if a.CanReadPersons(code) {
		if villages, err = db.FindVillages(ctx, code); err != nil {
			return nil, err
		}
	}
	units, err := db.FindUnits(ctx, code)
	if err != nil {
		return nil, err
	}
	byVillage, byUnit, err := db.monthlyActivities(ctx, lo, hi, year)
	if err != nil {
		return nil, err
	}
	var out []healthcell.ActivityMiss
	add := func(r *frequency.Rule, monthly map[string]int, m healthcell.ActivityMiss) {
		for _, x := range r.Missed(year, today, monthly) {
			m.Rule, m.Activity, m.PeriodKind, m.Min = r.Code, r.Activity, r.Period, r.Min
			m.Period, m.N, m.Start, m.End, m.Count = x.Span.Code, x.Span.N, x.Span.Start, x.Span.End, x.Count
			out = append(out, m)
		}
	}
	for i := range rules {
		r := &rules[i]
		if r.Applies == frequency.Village {
			for _, v := range villages {
				add(r, byVillage[v.Code][r.Activity], healthcell.ActivityMiss{Division: v.Code, DivisionName: v.Name})
			}
			continue
		}
		for _, u := range units {
			if u.Kind == r.Applies {
				add(r, byUnit[u.ID][r.Activity], healthcell.ActivityMiss{Division: u.Division, UnitID: u.ID, UnitName: u.Name})
			}
		}
	}
	return out, nil
}

// monthlyCounts are activity counts by kind and month ("YYYY-MM").
type monthlyCounts map[string]map[string]int

func (m monthlyCounts) add(kind, month string, n int) monthlyCounts {
	if m == nil {
		m = monthlyCounts{}
	}
	if m[kind] == nil {
		m[kind] = map[string]int{}
	}
	m[kind][month] += n
	return m
}

// monthlyActivities counts the active rows of the activity ledger recorded
// in villages lo…hi in the months any period of year covers, by village and
// by unit.
func (db *DB) monthlyActivities(ctx context.Context, lo, hi string, year int) (map[string]monthlyCounts, map[int64]monthlyCounts, error) {
	from, to := frequency.Window(year)
	rows, err := db.r.QueryContext(ctx, `SELECT village_code, COALESCE(unit_id, 0), kind, substr(activity_date, 1, 7), COUNT(*)
		FROM reg_activities WHERE active AND village_code BETWEEN $1 AND $2 AND activity_date BETWEEN $3 AND $4
		GROUP BY village_code, COALESCE(unit_id, 0), kind, substr(activity_date, 1, 7)`, lo, hi, from, to)
	if err != nil {
		return nil, nil, fmt.Errorf("activities by month: %w", err)
	}
	byVillage, byUnit := map[string]monthlyCounts{}, map[int64]monthlyCounts{}
	if err := eachRow(rows, func(rows *sql.Rows) error {
		var village, kind, month string
		var unit, n int64
		if err := rows.Scan(&village, &unit, &kind, &month, &n); err != nil {
			return err
		}
		byVillage[village] = byVillage[village].add(kind, month, int(n))
		if unit != 0 {
			byUnit[unit] = byUnit[unit].add(kind, month, int(n))
		}
		return nil
	}); err != nil {
		return nil, nil, err
	}
	return byVillage, byUnit, nil
}
