package sqlstore

import (
	"sync"
	"time"

	"github.com/healthcell/healthcell"
)

// ID-number lookups that miss — a register import's rows whose number is no
// resident the importer may see, a new person whose number belongs to a
// record the caller cannot see — tell the caller something about numbers
// outside its scope. Each account may make lookupBudget of them, refilled
// at lookupRefill per miss; beyond that the request is refused with
// ETHROTTLED, so nobody can test numbers in bulk.
const (
	lookupBudget = 200
	lookupRefill = 18 * time.Second // 200 an hour
)

// lookupLimiter holds each account's remaining misses.
type lookupLimiter struct {
	mu      sync.Mutex
	buckets map[int64]*lookupBucket
}

type lookupBucket struct {
	tokens float64
	at     time.Time
}

// charge takes misses from the account of a at time now. It returns
// ETHROTTLED (and empties the bucket) when the account has fewer left than
// misses; the system actor is never limited.
func (l *lookupLimiter) charge(a *healthcell.Actor, misses int, now time.Time) error {
	if misses <= 0 || a == nil || a.System {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.buckets == nil {
		l.buckets = map[int64]*lookupBucket{}
	}
	b, ok := l.buckets[a.UserID]
	if !ok {
		b = &lookupBucket{tokens: lookupBudget, at: now}
		l.buckets[a.UserID] = b
	}
	if d := now.Sub(b.at); d > 0 {
		b.tokens = min(lookupBudget, b.tokens+float64(d)/float64(lookupRefill))
		b.at = now
	}
	if b.tokens < float64(misses) {
		b.tokens = 0
		return healthcell.Errorf(healthcell.ETHROTTLED, "lookup.throttled")
	}
	b.tokens -= float64(misses)
	return nil
}
