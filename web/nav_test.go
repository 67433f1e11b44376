package web_test

import (
	"strings"
	"testing"
)

// TestNavigationByPermission: the navigation (rendered once per language and
// set of permissions, then reused) shows each user the links of their
// permissions, in their language, on every request.
func TestNavigationByPermission(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		for _, tc := range []struct {
			user                      string
			reconcile, import_, user_ bool
		}{
			{"county", true, true, true},
			{"village", true, true, false},
			{"viewer", false, false, false},
			{"evaluator", false, false, false},
			{"county", true, true, true}, // again: from the cache
		} {
			c := e.as(t, tc.user)
			for _, lang := range []string{"", "en"} {
				path := "/search"
				if lang == "en" {
					c.get(t, "/lang?to=en&back=/search")
				}
				body := c.get(t, path).String()
				for id, want := range map[string]bool{`id="nav-reconcile"`: tc.reconcile, `id="nav-import"`: tc.import_, `href="/users"`: tc.user_, `id="nav-registers"`: true} {
					if strings.Contains(body, id) != want {
						t.Errorf("%s %s: %s shown = %v, want %v", tc.user, lang, id, !want, want)
					}
				}
				label := "台账"
				if lang == "en" {
					label = "Registers"
				}
				if !strings.Contains(body, `id="nav-registers">`+label+`</a>`) {
					t.Errorf("%s %s: registers link not labelled %q", tc.user, lang, label)
				}
			}
			c.get(t, "/lang?to=zh-CN&back=/search")
		}
	})
}
