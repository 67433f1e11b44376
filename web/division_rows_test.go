package web

import (
	"bytes"
	"html/template"
	"strings"
	"testing"

	"github.com/healthcell/healthcell"
)

// TestChildRowsMatchTemplate checks that the children's rows written in Go
// are what html/template writes, for covered and uncovered children.
func TestChildRowsMatchTemplate(t *testing.T) {
	covers := func(code string) bool { return strings.HasPrefix(code, "510824") }
	tmpl := template.Must(template.New("rows").Funcs(template.FuncMap{"covers": covers}).Parse(`{{range .}}<tr>
  <td>{{if covers .Code}}<a href="/divisions/{{.Code}}">{{.Name}}</a>{{else}}{{.Name}}{{end}}</td>
  <td class="mono hide-sm">{{.Code}}</td><td class="num">{{.Households}}</td><td class="num">{{.Persons}}</td></tr>{{end}}`))
	node := func(code, name string, h, p int) healthcell.DivisionNode {
		n := healthcell.DivisionNode{Division: healthcell.Division{Code: code, Name: name}}
		n.Households, n.Persons = h, p
		return n
	}
	cases := []struct {
		name     string
		children []healthcell.DivisionNode
	}{
		{name: "none"},
		{name: "townships", children: []healthcell.DivisionNode{node("510824100000", "陵江镇", 25000, 78000), node("510824101000", "云峰镇", 0, 0)}},
		{name: "not covered", children: []healthcell.DivisionNode{node("510823100000", "别县镇", 3, 9)}},
		{name: "hostile text", children: []healthcell.DivisionNode{node("510824100000", `<b>"镇"</b> & 'x'+1`, 1, 2), node("510823100000", "a\x00b", -1, 0)}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var want bytes.Buffer
			if err := tmpl.Execute(&want, tc.children); err != nil {
				t.Fatal(err)
			}
			if got := string(childRows(tc.children, covers)); got != want.String() {
				t.Errorf("rows:\n%s\ntemplate:\n%s", got, want.String())
			}
		})
	}
}

// TestChildRowsOddCode checks that a code that is not digits is escaped and
// never linked.
func TestChildRowsOddCode(t *testing.T) {
	n := healthcell.DivisionNode{Division: healthcell.Division{Code: `510824"><script>`, Name: "x"}}
	got := string(childRows([]healthcell.DivisionNode{n}, func(string) bool { return true }))
	if strings.Contains(got, "<script>") || strings.Contains(got, "href") {
		t.Errorf("rows: %s", got)
	}
}
