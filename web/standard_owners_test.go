package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestStandardOwnerPages: the list and a standard's page name its 发布机关
// and 适用范围 in Chinese; a county officer's upload of the province's
// 卫生村 code is refused beside the form with the reason, and nothing is
// stored; the county's own standard (its own code) is the county's, and a
// neighbour county's officer neither lists nor opens it, nor takes its
// code; a city office loads a standard of the city.
func TestStandardOwnerPages(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.loadStandards(t)
		sqltest.LoadNeighbour(t, e.db)
		e.addUser(t, "chaotian", healthcell.RoleCountyAdmin, sqltest.NeighbourCounty)
		e.addUser(t, "shi", healthcell.RoleCityAdmin, sqltest.City)
		county := e.browser(t, "county")
		zh := messages(t)

		rowOf := func(c *client, name string) []string {
			t.Helper()
			for _, row := range standardRows(t, c.get(t, "/standards").body) {
				if row[0] == name {
					return row
				}
			}
			return nil
		}
		if row := rowOf(county, "卫生村标准"); row == nil || row[2] != "四川省爱国卫生运动委员会" || row[3] != "四川省（省级标准）" {
			t.Errorf("卫生村 row %q, want the province as owner", row)
		}
		if row := rowOf(county, "健康村评价标准"); row == nil || row[2] != zh["standard.owner.shared"] || row[3] != zh["standard.scope.shared"] {
			t.Errorf("健康村 row %q, want a shared standard", row)
		}
		wantPage(t, county.get(t, "/standards/sanitary-village"), 200, `<dd id="standard-owner">四川省爱国卫生运动委员会</dd>`, `<dd id="standard-scope">四川省（省级标准）</dd>`)

		t.Run("the county cannot replace the province's 卫生村 standard", func(t *testing.T) {
			std := catalogStandard(t, "sanitary-village")
			std.PassScore = 60
			before := e.standardsList(t)
			r := county.do(t, "POST", "/standards", multipartFile(t, "卫生村.xlsx", xlsxOf(t, std)), multipartHeader...)
			wantPage(t, r, http.StatusForbidden, `id="upload-errors"`, zh["standard.owner.above"])
			noRawKeys(t, "refused upload", r.body)
			if e.standardsList(t) != before {
				t.Errorf("the refused upload stored something")
			}
			r = e.as(t, "county").do(t, "POST", "/api/v1/standards", multipartFile(t, "卫生村.xlsx", xlsxOf(t, std)), multipartHeader...)
			if r.status != http.StatusForbidden || !strings.Contains(r.String(), "standard.owner.above") {
				t.Errorf("API: %d %s", r.status, r.body)
			}
		})

		t.Run("the county's own standard is its own", func(t *testing.T) {
			std := catalogStandard(t, "sanitary-village")
			std.Code, std.Name = "cangxi-sanitary", "苍溪县卫生村考核细则"
			r := county.do(t, "POST", "/standards", multipartFile(t, "细则.xlsx", xlsxOf(t, std)), multipartHeader...)
			if r.status != http.StatusSeeOther {
				t.Fatalf("upload: %d\n%s", r.status, r.body)
			}
			if row := rowOf(county, "苍溪县卫生村考核细则"); row == nil || row[2] != "苍溪县爱国卫生运动委员会" || row[3] != "苍溪县（县级标准）" {
				t.Errorf("own row %q", row)
			}
			neighbour := e.browser(t, "chaotian")
			if row := rowOf(neighbour, "苍溪县卫生村考核细则"); row != nil {
				t.Errorf("the neighbour county lists it: %q", row)
			}
			wantPage(t, neighbour.get(t, "/standards/cangxi-sanitary"), 404, "出错了")
			if r := e.as(t, "chaotian").get(t, "/api/v1/standards/cangxi-sanitary"); r.status != 404 {
				t.Errorf("the neighbour reads it by the API: %d", r.status)
			}
			std.Name = "朝天区的"
			r = neighbour.do(t, "POST", "/standards", multipartFile(t, "细则.xlsx", xlsxOf(t, std)), multipartHeader...)
			wantPage(t, r, http.StatusConflict, zh["standard.code.taken"])
			if got, _ := e.db.FindStandard(sqltest.System(), "cangxi-sanitary", 0); got == nil || got.Version != 1 || got.Name != "苍溪县卫生村考核细则" {
				t.Errorf("the county's standard changed: %+v", got)
			}
			city := e.browser(t, "shi")
			if row := rowOf(city, "苍溪县卫生村考核细则"); row == nil {
				t.Errorf("the city does not list its county's standard")
			}
		})

		t.Run("the city loads a standard of the city", func(t *testing.T) {
			std := catalogStandard(t, "healthy-village")
			std.Code, std.Name = "guangyuan-village", "广元市健康村评价细则"
			city := e.browser(t, "shi")
			if !strings.Contains(city.get(t, "/standards").String(), `id="standard-file"`) {
				t.Fatalf("the city office has no upload form")
			}
			if r := city.do(t, "POST", "/standards", multipartFile(t, "市.xlsx", xlsxOf(t, std)), multipartHeader...); r.status != http.StatusSeeOther {
				t.Fatalf("upload: %d\n%s", r.status, r.body)
			}
			for _, c := range []*client{city, county, e.browser(t, "chaotian")} {
				if row := rowOf(c, "广元市健康村评价细则"); row == nil || row[2] != "广元市爱国卫生运动委员会" || row[3] != "广元市（市级标准）" {
					t.Errorf("%s: city row %q", c.user, row)
				}
			}
		})
	})
}
