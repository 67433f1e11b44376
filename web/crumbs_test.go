package web

import (
	"bytes"
	"html/template"
	"testing"
)

// TestCrumbItemsMatchTemplate checks that the breadcrumb written in Go is
// what html/template writes for the same ancestors, hostile names included.
func TestCrumbItemsMatchTemplate(t *testing.T) {
	tmpl := template.Must(template.New("crumbs").Parse(`{{range .}}<li>{{if .Link}}<a href="/divisions/{{.Code}}">{{.Name}}</a>{{else}}{{.Name}}{{end}}</li>{{end}}`))
	for name, cs := range map[string][]crumb{
		"none":    nil,
		"plain":   {{Code: "510000000000", Name: "四川省"}, {Code: "510824000000", Name: "苍溪县", Link: true}, {Code: "510824100000", Name: "陵江镇", Link: true}},
		"hostile": {{Code: "510824100000", Name: `<b>"O'Neil" & co+1</b>`, Link: true}, {Code: "510824100001", Name: "a\x00b\tc", Link: false}},
	} {
		var want bytes.Buffer
		if err := tmpl.Execute(&want, cs); err != nil {
			t.Fatal(err)
		}
		if got := string(crumbItems(cs)); got != want.String() {
			t.Errorf("%s:\n%s\ntemplate:\n%s", name, got, want.String())
		}
	}
}

// TestHTMLTextMatchesTemplate checks htmlText against html/template.
func TestHTMLTextMatchesTemplate(t *testing.T) {
	for _, s := range []string{"", "张三", `<a href="x">'1+1' & 2</a>`, "nul\x00", "é\u2028"} {
		if got, want := htmlText(s), escapeText(s); got != want {
			t.Errorf("htmlText(%q) = %q, want %q", s, got, want)
		}
	}
}
