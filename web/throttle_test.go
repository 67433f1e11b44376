package web_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
	"github.com/healthcell/healthcell/web"
)

// TestThrottleStrangerCannotLockOut checks that failures from one address
// throttle that address only for the account, that the owner elsewhere still
// logs in, and that failures spread over many addresses meet the account's
// global limit (100).
func TestThrottleStrangerCannotLockOut(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db, func(c *web.Config) { c.TrustProxy = true })
		login := func(addr, password string) *response {
			return e.anon(t).do(t, "POST", "/api/v1/session", map[string]string{"username": "lockme", "password": password},
				"X-Forwarded-For", addr)
		}
		const stranger, owner = "203.0.113.7", "198.51.100.9"
		for i := 1; i <= 5; i++ {
			if r := login(stranger, "wrong-password"); r.status != http.StatusUnauthorized {
				t.Fatalf("stranger's failure %d: %d %s", i, r.status, r.body)
			}
		}
		r := login(stranger, testPassword)
		if r.status != http.StatusTooManyRequests {
			t.Fatalf("stranger's 6th try: %d, want 429", r.status)
		}
		wantError(healthcell.ETHROTTLED)(t, e, r)
		if r := login(owner, testPassword); r.status != http.StatusOK {
			t.Fatalf("owner from another address after a stranger's failures: %d %s", r.status, r.body)
		}
		// 95 more failures from 19 addresses: 100 in all for the account.
		for a := 1; a <= 19; a++ {
			for i := 1; i <= 5; i++ {
				if r := login(fmt.Sprintf("10.1.0.%d", a), "wrong-password"); r.status != http.StatusUnauthorized {
					t.Fatalf("address %d failure %d: %d %s", a, i, r.status, r.body)
				}
			}
		}
		if r := login("192.0.2.50", testPassword); r.status != http.StatusTooManyRequests {
			t.Errorf("after 100 failures from many addresses: %d, want 429 (the account's global limit)", r.status)
		}
		// Other accounts are untouched.
		if r := e.anon(t).do(t, "POST", "/api/v1/session", map[string]string{"username": "viewer", "password": testPassword},
			"X-Forwarded-For", "192.0.2.50"); r.status != http.StatusOK {
			t.Errorf("another account: %d", r.status)
		}
	})
}
