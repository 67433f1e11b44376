package sqlstore

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/healthcell/healthcell"
)

// planFactsCache keeps what plan progress is counted from, per campaign:
// the county's townships, the eligible units of the goals' kinds and the
// campaign's namings and applications under way. Reading them costs a scan
// of the campaign's applications and of the county's units on every plan
// page. An entry is served while
//   - the data version (DB.version) is the one it was read at: the
//     applications triggers of migration 0016 move n, bulk loads and
//     LoadDivisions move the epoch;
//   - no write of this process committed since (DB.write empties it: units
//     and village statistics have no data-version triggers);
//   - it is younger than planFactsTTL, so that a unit created by another
//     process (the command line) is counted within that time.
//
// The cached maps are shared and never written; each caller gets its own
// Townships map, which progressOf narrows for township officers.
type planFactsCache struct {
	mu      sync.Mutex
	gen     uint64 // counts invalidations, so that a read racing a write is not kept
	entries map[string]*planFactsEntry
}

type planFactsEntry struct {
	version dataVersion // when read
	gen     uint64
	read    time.Time
	facts   healthcell.PlanFacts // Reports left nil
}

// planFactsTTL is how long an entry is served at most.
const planFactsTTL = 2 * time.Second

// maxPlanFacts bounds the cache; it is emptied when full.
const maxPlanFacts = 256

// invalidate empties the cache; DB.write calls it after every commit.
func (c *planFactsCache) invalidate() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.entries = nil
}

// planFactsKey names the counts of campaign c for the goals' standards.
func planFactsKey(c *healthcell.Campaign, p *healthcell.Plan) string {
	stds := make([]string, 0, len(p.Goals))
	for _, g := range p.Goals {
		stds = append(stds, g.Standard)
	}
	sort.Strings(stds)
	return strconv.FormatInt(c.ID, 10) + "|" + c.Division + "|" + strings.Join(stds, ",")
}

// countyFacts returns planFacts' counts without Reports, from the cache
// when current, else read with read (whose errors it returns, as it returns
// those of reading the data version).
func (db *DB) countyFacts(ctx context.Context, c *healthcell.Campaign, p *healthcell.Plan, read func() (*healthcell.PlanFacts, error)) (*healthcell.PlanFacts, error) {
	version, err := db.version(ctx)
	if err != nil {
		return nil, err
	}
	key := planFactsKey(c, p)
	pc := &db.factsCache
	pc.mu.Lock()
	gen := pc.gen
	if e := pc.entries[key]; e != nil && e.version == version && e.gen == gen && time.Since(e.read) < planFactsTTL {
		f := e.facts
		pc.mu.Unlock()
		return withOwnTownships(&f), nil
	}
	pc.mu.Unlock()
	started := time.Now()
	f, err := read()
	if err != nil {
		return nil, err
	}
	pc.mu.Lock()
	if pc.gen == gen {
		if pc.entries == nil || len(pc.entries) >= maxPlanFacts {
			pc.entries = map[string]*planFactsEntry{}
		}
		pc.entries[key] = &planFactsEntry{version: version, gen: gen, read: started, facts: *f}
	}
	pc.mu.Unlock()
	return withOwnTownships(f), nil
}

// withOwnTownships returns a copy of f with its own Townships map and no
// Reports.
func withOwnTownships(f *healthcell.PlanFacts) *healthcell.PlanFacts {
	out := *f
	out.Townships = make(map[string]string, len(f.Townships))
	for k, v := range f.Townships {
		out.Townships[k] = v
	}
	out.Reports = nil
	return &out
}
