package web

import (
	"html/template"
	"strings"
)

// htmlText escapes s as html/template escapes a string in HTML text: the
// characters of template.HTMLEscapeString and also '+' (&#43;), which
// html/template escapes against UTF-7 sniffing. A string with none of them
// is returned as it is, without copying.
var htmlText = strings.NewReplacer(
	"\x00", "\uFFFD",
	`"`, "&#34;",
	"&", "&amp;",
	"'", "&#39;",
	"+", "&#43;",
	"<", "&lt;",
	">", "&gt;",
).Replace

// crumbItems renders a division page's breadcrumb items, the ancestors,
// each a link when the user's scope covers it. Like householdRows it is
// written in Go rather than in the template (a template action costs a
// call through reflection, and the breadcrumb is a dozen of them); the
// result must stay identical to
//
//	{{range .}}<li>{{if .Link}}<a href="/divisions/{{.Code}}">{{.Name}}</a>{{else}}{{.Name}}{{end}}</li>{{end}}
//
// which TestCrumbItemsMatchTemplate checks. Division codes are digits
// (every division is validated when loaded); a code that is not is shown
// but never put in a link.
func crumbItems(crumbs []crumb) template.HTML {
	var b strings.Builder
	b.Grow(len(crumbs) * 64)
	for _, c := range crumbs {
		b.WriteString("<li>")
		if c.Link && allDigits(c.Code) {
			b.WriteString(`<a href="/divisions/`)
			b.WriteString(c.Code)
			b.WriteString(`">`)
			b.WriteString(htmlText(c.Name))
			b.WriteString("</a>")
		} else {
			b.WriteString(htmlText(c.Name))
		}
		b.WriteString("</li>")
	}
	return template.HTML(b.String())
}
