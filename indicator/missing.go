package indicator

import (
	"fmt"
	"strings"

	"github.com/healthcell/healthcell"
)

// Missing reports whether the rows standing between a unit and ind's
// target can be listed: ind is a numerator over a denominator, both over
// residents or both over households, so that the rows counted by the
// denominator but not by the numerator are persons or households.
func Missing(ind *healthcell.Indicator, srcs Sources) bool {
	if ind == nil || ind.Expr != "" || ind.Numerator == nil || ind.Denominator == nil {
		return false
	}
	n, d := ind.Numerator, ind.Denominator
	if n.Const != nil || d.Const != nil || n.Sum != "" || d.Sum != "" || n.From != d.From {
		return false
	}
	return (n.From == Residents || n.From == Households) && srcs[n.From] != nil
}

// CompileMissing returns the query of the ids of the rows (persons for
// residents, households for households) that ind's denominator counts and
// its numerator does not, in scope sc and period p: the denominator's
// filter AND NOT the numerator's, over the same source read as the values
// read it. Its rows are (village code, id), unordered. It returns an error
// when Missing(ind, srcs) is false or a filter does not compile.
func CompileMissing(ind *healthcell.Indicator, srcs Sources, p Period, sc Scope) (Query, error) {
	if !Missing(ind, srcs) {
		return Query{}, fmt.Errorf("indicator: %s lists no missing rows", ind.Code)
	}
	src := srcs[ind.Denominator.From]
	b := &builder{srcs: srcs, p: p}
	where := []string{sc.where(b), fmt.Sprintf(src.base, "t")}
	cond := func(m *healthcell.Measure) (string, error) {
		var conds []string
		if w := b.window(src, "t", m.Period); w != "" {
			conds = append(conds, w)
		}
		if m.Where != "" {
			n, err := ParseFilter(m.Where)
			if err != nil {
				return "", err
			}
			c := &checker{srcs: srcs}
			c.filter(n, src)
			if len(c.errs) > 0 {
				return "", fmt.Errorf("indicator: %s %s", c.errs[0].key, c.errs[0].value)
			}
			conds = append(conds, b.filter(n, src, "t"))
		}
		if len(conds) == 0 {
			return "1 = 1", nil
		}
		return strings.Join(conds, " AND "), nil
	}
	den, err := cond(ind.Denominator)
	if err != nil {
		return Query{}, err
	}
	num, err := cond(ind.Numerator)
	if err != nil {
		return Query{}, err
	}
	// A numerator condition that is NULL for a row does not count it, so
	// the row is missing: CASE turns NULL into "not counted" on both engines.
	where = append(where, "("+den+")", "(CASE WHEN "+num+" THEN 0 ELSE 1 END) = 1")
	sql := "SELECT t.village_code, t.id FROM " + b.from(src, "t", sc.pushScope(b)) + " WHERE " + strings.Join(where, " AND ")
	return Query{SQL: sql, Args: b.args}, nil
}
