package sqlstore

import (
	"sync"
	"time"

	"github.com/healthcell/healthcell"
)

// ID-number lookups that miss — a register import's rows whose number is no
// resident the importer may see, a person saved with a new number that no
// person the caller may see has (whether someone else holds it or nobody
// does: person_idclaim.go) — could tell the caller something about numbers
// outside its scope. (A resident import is not charged: a number held
// elsewhere is stored as a claim, which tells nothing, where a refusal once
// the budget is spent would.) Each account may make lookupBudget of them, refilled
// at lookupRefill per miss, and all accounts of the process together
// globalLookupBudget, refilled at globalLookupRefill, so that many accounts
// together cannot test numbers in bulk either; beyond that the request is
// refused with ETHROTTLED. The system actor (the command line) is never
// limited; lookups of numbers the caller may see (every number of the
// county for its office) are no misses; and the county office is held to
// its own account's budget only, so that other accounts spending the
// process's cannot stop it settling its county's records. A number counts
// once per account within lookupMemory: looking it up again (a register
// import checked with a dry run and then stored, a failed import sent
// again, the same number twice in one file) tells the caller nothing new.
const (
	lookupBudget       = 200
	lookupRefill       = 18 * time.Second // 200 an hour
	globalLookupBudget = 10 * lookupBudget
	globalLookupRefill = lookupRefill / 10 // 2000 an hour
	lookupMemory       = time.Hour
)

// lookupLimiter holds each account's remaining misses and the process's.
type lookupLimiter struct {
	mu      sync.Mutex
	buckets map[int64]*lookupBucket
	global  *lookupBucket
}

// lookupBucket is a token bucket: tokens left at time at, and for an
// account the numbers it was charged for and when (at most what the budget
// and its refill allow within lookupMemory: a few hundred).
type lookupBucket struct {
	tokens float64
	at     time.Time
	seen   map[string]time.Time
}

// refill adds the tokens earned since the bucket's time, up to budget.
func (b *lookupBucket) refill(now time.Time, budget float64, every time.Duration) {
	if d := now.Sub(b.at); d > 0 {
		b.tokens = min(budget, b.tokens+float64(d)/float64(every))
		b.at = now
	}
}

// charge takes the numbers missed that the account of a was not charged
// for within lookupMemory (each distinct number once) from that account and
// from the process, at time now. It returns ETHROTTLED "lookup.throttled"
// when the account has fewer left than that (and then empties the account's
// bucket), or when the process has (and then charges neither); the system
// actor is never limited, and a county administrator only by its own
// account's budget.
func (l *lookupLimiter) charge(a *healthcell.Actor, numbers []string, now time.Time) error {
	if len(numbers) == 0 || a == nil || a.System {
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
		b = &lookupBucket{tokens: lookupBudget, at: now, seen: map[string]time.Time{}}
		l.buckets[a.UserID] = b
	}
	for n, at := range b.seen {
		if now.Sub(at) >= lookupMemory {
			delete(b.seen, n)
		}
	}
	var fresh []string
	inFile := map[string]bool{}
	for _, n := range numbers {
		if _, dup := b.seen[n]; !dup && !inFile[n] {
			inFile[n] = true
			fresh = append(fresh, n)
		}
	}
	misses := float64(len(fresh))
	if misses == 0 {
		return nil
	}
	b.refill(now, lookupBudget, lookupRefill)
	l.global.refill(now, globalLookupBudget, globalLookupRefill)
	if b.tokens < misses {
		b.tokens = 0
		return healthcell.Errorf(healthcell.ETHROTTLED, "lookup.throttled")
	}
	if a.Role != healthcell.RoleCountyAdmin {
		if l.global.tokens < misses {
			return healthcell.Errorf(healthcell.ETHROTTLED, "lookup.throttled")
		}
		l.global.tokens -= misses
	}
	b.tokens -= misses
	for _, n := range fresh {
		b.seen[n] = now
	}
	return nil
}
