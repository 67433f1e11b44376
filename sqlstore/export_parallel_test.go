package sqlstore

// SetBeforeCommitForTest makes every write call fn after its work and
// before its commit (nil: nothing).
func (db *DB) SetBeforeCommitForTest(fn func()) { db.beforeCommit = fn }

// SetNoBumpAfterCommitForTest leaves out the move of the data version
// after a PostgreSQL commit, to show what that move prevents.
func (db *DB) SetNoBumpAfterCommitForTest(skip bool) { db.noBumpAfterCommit = skip }

// DropCachesForTest empties the caches of indicator measures, so that the
// next IndicatorValues computes everything from the tables.
func (db *DB) DropCachesForTest() {
	db.measures.clear()
	db.villageCache.mu.Lock()
	db.villageCache.tmpls = nil
	db.villageCache.mu.Unlock()
}
