package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"strings"
	"sync"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/indicator"
)

// measureWorkers is how many measure queries of one request run at once.
const measureWorkers = 3

// measuresPerQuery is the most measures one query computes when a few
// villages are recomputed: a source with many measures (the residents) is
// then read by several queries at once, which shortens the wait after a
// write. A whole range is read once, which costs the least.
const measuresPerQuery = 4

// measureKey identifies a measure by its definition.
func measureKey(m *healthcell.Measure) string {
	return strings.Join([]string{m.From, m.Count, m.Sum, m.Where, m.Period}, "\x00")
}

// measureVals computes ms at scope sc: one query per source, run on up to
// measureWorkers connections at once, each result cached per village
// (village_cache.go) or for the data version that version reads. It
// returns the values per group of each measure, in the order of ms.
func (db *DB) measureVals(ctx context.Context, version func() (dataVersion, error), ms []*healthcell.Measure, srcs indicator.Sources, p indicator.Period, sc indicator.Scope) ([]map[string]float64, error) {
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
		cq, err := db.compiled.compileMany(part, srcs, p, sc)
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
				var v dataVersion
				if v, err = version(); err == nil {
					key := cq.SQL + "\x00" + fmt.Sprint(cq.Args...)
					got, err = db.measures.measure(v, key, func() (any, error) { return db.runMeasures(ctx, cq, len(part)) })
				}
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
	tq, err := db.compiled.compileMany(ms, srcs, p, indicator.Scope{GroupLen: 12})
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
			cq, err := db.compiled.compileMany(ms[lo:hi], srcs, p, s)
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
	if err := eachRow(rows, func(rows *sql.Rows) error {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		for i, v := range vs {
			if v != nil {
				out[i][k] += *v
			}
		}
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}
