package web

import (
	"bytes"
	"html/template"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/locale"
)

// TestPlanRowsMatchTemplate checks that the plan's township rows written in
// Go are what the template they replace writes, for every forecast, both
// kinds of goal, both languages and hostile names.
func TestPlanRowsMatchTemplate(t *testing.T) {
	tr, err := locale.New()
	if err != nil {
		t.Fatal(err)
	}
	funcs := template.FuncMap{"fval": fval, "dict": func(kv ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	}}
	tmpl := template.Must(template.New("rows").Funcs(funcs).Parse(`{{$p := .Page}}{{range .Rows}}<tr><td class="wrap">{{.TownshipName}}</td><td>{{.CellType}}<br><small class="muted">{{if eq .Kind "percent"}}{{fval .Value}}% × {{.Eligible}}{{else}}{{fval .Value}}{{end}}</small></td>
<td class="num">{{.Target}}</td><td class="num">{{.Named}}</td><td class="num hide-sm">{{.InProgress}}</td><td class="wrap forecast-{{.Forecast}}">{{template "planforecast" (dict "Page" $p "Row" .)}}</td></tr>{{end}}` +
		`{{define "planforecast"}}{{$p := .Page}}{{with .Row}}{{if eq .Forecast "reached"}}{{$p.T "plan.forecast.reached"}}{{else if eq .Forecast "never"}}{{$p.T "plan.forecast.never"}}{{else if eq .Forecast "late"}}{{$p.T "plan.forecast.late" (dict "Day" .ForecastDay)}}{{else}}{{$p.T "plan.forecast.on_pace" (dict "Day" .ForecastDay)}}{{end}}{{end}}{{end}}`))
	rows := []healthcell.GoalProgress{
		{TownshipName: "陵江镇", CellType: "健康村", Kind: "percent", Value: 12.5, Eligible: 20, Target: 3, Named: 1, InProgress: 2, Forecast: "on_pace", ForecastDay: "2026-11-02"},
		{TownshipName: "云峰镇", CellType: "健康家庭", Kind: "count", Value: 40, Target: 40, Named: 40, Forecast: "reached"},
		{TownshipName: `<b>"镇"</b> & 'x'+1`, CellType: "a\x00b<", Kind: "percent", Value: 0, Eligible: 0, Forecast: "never"},
		{TownshipName: "白驿镇", CellType: "健康学校", Kind: "count", Value: 3.25, Target: 4, Named: 1, InProgress: 1, Forecast: "late", ForecastDay: "2027-03-01"},
		{TownshipName: "陵江镇", CellType: "健康村", Kind: "percent", Value: 12.5, Eligible: 20, Target: 3, Named: 1, InProgress: 2, Forecast: "on_pace", ForecastDay: "2026-11-02"},
		{TownshipName: "空", Forecast: "", ForecastDay: ""},
	}
	cases := []struct {
		name string
		rows []healthcell.GoalProgress
	}{{name: "none"}, {name: "rows", rows: rows}}
	for _, lang := range []string{"zh-CN", "en"} {
		for _, tc := range cases {
			t.Run(lang+" "+tc.name, func(t *testing.T) {
				p := Page{Lang: lang, tr: tr}
				var want bytes.Buffer
				if err := tmpl.Execute(&want, map[string]any{"Page": p, "Rows": tc.rows}); err != nil {
					t.Fatal(err)
				}
				if got := string(p.PlanRows(tc.rows)); got != want.String() {
					t.Errorf("rows differ at byte %d:\n%q\ntemplate:\n%q", firstDiff(got, want.String()), got, want.String())
				}
			})
		}
	}
}
