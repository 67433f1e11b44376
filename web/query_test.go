package web_test

import (
	"testing"

	"github.com/healthcell/healthcell"
)

// TestQueryChoices checks that kind and version query values outside their
// closed sets answer 422 on the parameter instead of a silent default.
func TestQueryChoices(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		run(t, e, []scenario{
			{name: "unknown sheet kind", user: "county", path: "/api/v1/sheets?kind=audit", status: 422, check: wantField("kind", "query.invalid")},
			{name: "known sheet kind", user: "county", path: "/api/v1/sheets?kind=self", status: 200},
			{name: "unknown difference kind", user: "county", path: "/api/v1/reconcile?kind=everything", status: 422, check: wantField("kind", "query.invalid")},
			{name: "known difference kind", user: "county", path: "/api/v1/reconcile?kind=names", status: 200},
			{name: "version not a number", user: "county", path: "/api/v1/standards/health-village?version=latest", status: 422, check: wantField("version", "query.invalid")},
			{name: "version zero", user: "county", path: "/api/v1/standards/health-village?version=0", status: 422, check: wantError(healthcell.EINVALID, "version")},
		})
	})
}
