package web

import (
	"html/template"
	"strconv"
	"strings"

	"github.com/healthcell/healthcell"
)

// PlanRows renders the body rows of the plan's township × kind progress
// table: a county plan has 34 townships for each goal, and each row was a
// dozen template actions, two translations and a nested template, each a
// call through reflection. Like householdRows it escapes every text as the
// template does, and must stay identical to
//
//	{{range $g.Rows}}<tr><td class="wrap">{{.TownshipName}}</td><td>{{.CellType}}<br><small class="muted">{{if eq .Kind "percent"}}{{fval .Value}}% × {{.Eligible}}{{else}}{{fval .Value}}{{end}}</small></td>
//	<td class="num">{{.Target}}</td><td class="num">{{.Named}}</td><td class="num hide-sm">{{.InProgress}}</td><td class="wrap forecast-{{.Forecast}}">{{template "planforecast" (dict "Page" $p "Row" .)}}</td></tr>{{end}}
//
// which TestPlanRowsMatchTemplate checks.
func (p Page) PlanRows(rows []healthcell.GoalProgress) template.HTML {
	var b strings.Builder
	b.Grow(len(rows) * 300)
	forecasts := map[string]string{} // forecast and day → its escaped text
	for _, r := range rows {
		b.WriteString(`<tr><td class="wrap">`)
		b.WriteString(htmlText(r.TownshipName))
		b.WriteString(`</td><td>`)
		b.WriteString(htmlText(r.CellType))
		b.WriteString(`<br><small class="muted">`)
		b.WriteString(htmlText(fval(r.Value)))
		if r.Kind == "percent" {
			b.WriteString(`% × `)
			b.WriteString(strconv.Itoa(r.Eligible))
		}
		b.WriteString("</small></td>\n<td class=\"num\">")
		b.WriteString(strconv.Itoa(r.Target))
		b.WriteString(`</td><td class="num">`)
		b.WriteString(strconv.Itoa(r.Named))
		b.WriteString(`</td><td class="num hide-sm">`)
		b.WriteString(strconv.Itoa(r.InProgress))
		b.WriteString(`</td><td class="wrap forecast-`)
		b.WriteString(htmlText(r.Forecast))
		b.WriteString(`">`)
		key := r.Forecast + "|" + r.ForecastDay
		text, ok := forecasts[key]
		if !ok {
			text = htmlText(p.forecastText(r))
			forecasts[key] = text
		}
		b.WriteString(text)
		b.WriteString(`</td></tr>`)
	}
	return template.HTML(b.String())
}

// forecastText is the "planforecast" template's text for r, unescaped.
func (p Page) forecastText(r healthcell.GoalProgress) string {
	switch r.Forecast {
	case "reached":
		return p.T("plan.forecast.reached")
	case "never":
		return p.T("plan.forecast.never")
	case "late":
		return p.T("plan.forecast.late", map[string]any{"Day": r.ForecastDay})
	}
	return p.T("plan.forecast.on_pace", map[string]any{"Day": r.ForecastDay})
}
