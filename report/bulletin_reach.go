package report

import (
	"fmt"
	"strconv"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/officedoc"
)

// ReachTable returns a bulletin's outreach table as text cells: the header
// (乡镇（街道）, or 县（市、区） in a city's bulletin, and each indicator's
// name) and one row per township (county) with the whole's total (合计)
// last; a value without data is "—". It returns nil, nil for a bulletin
// without one.
func ReachTable(b *healthcell.Bulletin) (header []string, rows [][]string) {
	r := b.Reach
	if r == nil {
		return nil, nil
	}
	header = []string{wordsOf(b).Rows}
	for _, c := range r.Columns {
		header = append(header, c.Name)
	}
	cells := func(row healthcell.BulletinReachRow, name string) []string {
		out := []string{name}
		for i, c := range r.Columns {
			out = append(out, reachValue(c, row.Values, i))
		}
		return out
	}
	for _, row := range r.Rows {
		rows = append(rows, cells(row, row.Name))
	}
	rows = append(rows, cells(r.Total, "合计"))
	return header, rows
}

// reachValue writes vals[i] in column c's unit ("85.3%", a whole count),
// "—" when missing.
func reachValue(c healthcell.BulletinColumn, vals []*float64, i int) string {
	if i >= len(vals) || vals[i] == nil {
		return "—"
	}
	v := *vals[i]
	switch c.Unit {
	case healthcell.UnitPercent:
		return strconv.FormatFloat(float64(int(v*10+0.5))/10, 'f', -1, 64) + "%"
	case healthcell.UnitCount:
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

// reachBlocks returns the document's outreach section, its table numbered
// n; nothing for a bulletin without one.
func reachBlocks(b *healthcell.Bulletin, n int) []officedoc.Block {
	header, rows := ReachTable(b)
	if header == nil {
		return nil
	}
	return []officedoc.Block{
		officedoc.Heading{Level: 1, Text: b.Reach.Title},
		officedoc.Paragraph{Text: fmt.Sprintf("%s年各%s居民扫码参加健康知识答题的情况如下。答题为居民自愿参加，反映宣传覆盖面，不作为健康素养水平的抽样调查结果。", b.Reach.Period, wordsOf(b).Rows)},
		officedoc.Table{Caption: fmt.Sprintf("表%d %s（%s年）", n, b.Reach.Title, b.Reach.Period), Header: header, Rows: rows},
	}
}
