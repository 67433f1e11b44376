package sqlstore

import (
	"context"
	"sync"

	"github.com/healthcell/healthcell"
)

// standardVersions keeps parsed standard versions by id. A stored version
// never changes (a changed file becomes the next version), so an entry
// never goes stale; decoding a standard's JSON was the largest cost of
// opening a score sheet. Callers must not modify what it returns.
type standardVersions struct {
	m sync.Map // int64 → *healthcell.Standard
}

// standardVersion returns the standard version id, read once per process;
// the errors of findStandard.
func (db *DB) standardVersion(ctx context.Context, id int64) (*healthcell.Standard, error) {
	if s, ok := db.stdVersions.m.Load(id); ok {
		return s.(*healthcell.Standard), nil
	}
	s, err := findStandard(ctx, db.r, `id = $1`, id)
	if err != nil {
		return nil, err
	}
	db.stdVersions.m.Store(id, s)
	return s, nil
}
