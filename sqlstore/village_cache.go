package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
)

// villageVersions is what the per-village caches are checked against: the
// epoch (bumped by bulk loads and TRUNCATE) and, for the villages of one
// range whose data changed, their counters (migration 0009). A village
// absent from n has counter 0.
type villageVersions struct {
	epoch int64
	n     map[string]int64
}

// villageVersions reads the epoch, then the counters of the villages lo…hi.
// A value computed after this read is at least as new as what it read. It
// returns an error when the database does not answer.
func (db *DB) villageVersions(ctx context.Context, lo, hi string) (villageVersions, error) {
	vv := villageVersions{n: map[string]int64{}}
	if err := db.r.QueryRowContext(ctx, `SELECT epoch FROM data_version WHERE id = 1`).Scan(&vv.epoch); err != nil {
		return vv, fmt.Errorf("data epoch: %w", err)
	}
	rows, err := db.r.QueryContext(ctx, `SELECT village_code, n FROM village_versions WHERE village_code BETWEEN $1 AND $2`, lo, hi)
	if err != nil {
		return vv, fmt.Errorf("village versions: %w", err)
	}
	err = eachRow(rows, func(rows *sql.Rows) error {
		var code string
		var n int64
		if err := rows.Scan(&code, &n); err != nil {
			return err
		}
		vv.n[code] = n
		return nil
	})
	return vv, err
}

// villageCache holds results of per-village queries (one row of values per
// village), each valid for the counter its village had when it was
// computed. A write to one village makes only that village's rows stale;
// the others are served as they are.
type villageCache struct {
	mu    sync.Mutex
	epoch int64
	tmpls map[string]*villageTemplate
}

// villageTemplate is the cache of one query template (a query with its
// village scope left out): the ranges computed whole at this epoch, and the
// values of each village in them. mu serialises refreshes of the template.
type villageTemplate struct {
	mu      sync.Mutex
	covered [][2]string
	vals    map[string]villageRow
}

// villageRow is one village's values and the counter they were computed at.
type villageRow struct {
	n    int64
	vals []float64
}

// maxVillageTemplates bounds the cache; it is emptied when full.
const maxVillageTemplates = 256

// maxStaleVillages is how many stale villages are recomputed by naming
// them; beyond it the whole range is recomputed in one pass.
const maxStaleVillages = 64

// template returns the cache of key, emptying everything when the epoch
// has moved.
func (c *villageCache) template(epoch int64, key string) *villageTemplate {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tmpls == nil || c.epoch != epoch || len(c.tmpls) >= maxVillageTemplates && c.tmpls[key] == nil {
		c.tmpls, c.epoch = map[string]*villageTemplate{}, epoch
	}
	t := c.tmpls[key]
	if t == nil {
		t = &villageTemplate{vals: map[string]villageRow{}}
		c.tmpls[key] = t
	}
	return t
}

// values returns, for every village in lo…hi with rows, its values, using
// cached rows whose counter is current and calling run for the rest: with
// villages == nil for the whole range, or with the stale villages' codes.
// run returns the values of each village it found; a village it did not
// return has none (all zero).
func (t *villageTemplate) values(vv villageVersions, lo, hi string, run func(villages []string) (map[string][]float64, error)) (map[string][]float64, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	whole := true
	for _, r := range t.covered {
		if r[0] <= lo && hi <= r[1] {
			whole = false
			break
		}
	}
	var stale []string
	if !whole {
		for code, n := range vv.n {
			if row, ok := t.vals[code]; !ok || row.n != n {
				stale = append(stale, code)
			}
		}
		whole = len(stale) > maxStaleVillages
	}
	switch {
	case whole:
		got, err := run(nil)
		if err != nil {
			return nil, err
		}
		for code := range t.vals {
			if lo <= code && code <= hi {
				delete(t.vals, code)
			}
		}
		for code, vals := range got {
			t.vals[code] = villageRow{n: vv.n[code], vals: vals}
		}
		// A village with a counter but no rows now has none: remember its
		// counter so that it is not recomputed on every request.
		for code, n := range vv.n {
			if _, ok := got[code]; !ok {
				t.vals[code] = villageRow{n: n}
			}
		}
		t.covered = append(t.covered, [2]string{lo, hi})
	case len(stale) > 0:
		got, err := run(stale)
		if err != nil {
			return nil, err
		}
		for _, code := range stale {
			t.vals[code] = villageRow{n: vv.n[code], vals: got[code]}
		}
	}
	out := map[string][]float64{}
	for code, row := range t.vals {
		if lo <= code && code <= hi && row.vals != nil {
			out[code] = row.vals
		}
	}
	return out, nil
}

// templateKey is a query's text and arguments as a cache key.
func templateKey(sql string, args []any) string {
	var b strings.Builder
	b.WriteString(sql)
	for _, a := range args {
		fmt.Fprintf(&b, "\x00%v", a)
	}
	return b.String()
}
