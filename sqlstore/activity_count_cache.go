package sqlstore

import (
	"context"
	"fmt"
	"maps"
	"sync"
)

// activityCounts caches a village's active activity entries per kind in a
// year under the village's counter and the epoch (migration 0009): the
// triggers on reg_activities move the counter of the entry's village on
// every insert, update and delete, and bulk loads move the epoch. A sheet
// of a village then reads one counter instead of grouping its activities.
type activityCounts struct {
	mu sync.Mutex
	m  map[activityCountKey]activityCountEntry
}

type activityCountKey struct {
	village string
	year    int
}

type activityCountEntry struct {
	epoch, n int64
	counts   map[string]float64
}

// maxCachedActivityCounts bounds the cache (a few years of a county's
// villages); it is emptied when full.
const maxCachedActivityCounts = 4096

// villageActivityCounts returns the count per kind of the active activity
// entries of village dated in year, from the cache when the village's
// counter and the epoch are those it was cached under, else from run
// (whose result is then cached). It returns the error of the counter read
// or of run. The map returned is the caller's.
func (db *DB) villageActivityCounts(ctx context.Context, village string, year int, run func() (map[string]float64, error)) (map[string]float64, error) {
	var epoch, n int64
	if err := db.r.QueryRowContext(ctx, `SELECT d.epoch, COALESCE((SELECT v.n FROM village_versions v WHERE v.village_code = $1), 0)
		FROM data_version d WHERE d.id = 1`, village).Scan(&epoch, &n); err != nil {
		return nil, fmt.Errorf("village version: %w", err)
	}
	key := activityCountKey{village: village, year: year}
	c := &db.activityCounts
	c.mu.Lock()
	e, ok := c.m[key]
	c.mu.Unlock()
	if ok && e.epoch == epoch && e.n == n {
		return maps.Clone(e.counts), nil
	}
	// Counted after the counters were read: never older than they say.
	counts, err := run()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= maxCachedActivityCounts {
		c.m = map[activityCountKey]activityCountEntry{}
	}
	c.m[key] = activityCountEntry{epoch: epoch, n: n, counts: maps.Clone(counts)}
	c.mu.Unlock()
	return counts, nil
}
