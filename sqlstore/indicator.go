package sqlstore

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/catalog"
	"github.com/healthcell/healthcell/indicator"
)

// indicatorSources is the allow-list of sources, from the shipped registers.
var indicatorSources = sync.OnceValues(func() (indicator.Sources, error) {
	regs, err := catalog.Registers()
	if err != nil {
		return nil, err
	}
	return indicator.NewSources(regs), nil
})

// countyOf returns the 12-digit code of the county containing code, or ""
// above county level.
func countyOf(code string) string {
	if healthcell.CodeLevel(code) < healthcell.LevelCounty {
		return ""
	}
	return code[:6] + "000000"
}

// Indicators returns the shipped indicators and the caller's county's own,
// shipped first, each group in code order of its files.
func (db *DB) Indicators(ctx context.Context) ([]*healthcell.Indicator, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	shipped, err := catalog.Indicators()
	if err != nil {
		return nil, err
	}
	out := slices.Clone(shipped)
	q, args := `SELECT county, body FROM indicators ORDER BY code`, []any{}
	if !a.System {
		q, args = `SELECT county, body FROM indicators WHERE county = $1 ORDER BY code`, []any{countyOf(a.Scope)}
	}
	rows, err := db.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("indicators: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var county, body string
		if err := rows.Scan(&county, &body); err != nil {
			return nil, err
		}
		ind := &healthcell.Indicator{}
		if err := json.Unmarshal([]byte(body), ind); err != nil {
			return nil, fmt.Errorf("indicator body: %w", err)
		}
		ind.County = county
		out = append(out, ind)
	}
	return out, rows.Err()
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
	srcs, err := indicatorSources()
	if err != nil {
		return err
	}
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

// measureWorkers is how many measure queries of one request run at once.
const measureWorkers = 3

// measuresPerQuery is the most measures one query computes when a few
// villages are recomputed: a source with many measures (the residents) is
// then read by several queries at once, which shortens the wait after a
// write. A whole range is read once, which costs the least.
const measuresPerQuery = 4

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
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	p, err := indicator.ParsePeriod(q.Period)
	if err != nil {
		return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "period", Message: "indicator.bad_period", Value: q.Period}})
	}
	srcs, err := indicatorSources()
	if err != nil {
		return nil, err
	}
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
	// The version is read before any measure: a result computed after it is
	// at least as new as the data it is cached under.
	version, err := db.version(ctx)
	if err != nil {
		return nil, err
	}
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
	defer rows.Close()
	var gs []group
	for rows.Next() {
		var g group
		if err := rows.Scan(&g.code, &g.name); err != nil {
			return nil, sc, err
		}
		g.key = g.code[:sc.GroupLen]
		gs = append(gs, g)
	}
	return gs, sc, rows.Err()
}

// measureKey identifies a measure by its definition.
func measureKey(m *healthcell.Measure) string {
	return strings.Join([]string{m.From, m.Count, m.Sum, m.Where, m.Period}, "\x00")
}

// measureVals computes ms at scope sc: one query per source, run on up to
// measureWorkers connections at once, each result cached for version. It
// returns the values per group of each measure, in the order of ms.
func (db *DB) measureVals(ctx context.Context, version int64, ms []*healthcell.Measure, srcs indicator.Sources, p indicator.Period, sc indicator.Scope) ([]map[string]float64, error) {
	bySource := map[string][]int{}
	var order []string
	for i, m := range ms {
		if bySource[m.From] == nil {
			order = append(order, m.From)
		}
		bySource[m.From] = append(bySource[m.From], i)
	}
	// Additive measures are computed per village, which needs no sort and
	// whose cached result serves every coarser grouping, and summed here.
	if sc.GroupLen > 0 && sc.GroupLen < 12 {
		var add, rest []int
		for i, m := range ms {
			if indicator.Additive(m, srcs) {
				add = append(add, i)
			} else {
				rest = append(rest, i)
			}
		}
		if len(add) > 0 {
			pick := func(idx []int) []*healthcell.Measure {
				out := make([]*healthcell.Measure, len(idx))
				for j, i := range idx {
					out[j] = ms[i]
				}
				return out
			}
			vsc := sc
			vsc.GroupLen = 12
			byVillage, err := db.measureVals(ctx, version, pick(add), srcs, p, vsc)
			if err != nil {
				return nil, err
			}
			out := make([]map[string]float64, len(ms))
			for j, i := range add {
				out[i] = map[string]float64{}
				for v, x := range byVillage[j] {
					out[i][v[:sc.GroupLen]] += x
				}
			}
			if len(rest) > 0 {
				other, err := db.measureVals(ctx, version, pick(rest), srcs, p, sc)
				if err != nil {
					return nil, err
				}
				for j, i := range rest {
					out[i] = other[j]
				}
			}
			return out, nil
		}
	}
	// Per village, measures whose values a write changes only for the
	// villages it marks are cached per village (village_cache.go).
	var vv *villageVersions
	if sc.GroupLen == 12 && sc.Unit == 0 && len(sc.Villages) == 0 {
		v, err := db.villageVersions(ctx, sc.Lo, sc.Hi)
		if err != nil {
			return nil, err
		}
		vv = &v
	}
	out := make([]map[string]float64, len(ms))
	var mu sync.Mutex
	var firstErr error
	var wg sync.WaitGroup
	sem := make(chan struct{}, measureWorkers)
	for _, from := range order {
		idx := bySource[from]
		part := make([]*healthcell.Measure, len(idx))
		for j, i := range idx {
			part[j] = ms[i]
		}
		cq, err := indicator.CompileMany(part, srcs, p, sc)
		if err != nil {
			return nil, err
		}
		perVillage := vv != nil && indicator.Local(part, srcs)
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			var got any
			var err error
			if perVillage {
				got, err = db.villageMeasures(ctx, *vv, part, srcs, p, sc)
			} else {
				key := cq.SQL + "\x00" + fmt.Sprint(cq.Args...)
				got, err = db.measures.measure(version, key, func() (any, error) { return db.runMeasures(ctx, cq, len(part)) })
			}
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				if firstErr == nil {
					firstErr = fmt.Errorf("indicator measures over %s: %w", from, err)
				}
				return
			}
			res := got.([]map[string]float64)
			for j, i := range idx {
				out[i] = maps.Clone(res[j])
			}
		}()
	}
	wg.Wait()
	return out, firstErr
}

// villageMeasures computes measures ms over one source per village of
// sc.Lo…sc.Hi through the per-village cache: only villages whose counter in
// vv has moved since they were cached are queried. It returns each
// measure's value per village, or the query's error.
func (db *DB) villageMeasures(ctx context.Context, vv villageVersions, ms []*healthcell.Measure, srcs indicator.Sources, p indicator.Period, sc indicator.Scope) ([]map[string]float64, error) {
	tq, err := indicator.CompileMany(ms, srcs, p, indicator.Scope{GroupLen: 12})
	if err != nil {
		return nil, err
	}
	t := db.villageCache.template(vv.epoch, templateKey(tq.SQL, tq.Args))
	byVillage, err := t.values(vv, sc.Lo, sc.Hi, func(villages []string) (map[string][]float64, error) {
		s := sc
		s.Villages = villages
		size := len(ms)
		if villages != nil {
			size = measuresPerQuery
		}
		res := make([]map[string]float64, len(ms))
		errs := make([]error, len(ms))
		var wg sync.WaitGroup
		for lo := 0; lo < len(ms); lo += size {
			hi := min(lo+size, len(ms))
			cq, err := indicator.CompileMany(ms[lo:hi], srcs, p, s)
			if err != nil {
				return nil, err
			}
			wg.Go(func() {
				var part []map[string]float64
				part, errs[lo] = db.runMeasures(ctx, cq, hi-lo)
				copy(res[lo:hi], part)
			})
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			return nil, err
		}
		rows := map[string][]float64{}
		for i, m := range res {
			for code, x := range m {
				if rows[code] == nil {
					rows[code] = make([]float64, len(ms))
				}
				rows[code][i] = x
			}
		}
		return rows, nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]map[string]float64, len(ms))
	for i := range out {
		out[i] = make(map[string]float64, len(byVillage))
	}
	for code, vals := range byVillage {
		for i, x := range vals {
			out[i][code] = x
		}
	}
	return out, nil
}

// runMeasures runs a query of n measures and returns each one's value per
// group.
func (db *DB) runMeasures(ctx context.Context, cq indicator.Query, n int) ([]map[string]float64, error) {
	rows, err := db.r.QueryContext(ctx, cq.SQL, cq.Args...)
	if err != nil {
		return nil, fmt.Errorf("measures: %w", err)
	}
	defer rows.Close()
	out := make([]map[string]float64, n)
	for i := range out {
		out[i] = map[string]float64{}
	}
	dest := make([]any, n+1)
	var k string
	vs := make([]*float64, n)
	dest[0] = &k
	for i := range vs {
		dest[i+1] = &vs[i]
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		for i, v := range vs {
			if v != nil {
				out[i][k] += *v
			}
		}
	}
	return out, rows.Err()
}
