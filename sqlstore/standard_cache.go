package sqlstore

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/healthcell/healthcell"
)

// standardsCache keeps the list of latest standard versions, which every
// village page shows and which changes only when a standard is loaded.
// Reading the list costs more than it seems: its columns lie behind each
// version's large JSON body. Standards are append-only (a version is never
// updated or deleted; a change is a new row), so the number of rows and the
// highest id identify the table's contents: a call reads those two from an
// index, and rereads the list only when they moved. That check itself is
// made at most every standardsCheckTTL: a write by this process (any
// DB.write) empties the cache at once, and a load by another process (the
// command line) is seen within that time, as for users (user_cache.go).
type standardsCache struct {
	mu      sync.Mutex
	valid   bool
	key     [2]int64 // COUNT(*), MAX(id) of standards when list was read
	list    []*healthcell.Standard
	checked time.Time // when key was last confirmed
	gen     uint64    // counts invalidations, so that a read racing a write is not kept
}

// standardsCheckTTL is how long the list is served without checking the
// table.
const standardsCheckTTL = 2 * time.Second

// get returns a copy of the cached list when the table is unchanged, and
// otherwise what read returns, which it then caches. It returns the error of
// either query.
func (c *standardsCache) get(ctx context.Context, q queryer, read func(context.Context) ([]*healthcell.Standard, error)) ([]*healthcell.Standard, error) {
	c.mu.Lock()
	if c.valid && time.Since(c.checked) < standardsCheckTTL {
		out := copyStandards(c.list)
		c.mu.Unlock()
		return out, nil
	}
	gen := c.gen
	c.mu.Unlock()
	var key [2]int64
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(MAX(id), 0) FROM standards`).Scan(&key[0], &key[1]); err != nil {
		return nil, fmt.Errorf("standards version: %w", err)
	}
	checked := time.Now()
	c.mu.Lock()
	if c.valid && c.key == key && c.gen == gen {
		c.checked = checked
		out := copyStandards(c.list)
		c.mu.Unlock()
		return out, nil
	}
	c.mu.Unlock()
	list, err := read(ctx)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	// The list may be newer than key (a load in between), never older: a
	// later check then sees a different key and reads again.
	if c.gen == gen {
		c.valid, c.key, c.list, c.checked = true, key, list, checked
	}
	c.mu.Unlock()
	return copyStandards(list), nil
}

// invalidate empties the cache; DB.write calls it after every commit.
func (c *standardsCache) invalidate() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.valid = false
}

// copyStandards returns copies of the list's standards (which carry no
// items), so callers may change what they get.
func copyStandards(list []*healthcell.Standard) []*healthcell.Standard {
	out := make([]*healthcell.Standard, len(list))
	for i, s := range list {
		c := *s
		out[i] = &c
	}
	return out
}
