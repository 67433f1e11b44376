package web

import (
	"net/http"

	"github.com/healthcell/healthcell"
)

// replicaRoutes are the routes whose reads may be served by a streaming
// read replica (serve --db-replica): read-only pages and APIs where a few
// seconds of replication lag does no harm — dashboards and indicators, the
// lists of due check-ups and missed activities, the bulletin list, the
// public pages and the exports. Everything else reads the primary: the
// pages a POST redirects to (a bulletin just issued, an article just
// saved), sessions, logins, tokens and idempotency keys, and every write.
// Storage decides per method which reads may go (sqlstore's onReplica); a
// request reaches the replica only when both agree. A test checks that each
// entry is a GET route of the table.
var replicaRoutes = map[string]bool{
	"GET /dashboard":                            true,
	"GET /dashboard/indicators/{code}":          true,
	"GET /indicators/{code}/missing":            true,
	"GET /checkups/due":                         true,
	"GET /checkups/due/export/{format}":         true,
	"GET /activities/missed":                    true,
	"GET /bulletins":                            true,
	"GET /registers/{register}/export/{format}": true,
	"GET /public/{county}/named":                true,
	"GET /public/{code}":                        true,
	"GET /public/{code}/articles/{id}":          true,
	"GET /public/{code}/poster":                 true,

	"GET /api/v1/indicators/{code}/values":    true,
	"GET /api/v1/indicators/{code}/missing":   true,
	"GET /api/v1/indicator-values":            true,
	"GET /api/v1/checkups/due":                true,
	"GET /api/v1/activity-rules/missed":       true,
	"GET /api/v1/bulletins":                   true,
	"GET /api/v1/registers/{register}/export": true,
	"GET /api/v1/public/{code}":               true,
	"GET /api/v1/public/{code}/articles/{id}": true,
}

// replicaReads marks the context of a request on a route of replicaRoutes
// (r.Pattern, set by the mux) as allowing replica reads.
func replicaReads(r *http.Request) *http.Request {
	if !replicaRoutes[r.Pattern] {
		return r
	}
	return r.WithContext(healthcell.WithReplicaReads(r.Context()))
}
