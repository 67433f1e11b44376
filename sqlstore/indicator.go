package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sync"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/indicator"
)

// countyOf returns the 12-digit code of the county containing code, or ""
// above county level.
func countyOf(code string) string {
	if healthcell.CodeLevel(code) < healthcell.LevelCounty {
		return ""
	}
	return code[:6] + "000000"
}

// Indicators returns the definitions' indicators and the caller's county's own,
// shipped first, each group in code order of its files.
func (db *DB) Indicators(ctx context.Context) ([]*healthcell.Indicator, error) {
	if r := db.onReplica(ctx); r != db {
		return r.Indicators(ctx)
	}
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	out := slices.Clone(db.defs.Indicators)
	q, args := `SELECT county, body FROM indicators ORDER BY code`, []any{}
	if !a.System {
		q, args = `SELECT county, body FROM indicators WHERE county = $1 ORDER BY code`, []any{countyOf(a.Scope)}
	}
	rows, err := db.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("indicators: %w", err)
	}
	if err := eachRow(rows, func(rows *sql.Rows) error {
		var county, body string
		if err := rows.Scan(&county, &body); err != nil {
			return err
		}
		ind := &healthcell.Indicator{}
		if err := json.Unmarshal([]byte(body), ind); err != nil {
			return fmt.Errorf("indicator body: %w", err)
		}
		ind.County = county
		out = append(out, ind)
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// SaveIndicator checks ind against the registers and stores it as the
// caller's county's own indicator, audited. It returns EFORBIDDEN for roles
// other than the county office, EINVALID with the reason for a bad formula
// or a code already used (shipped or saved).
func (db *DB) SaveIndicator(ctx context.Context, ind *healthcell.Indicator) error {
	a, err := actorOf(ctx)
	if err != nil {
		return err
	}
	if !a.System && a.Role != healthcell.RoleCountyAdmin {
		return healthcell.Errorf(healthcell.EFORBIDDEN, "error.forbidden")
	}
	county := countyOf(a.Scope)
	if a.System && ind.County != "" {
		county = countyOf(healthcell.NormalizeCode(ind.County))
	}
	if county == "" {
		return healthcell.Invalid([]healthcell.FieldError{{Field: "county", Message: "division.out_of_scope"}})
	}
	srcs := db.sources
	all, err := db.Indicators(ctx)
	if err != nil {
		return err
	}
	known := map[string]*healthcell.Indicator{}
	for _, k := range all {
		known[k.Code] = k
	}
	ind.County = ""
	if fe := indicator.Check(ind, srcs, known); len(fe) > 0 {
		return healthcell.Invalid(fe)
	}
	if known[ind.Code] != nil {
		return healthcell.Invalid([]healthcell.FieldError{{Field: "code", Message: "indicator.code_taken", Value: ind.Code}})
	}
	body, err := json.Marshal(ind)
	if err != nil {
		return err
	}
	return db.write(ctx, func(tx *Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM indicators WHERE code = $1`, ind.Code).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return healthcell.Invalid([]healthcell.FieldError{{Field: "code", Message: "indicator.code_taken", Value: ind.Code}})
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO indicators (code, county, body, created_by, created_at) VALUES ($1, $2, $3, $4, $5)`,
			ind.Code, county, string(body), a.Username, tx.now); err != nil {
			return fmt.Errorf("save indicator: %w", err)
		}
		ind.County = county
		return tx.audit(ctx, "create", "indicator", ind.Code, county, nil, ind)
	})
}

// totalKey is the group key of a division's own value among its children's.
const totalKey = "total"

// group is one division (or unit) values are computed for.
type group struct {
	key, code, name string
}

// IndicatorValues computes indicators from the registers at request time,
// one grouped query per distinct measure. It returns ENOTFOUND for a
// division or unit outside the caller's scope or an unknown indicator,
// EINVALID for a bad period or level, or an indicator that cannot be
// computed for a unit.
func (db *DB) IndicatorValues(ctx context.Context, q healthcell.IndicatorQuery) (map[string][]healthcell.IndicatorValue, error) {
	if r := db.onReplica(ctx); r != db {
		return r.IndicatorValues(ctx, q)
	}
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	p, err := indicator.ParsePeriod(q.Period)
	if err != nil {
		return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "period", Message: "indicator.bad_period", Value: q.Period}})
	}
	// A period that has ended counts residents and households as they were
	// at its end (migration 0015); the current one reads the live rows.
	p.AsOf = p.EndedBefore(healthcell.CampaignDay(db.Now()))
	srcs := db.sources
	all, err := db.Indicators(ctx)
	if err != nil {
		return nil, err
	}
	byCode := map[string]*healthcell.Indicator{}
	for _, ind := range all {
		byCode[ind.Code] = ind
	}
	var want []*healthcell.Indicator
	if len(q.Codes) == 0 {
		for _, ind := range all {
			if q.Unit == 0 || indicator.HasUnitRows(ind, srcs) {
				want = append(want, ind)
			}
		}
	}
	for _, c := range q.Codes {
		ind := byCode[c]
		if ind == nil {
			return nil, healthcell.Errorf(healthcell.ENOTFOUND, "indicator.unknown")
		}
		if q.Unit != 0 && !indicator.HasUnitRows(ind, srcs) {
			return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "unit", Message: "indicator.no_unit_rows", Value: c}})
		}
		want = append(want, ind)
	}

	groups, sc, err := db.indicatorGroups(ctx, a, q)
	if err != nil {
		return nil, err
	}

	// The measures to run: those of the indicators asked for and of the
	// indicators their expressions name; identical queries run once.
	need := map[string]*healthcell.Indicator{}
	for _, ind := range want {
		need[ind.Code] = ind
		for _, r := range indicator.Refs(ind.Expr) {
			if byCode[r] != nil {
				need[r] = byCode[r]
			}
		}
	}
	type result struct {
		num, den map[string]float64
	}
	results := map[string]*result{}
	// The data version, for measures not cached per village, is read once
	// per request and before the first such measure runs: a result computed
	// after it is at least as new as the data it is cached under. A request
	// whose measures are all cached per village needs no such read.
	version := sync.OnceValues(func() (dataVersion, error) { return db.version(ctx) })
	total := q.WithTotal && q.Level != "" && q.Unit == 0
	if total {
		d, _, _, err := db.divisionLine(ctx, healthcell.NormalizeCode(cmp.Or(q.Division, a.Scope)))
		if err != nil {
			return nil, err
		}
		groups = append([]group{{key: totalKey, code: d.Code, name: d.Name}}, groups...)
	}
	// Every distinct measure once; measures over one source share a query.
	var ms []*healthcell.Measure
	index := map[string]int{}
	for _, c := range slices.Sorted(maps.Keys(need)) {
		ind := need[c]
		for _, m := range []*healthcell.Measure{ind.Numerator, ind.Denominator} {
			if m != nil && m.Const == nil {
				if _, ok := index[measureKey(m)]; !ok {
					index[measureKey(m)] = len(ms)
					ms = append(ms, m)
				}
			}
		}
	}
	vals, err := db.measureVals(ctx, version, ms, srcs, p, sc)
	if err != nil {
		return nil, err
	}
	if total {
		var own []*healthcell.Measure
		for i, m := range ms {
			if indicator.Additive(m, srcs) {
				var sum float64
				for _, x := range vals[i] {
					sum += x
				}
				vals[i][totalKey] = sum
			} else {
				own = append(own, m)
			}
		}
		if len(own) > 0 {
			osc := sc
			osc.GroupLen = len(healthcell.CodePrefix(groups[0].code))
			ov, err := db.measureVals(ctx, version, own, srcs, p, osc)
			if err != nil {
				return nil, err
			}
			for j, m := range own {
				for _, x := range ov[j] {
					vals[index[measureKey(m)]][totalKey] += x
				}
			}
		}
	}
	get := func(m *healthcell.Measure) map[string]float64 {
		if m == nil {
			return nil
		}
		if m.Const != nil {
			out := map[string]float64{}
			for _, g := range groups {
				out[g.key] = *m.Const
			}
			return out
		}
		return vals[index[measureKey(m)]]
	}
	for c, ind := range need {
		if ind.Expr == "" {
			results[c] = &result{num: get(ind.Numerator), den: get(ind.Denominator)}
		}
	}

	out := map[string][]healthcell.IndicatorValue{}
	for _, ind := range want {
		vals := make([]healthcell.IndicatorValue, 0, len(groups))
		for _, g := range groups {
			v := healthcell.IndicatorValue{Indicator: ind.Code, Division: g.code, Name: g.name, Target: ind.Target}
			var x float64
			ok := false
			if ind.Expr != "" {
				refs := map[string]float64{}
				for _, rc := range indicator.Refs(ind.Expr) {
					r, dep := results[rc], need[rc]
					if r == nil || dep == nil {
						continue
					}
					if y, ok := indicator.Value(dep, r.num[g.key], r.den[g.key]); ok {
						refs[rc] = y
					}
				}
				x, ok, _ = indicator.EvalExpr(ind.Expr, refs)
			} else {
				r := results[ind.Code]
				num, den := r.num[g.key], r.den[g.key]
				v.Numerator = &num
				if ind.Denominator != nil {
					v.Denominator = &den
				}
				x, ok = indicator.Value(ind, num, den)
			}
			if ok {
				x = indicator.Round(x)
				v.Value = &x
				v.Met = indicator.Met(ind, x)
			}
			vals = append(vals, v)
		}
		out[ind.Code] = vals
	}
	return out, nil
}

// indicatorGroups resolves what the values are computed for: the division
// itself, each township or village under it, or one unit; and the scope of
// the queries. ENOTFOUND outside the caller's scope.
func (db *DB) indicatorGroups(ctx context.Context, a *healthcell.Actor, q healthcell.IndicatorQuery) ([]group, indicator.Scope, error) {
	var sc indicator.Scope
	if q.Unit != 0 {
		u, err := findUnit(ctx, db.r, q.Unit)
		if err != nil {
			return nil, sc, err
		}
		if !a.CoversDivision(u.Division) || !a.System && a.Role == healthcell.RoleUnit && a.Unit != fmt.Sprint(u.ID) {
			return nil, sc, notFound("unit")
		}
		sc.Lo, sc.Hi = healthcell.CodeRange(u.Division)
		sc.GroupLen, sc.Unit = 0, u.ID
		return []group{{key: "", code: u.Division, name: u.Name}}, sc, nil
	}
	division := q.Division
	if division == "" {
		division = a.Scope
	}
	division = healthcell.NormalizeCode(division)
	if division == "" || !a.CoversDivision(division) {
		return nil, sc, notFound("division")
	}
	d, _, _, err := db.divisionLine(ctx, division)
	if err != nil {
		return nil, sc, err
	}
	sc.Lo, sc.Hi = healthcell.CodeRange(division)
	var level int
	switch q.Level {
	case "":
		p := healthcell.CodePrefix(division)
		sc.GroupLen = len(p)
		return []group{{key: p, code: d.Code, name: d.Name}}, sc, nil
	case healthcell.LevelNameCity:
		level, sc.GroupLen = healthcell.LevelCity, 4
	case healthcell.LevelNameCounty:
		level, sc.GroupLen = healthcell.LevelCounty, 6
	case healthcell.LevelNameTownship:
		level, sc.GroupLen = healthcell.LevelTownship, 9
	case healthcell.LevelNameVillage:
		level, sc.GroupLen = healthcell.LevelVillage, 12
	default:
		return nil, sc, healthcell.Invalid([]healthcell.FieldError{{Field: "level", Message: "indicator.bad_level", Value: q.Level}})
	}
	if d.Level > level {
		return nil, sc, healthcell.Invalid([]healthcell.FieldError{{Field: "level", Message: "indicator.bad_level", Value: q.Level}})
	}
	rows, err := db.r.QueryContext(ctx, `SELECT code, name FROM divisions WHERE code BETWEEN $1 AND $2 AND level = $3 ORDER BY code`, sc.Lo, sc.Hi, level)
	if err != nil {
		return nil, sc, fmt.Errorf("indicator divisions: %w", err)
	}
	var gs []group
	if err := eachRow(rows, func(rows *sql.Rows) error {
		var g group
		if err := rows.Scan(&g.code, &g.name); err != nil {
			return err
		}
		g.key = g.code[:sc.GroupLen]
		gs = append(gs, g)
		return nil
	}); err != nil {
		return nil, sc, err
	}
	return gs, sc, nil
}
