package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestIndicatorMissingPage: the computed item of the sheet links to the
// list of residents its indicator does not count; the page and the API
// list them (masked for a viewer), and a village out of scope is 404.
func TestIndicatorMissingPage(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		// 张三 and 李四 live in the village and have no health record.
		std := &healthcell.Standard{Code: "web-missing", Name: "名单测试标准", CellType: "健康村", UnitKind: "village", Issuer: "测试", Source: "测试",
			TotalPoints: 10, PassScore: 5, ReviewYears: 3, Items: []healthcell.Item{
				{Code: "1", Section: "健康服务", Text: "健康档案建档率≥90%", Points: 10, Method: "egt", Indicator: "record_rate", Target: 90},
			}}
		if err := e.db.CreateStandard(sqltest.System(), std); err != nil {
			t.Fatal(err)
		}
		year := e.db.Now().Year()
		sh := &healthcell.ScoreSheet{StandardID: std.ID, Kind: healthcell.SheetSelf, UnitKind: "village", UnitRef: sqltest.Village, Year: year}
		if err := e.db.CreateScoreSheet(sqltest.As("village", healthcell.RoleVillage, sqltest.Village), sh); err != nil {
			t.Fatal(err)
		}
		link := fmt.Sprintf("/indicators/record_rate/missing?division=%s&amp;period=%d", sqltest.Village, year)
		village := e.as(t, "village")
		if body := village.get(t, fmt.Sprintf("/sheets/%d", sh.ID)).String(); !strings.Contains(body, `href="`+link+`"`) {
			t.Fatalf("the sheet has no link %s:\n%s", link, body)
		}
		page := strings.ReplaceAll(link, "&amp;", "&")
		r := village.get(t, page)
		if r.status != http.StatusOK || !strings.Contains(r.String(), "张三") || !strings.Contains(r.String(), "李四") || !strings.Contains(r.String(), "2 名居民尚未计入达标") {
			t.Fatalf("page: %d %s", r.status, r)
		}
		api := fmt.Sprintf("/api/v1/indicators/record_rate/missing?division=%s&period=%d", sqltest.Village, year)
		j := e.as(t, "viewer").get(t, api).json(t)
		ps, _ := j["persons"].([]any)
		if j["total"] != float64(2) || j["source"] != "residents" || len(ps) != 2 || !strings.Contains(ps[0].(map[string]any)["id_number"].(string), "*") {
			t.Errorf("viewer: %v", j)
		}
		for _, c := range []struct{ user, path string }{
			{"village", fmt.Sprintf("/indicators/record_rate/missing?division=%s&period=%d", sqltest.Village2, year)},
			{"unit", page},
			{"village", strings.Replace(page, "record_rate", "no_such_rate", 1)},
		} {
			if r := e.as(t, c.user).get(t, c.path); r.status != http.StatusNotFound {
				t.Errorf("%s %s: %d, want 404", c.user, c.path, r.status)
			}
		}
		if r := village.get(t, strings.Replace(api, "record_rate", "activity_lectures", 1)); r.status != http.StatusUnprocessableEntity {
			t.Errorf("activity indicator: %d", r.status)
		}
	})
}
