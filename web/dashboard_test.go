package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

func TestDashboardPages(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		if _, err := e.db.LoadRegisters(sqltest.System(), func(emit func(*sqlstore.RegisterRow) error) error {
			return emit(&sqlstore.RegisterRow{Register: "contracts", Village: sqltest.Village, PersonID: e.pA.ID,
				Values: []any{"王医生", "", "2025-01-01", "2025-12-31", "elderly"}})
		}); err != nil {
			t.Fatal(err)
		}
		township, county := e.as(t, "township"), e.as(t, "county")

		r := township.get(t, "/dashboard?period=2025&theme=services")
		body := r.String()
		if r.status != 200 || !strings.Contains(body, `id="table-contract_rate"`) || !strings.Contains(body, "/dashboard?division="+sqltest.Village) {
			t.Fatalf("township dashboard: %d\n%s", r.status, body)
		}
		if strings.Contains(body, villageT2) {
			t.Error("township officer sees another township's village")
		}
		if !strings.Contains(body, "家庭医生签约率") || !strings.Contains(body, `class="badge unmet"`) {
			t.Error("no Chinese indicator names or met/unmet badges")
		}
		if r := township.get(t, "/dashboard?division="+sqltest.County); r.status != http.StatusNotFound {
			t.Errorf("township opens the county: %d", r.status)
		}
		r = county.get(t, "/dashboard?period=2025&theme=services")
		if r.status != 200 || !strings.Contains(r.String(), "/dashboard?division="+sqltest.Township) || !strings.Contains(r.String(), "各乡镇") {
			t.Errorf("county dashboard: %d", r.status)
		}
		r = township.get(t, "/dashboard?division="+sqltest.Village+"&period=2025")
		body = r.String()
		if r.status != 200 || !strings.Contains(body, `href="/registers/contracts?division=`+sqltest.Village+`"`) ||
			!strings.Contains(body, "/dashboard?unit=") || !strings.Contains(body, `id="own-contract_rate"`) {
			t.Errorf("village dashboard: %d\n%s", r.status, body)
		}
		r = e.as(t, "unit").get(t, "/dashboard?unit="+itoa(e.school.ID)+"&period=2025")
		if r.status != 200 || !strings.Contains(r.String(), "activity_lectures") {
			t.Errorf("unit dashboard: %d", r.status)
		}
		r = township.get(t, "/checkups/due?division="+sqltest.Village+"&period=2025")
		if r.status != 200 || !strings.Contains(r.String(), "张三") {
			t.Errorf("due page: %d", r.status)
		}
		r = township.get(t, "/checkups/due/export/xlsx?division="+sqltest.Village+"&period=2025")
		if r.status != 200 || !strings.HasPrefix(string(r.body), "PK") {
			t.Errorf("due xlsx: %d %q", r.status, r.header.Get("Content-Type"))
		}
		r = township.get(t, "/checkups/due/export/csv?division="+sqltest.Village+"&period=2025")
		if r.status != 200 || !strings.Contains(r.String(), "张三") {
			t.Errorf("due csv: %d", r.status)
		}
		if r := e.as(t, "viewer").get(t, "/checkups/due?division="+sqltest.Village); r.status != http.StatusNotFound {
			t.Errorf("viewer due list: %d", r.status)
		}
	})
}
