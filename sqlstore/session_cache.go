package sqlstore

import (
	"bytes"
	"sync"
	"time"
)

// sessionCacheTTL is how long a session read or written by this process is
// served from memory. Every request reads its session; with this cache a
// page view needs no query for it. Logging out, and any change this process
// makes to a session, replace or remove the entry at once; a change made to
// the sessions table by another process (another server on the same
// PostgreSQL database, or the hourly sweep of expired sessions) is seen
// within this time. Expiry is checked on every read.
const sessionCacheTTL = 2 * time.Second

// maxCachedSessions bounds the cache; it is emptied when full.
const maxCachedSessions = 10000

// sessionCache holds session data by token.
type sessionCache struct {
	mu  sync.Mutex
	gen uint64 // counts drops, so that a read racing a change is not kept
	m   map[string]cachedSession
}

type cachedSession struct {
	data   []byte
	expiry time.Time // the session's own expiry
	at     time.Time // when it was read or written (wall clock)
}

// get returns a copy of token's data when it was cached less than
// sessionCacheTTL ago and the session has not expired at now.
func (c *sessionCache) get(token string, now time.Time) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[token]
	if !ok || time.Since(e.at) >= sessionCacheTTL || !e.expiry.After(now) {
		return nil, false
	}
	return bytes.Clone(e.data), true
}

// generation returns the number to pass to put after reading or writing a
// session.
func (c *sessionCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// put caches a session unless one was dropped since gen was taken (the
// data might be older than that change).
func (c *sessionCache) put(token string, data []byte, expiry time.Time, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return
	}
	if c.m == nil || len(c.m) >= maxCachedSessions {
		c.m = map[string]cachedSession{}
	}
	c.m[token] = cachedSession{data: bytes.Clone(data), expiry: expiry, at: time.Now()}
}

// drop forgets a session that is about to change or go.
func (c *sessionCache) drop(token string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	delete(c.m, token)
}

// clear forgets every session (after expired ones were deleted).
func (c *sessionCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.m = nil
}
