package sqlstore

import (
	"context"
	"fmt"
	"sync"

	"github.com/healthcell/healthcell"
)

// villagePages caches village pages (FindVillagePage) under the village's
// counter and the epoch (migration 0009): everything a page shows — the
// village's households, their heads and member counts, the village's live
// counts — changes only in transactions that write its persons or
// households, which move the counter, or in bulk loads and division loads,
// which move the epoch. A page is then one query (the counters) instead of
// two, and no household rows to read.
type villagePages struct {
	mu sync.Mutex
	m  map[villagePageKey]villagePageEntry
}

type villagePageKey struct {
	code          string
	offset, limit int
}

type villagePageEntry struct {
	epoch, n int64
	page     healthcell.VillagePage
}

// maxCachedVillagePages bounds the cache (about four pages of each of a
// county's villages, some tens of MiB at most); it is emptied when full.
const maxCachedVillagePages = 2048

// FindVillagePage returns a village's page from the cache when the
// village's counter and the epoch are those it was cached under, and
// otherwise reads it (FindDivision, FindHouseholds) and caches it. It
// returns ENOTFOUND for a code that is not a village or a village whose
// residents the caller may not read, and the error of any query.
func (db *DB) FindVillagePage(ctx context.Context, code string, offset, limit int) (*healthcell.VillagePage, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	code = healthcell.NormalizeCode(code)
	if healthcell.CodeLevel(code) != healthcell.LevelVillage || !a.CoversDivision(code) || !a.CanReadPersons(code) {
		return nil, notFound("division")
	}
	var epoch, n int64
	if err := db.r.QueryRowContext(ctx, `SELECT d.epoch, COALESCE((SELECT v.n FROM village_versions v WHERE v.village_code = $1), 0)
		FROM data_version d WHERE d.id = 1`, code).Scan(&epoch, &n); err != nil {
		return nil, fmt.Errorf("village version: %w", err)
	}
	key := villagePageKey{code: code, offset: offset, limit: limit}
	db.villagePages.mu.Lock()
	e, ok := db.villagePages.m[key]
	db.villagePages.mu.Unlock()
	if ok && e.epoch == epoch && e.n == n {
		return copyVillagePage(&e.page), nil
	}
	dv, err := db.FindDivision(ctx, code)
	if err != nil {
		return nil, err
	}
	hs, total, err := db.FindHouseholds(ctx, healthcell.HouseholdFilter{Division: code, Offset: offset, Limit: limit, Brief: true})
	if err != nil {
		return nil, err
	}
	page := healthcell.VillagePage{Division: dv, Households: hs, Total: total}
	// Read after the counters: never older than what they say.
	db.villagePages.mu.Lock()
	if db.villagePages.m == nil || len(db.villagePages.m) >= maxCachedVillagePages {
		db.villagePages.m = map[villagePageKey]villagePageEntry{}
	}
	db.villagePages.m[key] = villagePageEntry{epoch: epoch, n: n, page: page}
	db.villagePages.mu.Unlock()
	return copyVillagePage(&page), nil
}

// copyVillagePage returns a copy a caller may change without changing the
// cache.
func copyVillagePage(p *healthcell.VillagePage) *healthcell.VillagePage {
	dv := *p.Division
	dv.Ancestors = append([]healthcell.Division(nil), p.Division.Ancestors...)
	dv.Children = append([]healthcell.DivisionNode(nil), p.Division.Children...)
	hs := make([]*healthcell.Household, len(p.Households))
	block := make([]healthcell.Household, len(p.Households))
	for i, h := range p.Households {
		block[i] = *h
		hs[i] = &block[i]
	}
	return &healthcell.VillagePage{Division: &dv, Households: hs, Total: p.Total}
}
