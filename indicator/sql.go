package indicator

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/healthcell/healthcell"
)

// Scope is where a measure is computed: the village codes lo…hi (or, when
// Villages is not empty, exactly those codes), grouped by their first
// GroupLen digits (12 for villages, 9 for townships, …), and only the rows
// of Unit when it is not zero.
type Scope struct {
	Lo, Hi   string
	Villages []string
	GroupLen int
	Unit     int64
}

// where is the scope's condition on the village codes of alias t.
func (sc Scope) where(b *builder) string { return sc.on(b, "t.village_code") }

// on is the scope's condition on the village code col.
func (sc Scope) on(b *builder, col string) string {
	if len(sc.Villages) == 0 {
		return col + " BETWEEN " + b.arg(sc.Lo) + " AND " + b.arg(sc.Hi)
	}
	marks := make([]string, len(sc.Villages))
	for i, v := range sc.Villages {
		marks[i] = b.arg(v)
	}
	return col + " IN (" + strings.Join(marks, ", ") + ")"
}

// pushScope returns the scope's condition for each part of a source read
// as of a past day (from).
func (sc Scope) pushScope(b *builder) func(col func(string) string) []string {
	return func(col func(string) string) []string { return []string{sc.on(b, col("village_code"))} }
}

// Query is compiled SQL with its parameters ($1…$n), portable between
// SQLite and PostgreSQL. Its rows are (group prefix, value).
type Query struct {
	SQL  string
	Args []any
}

// Compile turns a checked measure into one grouped query. Identifiers come
// only from the allow-list; every value is a parameter. It returns an error
// for a measure Check would refuse, or a unit scope over a source without
// unit rows.
func Compile(m *healthcell.Measure, srcs Sources, p Period, sc Scope) (Query, error) {
	src := srcs[m.From]
	if src == nil {
		return Query{}, fmt.Errorf("indicator: unknown source %q", m.From)
	}
	b := &builder{srcs: srcs, p: p}
	var agg string
	switch {
	case m.Sum != "":
		agg = "CAST(SUM(t." + src.Fields[m.Sum].column + ") AS DOUBLE PRECISION)"
	case m.Count == "persons" && src.personCol != "id":
		agg = "COUNT(DISTINCT t." + src.personCol + ")"
	case m.Count == "households" && src.houseCol != "id":
		agg = "COUNT(DISTINCT t." + src.houseCol + ")"
	default:
		agg = "COUNT(*)"
	}
	var where []string
	where = append(where, sc.where(b), fmt.Sprintf(src.base, "t"))
	if w := b.window(src, "t", m.Period); w != "" {
		where = append(where, w)
	}
	if m.Where != "" {
		n, err := ParseFilter(m.Where)
		if err != nil {
			return Query{}, err
		}
		c := &checker{srcs: srcs}
		c.filter(n, src)
		if len(c.errs) > 0 {
			return Query{}, fmt.Errorf("indicator: %s %s", c.errs[0].key, c.errs[0].value)
		}
		where = append(where, b.filter(n, src, "t"))
	}
	if sc.Unit != 0 {
		if !src.Units {
			return Query{}, fmt.Errorf("indicator: %s has no unit rows", src.Code)
		}
		where = append(where, "t.unit_id = "+b.arg(sc.Unit))
	}
	sql := fmt.Sprintf("SELECT substr(t.village_code, 1, %d), %s FROM %s WHERE %s GROUP BY substr(t.village_code, 1, %d)",
		sc.GroupLen, agg, b.from(src, "t", sc.pushScope(b)), strings.Join(where, " AND "), sc.GroupLen)
	return Query{SQL: sql, Args: b.args}, nil
}

// HasUnitRows reports whether every source of ind's measures has unit rows,
// so that it can be computed for a single unit.
func HasUnitRows(ind *healthcell.Indicator, srcs Sources) bool {
	if ind.Expr != "" || ind.Numerator == nil {
		return false
	}
	for _, m := range []*healthcell.Measure{ind.Numerator, ind.Denominator} {
		if m != nil && m.Const == nil && (srcs[m.From] == nil || !srcs[m.From].Units) {
			return false
		}
	}
	return true
}

type builder struct {
	srcs  Sources
	p     Period
	args  []any
	alias int
}

func (b *builder) arg(v any) string {
	b.args = append(b.args, v)
	return "$" + strconv.Itoa(len(b.args))
}

const dateFmt = "2006-01-02"

// window is the condition placing a's rows of src in the period by rule w
// ("" means "period" for sources with a period field).
func (b *builder) window(src *Source, a, w string) string {
	if src.Period == "" || w == "any" {
		return ""
	}
	if w == "" {
		w = "period"
	}
	col := a + "." + src.Fields[src.Period].column
	start, end := b.bound(src, b.p.Start), b.bound(src, b.p.End)
	switch w {
	case "period":
		return col + " BETWEEN " + b.arg(start) + " AND " + b.arg(end)
	case "asof":
		return col + " <= " + b.arg(end)
	case "overlap":
		return col + " <= " + b.arg(end) + " AND " + a + "." + src.Fields[src.PeriodEnd].column + " >= " + b.arg(b.p.Start.Format(dateFmt))
	}
	m := windowRE.FindStringSubmatch(w)
	if m == nil {
		return "1 = 0"
	}
	n, _ := strconv.Atoi(m[1])
	var from time.Time
	if m[2] == "y" {
		from = b.p.End.AddDate(-n, 0, 0)
	} else {
		from = b.p.End.AddDate(0, -n, 0)
	}
	if src.PeriodYear {
		return col + " > " + b.arg(int64(b.p.End.Year()-n)) + " AND " + col + " <= " + b.arg(end)
	}
	return col + " > " + b.arg(from.Format(dateFmt)) + " AND " + col + " <= " + b.arg(end)
}

func (b *builder) bound(src *Source, t time.Time) any {
	if src.PeriodYear {
		return int64(t.Year())
	}
	return t.Format(dateFmt)
}

// filter renders a checked filter over alias a of src.
func (b *builder) filter(n *Node, src *Source, a string) string {
	switch n.Kind {
	case nOr:
		return "(" + b.filter(n.Kids[0], src, a) + " OR " + b.filter(n.Kids[1], src, a) + ")"
	case nAnd:
		return "(" + b.filter(n.Kids[0], src, a) + " AND " + b.filter(n.Kids[1], src, a) + ")"
	case nNot:
		return "(NOT " + b.filter(n.Kids[0], src, a) + ")"
	case nBool:
		return boolSQL(n.Bool)
	case nField:
		return b.col(src.Fields[n.Name], a)
	case nHas:
		inner := b.srcs[n.Name]
		b.alias++
		h := "h" + strconv.Itoa(b.alias)
		link := linkCols(src, inner)
		conds := []string{h + "." + link[1] + " = " + a + "." + link[0], fmt.Sprintf(inner.base, h)}
		if w := b.window(inner, h, n.Window); w != "" {
			conds = append(conds, w)
		}
		if len(n.Kids) > 0 {
			conds = append(conds, b.filter(n.Kids[0], inner, h))
		}
		from := b.from(inner, h, func(col func(string) string) []string {
			return []string{col(link[1]) + " = " + a + "." + link[0]}
		})
		return "EXISTS (SELECT 1 FROM " + from + " WHERE " + strings.Join(conds, " AND ") + ")"
	case nCmp, nIn:
		if v, ok := fold(n); ok {
			return boolSQL(v)
		}
		l, rs, op := n.Kids[0], n.Kids[1:], n.Op
		if l.Kind != nField {
			l, rs, op = rs[0], []*Node{l}, flip(op)
		}
		f := src.Fields[l.Name]
		if f.derived == "age" {
			return b.age(n.Kind, op, rs, a)
		}
		if f.Type == "bool" {
			c := b.col(f, a)
			if (op == "=") == rs[0].Bool {
				return c
			}
			return "(NOT " + c + ")"
		}
		if n.Kind == nIn {
			var vs []string
			for _, r := range rs {
				vs = append(vs, b.value(r, src, a))
			}
			return b.col(f, a) + " IN (" + strings.Join(vs, ", ") + ")"
		}
		return b.col(f, a) + " " + op + " " + b.value(rs[0], src, a)
	}
	return "1 = 0"
}

func boolSQL(v bool) string {
	if v {
		return "1 = 1"
	}
	return "1 = 0"
}

func flip(op string) string {
	switch op {
	case "<":
		return ">"
	case "<=":
		return ">="
	case ">":
		return "<"
	case ">=":
		return "<="
	}
	return op
}

func (b *builder) col(f *Field, a string) string {
	switch f.derived {
	case "identified":
		return "(" + a + ".id_number IS NOT NULL AND " + a + ".id_number <> '')"
	case "named":
		return "EXISTS (SELECT 1 FROM applications ap WHERE ap.unit_kind = 'household' AND ap.unit_ref = CAST(" + a +
			".id AS TEXT) AND ap.state IN ('named', 'review_due') AND ap.named_on <> '' AND ap.named_on <= " + b.arg(b.p.End.Format(dateFmt)) + ")"
	}
	return a + "." + f.column
}

func (b *builder) value(n *Node, src *Source, a string) string {
	switch n.Kind {
	case nField:
		return b.col(src.Fields[n.Name], a)
	case nStr:
		return b.arg(n.Str)
	case nNum:
		if n.Num == math.Trunc(n.Num) && math.Abs(n.Num) < 1e15 {
			return b.arg(int64(n.Num))
		}
		return b.arg(n.Num)
	}
	return "NULL"
}

// age renders a comparison of the age at the period's end with whole
// numbers as comparisons of the birth date, which indexes and both engines
// handle as text.
func (b *builder) age(kind, op string, rs []*Node, a string) string {
	end := b.p.End
	atLeast := func(n int) string { // age >= n
		return a + ".birth_date <= " + b.arg(end.AddDate(-n, 0, 0).Format(dateFmt))
	}
	atMost := func(n int) string { // age <= n
		return a + ".birth_date > " + b.arg(end.AddDate(-(n+1), 0, 0).Format(dateFmt))
	}
	eq := func(n int) string { return "(" + atLeast(n) + " AND " + atMost(n) + ")" }
	if kind == nIn {
		var parts []string
		for _, r := range rs {
			parts = append(parts, eq(int(r.Num)))
		}
		return "(" + strings.Join(parts, " OR ") + ")"
	}
	n := int(rs[0].Num)
	switch op {
	case ">=":
		return atLeast(n)
	case ">":
		return atLeast(n + 1)
	case "<=":
		return atMost(n)
	case "<":
		return atMost(n - 1)
	case "=":
		return eq(n)
	}
	return "(NOT " + eq(n) + ")"
}

// Additive reports whether a measure's value for a division is the sum of
// its values for the divisions below it: true except for distinct persons
// or households counted over a register's rows (a person's rows might
// carry two villages).
func Additive(m *healthcell.Measure, srcs Sources) bool {
	src := srcs[m.From]
	if m.Const != nil || src == nil {
		return false
	}
	switch {
	case m.Sum != "":
		return true
	case m.Count == "persons":
		return src.personCol == "id"
	case m.Count == "households":
		return src.houseCol == "id" || src.Code == Residents
	}
	return true
}

// Local reports whether a village's values of measures ms over one source
// depend only on rows that a change marks as that village's (migration
// 0009: a change marks the row's village and the current village of the
// person and household it names). That holds for residents and households,
// whose rows are in their current village and reach other registers by
// person or household, and for any source whose filters look at no other
// table. A register's row reaching another register (has) may sit in
// another village than the rows it finds, so it is not local.
//
// As of a past period, residents and households are read where they were
// then; migration 0015's triggers also mark the villages of the history
// spans of the persons and households a change names, so the same holds.
func Local(ms []*healthcell.Measure, srcs Sources) bool {
	for _, m := range ms {
		src := srcs[m.From]
		if src == nil || m.Const != nil {
			return false
		}
		if src.Code == Residents || src.Code == Households || m.Where == "" {
			continue
		}
		n, err := ParseFilter(m.Where)
		if err != nil || hasHas(n) {
			return false
		}
	}
	return true
}

// hasHas reports whether a filter tests another table.
func hasHas(n *Node) bool {
	if n.Kind == nHas {
		return true
	}
	for _, k := range n.Kids {
		if hasHas(k) {
			return true
		}
	}
	return false
}

// CompileMany turns several checked measures over one source into one
// query that reads the source once: its rows are (group prefix, one value
// per measure in order). Each measure's period rule and filter become a
// CASE inside its aggregate. It returns an error when the measures name
// different sources or Compile would refuse one.
func CompileMany(ms []*healthcell.Measure, srcs Sources, p Period, sc Scope) (Query, error) {
	if len(ms) == 0 {
		return Query{}, fmt.Errorf("indicator: no measures")
	}
	src := srcs[ms[0].From]
	if src == nil {
		return Query{}, fmt.Errorf("indicator: unknown source %q", ms[0].From)
	}
	b := &builder{srcs: srcs, p: p}
	where := []string{sc.where(b), fmt.Sprintf(src.base, "t")}
	if sc.Unit != 0 {
		if !src.Units {
			return Query{}, fmt.Errorf("indicator: %s has no unit rows", src.Code)
		}
		where = append(where, "t.unit_id = "+b.arg(sc.Unit))
	}
	// Each measure's terms: its period rule and the conjuncts of its filter.
	// Terms every measure shares go into WHERE once (so that an index can
	// serve them); the rest into each measure's CASE.
	type term struct {
		key  string
		node *Node // nil for the period rule
	}
	terms := make([][]term, len(ms))
	for i, m := range ms {
		if m.From != src.Code {
			return Query{}, fmt.Errorf("indicator: measures over %s and %s", src.Code, m.From)
		}
		w := m.Period
		if w == "" && src.Period != "" {
			w = "period"
		}
		if src.Period != "" && w != "any" {
			terms[i] = append(terms[i], term{key: "window " + w})
		}
		if m.Where != "" {
			n, err := ParseFilter(m.Where)
			if err != nil {
				return Query{}, err
			}
			c := &checker{srcs: srcs}
			c.filter(n, src)
			if len(c.errs) > 0 {
				return Query{}, fmt.Errorf("indicator: %s %s", c.errs[0].key, c.errs[0].value)
			}
			for _, k := range conjuncts(n, nil) {
				terms[i] = append(terms[i], term{key: k.String(), node: k})
			}
		}
	}
	common := map[string]bool{}
	for _, t := range terms[0] {
		shared := true
		for _, other := range terms[1:] {
			found := false
			for _, o := range other {
				found = found || o.key == t.key
			}
			shared = shared && found
		}
		common[t.key] = shared
	}
	render := func(t term, m *healthcell.Measure) string {
		if t.node == nil {
			return b.window(src, "t", m.Period)
		}
		return b.filter(t.node, src, "t")
	}
	done := map[string]bool{}
	for _, t := range terms[0] {
		if common[t.key] && !done[t.key] {
			done[t.key] = true
			if r := render(t, ms[0]); r != "" {
				where = append(where, r)
			}
		}
	}
	var aggs []string
	for i, m := range ms {
		var conds []string
		for _, t := range terms[i] {
			if !common[t.key] {
				if r := render(t, m); r != "" {
					conds = append(conds, r)
				}
			}
		}
		cond := "1 = 1"
		if len(conds) > 0 {
			cond = strings.Join(conds, " AND ")
		}
		switch {
		case m.Sum != "":
			aggs = append(aggs, "CAST(SUM(CASE WHEN "+cond+" THEN t."+src.Fields[m.Sum].column+" END) AS DOUBLE PRECISION)")
		case m.Count == "persons" && src.personCol != "id":
			aggs = append(aggs, "COUNT(DISTINCT CASE WHEN "+cond+" THEN t."+src.personCol+" END)")
		case m.Count == "households" && src.houseCol != "id":
			aggs = append(aggs, "COUNT(DISTINCT CASE WHEN "+cond+" THEN t."+src.houseCol+" END)")
		default:
			aggs = append(aggs, "SUM(CASE WHEN "+cond+" THEN 1 ELSE 0 END)")
		}
	}
	return Query{SQL: groupedSQL(sc.GroupLen, strings.Join(aggs, ", "), b.from(src, "t", sc.pushScope(b)), strings.Join(where, " AND ")), Args: b.args}, nil
}

// groupedSQL groups by the first n digits of the village code; by the code
// itself for villages, which an index on village_code delivers in order
// without sorting. from is the source with its alias t.
func groupedSQL(n int, aggs, from, where string) string {
	if n == 12 {
		return "SELECT t.village_code, " + aggs + " FROM " + from + " WHERE " + where + " GROUP BY t.village_code"
	}
	return fmt.Sprintf("SELECT substr(t.village_code, 1, %d), %s FROM %s WHERE %s GROUP BY substr(t.village_code, 1, %d)", n, aggs, from, where, n)
}

// from renders src under alias a. For a source with a history in an as-of
// period it is a derived table of the rows as they were at the period's
// end: the live rows whose since is not after it (and, for persons, born
// by then) and the history spans covering it, with the columns the spans
// do not hold taken from the live row. push gives conditions, on the
// column names its col renders, placed in both parts so that indexes serve
// them (the scope, or the link of an existence test).
func (b *builder) from(src *Source, a string, push func(col func(string) string) []string) string {
	hs := src.history
	if !b.p.AsOf || hs == nil {
		return src.Table + " " + a
	}
	end := b.arg(b.p.End.Format(dateFmt))
	live, span := a+"l", a+"s"
	liveCol := func(c string) string { return live + "." + c }
	spanCol := func(c string) string {
		if hs.cols[c] {
			return span + "." + c
		}
		return live + "." + c
	}
	cols := append([]string(nil), hs.base...)
	seen := map[string]bool{}
	for _, c := range cols {
		seen[c] = true
	}
	var fieldCols []string
	for _, f := range src.Fields {
		if f.column != "" && !seen[f.column] {
			seen[f.column] = true
			fieldCols = append(fieldCols, f.column)
		}
	}
	slices.Sort(fieldCols)
	cols = append(cols, fieldCols...)
	sel := func(col func(string) string) string {
		out := make([]string, len(cols))
		for i, c := range cols {
			out[i] = col(c) + " AS " + c
		}
		return strings.Join(out, ", ")
	}
	lc := []string{live + ".since <= " + end}
	sc := []string{span + ".valid_from <= " + end, span + ".valid_to > " + end}
	if hs.born {
		lc = append(lc, live+".birth_date <= "+end)
		sc = append(sc, live+".birth_date <= "+end)
	}
	if push != nil {
		lc = append(lc, push(liveCol)...)
		sc = append(sc, push(spanCol)...)
	}
	return "(SELECT " + sel(liveCol) + " FROM " + src.Table + " " + live + " WHERE " + strings.Join(lc, " AND ") +
		" UNION ALL SELECT " + sel(spanCol) + " FROM " + hs.table + " " + span + " JOIN " + src.Table + " " + live +
		" ON " + live + ".id = " + span + "." + hs.key + " WHERE " + strings.Join(sc, " AND ") + ") " + a
}
