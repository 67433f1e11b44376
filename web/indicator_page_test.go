package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestDashboardThemes: the dashboard's index groups the indicators by
// theme and links to each theme's page and each indicator's page; a theme's
// page shows the charts of its indicators only; an unknown theme is 404.
func TestDashboardThemes(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		township := e.as(t, "township")
		r := township.get(t, "/dashboard?period=2025")
		wantPage(t, r, 200, `id="themes"`, `id="theme-education"`, `id="theme-family"`, "健康教育", "全部指标",
			`href="/dashboard?division=`+sqltest.Township+`&amp;period=2025&amp;theme=education"`,
			`href="/dashboard/indicators/literacy_level?division=`+sqltest.Township+`&amp;period=2025"`)
		if strings.Contains(r.String(), `class="ind-card"`) {
			t.Error("the index of themes shows the charts of every indicator")
		}
		r = township.get(t, "/dashboard?period=2025&theme=services")
		wantPage(t, r, 200, `id="card-contract_rate"`, `id="table-contract_rate"`, `aria-current="page">健康服务`)
		if strings.Contains(r.String(), `id="card-literacy_level"`) || strings.Contains(r.String(), `id="theme-education"`) {
			t.Error("the services theme shows an education indicator")
		}
		if r := township.get(t, "/dashboard?period=2025&theme=nosuch"); r.status != http.StatusNotFound {
			t.Errorf("unknown theme: %d", r.status)
		}
	})
}

// TestIndicatorPage: an indicator's page shows its value, definition and
// sources and its villages, each a link one level down; out of scope is
// what the dashboard answers out of scope (404), and so is an unknown
// indicator.
func TestIndicatorPage(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		township := e.as(t, "township")
		r := township.get(t, "/dashboard/indicators/contract_rate?period=2025")
		wantPage(t, r, 200, `id="ind-name">家庭医生签约率`, `id="ind-definition"`, `id="ind-sources"`, `id="table-contract_rate"`,
			`href="/dashboard/indicators/contract_rate?division=`+sqltest.Village+`&amp;period=2025"`,
			`data-drill="/dashboard/indicators/contract_rate?period=2025&amp;division="`, "健康服务")
		if strings.Contains(r.String(), villageT2) {
			t.Error("the township officer sees another township's village")
		}
		r = township.get(t, "/dashboard/indicators/contract_rate?division="+sqltest.Village+"&period=2025")
		wantPage(t, r, 200, `id="ind-own"`, `id="ind-missing"`, `href="/indicators/contract_rate/missing?division=`+sqltest.Village+`&amp;period=2025"`)

		for _, tc := range []struct {
			name, user, path string
		}{
			{"another township", "township", "?division=" + sqltest.Township2},
			{"another township's village", "township", "?division=" + villageT2},
			{"the county", "township", "?division=" + sqltest.County},
			{"a village officer, the next village", "village", "?division=" + sqltest.Village2},
		} {
			t.Run(tc.name, func(t *testing.T) {
				c := e.as(t, tc.user)
				dash := c.get(t, "/dashboard"+tc.path+"&period=2025")
				ind := c.get(t, "/dashboard/indicators/contract_rate"+tc.path+"&period=2025")
				if ind.status != http.StatusNotFound || ind.status != dash.status {
					t.Errorf("indicator page %d, dashboard %d; want both 404", ind.status, dash.status)
				}
				if strings.Contains(ind.String(), "家庭医生签约率") {
					t.Error("the out-of-scope answer names the indicator's values")
				}
			})
		}
		if r := township.get(t, "/dashboard/indicators/nosuch?period=2025"); r.status != http.StatusNotFound {
			t.Errorf("unknown indicator: %d", r.status)
		}
		r = e.as(t, "county").get(t, "/dashboard/indicators/literacy_level?period=2025")
		wantPage(t, r, 200, `id="ind-formula"`, "各乡镇", `href="/dashboard/indicators/literacy_level?division=`+sqltest.Township+`&amp;period=2025"`)
	})
}
