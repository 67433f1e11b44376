package indicator_test

import (
	"strings"
	"testing"
	"time"

	"github.com/healthcell/healthcell/indicator"
)

// TestCheckRule: a rule's filters are checked against the allow-list.
func TestCheckRule(t *testing.T) {
	srcs := sources(t)
	for _, c := range []struct {
		name string
		rule indicator.Rule
		want string // a problem's key prefix; "" for none
	}{
		{"sound", indicator.Rule{Filters: []string{"has(family_health, asof, handbook)"}}, ""},
		{"at least 2 of 3", indicator.Rule{Filters: []string{"has(family_health, asof, scale)", "has(family_health, asof, oil_pot)", "named"}, Min: 2}, ""},
		{"unknown field", indicator.Rule{Filters: []string{"has(family_health, asof, wings)"}}, "indicator."},
		{"bad syntax", indicator.Rule{Filters: []string{"has(family_health"}}, "indicator.filter.syntax"},
		{"min above the filters", indicator.Rule{Filters: []string{"named"}, Min: 2}, "indicator.rule.min"},
		{"no filters", indicator.Rule{}, "indicator.rule.min"},
	} {
		t.Run(c.name, func(t *testing.T) {
			errs := indicator.CheckRule(c.rule, indicator.Households, srcs)
			if (len(errs) == 0) != (c.want == "") || (c.want != "" && !strings.HasPrefix(errs[0], c.want)) {
				t.Errorf("CheckRule = %v, want %q", errs, c.want)
			}
		})
	}
	if errs := indicator.CheckRule(indicator.Rule{Filters: []string{"named"}}, "nowhere", srcs); len(errs) == 0 {
		t.Error("an unknown source passes")
	}
}

// TestCompileFlags: one column per rule, the at-least rule as a sum, every
// value a parameter, the day as the period's end.
func TestCompileFlags(t *testing.T) {
	srcs := sources(t)
	day := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	q, err := indicator.CompileFlags(indicator.Households, []indicator.Rule{
		{Filters: []string{"has(family_health, asof, handbook)"}},
		{Filters: []string{"has(family_health, asof, scale)", "has(family_health, asof, bp_monitor)", "has(family_health, asof, oil_pot)"}, Min: 2},
		{Filters: []string{"has(residents, resident) and not has(residents, resident and not has(contracts, overlap))"}},
	}, srcs, indicator.Period{Label: "2026-05-01", Start: day, End: day}, indicator.Scope{Villages: []string{"510824100001"}, GroupLen: 12})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(q.SQL, "SELECT t.id, CASE WHEN ") || strings.Count(q.SQL, " >= 2 THEN 1") != 1 || strings.Count(q.SQL, " >= 1 THEN 1") != 2 ||
		!strings.Contains(q.SQL, "FROM households t WHERE t.village_code IN ($1)") || !strings.HasSuffix(q.SQL, "ORDER BY t.id") {
		t.Errorf("SQL: %s", q.SQL)
	}
	if strings.Contains(q.SQL, "2026") || q.Args[0] != "510824100001" {
		t.Errorf("a value in the text, or args %v", q.Args)
	}
	found := false
	for _, a := range q.Args {
		if a == "2026-05-01" {
			found = true
		}
	}
	if !found {
		t.Errorf("the day is not a parameter: %v", q.Args)
	}
	if _, err := indicator.CompileFlags(indicator.Households, []indicator.Rule{{Filters: []string{"wings"}}}, srcs, indicator.Period{End: day}, indicator.Scope{Villages: []string{"x"}}); err == nil {
		t.Error("a bad rule compiles")
	}
}
