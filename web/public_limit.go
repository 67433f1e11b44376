package web

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// DefaultPublicSubmitLimit is how many public submissions (quiz and survey
// answers) one address, and one device, may send an hour.
const DefaultPublicSubmitLimit = 20

// publicLimiter limits public submissions per client address and per device
// cookie: each key has a bucket of limit submissions refilled evenly over an
// hour. A submission draws on both buckets and is refused when either is
// empty. Idle buckets are dropped after an hour (a full bucket is the same as
// a new one), so the map stays the size of the last hour's clients.
type publicLimiter struct {
	mu    sync.Mutex
	now   func() time.Time
	limit int // per hour; < 0 turns the limit off
	keys  map[string]*rate.Limiter
	swept time.Time
}

func newPublicLimiter(limit int, now func() time.Time) *publicLimiter {
	if limit == 0 {
		limit = DefaultPublicSubmitLimit
	}
	return &publicLimiter{now: now, limit: limit, keys: map[string]*rate.Limiter{}}
}

// allow reports whether a submission from addr on device (either may be
// empty) may go ahead now, and if so counts it against both.
func (l *publicLimiter) allow(addr, device string) bool {
	if l.limit < 0 {
		return true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if now.Sub(l.swept) > time.Hour {
		for k, b := range l.keys {
			if b.TokensAt(now) >= float64(l.limit) {
				delete(l.keys, k)
			}
		}
		l.swept = now
	}
	var bs []*rate.Limiter
	for _, k := range []string{"a:" + addr, "d:" + device} {
		if k == "a:" || k == "d:" {
			continue
		}
		b, ok := l.keys[k]
		if !ok {
			b = rate.NewLimiter(rate.Every(time.Hour/time.Duration(l.limit)), l.limit)
			l.keys[k] = b
		}
		if b.TokensAt(now) < 1 {
			return false
		}
		bs = append(bs, b)
	}
	for _, b := range bs {
		b.AllowN(now, 1)
	}
	return true
}
