package indicator

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/register"
)

var codeRE = regexp.MustCompile(`^[a-z][a-z0-9_]{1,40}$`)

var windowRE = regexp.MustCompile(`^([1-9][0-9]?)([ym])$`)

// Check returns every problem with ind against the allow-list srcs and the
// other indicators known by code (for expressions), as field errors whose
// messages are keys of the locale files; nil when ind is sound.
func Check(ind *healthcell.Indicator, srcs Sources, known map[string]*healthcell.Indicator) []healthcell.FieldError {
	var fe []healthcell.FieldError
	add := func(field, key, value string) {
		fe = append(fe, healthcell.FieldError{Field: field, Message: key, Value: value})
	}
	if !codeRE.MatchString(ind.Code) {
		add("code", "indicator.bad_code", ind.Code)
	}
	if strings.TrimSpace(ind.Zh) == "" {
		add("zh", "field.required", "")
	}
	if ind.En == "" {
		ind.En = ind.Zh
	}
	switch ind.Unit {
	case healthcell.UnitPercent, healthcell.UnitRatio, healthcell.UnitCount:
	default:
		add("unit", "indicator.bad_unit", ind.Unit)
	}
	switch ind.Direction {
	case healthcell.Higher, healthcell.Lower:
	default:
		add("direction", "indicator.bad_direction", ind.Direction)
	}
	if ind.Target != nil && (math.IsNaN(*ind.Target) || math.IsInf(*ind.Target, 0)) {
		add("target", "field.invalid_number", "")
	}
	switch {
	case ind.Expr != "":
		if ind.Numerator != nil || ind.Denominator != nil {
			add("expr", "indicator.expr_or_measures", "")
			break
		}
		n, err := ParseExpr(ind.Expr)
		if err != nil {
			add("expr", parseKey(err), err.Error())
			break
		}
		for _, r := range refs(n, nil) {
			if r == ind.Code {
				add("expr", "indicator.cycle", r)
			} else if k := known[r]; k == nil {
				add("expr", "indicator.unknown_indicator", r)
			} else if k.Expr != "" {
				add("expr", "indicator.nested_expr", r)
			}
		}
		if constZeroDivisor(n) {
			add("expr", "indicator.zero_denominator", ind.Expr)
		}
	case ind.Numerator == nil:
		add("numerator", "indicator.numerator_required", "")
	default:
		fe = append(fe, checkMeasure("numerator", ind.Numerator, srcs, false)...)
		if ind.Denominator != nil {
			fe = append(fe, checkMeasure("denominator", ind.Denominator, srcs, true)...)
		} else if ind.Unit != healthcell.UnitCount {
			add("denominator", "indicator.denominator_required", "")
		}
	}
	return fe
}

func parseKey(err error) string {
	if errors.Is(err, errTooLarge) {
		return "indicator.too_large"
	}
	return "indicator.syntax"
}

// constZeroDivisor reports whether an expression divides by a constant zero.
func constZeroDivisor(n *Node) bool {
	if n.Kind == nArith && n.Op == "/" {
		if v, ok := constValue(n.Kids[1]); ok && v == 0 {
			return true
		}
	}
	for _, k := range n.Kids {
		if constZeroDivisor(k) {
			return true
		}
	}
	return false
}

func constValue(n *Node) (float64, bool) {
	switch n.Kind {
	case nNum:
		return n.Num, true
	case nNeg:
		v, ok := constValue(n.Kids[0])
		return -v, ok
	case nArith:
		a, ok1 := constValue(n.Kids[0])
		b, ok2 := constValue(n.Kids[1])
		if ok1 && ok2 {
			return evalExpr(&Node{Kind: nArith, Op: n.Op, Kids: []*Node{{Kind: nNum, Num: a}, {Kind: nNum, Num: b}}}, nil)
		}
	}
	return 0, false
}

func checkMeasure(field string, m *healthcell.Measure, srcs Sources, denominator bool) []healthcell.FieldError {
	var fe []healthcell.FieldError
	add := func(sub, key, value string) {
		fe = append(fe, healthcell.FieldError{Field: field + sub, Message: key, Value: value})
	}
	if m.Const != nil {
		if m.From != "" || m.Count != "" || m.Sum != "" || m.Where != "" {
			add(".const", "indicator.const_alone", "")
		}
		if denominator && *m.Const == 0 {
			add(".const", "indicator.zero_denominator", "0")
		}
		return fe
	}
	src := srcs[m.From]
	if src == nil {
		add(".from", "indicator.unknown_source", m.From)
		return fe
	}
	switch {
	case m.Count != "" && m.Sum != "":
		add(".count", "indicator.count_or_sum", "")
	case m.Sum != "":
		f := src.Fields[m.Sum]
		if f == nil {
			add(".sum", "indicator.unknown_field", m.From+"."+m.Sum)
		} else if !numeric(f.Type) || f.derived != "" {
			add(".sum", "indicator.not_numeric", m.Sum)
		}
	case m.Count == "rows":
	case m.Count == "persons":
		if src.personCol == "" {
			add(".count", "indicator.no_link", m.From)
		}
	case m.Count == "households":
		if src.houseCol == "" {
			add(".count", "indicator.no_link", m.From)
		}
	default:
		add(".count", "indicator.bad_count", m.Count)
	}
	if err := checkWindow(src, m.Period); err != "" {
		add(".period", err, m.Period)
	}
	if m.Where != "" {
		n, err := ParseFilter(m.Where)
		if err != nil {
			add(".where", parseKey(err), err.Error())
			return fe
		}
		c := &checker{srcs: srcs}
		c.filter(n, src)
		for _, e := range c.errs {
			add(".where", e.key, e.value)
		}
		if denominator && len(c.errs) == 0 {
			if v, ok := fold(n); ok && !v {
				add(".where", "indicator.zero_denominator", m.Where)
			}
		}
	}
	return fe
}

// checkWindow returns the message key for a window the source cannot take.
func checkWindow(src *Source, w string) string {
	switch {
	case w == "" || w == "any":
		return ""
	case src.Period == "":
		return "indicator.no_period"
	case w == "period" || w == "asof" || windowRE.MatchString(w):
		return ""
	case w == "overlap":
		if src.PeriodEnd == "" {
			return "indicator.no_span"
		}
		return ""
	}
	return "indicator.bad_window"
}

type checkErr struct{ key, value string }

type checker struct {
	srcs Sources
	errs []checkErr
}

func (c *checker) fail(key, value string) { c.errs = append(c.errs, checkErr{key, value}) }

// filter checks a boolean node over src.
func (c *checker) filter(n *Node, src *Source) {
	switch n.Kind {
	case nOr, nAnd, nNot:
		for _, k := range n.Kids {
			c.filter(k, src)
		}
	case nBool:
	case nField:
		if f := c.field(n, src); f != nil && f.Type != register.Bool {
			c.fail("indicator.not_boolean", n.Name)
		}
	case nHas:
		inner := c.srcs[n.Name]
		if inner == nil {
			c.fail("indicator.unknown_source", n.Name)
			return
		}
		if linkCols(src, inner) == nil {
			c.fail("indicator.no_link", src.Code+" → "+inner.Code)
		}
		if k := checkWindow(inner, n.Window); k != "" {
			c.fail(k, n.Window)
		}
		if len(n.Kids) > 0 {
			c.filter(n.Kids[0], inner)
		}
	case nCmp:
		c.compare(n, n.Kids[0], n.Kids[1:], src)
	case nIn:
		c.compare(n, n.Kids[0], n.Kids[1:], src)
	default:
		c.fail("indicator.not_boolean", fmt.Sprint(n.Kind))
	}
}

func (c *checker) field(n *Node, src *Source) *Field {
	f := src.Fields[n.Name]
	if f == nil {
		c.fail("indicator.unknown_field", src.Code+"."+n.Name)
	}
	return f
}

// compare checks a comparison or an in-list: a field against constants of
// its type (or two fields of one type), enum constants among its options.
func (c *checker) compare(n, l *Node, rs []*Node, src *Source) {
	if l.Kind != nField && len(rs) == 1 && rs[0].Kind == nField {
		l, rs = rs[0], []*Node{l}
	}
	if l.Kind != nField {
		for _, r := range append([]*Node{l}, rs...) {
			if r.Kind == nField || r.Kind == nHas {
				c.fail("indicator.type", r.Name)
				return
			}
		}
		return // constants only: folded
	}
	f := c.field(l, src)
	if f == nil {
		return
	}
	for _, r := range rs {
		switch r.Kind {
		case nField:
			g := c.field(r, src)
			if g != nil && (numeric(f.Type) != numeric(g.Type) || f.Type == register.Bool || g.Type == register.Bool || f.derived != "" || g.derived != "") {
				c.fail("indicator.type", l.Name+" "+n.Op+" "+r.Name)
			}
		case nStr:
			if !textual(f.Type) {
				c.fail("indicator.type", l.Name+" "+quote(r.Str))
			} else if f.Type == register.Enum && !slices.Contains(f.Options, r.Str) {
				c.fail("indicator.unknown_option", l.Name+" "+quote(r.Str))
			} else if f.Type == register.Date {
				if _, err := time.Parse(time.DateOnly, r.Str); err != nil {
					c.fail("indicator.bad_date", r.Str)
				}
			}
		case nNum:
			if !numeric(f.Type) {
				c.fail("indicator.type", fmt.Sprintf("%s %g", l.Name, r.Num))
			} else if f.derived == "age" && r.Num != math.Trunc(r.Num) {
				c.fail("indicator.type", fmt.Sprintf("%s %g", l.Name, r.Num))
			}
		case nBool:
			if f.Type != register.Bool || n.Kind != nCmp || (n.Op != "=" && n.Op != "!=") {
				c.fail("indicator.type", l.Name)
			}
		default:
			c.fail("indicator.type", l.Name)
		}
	}
	if f.Type == register.Bool && n.Kind == nCmp && rs[0].Kind != nBool {
		c.fail("indicator.type", l.Name)
	}
	if f.derived == "age" && rs[0].Kind != nNum {
		c.fail("indicator.type", l.Name)
	}
}

func quote(s string) string { return "'" + s + "'" }

// fold evaluates a filter made of constants only; ok is false when it
// depends on the data.
func fold(n *Node) (v, ok bool) {
	switch n.Kind {
	case nBool:
		return n.Bool, true
	case nNot:
		v, ok := fold(n.Kids[0])
		return !v, ok
	case nAnd:
		a, okA := fold(n.Kids[0])
		b, okB := fold(n.Kids[1])
		if okA && !a || okB && !b {
			return false, true
		}
		return true, okA && okB
	case nOr:
		a, okA := fold(n.Kids[0])
		b, okB := fold(n.Kids[1])
		if okA && a || okB && b {
			return true, true
		}
		return false, okA && okB
	case nCmp:
		l, r := n.Kids[0], n.Kids[1]
		if l.Kind == nNum && r.Kind == nNum {
			return cmpNum(l.Num, r.Num, n.Op), true
		}
		if l.Kind == nStr && r.Kind == nStr {
			return cmpNum(float64(strings.Compare(l.Str, r.Str)), 0, n.Op), true
		}
		if l.Kind == nBool && r.Kind == nBool {
			return (l.Bool == r.Bool) == (n.Op == "="), true
		}
	case nIn:
		if n.Kids[0].Kind == nNum || n.Kids[0].Kind == nStr {
			for _, k := range n.Kids[1:] {
				if k.Kind == n.Kids[0].Kind && k.Num == n.Kids[0].Num && k.Str == n.Kids[0].Str {
					return true, true
				}
			}
			return false, true
		}
	}
	return false, false
}

func cmpNum(a, b float64, op string) bool {
	switch op {
	case "=":
		return a == b
	case "!=":
		return a != b
	case "<":
		return a < b
	case "<=":
		return a <= b
	case ">":
		return a > b
	case ">=":
		return a >= b
	}
	return false
}

// linkCols returns the columns joining inner's rows to outer's: [outer
// column, inner column], or nil when they share neither a person nor a
// household.
func linkCols(outer, inner *Source) []string {
	if inner.Subject == register.Person && outer.personCol != "" && inner.personCol != "" {
		return []string{outer.personCol, inner.personCol}
	}
	if inner.Subject == register.Household && outer.houseCol != "" && inner.houseCol != "" {
		return []string{outer.houseCol, inner.houseCol}
	}
	if inner.Code == Residents && outer.houseCol != "" { // a household's members
		return []string{outer.houseCol, inner.houseCol}
	}
	return nil
}
