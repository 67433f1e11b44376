package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/indicator"
	"github.com/healthcell/healthcell/score"
)

// Message keys of a computed value that is missing.
const (
	MsgIndicatorUndefined = "sheet.computed.indicator_undefined" // the standard names an indicator no definition has
	MsgActivityUndefined  = "sheet.computed.activity_undefined"  // … an activity kind the activity register does not have
	MsgNoUnitRows         = "sheet.computed.no_unit_rows"        // the indicator's sources have no rows for institutions
	MsgNoComputedUnit     = "sheet.computed.unit_kind"           // nothing is computed for this kind of unit (households)
	MsgNoDenominator      = "sheet.computed.no_denominator"      // the denominator is zero: nobody to count
)

// sheetComputed computes the value of every data-bound item of a sheet
// (those naming an indicator or an activity kind) from the registers, for
// the sheet's unit and year, keyed by item code. Indicators come from
// IndicatorValues (cached per village version); activities are the active
// entries of the activity register of that kind dated in the year, in the
// village (or under the township) or of the institution. A code that is not
// defined gives a Computed with Missing set, never an error. Errors are
// those of the queries, and ENOTFOUND when the caller may not read the unit.
func (db *DB) sheetComputed(ctx context.Context, s *healthcell.ScoreSheet, std *healthcell.Standard) (map[string]*healthcell.Computed, error) {
	out := map[string]*healthcell.Computed{}
	var inds, acts []*healthcell.Item
	for i := range std.Items {
		it := &std.Items[i]
		if !it.DataBound() {
			continue
		}
		if it.Method == healthcell.MethodCount {
			acts = append(acts, it)
		} else {
			inds = append(inds, it)
		}
	}
	if len(inds)+len(acts) == 0 {
		return out, nil
	}
	period := strconv.Itoa(s.Year)
	now := db.Now()
	for _, it := range inds {
		out[it.Code] = &healthcell.Computed{Source: healthcell.ComputedIndicator, Code: it.Indicator, AsOf: now, Period: period}
	}
	for _, it := range acts {
		out[it.Code] = &healthcell.Computed{Source: healthcell.ComputedActivity, Code: it.Activity, AsOf: now, Period: period}
	}
	if err := db.computeIndicators(ctx, s, inds, out); err != nil {
		return nil, err
	}
	if err := db.countActivities(ctx, s, acts, out); err != nil {
		return nil, err
	}
	return out, nil
}

// sheetUnitID is the institution id of a sheet for an institution, else 0.
func sheetUnitID(s *healthcell.ScoreSheet) int64 {
	switch s.UnitKind {
	case "village", "community", "township", "household":
		return 0
	}
	id, _ := strconv.ParseInt(s.UnitRef, 10, 64)
	return id
}

// computeIndicators fills out for the indicator items through IndicatorValues.
func (db *DB) computeIndicators(ctx context.Context, s *healthcell.ScoreSheet, items []*healthcell.Item, out map[string]*healthcell.Computed) error {
	if len(items) == 0 {
		return nil
	}
	if s.UnitKind == "household" {
		for _, it := range items {
			out[it.Code].Missing = MsgNoComputedUnit
		}
		return nil
	}
	all, err := db.Indicators(ctx)
	if err != nil {
		return err
	}
	srcs := db.sources
	known := map[string]*healthcell.Indicator{}
	for _, ind := range all {
		known[ind.Code] = ind
	}
	unit := sheetUnitID(s)
	var codes []string
	seen := map[string]bool{}
	for _, it := range items {
		ind := known[it.Indicator]
		switch {
		case ind == nil:
			out[it.Code].Missing = MsgIndicatorUndefined
		case unit != 0 && !indicator.HasUnitRows(ind, srcs):
			out[it.Code].Missing = MsgNoUnitRows
		case !seen[it.Indicator]:
			seen[it.Indicator] = true
			codes = append(codes, it.Indicator)
		}
	}
	if len(codes) == 0 {
		return nil
	}
	q := healthcell.IndicatorQuery{Codes: codes, Period: strconv.Itoa(s.Year)}
	if unit != 0 {
		q.Unit = unit
	} else {
		q.Division = s.Division
	}
	vals, err := db.IndicatorValues(ctx, q)
	if err != nil {
		return err
	}
	for _, it := range items {
		c := out[it.Code]
		if c.Missing != "" {
			continue
		}
		vs := vals[it.Indicator]
		if len(vs) == 0 {
			c.Missing = MsgNoDenominator
			continue
		}
		v := vs[0]
		c.Value, c.Numerator, c.Denominator = v.Value, v.Numerator, v.Denominator
		if unit == 0 && indicator.Missing(known[it.Indicator], srcs) {
			c.Lists = known[it.Indicator].Denominator.From
		}
		if c.Value == nil {
			c.Missing = MsgNoDenominator
		}
	}
	return nil
}

// activityKinds is the set of kinds of the activity register.
func (db *DB) activityKinds() map[string]bool {
	regs := db.defs.Registers
	kinds := map[string]bool{}
	if d := regs.Get("activities"); d != nil {
		if f := d.Field("kind"); f != nil {
			for _, o := range f.Options {
				kinds[o.Code] = true
			}
		}
	}
	return kinds
}

// activityWhere is the condition on reg_activities selecting the sheet's
// unit (an institution's own entries, a village's, or every entry under a
// township), with its arguments from $1.
func activityWhere(s *healthcell.ScoreSheet) (string, []any) {
	if unit := sheetUnitID(s); unit != 0 {
		return `unit_id = $1`, []any{unit}
	}
	if s.UnitKind == "township" {
		lo, hi := healthcell.CodeRange(s.Division)
		return `village_code BETWEEN $1 AND $2`, []any{lo, hi}
	}
	return `village_code = $1`, []any{s.Division}
}

// countActivities fills out for the activity items: the count of active
// entries of each kind dated in the sheet's year.
func (db *DB) countActivities(ctx context.Context, s *healthcell.ScoreSheet, items []*healthcell.Item, out map[string]*healthcell.Computed) error {
	if len(items) == 0 {
		return nil
	}
	kinds := db.activityKinds()
	if s.UnitKind == "household" {
		for _, it := range items {
			out[it.Code].Missing = MsgNoComputedUnit
		}
		return nil
	}
	run := func() (map[string]float64, error) { return db.activityCountsOf(ctx, s) }
	var counts map[string]float64
	var err error
	if sheetUnitID(s) == 0 && s.UnitKind != "township" {
		counts, err = db.villageActivityCounts(ctx, s.Division, s.Year, run)
	} else {
		counts, err = run()
	}
	if err != nil {
		return err
	}
	for _, it := range items {
		c := out[it.Code]
		if !kinds[it.Activity] {
			c.Missing = MsgActivityUndefined
			continue
		}
		v := counts[it.Activity]
		c.Value, c.Numerator = &v, &v
	}
	return nil
}

// activityCountsOf counts the active activity entries of the sheet's unit
// dated in its year, per kind. It returns the query's error.
func (db *DB) activityCountsOf(ctx context.Context, s *healthcell.ScoreSheet) (map[string]float64, error) {
	where, args := activityWhere(s)
	n := len(args)
	args = append(args, fmt.Sprintf("%04d-01-01", s.Year), fmt.Sprintf("%04d-12-31", s.Year))
	rows, err := db.r.QueryContext(ctx, fmt.Sprintf(`SELECT kind, COUNT(*) FROM reg_activities WHERE %s AND active AND activity_date BETWEEN $%d AND $%d GROUP BY kind`,
		where, n+1, n+2), args...)
	if err != nil {
		return nil, fmt.Errorf("activity counts: %w", err)
	}
	counts := map[string]float64{}
	err = eachRow(rows, func(rows *sql.Rows) error {
		var kind string
		var c int64
		if err := rows.Scan(&kind, &c); err != nil {
			return err
		}
		counts[kind] = float64(c)
		return nil
	})
	return counts, err
}

// bindComputed attaches the computed values to a sheet's answers: every
// data-bound item gets its Computed; where the computed value exists, an
// answer that enters another number is an Override (with the stored
// reason), and an item without such an answer takes the computed value, so
// that score.Compute scores what the registers hold.
func bindComputed(s *healthcell.ScoreSheet, std *healthcell.Standard, computed map[string]*healthcell.Computed) {
	if s.Answers == nil {
		s.Answers = map[string]*healthcell.Answer{}
	}
	for i := range std.Items {
		it := &std.Items[i]
		c := computed[it.Code]
		if c == nil {
			continue
		}
		a := s.Answers[it.Code]
		if a == nil {
			a = &healthcell.Answer{ItemCode: it.Code}
			s.Answers[it.Code] = a
		}
		a.Computed = c
		if c.Value == nil {
			continue
		}
		if v, ok := score.Entered(it, a); ok {
			if score.IsOverride(it, a, c) {
				a.Override = &healthcell.Override{Value: v, Reason: a.Reason}
			}
			continue
		}
		switch it.Method {
		case healthcell.MethodEGT, healthcell.MethodELT:
			v := *c.Value
			a.Value = &v
		case healthcell.MethodCount:
			n := int(*c.Value)
			a.Count = &n
		}
	}
}

// loadBound reads a sheet's answers and evidence, computes its data-bound
// items and binds them; std is the sheet's standard.
func (db *DB) loadBound(ctx context.Context, s *healthcell.ScoreSheet, std *healthcell.Standard) error {
	if err := db.loadAnswers(ctx, s); err != nil {
		return err
	}
	computed, err := db.sheetComputed(ctx, s, std)
	if err != nil {
		return err
	}
	bindComputed(s, std, computed)
	return nil
}
