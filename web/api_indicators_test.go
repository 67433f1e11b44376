package web_test

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

func TestAPIIndicators(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		// 张三 (born 1949, in village A) signs a contract for 2025.
		if _, err := e.db.LoadRegisters(sqltest.System(), func(emit func(*sqlstore.RegisterRow) error) error {
			return emit(&sqlstore.RegisterRow{Register: "contracts", Village: sqltest.Village, PersonID: e.pA.ID,
				Values: []any{"王医生", "", "2025-01-01", "2025-12-31", "elderly"}})
		}); err != nil {
			t.Fatal(err)
		}
		county, township := e.as(t, "county"), e.as(t, "township")

		r := county.get(t, "/api/v1/indicators")
		var defs struct{ Items []healthcell.Indicator }
		r.decode(t, &defs)
		if r.status != 200 || len(defs.Items) < 12 {
			t.Fatalf("definitions: %d %s", r.status, r)
		}

		var vals []healthcell.IndicatorValue
		r = township.get(t, "/api/v1/indicators/contract_rate/values?level=village&period=2025")
		r.decode(t, &vals)
		if r.status != 200 || len(vals) == 0 {
			t.Fatalf("values: %d %s", r.status, r)
		}
		for _, v := range vals {
			if !healthcell.Covers(sqltest.Township, v.Division) {
				t.Errorf("township officer sees %s", v.Division)
			}
			if v.Division == sqltest.Village && (*v.Value != 50 || *v.Numerator != 1 || *v.Denominator != 2 || *v.Target != 80 || *v.Met) {
				t.Errorf("village A: %+v", v)
			}
		}
		r = county.get(t, "/api/v1/indicators/contract_rate/values?division="+sqltest.Village+"&period=2025")
		r.decode(t, &vals)
		if len(vals) != 1 || vals[0].Name != villageName {
			t.Errorf("one division: %s", r)
		}
		for _, c := range []struct {
			who, path string
			status    int
		}{
			{"township", "/api/v1/indicators/contract_rate/values?division=" + sqltest.County + "&level=township", http.StatusNotFound},
			{"county", "/api/v1/indicators/nonesuch/values", http.StatusNotFound},
			{"county", "/api/v1/indicators/contract_rate/values?period=2025Q9", http.StatusUnprocessableEntity},
			{"county", "/api/v1/indicators/contract_rate/values?level=hamlet", http.StatusUnprocessableEntity},
			{"viewer", "/api/v1/checkups/due?division=" + sqltest.Village, http.StatusNotFound},
			{"village", "/api/v1/checkups/due?division=" + sqltest.Village + "&period=2025", http.StatusOK},
			{"county", "/api/v1/indicator-values?level=township&period=2025Q2", http.StatusOK},
			{"unit", "/api/v1/indicator-values?unit=" + itoa(e.school.ID), http.StatusOK},
		} {
			if r := e.as(t, c.who).get(t, c.path); r.status != c.status {
				t.Errorf("%s %s: %d, want %d: %s", c.who, c.path, r.status, c.status, r)
			}
		}

		bad := map[string]any{"code": "x_rate", "zh": "某率", "unit": "%", "direction": "higher",
			"numerator":   map[string]any{"from": "residents", "count": "persons", "where": "has(checkups, period, colour = 'red')"},
			"denominator": map[string]any{"from": "residents", "count": "persons", "where": "resident"}}
		r = county.do(t, "POST", "/api/v1/indicators", bad)
		if r.status != http.StatusUnprocessableEntity {
			t.Errorf("bad formula: %d %s", r.status, r)
		}
		wantField("numerator.where", "indicator.unknown_field")(t, e, r)
		bad["numerator"] = map[string]any{"from": "residents", "count": "persons", "where": "has(contracts, overlap)"}
		if r := township.do(t, "POST", "/api/v1/indicators", bad); r.status != http.StatusForbidden {
			t.Errorf("township saves: %d", r.status)
		}
		if r := county.do(t, "POST", "/api/v1/indicators", bad); r.status != http.StatusCreated {
			t.Errorf("save: %d %s", r.status, r)
		}
		r = county.get(t, "/api/v1/indicators/x_rate/values?division="+sqltest.Village+"&period=2025")
		r.decode(t, &vals)
		if r.status != 200 || *vals[0].Value != 50 {
			t.Errorf("saved indicator: %s", r)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
