package web

import (
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/healthcell/healthcell"
)

// TestReplicaRoutesAreGETRoutes: every route that may read a replica is a
// GET route of routes.go, so a typo cannot silently keep a page on the
// primary, nor a write reach the list.
func TestReplicaRoutesAreGETRoutes(t *testing.T) {
	src, err := os.ReadFile("routes.go")
	if err != nil {
		t.Fatal(err)
	}
	served := map[string]bool{}
	for _, m := range regexp.MustCompile(`mux\.Handle(?:Func)?\("([^"]+)"`).FindAllStringSubmatch(string(src), -1) {
		served[m[1]] = true
	}
	for p := range replicaRoutes {
		if !strings.HasPrefix(p, "GET ") {
			t.Errorf("replicaRoutes has %q: only GET routes may read a replica", p)
		}
		if !served[p] {
			t.Errorf("replicaRoutes has %q, which routes.go does not serve", p)
		}
	}
}

// TestReplicaReadsMark: the page and API adapters mark the context of a
// listed route, and only of a listed route.
func TestReplicaReadsMark(t *testing.T) {
	s := &Server{}
	got := map[string]bool{}
	record := func(w http.ResponseWriter, r *http.Request) error {
		got[r.Pattern] = healthcell.ReplicaReads(r.Context())
		return nil
	}
	mux := http.NewServeMux()
	for _, p := range []string{"GET /dashboard", "GET /bulletins/{id}", "POST /bulletins"} {
		mux.HandleFunc(p, s.page(record))
	}
	for _, p := range []string{"GET /api/v1/indicator-values", "GET /api/v1/me"} {
		mux.HandleFunc(p, s.api(record))
	}
	for _, req := range []struct{ method, path string }{
		{"GET", "/dashboard"}, {"GET", "/bulletins/1"}, {"POST", "/bulletins"}, {"GET", "/api/v1/indicator-values"}, {"GET", "/api/v1/me"},
	} {
		mux.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(req.method, req.path, nil))
	}
	want := map[string]bool{"GET /dashboard": true, "GET /bulletins/{id}": false, "POST /bulletins": false,
		"GET /api/v1/indicator-values": true, "GET /api/v1/me": false}
	for p, w := range want {
		if v, ok := got[p]; !ok || v != w {
			t.Errorf("%s: replica reads %v (served %v), want %v", p, v, ok, w)
		}
	}
}
