package web

import (
	"html/template"
	"net/url"
	"strings"

	"github.com/healthcell/healthcell"
)

// The dashboard's tables are written in Go, as the village page's household
// rows are (household_rows.go): a county dashboard has 18 tables of 34
// townships, and executing a dozen template actions per row through
// html/template's reflection was most of the page's cost. Every text is
// escaped as the template escapes text in an element; division codes and
// periods are checked formats, escaped all the same. TestDashRowsMatchTemplate
// checks the result against the template these functions replace.

// dashLabels are the words of the met column and the column names (for
// the cells' data-label) in the page's language.
type dashLabels struct {
	Yes, No                                    string
	Numerator, Denominator, Value, Target, Met string
}

// dashLabels returns the page's dashLabels.
func (v dashView) dashLabels() dashLabels {
	return dashLabels{Yes: v.T("indicator.dash.yes"), No: v.T("indicator.dash.no"),
		Numerator: v.T("indicator.dash.numerator"), Denominator: v.T("indicator.dash.denominator"),
		Value: v.T("indicator.dash.value"), Target: v.T("indicator.dash.target"), Met: v.T("indicator.dash.met")}
}

// SummaryRows renders the rows of a theme's summary table: each
// indicator's own value, its name a link to the indicator's page (plain on
// a unit's dashboard, which has no such page).
func (v dashView) SummaryRows(cards []dashCard) template.HTML {
	var b strings.Builder
	l := v.dashLabels()
	for _, c := range cards {
		b.WriteString(`<tr id="own-`)
		b.WriteString(template.HTMLEscapeString(c.Ind.Code))
		b.WriteString(`" class="`)
		b.WriteString(metClass(c.Own.Met))
		b.WriteString("\">\n  <td class=\"wrap\">")
		if v.Unit == nil {
			b.WriteString(`<a href="`)
			b.WriteString(template.HTMLEscapeString(v.IndLink(c.Ind.Code)))
			b.WriteString(`" class="ind-link">`)
			b.WriteString(template.HTMLEscapeString(v.Name(c.Ind)))
			b.WriteString("</a>")
		} else {
			b.WriteString(template.HTMLEscapeString(v.Name(c.Ind)))
		}
		b.WriteString("</td>")
		valCells(&b, c.Own, c.Ind, l)
		b.WriteString("</tr>")
	}
	return template.HTML(b.String())
}

// CardRows renders a card's table rows: each child division's value, its
// name a drill-down link to the child's dashboard, or with DrillInd to the
// same indicator's page of the child.
func (v dashView) CardRows(c dashCard) template.HTML {
	var b strings.Builder
	b.Grow(len(c.Rows) * 640)
	l := v.dashLabels()
	period := template.HTMLEscapeString(v.Period)
	base := "/dashboard?division="
	if v.DrillInd {
		base = "/dashboard/indicators/" + template.HTMLEscapeString(url.PathEscape(c.Ind.Code)) + "?division="
	}
	for _, row := range c.Rows {
		code := template.HTMLEscapeString(row.Division)
		b.WriteString(`<tr class="`)
		b.WriteString(metClass(row.Met))
		b.WriteString("\">\n  <td class=\"wrap\"><a href=\"")
		b.WriteString(base)
		b.WriteString(code)
		b.WriteString("&amp;period=")
		b.WriteString(period)
		b.WriteString(`" class="drill" data-code="`)
		b.WriteString(code)
		b.WriteString(`">`)
		b.WriteString(template.HTMLEscapeString(row.Name))
		b.WriteString("</a></td>")
		valCells(&b, row, c.Ind, l)
		b.WriteString("</tr>")
	}
	return template.HTML(b.String())
}

// metClass is a row's class: met, unmet, or none without a value.
func metClass(met *bool) string {
	switch {
	case met == nil:
		return ""
	case *met:
		return "met"
	}
	return "unmet"
}

// valCells writes a value's numerator, denominator, value, target and met
// cells, each with its column's name as data-label; on a phone the
// numerator and denominator are hidden (hide-sm) so that the key columns
// fit.
func valCells(b *strings.Builder, x healthcell.IndicatorValue, ind *healthcell.Indicator, l dashLabels) {
	pct := ""
	if ind.Unit == "%" {
		pct = "%"
	}
	b.WriteString(`<td class="num hide-sm" data-label="`)
	b.WriteString(template.HTMLEscapeString(l.Numerator))
	b.WriteString(`">`)
	b.WriteString(fnum(x.Numerator))
	b.WriteString(`</td><td class="num hide-sm" data-label="`)
	b.WriteString(template.HTMLEscapeString(l.Denominator))
	b.WriteString(`">`)
	b.WriteString(fnum(x.Denominator))
	b.WriteString("</td>\n <td class=\"num value\" data-label=\"")
	b.WriteString(template.HTMLEscapeString(l.Value))
	b.WriteString("\"><strong>")
	if x.Value != nil {
		b.WriteString(fnum(x.Value))
		b.WriteString(pct)
	} else {
		b.WriteString("–")
	}
	b.WriteString("</strong></td>\n <td class=\"num\" data-label=\"")
	b.WriteString(template.HTMLEscapeString(l.Target))
	b.WriteString("\">")
	if ind.Target != nil {
		if ind.Direction == "lower" {
			b.WriteString("≤")
		} else {
			b.WriteString("≥")
		}
		b.WriteString(fnum(ind.Target))
		b.WriteString(pct)
	} else {
		b.WriteString("–")
	}
	b.WriteString("</td>\n <td data-label=\"")
	b.WriteString(template.HTMLEscapeString(l.Met))
	b.WriteString("\">")
	switch {
	case x.Met == nil:
		b.WriteString("–")
	case *x.Met:
		b.WriteString(`<span class="badge met">`)
		b.WriteString(template.HTMLEscapeString(l.Yes))
		b.WriteString("</span>")
	default:
		b.WriteString(`<span class="badge unmet">`)
		b.WriteString(template.HTMLEscapeString(l.No))
		b.WriteString("</span>")
	}
	b.WriteString("</td>")
}
