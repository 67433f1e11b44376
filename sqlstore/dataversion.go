package sqlstore

import (
	"context"
	"fmt"
	"sync"
)

// version returns the data version: the data_version row that triggers
// bump in every transaction changing a table indicators read (migration
// 0008; statement triggers on PostgreSQL, row triggers on SQLite). It
// returns an error when the database does not answer.
func (db *DB) version(ctx context.Context) (int64, error) {
	var n int64
	if err := db.r.QueryRowContext(ctx, `SELECT n FROM data_version WHERE id = 1`).Scan(&n); err != nil {
		return 0, fmt.Errorf("data version: %w", err)
	}
	return n, nil
}

// measureCache holds computed measures by query text and arguments, valid
// for one data version: a result is served only while nothing it could
// depend on has changed, so values stay current.
type measureCache struct {
	mu      sync.Mutex
	version int64
	vals    map[string]any
	flight  map[string]*flight
}

type flight struct {
	done chan struct{}
	vals any
	err  error
}

// maxCachedMeasures bounds the cache; it is emptied when full.
const maxCachedMeasures = 4096

// measure returns the cached result of key at version, or computes it with
// run; concurrent callers asking for the same key wait for one computation.
func (c *measureCache) measure(version int64, key string, run func() (any, error)) (any, error) {
	c.mu.Lock()
	if c.vals == nil || c.version != version {
		c.vals, c.flight, c.version = map[string]any{}, map[string]*flight{}, version
	}
	if v, ok := c.vals[key]; ok {
		c.mu.Unlock()
		return v, nil
	}
	if f, ok := c.flight[key]; ok {
		c.mu.Unlock()
		<-f.done
		return f.vals, f.err
	}
	f := &flight{done: make(chan struct{})}
	c.flight[key] = f
	c.mu.Unlock()
	f.vals, f.err = run()
	close(f.done)
	c.mu.Lock()
	if c.version == version {
		delete(c.flight, key)
		if f.err == nil {
			if len(c.vals) >= maxCachedMeasures {
				c.vals = map[string]any{}
			}
			c.vals[key] = f.vals
		}
	}
	c.mu.Unlock()
	return f.vals, f.err
}
