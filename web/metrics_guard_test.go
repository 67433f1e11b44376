package web_test

import (
	"net/http"
	"testing"

	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
	"github.com/healthcell/healthcell/web"
)

// TestMetricsAccess checks that /metrics is open by default and, once
// restricted, served only with the token or to a listed address.
func TestMetricsAccess(t *testing.T) {
	allow, err := web.ParseMetricsAllow("10.0.0.0/8, 192.0.2.7")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := web.ParseMetricsAllow("10.0.0.0/8,intranet"); err == nil {
		t.Errorf("a name is accepted as an address")
	}
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		open := newEnv(t, db)
		if r := open.anon(t).get(t, "/metrics"); r.status != http.StatusOK {
			t.Errorf("open metrics: %d", r.status)
		}
		e := newEnv(t, sqltest.Open(t, db.Engine), func(c *web.Config) {
			c.TrustProxy = true
			c.Metrics = web.MetricsAccess{Token: "s3cret-metrics", Allow: allow}
		})
		tests := []struct {
			name    string
			headers []string
			status  int
		}{
			{"no token, unlisted address", []string{"X-Forwarded-For", "203.0.113.9"}, 404},
			{"wrong token", []string{"Authorization", "Bearer nope", "X-Forwarded-For", "203.0.113.9"}, 404},
			{"token", []string{"Authorization", "Bearer s3cret-metrics", "X-Forwarded-For", "203.0.113.9"}, 200},
			{"listed prefix", []string{"X-Forwarded-For", "10.2.3.4"}, 200},
			{"listed address", []string{"X-Forwarded-For", "192.0.2.7"}, 200},
			{"neighbour of the listed address", []string{"X-Forwarded-For", "192.0.2.8"}, 404},
		}
		for _, tt := range tests {
			if r := e.anon(t).get(t, "/metrics", tt.headers...); r.status != tt.status {
				t.Errorf("%s: %d, want %d", tt.name, r.status, tt.status)
			}
		}
	})
}
