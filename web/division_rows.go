package web

import (
	"html/template"
	"strconv"
	"strings"

	"github.com/healthcell/healthcell"
)

// childRows renders the rows of a division page's table of children (name,
// linked when the user's scope covers it, code, households, persons): a
// county page lists 34 townships, six escaped actions and a method call
// each through html/template's reflection. Like householdRows it escapes
// every text as the template does, and must stay identical to
//
//	{{range .Div.Children}}<tr>
//	  <td>{{if $.Covers .Code}}<a href="/divisions/{{.Code}}">{{.Name}}</a>{{else}}{{.Name}}{{end}}</td>
//	  <td class="mono hide-sm">{{.Code}}</td><td class="num">{{.Households}}</td><td class="num">{{.Persons}}</td></tr>{{end}}
//
// which TestChildRowsMatchTemplate checks. Division codes are digits (every
// division is validated when loaded); a code that is not is shown but never
// put in a link.
func childRows(children []healthcell.DivisionNode, covers func(code string) bool) template.HTML {
	var b strings.Builder
	b.Grow(len(children) * 200)
	for _, c := range children {
		code := htmlText(c.Code)
		name := htmlText(c.Name)
		b.WriteString("<tr>\n  <td>")
		if covers(c.Code) && allDigits(c.Code) {
			b.WriteString("<a href=\"/divisions/")
			b.WriteString(c.Code)
			b.WriteString("\">")
			b.WriteString(name)
			b.WriteString("</a>")
		} else {
			b.WriteString(name)
		}
		b.WriteString("</td>\n  <td class=\"mono hide-sm\">")
		b.WriteString(code)
		b.WriteString("</td><td class=\"num\">")
		b.WriteString(strconv.Itoa(c.Households))
		b.WriteString("</td><td class=\"num\">")
		b.WriteString(strconv.Itoa(c.Persons))
		b.WriteString("</td></tr>")
	}
	return template.HTML(b.String())
}

// allDigits reports whether s is a non-empty string of ASCII digits.
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
