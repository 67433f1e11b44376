package web

import (
	"html/template"
	"strconv"
	"strings"

	"github.com/healthcell/healthcell"
)

// householdRows renders the rows of a village page's household table
// (number linking to the household, head, group, member count).
//
// It is the one part of a page written in Go rather than in a template:
// a village page lists up to pageSize households, and executing four escaped
// actions per row through html/template's reflection was the largest single
// cost of the page under load. Every value is escaped here exactly as the
// template escapes text in an element (htmlText); the ID in
// the link is a number. The result must stay identical to
//
//	{{range .}}<tr>
//	 <td><a href="/households/{{.ID}}">{{.Number}}</a></td><td>{{.HeadName}}</td><td class="hide-sm">{{.Group}}</td><td class="num">{{.Members}}</td></tr>{{end}}
//
// which TestHouseholdRowsMatchTemplate checks.
func householdRows(hs []*healthcell.Household) template.HTML {
	var b strings.Builder
	b.Grow(len(hs) * 192)
	for _, h := range hs {
		b.WriteString("<tr>\n <td><a href=\"/households/")
		b.WriteString(strconv.FormatInt(h.ID, 10))
		b.WriteString("\">")
		b.WriteString(htmlText(h.Number))
		b.WriteString("</a></td><td>")
		b.WriteString(htmlText(h.HeadName))
		b.WriteString("</td><td class=\"hide-sm\">")
		b.WriteString(htmlText(h.Group))
		b.WriteString("</td><td class=\"num\">")
		b.WriteString(strconv.Itoa(h.Members))
		b.WriteString("</td></tr>")
	}
	return template.HTML(b.String())
}
