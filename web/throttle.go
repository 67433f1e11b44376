package web

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Login throttling: each account and each client address has a bucket of
// failed attempts that refills slowly. A success clears the account's bucket.
const (
	accountBurst = 5
	addressBurst = 20
	refillEvery  = time.Minute
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

// allowed reports whether a login for account from addr may be tried now.
func (t *throttle) allowed(account, addr string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	return t.limiter("u:"+account, accountBurst).TokensAt(now) >= 1 &&
		t.limiter("a:"+addr, addressBurst).TokensAt(now) >= 1
}

// failed records a failed login.
func (t *throttle) failed(account, addr string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	t.limiter("u:"+account, accountBurst).AllowN(now, 1)
	t.limiter("a:"+addr, addressBurst).AllowN(now, 1)
	t.prune(now)
}

// succeeded clears the account's failures.
func (t *throttle) succeeded(account string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.keys, "u:"+account)
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
