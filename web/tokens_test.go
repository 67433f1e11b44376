package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestAPITokensWeb checks personal API tokens through HTTP: made on the
// account page and through the API, shown once, accepted as "Authorization:
// Bearer" on /api/v1 with the user's scope, writes audited as the user, and
// refused (401) when wrong or revoked.
func TestAPITokensWeb(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		village := e.as(t, "village")
		page := village.do(t, "POST", "/account/tokens", url.Values{"name": {"统计脚本"}}, "Origin", e.srv.URL)
		if page.status != http.StatusOK || !strings.Contains(page.String(), `id="token-secret"`) {
			t.Fatalf("create on the page: %d", page.status)
		}
		if again := village.get(t, "/account/tokens"); strings.Contains(again.String(), `id="token-secret"`) || !strings.Contains(again.String(), "统计脚本") {
			t.Errorf("the token is shown again, or its name is not listed")
		}
		r := village.do(t, "POST", "/api/v1/account/tokens", map[string]string{"name": "县级平台"})
		if r.status != http.StatusCreated {
			t.Fatalf("create through the API: %d %s", r.status, r.body)
		}
		var created struct {
			ID    int64  `json:"id"`
			Token string `json:"token"`
		}
		r.decode(t, &created)

		bearer := e.anon(t)
		auth := func(tok string) []string { return []string{"Authorization", "Bearer " + tok} }
		if r := bearer.get(t, "/api/v1/me", auth(created.Token)...); r.status != http.StatusOK || !strings.Contains(r.String(), `"username":"village"`) {
			t.Fatalf("me with the token: %d %s", r.status, r.body)
		}
		// Scoped like the user: another village's person is not there.
		if r := bearer.get(t, "/api/v1/persons/{pB}", auth(created.Token)...); r.status != http.StatusNotFound {
			t.Errorf("other village through the token: %d", r.status)
		}
		// A write is audited as the user.
		r = bearer.do(t, "POST", "/api/v1/households", map[string]any{"number": "A-077", "village_code": sqltest.Village}, auth(created.Token)...)
		if r.status != http.StatusCreated {
			t.Fatalf("write with the token: %d %s", r.status, r.body)
		}
		es, _, err := e.db.FindAudit(sqltest.System(), healthcell.AuditFilter{Entity: "household"})
		if err != nil || len(es) == 0 || es[0].Username != "village" || es[0].Action != "create" {
			t.Errorf("audit of the write: %+v %v", es, err)
		}
		if _, n, _ := e.db.FindAudit(sqltest.System(), healthcell.AuditFilter{Entity: "token", Username: "village"}); n < 3 {
			t.Errorf("%d token entries (two creations and a use expected)", n)
		}
		// A token may not make more tokens.
		if r := bearer.do(t, "POST", "/api/v1/account/tokens", map[string]string{"name": "再来一个"}, auth(created.Token)...); r.status != http.StatusForbidden {
			t.Errorf("token made with a token: %d", r.status)
		}
		// Wrong tokens are 401, not a fall-back to the session.
		if r := village.get(t, "/api/v1/me", auth("hct_wrong")...); r.status != http.StatusUnauthorized {
			t.Errorf("wrong token with a session: %d", r.status)
		}
		// Another user cannot revoke it: the token is not there for them,
		// and it still works.
		if r := e.as(t, "township").do(t, "DELETE", "/api/v1/account/tokens/"+itoa(created.ID), nil); r.status != http.StatusNotFound {
			t.Errorf("another user revokes: %d", r.status)
		}
		if r := bearer.get(t, "/api/v1/me", auth(created.Token)...); r.status != http.StatusOK {
			t.Errorf("token after another user's revoke: %d", r.status)
		}
		if r := village.do(t, "DELETE", "/api/v1/account/tokens/"+itoa(created.ID), nil); r.status != http.StatusNoContent {
			t.Fatalf("revoke: %d %s", r.status, r.body)
		}
		if r := bearer.get(t, "/api/v1/me", auth(created.Token)...); r.status != http.StatusUnauthorized {
			t.Errorf("revoked token: %d", r.status)
		}
	})
}
