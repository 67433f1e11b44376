package web

import (
	"html/template"
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

// dashLabels are the words of the met column in the page's language.
type dashLabels struct {
	Yes, No string
}

// SummaryRows renders the summary table's rows: each indicator's own value,
// linking to its card.
func (v dashView) SummaryRows() template.HTML {
	var b strings.Builder
	l := dashLabels{Yes: v.T("indicator.dash.yes"), No: v.T("indicator.dash.no")}
	for _, c := range v.Cards {
		b.WriteString(`<tr id="own-`)
		b.WriteString(template.HTMLEscapeString(c.Ind.Code))
		b.WriteString(`" class="`)
		b.WriteString(metClass(c.Own.Met))
		b.WriteString("\">\n  <td><a href=\"#card-")
		b.WriteString(template.HTMLEscapeString(c.Ind.Code))
		b.WriteString(`">`)
		b.WriteString(template.HTMLEscapeString(v.Name(c.Ind)))
		b.WriteString("</a></td>")
		valCells(&b, c.Own, c.Ind, l)
		b.WriteString("</tr>")
	}
	return template.HTML(b.String())
}

// CardRows renders a card's table rows: each child division's value, its
// name a drill-down link.
func (v dashView) CardRows(c dashCard) template.HTML {
	var b strings.Builder
	b.Grow(len(c.Rows) * 512)
	l := dashLabels{Yes: v.T("indicator.dash.yes"), No: v.T("indicator.dash.no")}
	period := template.HTMLEscapeString(v.Period)
	for _, row := range c.Rows {
		code := template.HTMLEscapeString(row.Division)
		b.WriteString(`<tr class="`)
		b.WriteString(metClass(row.Met))
		b.WriteString("\">\n  <td><a href=\"/dashboard?division=")
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
// cells.
func valCells(b *strings.Builder, x healthcell.IndicatorValue, ind *healthcell.Indicator, l dashLabels) {
	pct := ""
	if ind.Unit == "%" {
		pct = "%"
	}
	b.WriteString(`<td class="num">`)
	b.WriteString(fnum(x.Numerator))
	b.WriteString(`</td><td class="num">`)
	b.WriteString(fnum(x.Denominator))
	b.WriteString("</td>\n <td class=\"num value\"><strong>")
	if x.Value != nil {
		b.WriteString(fnum(x.Value))
		b.WriteString(pct)
	} else {
		b.WriteString("–")
	}
	b.WriteString("</strong></td>\n <td class=\"num\">")
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
	b.WriteString("</td>\n <td>")
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
