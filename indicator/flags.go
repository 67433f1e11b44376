package indicator

import (
	"fmt"
	"strconv"
	"strings"
)

// Rule is a condition on one row of a source: it holds when at least Min
// of its Filters hold (Min 0: all of them).
type Rule struct {
	Filters []string
	Min     int
}

// CheckRule returns the problems of a rule over source (unknown source or
// field, a bad filter, Min out of range) as "key value" strings; nil when
// it is sound.
func CheckRule(r Rule, source string, srcs Sources) []string {
	src := srcs[source]
	if src == nil {
		return []string{"indicator.source.unknown " + source}
	}
	if len(r.Filters) == 0 || r.Min < 0 || r.Min > len(r.Filters) {
		return []string{"indicator.rule.min " + strconv.Itoa(r.Min)}
	}
	var out []string
	for _, f := range r.Filters {
		n, err := ParseFilter(f)
		if err != nil {
			out = append(out, "indicator.filter.syntax "+f)
			continue
		}
		c := &checker{srcs: srcs}
		c.filter(n, src)
		for _, e := range c.errs {
			out = append(out, e.key+" "+e.value)
		}
	}
	return out
}

// CompileFlags turns rules over one source into one query listing the
// source's rows in scope (ordered by id) with one 0/1 column per rule, in
// order: "SELECT t.id, flag1, flag2 …". The period p places the rows the
// filters' has(…) tests look at. It returns an error for a rule CheckRule
// refuses.
func CompileFlags(source string, rules []Rule, srcs Sources, p Period, sc Scope) (Query, error) {
	src := srcs[source]
	if src == nil {
		return Query{}, fmt.Errorf("indicator: unknown source %q", source)
	}
	b := &builder{srcs: srcs, p: p}
	where := []string{sc.where(b), fmt.Sprintf(src.base, "t")}
	cols := []string{"t.id"}
	for i, r := range rules {
		if errs := CheckRule(r, source, srcs); len(errs) > 0 {
			return Query{}, fmt.Errorf("indicator: rule %d: %s", i+1, errs[0])
		}
		min := r.Min
		if min == 0 {
			min = len(r.Filters)
		}
		var terms []string
		for _, f := range r.Filters {
			n, _ := ParseFilter(f)
			terms = append(terms, "CASE WHEN "+b.filter(n, src, "t")+" THEN 1 ELSE 0 END")
		}
		cols = append(cols, fmt.Sprintf("CASE WHEN %s >= %d THEN 1 ELSE 0 END", strings.Join(terms, " + "), min))
	}
	return Query{SQL: "SELECT " + strings.Join(cols, ", ") + " FROM " + src.Table + " t WHERE " + strings.Join(where, " AND ") + " ORDER BY t.id",
		Args: b.args}, nil
}
