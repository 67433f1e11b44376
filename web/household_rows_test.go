package web

import (
	"bytes"
	"html/template"
	"testing"

	"github.com/healthcell/healthcell"
)

// TestHouseholdRowsMatchTemplate checks that the rows written in Go are what
// html/template writes for the same households, hostile text included.
func TestHouseholdRowsMatchTemplate(t *testing.T) {
	tmpl := template.Must(template.New("rows").Parse(`{{range .}}<tr>
 <td><a href="/households/{{.ID}}">{{.Number}}</a></td><td>{{.HeadName}}</td><td class="hide-sm">{{.Group}}</td><td class="num">{{.Members}}</td></tr>{{end}}`))
	cases := []struct {
		name string
		hs   []*healthcell.Household
	}{
		{name: "none"},
		{name: "plain", hs: []*healthcell.Household{
			{ID: 1, Number: "A-001", HeadName: "张三", Group: "1组", Members: 3},
			{ID: 250000, Number: "0001", HeadName: "", Group: "", Members: 0},
		}},
		{name: "markup and quotes", hs: []*healthcell.Household{
			{ID: 7, Number: `<script>alert("x")</script>`, HeadName: `O'Brien & "Co" +1`, Group: "</td><td>", Members: 12},
		}},
		{name: "control and NUL characters", hs: []*healthcell.Household{
			{ID: 8, Number: "a\x00b", HeadName: "tab\there", Group: "line\nbreak", Members: 1},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var want bytes.Buffer
			if err := tmpl.Execute(&want, tc.hs); err != nil {
				t.Fatal(err)
			}
			if got := string(householdRows(tc.hs)); got != want.String() {
				t.Errorf("rows:\n%s\ntemplate:\n%s", got, want.String())
			}
		})
	}
}
