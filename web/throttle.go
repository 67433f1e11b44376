package web

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Login throttling keeps three buckets of failed attempts, each refilling one
// attempt per refillEvery:
//
//   - one per account and client address (5): the owner's typos, and a
//     stranger guessing from one place, are stopped quickly — but a stranger
//     failing from another address does not lock the owner out;
//   - one per account over all addresses (100): guessing spread over many
//     addresses still meets a limit, far above what a stranger can cause by
//     accident and slow enough to make guessing hopeless;
//   - one per client address over all accounts (20): one place trying many
//     accounts.
//
// A success clears the account+address bucket only, so a stranger's failures
// elsewhere do not count against the owner and the owner's success does not
// reset the global count for the stranger.
const (
	accountAddressBurst = 5
	accountBurst        = 100
	addressBurst        = 20
	refillEvery         = time.Minute
)

type throttle struct {
	mu   sync.Mutex
	now  func() time.Time
	keys map[string]*rate.Limiter
}

func newThrottle(now func() time.Time) *throttle {
	return &throttle{now: now, keys: map[string]*rate.Limiter{}}
}

func (t *throttle) limiter(key string, burst int) *rate.Limiter {
	l, ok := t.keys[key]
	if !ok {
		l = rate.NewLimiter(rate.Every(refillEvery), burst)
		t.keys[key] = l
	}
	return l
}

// buckets returns the three buckets a login for account from addr draws on.
func (t *throttle) buckets(account, addr string) []*rate.Limiter {
	return []*rate.Limiter{
		t.limiter("ua:"+account+"\x00"+addr, accountAddressBurst),
		t.limiter("u:"+account, accountBurst),
		t.limiter("a:"+addr, addressBurst),
	}
}

// allowed reports whether a login for account from addr may be tried now.
func (t *throttle) allowed(account, addr string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	for _, l := range t.buckets(account, addr) {
		if l.TokensAt(now) < 1 {
			return false
		}
	}
	return true
}

// failed records a failed login.
func (t *throttle) failed(account, addr string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	for _, l := range t.buckets(account, addr) {
		l.AllowN(now, 1)
	}
	t.prune(now)
}

// succeeded clears the failures of account from addr.
func (t *throttle) succeeded(account, addr string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.keys, "ua:"+account+"\x00"+addr)
}

// prune drops full buckets once the map grows, so memory stays bounded.
func (t *throttle) prune(now time.Time) {
	if len(t.keys) < 10000 {
		return
	}
	for k, l := range t.keys {
		if l.TokensAt(now) >= float64(l.Burst()) {
			delete(t.keys, k)
		}
	}
}
