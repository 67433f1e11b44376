package sqlstore

import (
	"context"
	"fmt"
	"sync"

	"github.com/healthcell/healthcell"
)

// standardsCache keeps the list of latest standard versions, which every
// village page shows and which changes only when a standard is loaded.
// Reading the list costs more than it seems: its columns lie behind each
// version's large JSON body. Standards are append-only (a version is never
// updated or deleted; a change is a new row), so the number of rows and the
// highest id identify the table's contents: each call reads those two from
// an index, which sees a load by any process (the command line included) at
// once, and rereads the list only when they moved.
type standardsCache struct {
	mu    sync.Mutex
	valid bool
	key   [2]int64 // COUNT(*), MAX(id) of standards when list was read
	list  []*healthcell.Standard
}

// get returns a copy of the cached list when the table is unchanged, and
// otherwise what read returns, which it then caches. It returns the error of
// either query.
func (c *standardsCache) get(ctx context.Context, q queryer, read func(context.Context) ([]*healthcell.Standard, error)) ([]*healthcell.Standard, error) {
	var key [2]int64
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(MAX(id), 0) FROM standards`).Scan(&key[0], &key[1]); err != nil {
		return nil, fmt.Errorf("standards version: %w", err)
	}
	c.mu.Lock()
	if c.valid && c.key == key {
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
	// later call then sees a different key and reads again.
	c.valid, c.key, c.list = true, key, list
	c.mu.Unlock()
	return copyStandards(list), nil
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
