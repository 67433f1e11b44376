package sqlstore

import (
	"context"
	"fmt"
	"sync"

	"github.com/healthcell/healthcell"
)

// villageLists keeps FindVillages' lists by division code. Divisions are
// written only by LoadDivisions, which moves the epoch of data_version in
// its transaction, so a list read at an epoch stays exact while the epoch
// is unchanged, whichever process loads; a write of this process (DB.write)
// empties it too. Scope is checked before the cache.
type villageLists struct {
	mu    sync.Mutex
	epoch int64
	gen   uint64 // counts invalidations, so that a read racing a write is not kept
	lists map[string][]healthcell.Division
}

// maxVillageLists bounds the cache; it is emptied when full.
const maxVillageLists = 1024

// invalidate empties the cache; DB.write calls it after every commit.
func (c *villageLists) invalidate() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.lists = nil
}

// get returns a copy of code's list at the current epoch, from the cache or
// read with read; it returns the error of reading the epoch or of read.
func (c *villageLists) get(ctx context.Context, q queryer, code string, read func() ([]healthcell.Division, error)) ([]healthcell.Division, error) {
	var epoch int64
	if err := q.QueryRowContext(ctx, `SELECT epoch FROM data_version WHERE id = 1`).Scan(&epoch); err != nil {
		return nil, fmt.Errorf("data epoch: %w", err)
	}
	c.mu.Lock()
	gen := c.gen
	if list, ok := c.lists[code]; ok && c.epoch == epoch {
		c.mu.Unlock()
		return append([]healthcell.Division(nil), list...), nil
	}
	c.mu.Unlock()
	list, err := read()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.gen == gen {
		if c.lists == nil || c.epoch != epoch || len(c.lists) >= maxVillageLists {
			c.lists, c.epoch = map[string][]healthcell.Division{}, epoch
		}
		c.lists[code] = list
	}
	c.mu.Unlock()
	return append([]healthcell.Division(nil), list...), nil
}
