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
// at lookupRefill per miss, and all accounts of the process together
// globalLookupBudget, refilled at globalLookupRefill, so that many accounts
// together cannot test numbers in bulk either; beyond that the request is
// refused with ETHROTTLED. The system actor (the command line) is never
// limited; lookups of numbers the caller may see (every number of the
// county for its office) are no misses; and the county office is held to
// its own account's budget only, so that other accounts spending the
// process's cannot stop it settling its county's records.
const (
	lookupBudget       = 200
	lookupRefill       = 18 * time.Second // 200 an hour
	globalLookupBudget = 10 * lookupBudget
	globalLookupRefill = lookupRefill / 10 // 2000 an hour
)

// lookupLimiter holds each account's remaining misses and the process's.
type lookupLimiter struct {
	mu      sync.Mutex
	buckets map[int64]*lookupBucket
	global  *lookupBucket
}

// lookupBucket is a token bucket: tokens left at time at.
type lookupBucket struct {
	tokens float64
	at     time.Time
}

// refill adds the tokens earned since the bucket's time, up to budget.
func (b *lookupBucket) refill(now time.Time, budget float64, every time.Duration) {
	if d := now.Sub(b.at); d > 0 {
		b.tokens = min(budget, b.tokens+float64(d)/float64(every))
		b.at = now
	}
}

// charge takes misses from the account of a and from the process at time
// now. It returns ETHROTTLED "lookup.throttled" when the account has fewer
// left than misses (and then empties the account's bucket), or when the
// process has (and then charges neither); the system actor is never
// limited, and a county administrator only by its own account's budget.
func (l *lookupLimiter) charge(a *healthcell.Actor, misses int, now time.Time) error {
	if misses <= 0 || a == nil || a.System {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.buckets == nil {
		l.buckets = map[int64]*lookupBucket{}
		l.global = &lookupBucket{tokens: globalLookupBudget, at: now}
	}
	b, ok := l.buckets[a.UserID]
	if !ok {
		b = &lookupBucket{tokens: lookupBudget, at: now}
		l.buckets[a.UserID] = b
	}
	b.refill(now, lookupBudget, lookupRefill)
	l.global.refill(now, globalLookupBudget, globalLookupRefill)
	if b.tokens < float64(misses) {
		b.tokens = 0
		return healthcell.Errorf(healthcell.ETHROTTLED, "lookup.throttled")
	}
	if a.Role == healthcell.RoleCountyAdmin {
		b.tokens -= float64(misses)
		return nil
	}
	if l.global.tokens < float64(misses) {
		return healthcell.Errorf(healthcell.ETHROTTLED, "lookup.throttled")
	}
	b.tokens -= float64(misses)
	l.global.tokens -= float64(misses)
	return nil
}
