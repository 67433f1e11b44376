package catalog

import (
	"strings"
	"testing"
)

// TestIndicatorThemes checks the shipped themes and that every shipped
// indicator's group names one of them.
func TestIndicatorThemes(t *testing.T) {
	ths, err := IndicatorThemes()
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	for _, th := range ths {
		known[th.Code] = true
	}
	inds, err := Indicators()
	if err != nil {
		t.Fatal(err)
	}
	for _, ind := range inds {
		if !known[ind.Group] {
			t.Errorf("indicator %s: group %q is not a theme of indicator_themes.yaml", ind.Code, ind.Group)
		}
	}
}

func TestParseThemesRejects(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"bad code", "- {code: Bad, zh: 甲}", "bad code"},
		{"twice", "- {code: a, zh: 甲}\n- {code: a, zh: 乙}", "twice"},
		{"no name", "- {code: a, en: A}", "no Chinese name"},
		{"unknown field", "- {code: a, zh: 甲, colour: red}", "colour"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseThemes([]byte(tc.src))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("parseThemes(%q) = %v, want an error with %q", tc.src, err, tc.want)
			}
		})
	}
}
