package web

import (
	"bytes"
	"html/template"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/locale"
)

// TestDashRowsMatchTemplate checks that the dashboard rows written in Go are
// what the template they replace writes, for values with and without
// numbers, targets in both directions, both languages and hostile names.
func TestDashRowsMatchTemplate(t *testing.T) {
	tr, err := locale.New()
	if err != nil {
		t.Fatal(err)
	}
	funcs := template.FuncMap{"fnum": fnum, "deref": func(b *bool) bool { return b != nil && *b },
		"dict": func(kv ...any) map[string]any {
			m := map[string]any{}
			for i := 0; i+1 < len(kv); i += 2 {
				m[kv[i].(string)] = kv[i+1]
			}
			return m
		}}
	const valcells = `{{define "metclass"}}{{if .}}{{if deref .}}met{{else}}unmet{{end}}{{end}}{{end}}{{define "valcells"}}<td class="num hide-sm" data-label="{{.P.T "indicator.dash.numerator"}}">{{with .V.Numerator}}{{fnum .}}{{else}}–{{end}}</td><td class="num hide-sm" data-label="{{.P.T "indicator.dash.denominator"}}">{{with .V.Denominator}}{{fnum .}}{{else}}–{{end}}</td>
 <td class="num value" data-label="{{.P.T "indicator.dash.value"}}"><strong>{{with .V.Value}}{{fnum .}}{{if eq $.Ind.Unit "%"}}%{{end}}{{else}}–{{end}}</strong></td>
 <td class="num" data-label="{{.P.T "indicator.dash.target"}}">{{with .Ind.Target}}{{if eq $.Ind.Direction "lower"}}≤{{else}}≥{{end}}{{fnum .}}{{if eq $.Ind.Unit "%"}}%{{end}}{{else}}–{{end}}</td>
 <td data-label="{{.P.T "indicator.dash.met"}}">{{with .V.Met}}{{if deref .}}<span class="badge met">{{$.P.T "indicator.dash.yes"}}</span>{{else}}<span class="badge unmet">{{$.P.T "indicator.dash.no"}}</span>{{end}}{{else}}–{{end}}</td>{{end}}`
	summary := template.Must(template.New("summary").Funcs(funcs).Parse(`{{range .Cards}}<tr id="own-{{.Ind.Code}}" class="{{template "metclass" .Own.Met}}">
  <td class="wrap">{{if $.Unit}}{{$.Name .Ind}}{{else}}<a href="{{$.IndLink .Ind.Code}}" class="ind-link">{{$.Name .Ind}}</a>{{end}}</td>{{template "valcells" (dict "V" .Own "Ind" .Ind "P" $)}}</tr>{{end}}` + valcells))
	card := template.Must(template.New("card").Funcs(funcs).Parse(`{{$ind := .C.Ind}}{{range .C.Rows}}<tr class="{{template "metclass" .Met}}">
  <td class="wrap"><a href="{{if $.V.DrillInd}}/dashboard/indicators/{{$ind.Code}}?division={{.Division}}{{else}}/dashboard?division={{.Division}}{{end}}&amp;period={{$.V.Period}}" class="drill" data-code="{{.Division}}">{{.Name}}</a></td>{{template "valcells" (dict "V" . "Ind" $ind "P" $.V)}}</tr>{{end}}` + valcells))

	f := func(x float64) *float64 { return &x }
	yes, no := true, false
	pct := &healthcell.Indicator{Code: "contract_rate", Zh: "家庭医生签约率", En: "Contract rate", Unit: "%", Direction: "higher", Target: f(80)}
	lower := &healthcell.Indicator{Code: "oop_ratio", Zh: `自付<比例> & "x"`, Unit: "%", Direction: "lower", Target: f(10.5)}
	count := &healthcell.Indicator{Code: "activity_lectures", Zh: "讲座", Unit: "count"}
	rows := []healthcell.IndicatorValue{
		{Division: "510824100000", Name: "陵江镇", Numerator: f(12), Denominator: f(15), Value: f(80), Met: &yes},
		{Division: "510824101000", Name: `<b>"镇"</b>`, Numerator: f(1), Denominator: f(3), Value: f(33.33), Met: &no},
		{Division: "510824102000", Name: "无数据", Numerator: f(0), Denominator: f(0)},
		{Division: "510824103000", Name: "空"},
	}
	for _, tc := range []struct {
		lang        string
		drill, unit bool
	}{{"zh-CN", false, false}, {"en", false, false}, {"zh-CN", true, false}, {"zh-CN", false, true}} {
		lang := tc.lang
		v := dashView{Page: Page{Lang: lang, tr: tr}, Period: "2025Q2", Div: &healthcell.DivisionView{DivisionNode: healthcell.DivisionNode{Division: healthcell.Division{Code: "510824100000"}}}, DrillInd: tc.drill}
		if tc.unit {
			v.Unit = &healthcell.Unit{ID: 7}
		}
		for _, ind := range []*healthcell.Indicator{pct, lower, count} {
			v.Cards = append(v.Cards, dashCard{Ind: ind, Own: rows[len(v.Cards)%len(rows)], Rows: rows})
		}
		var want bytes.Buffer
		if err := summary.Execute(&want, v); err != nil {
			t.Fatal(err)
		}
		if got := string(v.SummaryRows(v.Cards)); got != want.String() {
			t.Errorf("%+v summary rows differ at byte %d:\n%q\ntemplate:\n%q", tc, firstDiff(got, want.String()), got, want.String())
		}
		for _, c := range v.Cards {
			want.Reset()
			if err := card.Execute(&want, map[string]any{"C": c, "V": v}); err != nil {
				t.Fatal(err)
			}
			if got := string(v.CardRows(c)); got != want.String() {
				t.Errorf("%+v %s rows differ at byte %d:\n%q\ntemplate:\n%q", tc, c.Ind.Code, firstDiff(got, want.String()), got, want.String())
			}
		}
	}
}

// firstDiff is the offset of the first byte where a and b differ.
func firstDiff(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}
