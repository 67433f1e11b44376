package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestUpperBulletinPages: the city office issues its bulletin from the
// bulletins page and reads it ranking its counties, as a page, a workbook
// and a document; the county office is not offered it, cannot issue it
// and cannot open it, nor can the neighbour county's officer; the API
// issues it by year. The public list of the city names the city and lists
// each unit's county.
func TestUpperBulletinPages(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		_, camp := flowSetup(t, e)
		sqltest.LoadNeighbour(t, e.db)
		e.addUser(t, "shi", healthcell.RoleCityAdmin, sqltest.City)
		e.addUser(t, "shizhuanjia", healthcell.RoleCityEvaluator, sqltest.City)
		e.addUser(t, "chaotian", healthcell.RoleCountyAdmin, sqltest.NeighbourCounty)
		zh := messages(t)

		county := e.browser(t, "county")
		if strings.Contains(county.get(t, "/bulletins").String(), `id="issue-upper-bulletin"`) {
			t.Errorf("the county office is offered the city's bulletin")
		}
		if r := county.do(t, "POST", "/bulletins", url.Values{"year": {"2026"}}); r.status != http.StatusForbidden {
			t.Errorf("the county issues a city bulletin: %d", r.status)
		}
		if r := e.as(t, "shizhuanjia").do(t, "POST", "/api/v1/bulletins", map[string]any{"year": 2026}); r.status != http.StatusForbidden {
			t.Errorf("the city's evaluator issues a city bulletin: %d", r.status)
		}

		city := e.browser(t, "shi")
		wantPage(t, city.get(t, "/bulletins"), 200, `id="issue-upper-bulletin"`, `<option value="2026">2026年</option>`)
		r := city.do(t, "POST", "/bulletins", url.Values{"year": {"2026"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("issue: %d\n%s", r.status, r.body)
		}
		path := r.header.Get("Location")
		page := city.get(t, path)
		wantPage(t, page, 200, "广元市2026年健康细胞建设工作通报", "<th>县（市、区）</th>", "截至通报日，全市共发起创建", `<td class="key">苍溪县</td>`, `<td class="key">朝天区</td>`)
		noRawKeys(t, "city bulletin", page.body)
		if strings.Contains(page.String(), "乡镇（街道）") {
			t.Errorf("the city's bulletin ranks townships")
		}
		wantPage(t, city.get(t, "/bulletins"), 200, "广元市2026年健康细胞建设")
		id := strings.TrimPrefix(path, "/bulletins/")
		if x := city.get(t, path+"/export.xlsx"); x.status != 200 || !strings.HasPrefix(x.header.Get("Content-Type"), "application/vnd.openxmlformats") {
			t.Errorf("workbook: %d %q", x.status, x.header.Get("Content-Type"))
		}
		if d := city.get(t, "/api/v1/bulletins/"+id+".docx"); d.status != 200 || !strings.Contains(d.header.Get("Content-Disposition"), "docx") {
			t.Errorf("document: %d %q", d.status, d.header.Get("Content-Disposition"))
		}
		api := e.as(t, "shi").do(t, "POST", "/api/v1/bulletins", map[string]any{"year": 2026})
		if api.status != http.StatusCreated || api.json(t)["number"].(float64) != 2 || api.json(t)["division"] != sqltest.City {
			t.Errorf("API issue: %d %s", api.status, api.body)
		}
		if none := e.as(t, "shi").do(t, "POST", "/api/v1/bulletins", map[string]any{"year": 2019}); none.status != http.StatusUnprocessableEntity || !strings.Contains(none.String(), "bulletin.year.none") {
			t.Errorf("a year without campaigns: %d %s", none.status, none.body)
		}

		// Neither county opens it; the neighbour county does not open 苍溪县's.
		cb := e.as(t, "county").do(t, "POST", "/api/v1/bulletins", map[string]any{"campaign_id": camp})
		if cb.status != http.StatusCreated {
			t.Fatalf("county bulletin: %d %s", cb.status, cb.body)
		}
		countyPath := fmt.Sprintf("/bulletins/%v", cb.json(t)["id"])
		for _, c := range []struct {
			user, path string
			status     int
		}{
			{"county", path, 404}, {"chaotian", path, 404}, {"chaotian", countyPath, 404},
			{"shizhuanjia", path, 200}, {"shi", countyPath, 200},
		} {
			if got := e.browser(t, c.user).get(t, c.path); got.status != c.status {
				t.Errorf("%s opens %s: %d, want %d", c.user, c.path, got.status, c.status)
			}
		}
		if strings.Contains(e.browser(t, "county").get(t, "/bulletins").String(), "广元市2026年健康细胞建设") {
			t.Errorf("the county's list shows the city's bulletin")
		}

		// The public lists.
		anon := e.anon(t)
		wantPage(t, anon.get(t, "/public/510800000000/named"), 200, `<h2 id="named-title">广元市已命名的健康细胞</h2>`)
		wantPage(t, anon.get(t, "/public/510812000000/named"), 200, `<h2 id="named-title">朝天区已命名的健康细胞</h2>`)
		wantPage(t, anon.get(t, "/public/510824100000/named"), 404)
		login := anon.get(t, "/login").String()
		for _, want := range []string{`href="/public/510800000000/named"`, "广元市" + strings.ReplaceAll(zh["named.link.county"], "{{.County}}", ""), `href="/public/510824000000/named"`} {
			if !strings.Contains(login, want) {
				t.Errorf("the login page lacks %q", want)
			}
		}
	})
}
