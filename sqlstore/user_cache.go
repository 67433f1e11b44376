package sqlstore

import (
	"sync"
	"time"

	"github.com/healthcell/healthcell"
)

// userCacheTTL is how long UserByID trusts a user it read. Every request
// looks up its session's user; caching it saves a query per page view.
// A write by this process (any DB.write: disabling a user, a password, a new
// user, …) empties the cache at once, so a change made through the web takes
// effect on the next request. A change made by another process (the command
// line's `user disable` against the same database) takes effect within
// this time.
const userCacheTTL = 2 * time.Second

// userCache holds users by id, with the time they were read.
type userCache struct {
	mu  sync.Mutex
	gen uint64 // counts invalidations, so that a read racing a write is not kept
	m   map[int64]cachedUser
}

type cachedUser struct {
	u  healthcell.User
	at time.Time
}

// get returns a copy of the user id read no earlier than now-userCacheTTL,
// and the generation to pass to put after reading it afresh.
func (c *userCache) get(id int64, now time.Time) (*healthcell.User, uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.m[id]; ok && now.Sub(e.at) < userCacheTTL && !now.Before(e.at) {
		u := e.u
		return &u, c.gen
	}
	return nil, c.gen
}

// put keeps u, read at now, unless the cache was invalidated since gen.
func (c *userCache) put(u *healthcell.User, now time.Time, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.m == nil || len(c.m) >= 10000 {
		c.m = map[int64]cachedUser{}
	}
	c.m[u.ID] = cachedUser{u: *u, at: now}
}

// invalidate forgets every user.
func (c *userCache) invalidate() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.m = nil
}
