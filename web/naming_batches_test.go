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

// recommendSanitary brings a 卫生村 application of each village to
// recommended as the system, with passing sheets, and returns them.
func recommendSanitary(t *testing.T, e *env, camp int64, villages ...string) []*healthcell.Application {
	t.Helper()
	sys := sqltest.System()
	std := &healthcell.Standard{Code: "web-sanitary", Name: "测试卫生村标准", CellType: "卫生村", UnitKind: "village", Issuer: "测试", Source: "测试",
		TotalPoints: 20, PassScore: 10, ReviewYears: 3, Items: []healthcell.Item{
			{Code: "1", Section: "组织管理", Text: "成立领导小组", Points: 10, Method: "yes"},
			{Code: "2", Section: "健康环境", Text: "公共厕所整洁", Points: 10, Method: "yes"},
		}}
	if err := e.db.CreateStandard(sys, std); err != nil {
		t.Fatal(err)
	}
	var out []*healthcell.Application
	for _, v := range villages {
		a := &healthcell.Application{CampaignID: camp, UnitKind: "village", UnitRef: v, StandardID: std.ID}
		if err := e.db.CreateApplication(sys, a); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{healthcell.SheetSelf, healthcell.SheetCheck, healthcell.SheetEvaluation} {
			passSheet(t, e, a, k)
		}
		for _, step := range []string{"apply", "pass_check", "evaluate_pass", "recommend"} {
			var err error
			if a, err = e.db.Transition(sys, a.ID, healthcell.TransitionRequest{Action: step, Comment: "意见"}); err != nil {
				t.Fatalf("%s: %v", step, err)
			}
		}
		out = append(out, a)
	}
	return out
}

// passSheet fills a passing score sheet of kind for the application.
func passSheet(t *testing.T, e *env, a *healthcell.Application, kind string) {
	t.Helper()
	scoreSheet(t, e, a, kind, true)
}

// scoreSheet fills a complete score sheet of kind, passing or not.
func scoreSheet(t *testing.T, e *env, a *healthcell.Application, kind string, pass bool) {
	t.Helper()
	sys := sqltest.System()
	s := &healthcell.ScoreSheet{StandardID: a.StandardID, Kind: kind, UnitKind: a.UnitKind, UnitRef: a.UnitRef, Year: a.Year}
	if err := e.db.CreateScoreSheet(sys, s); err != nil {
		t.Fatal(err)
	}
	yes := pass
	for _, code := range []string{"1", "2"} {
		if err := e.db.SaveAnswer(sys, s.ID, &healthcell.Answer{ItemCode: code, Yes: &yes}); err != nil {
			t.Fatal(err)
		}
	}
}

// cityUsers creates the city office's account shi and its assessor's.
func cityUsers(t *testing.T, e *env) {
	t.Helper()
	for _, u := range []*healthcell.User{
		{Username: "shi", DisplayName: "市爱卫办", Role: healthcell.RoleCityAdmin, Scope: sqltest.City},
		{Username: "shizhuanjia", DisplayName: "市考核专家", Role: healthcell.RoleCityEvaluator, Scope: sqltest.City},
	} {
		if err := e.db.CreateUser(sqltest.System(), u, testPassword); err != nil {
			t.Fatal(err)
		}
	}
}

// TestNamingBatchFailedPage: the drawn unit fails the city's assessment;
// the decision asks for the reason, returns the unit with it and says so,
// and the unit not drawn is offered to be drawn again.
func TestNamingBatchFailedPage(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		_, camp := flowSetup(t, e)
		cityUsers(t, e)
		apps := recommendSanitary(t, e, camp, sqltest.Village, sqltest.Village2)
		city := e.as(t, "shi")
		var b healthcell.NamingBatch
		r := city.do(t, "POST", "/api/v1/naming-batches", map[string]any{"applications": []int64{apps[0].ID, apps[1].ID}, "count": 1})
		if r.status != http.StatusCreated {
			t.Fatalf("draw: %d %s", r.status, r)
		}
		r.decode(t, &b)
		for _, a := range apps {
			if a.ID == b.Sampled()[0].ApplicationID {
				scoreSheet(t, e, a, healthcell.SheetAssessment, false)
			}
		}
		batch := fmt.Sprintf("/naming-batches/%d", b.ID)
		if r := city.get(t, batch); !strings.Contains(r.String(), "不合格（0 分）") || !strings.Contains(r.String(), "batch-comment") {
			t.Errorf("failed sample page: %s", r)
		}
		if r := city.do(t, "POST", batch+"/decide", url.Values{"confirm": {"1"}}); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.String(), "请填写退回理由") {
			t.Errorf("decide without the reason: %d", r.status)
		}
		if r := city.do(t, "POST", batch+"/decide", url.Values{"confirm": {"1"}, "comment": {"垃圾清运不及时"}}); r.status != http.StatusSeeOther {
			t.Fatalf("decide: %d %s", r.status, r)
		}
		page := city.get(t, batch).String()
		for _, want := range []string{"已办理：抽查不合格的单位已退回县级", "抽查不合格，未随批次通过", "退回理由：垃圾清运不及时", "未抽中的 1 个单位仍为已推荐上级考核", "重新抽查"} {
			if !strings.Contains(page, want) {
				t.Errorf("failed batch page lacks %q", want)
			}
		}
		if r := city.get(t, "/naming-batches"); !strings.Contains(r.String(), "待考核命名的卫生村（1 个）") {
			t.Errorf("the unit not drawn is not offered again")
		}
	})
}

// TestNamingBatchPages: the city office draws one of two recommended
// 卫生村, the decision waits for its assessment, then names both (the
// other 随批次通过); the county and the city's assessor cannot draw, and
// the county sees no batch.
func TestNamingBatchPages(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		_, camp := flowSetup(t, e)
		cityUsers(t, e)
		apps := recommendSanitary(t, e, camp, sqltest.Village, sqltest.Village2)
		city, assessor, county := e.as(t, "shi"), e.as(t, "shizhuanjia"), e.as(t, "county")
		page := city.get(t, "/naming-batches")
		if page.status != http.StatusOK || !strings.Contains(page.String(), "待考核命名的卫生村（2 个）") || !strings.Contains(page.String(), "随机抽取样本") {
			t.Fatalf("city page: %d %s", page.status, page)
		}
		if r := assessor.get(t, "/naming-batches"); r.status != http.StatusOK || strings.Contains(r.String(), "naming-draw") {
			t.Errorf("assessor page: %d, draw form shown %v", r.status, strings.Contains(r.String(), "naming-draw"))
		}
		if r := county.get(t, "/naming-batches"); r.status != http.StatusForbidden || !strings.Contains(r.String(), "由市、省爱卫会办理") {
			t.Errorf("county page: %d", r.status)
		}
		draw := url.Values{"id": {fmt.Sprint(apps[0].ID), fmt.Sprint(apps[1].ID)}, "size": {"count"}, "count": {"1"}, "percent": {"30"}}
		if r := assessor.do(t, "POST", "/naming-batches", draw); r.status != http.StatusForbidden {
			t.Errorf("assessor draws: %d", r.status)
		}
		if r := county.do(t, "POST", "/api/v1/naming-batches", map[string]any{"applications": []int64{apps[0].ID}}); r.status != http.StatusForbidden {
			t.Errorf("county draws by the API: %d", r.status)
		}
		if r := city.do(t, "POST", "/naming-batches", url.Values{"id": draw["id"], "size": {"count"}, "count": {"x"}}); r.status != http.StatusUnprocessableEntity ||
			!strings.Contains(r.String(), "抽查数量应在 1 到所选单位数之间") {
			t.Errorf("bad count: %d", r.status)
		}
		r := city.do(t, "POST", "/naming-batches", draw)
		if r.status != http.StatusSeeOther {
			t.Fatalf("draw: %d %s", r.status, r)
		}
		batch := r.header.Get("Location")
		if r := city.get(t, batch); r.status != http.StatusOK || !strings.Contains(r.String(), "随机种子") || !strings.Contains(r.String(), "待考核") ||
			!strings.Contains(r.String(), "已抽取样本并记录随机种子") {
			t.Errorf("batch page: %d %s", r.status, r)
		}
		if r := county.get(t, strings.Replace(batch, "/naming-batches/", "/api/v1/naming-batches/", 1)); r.status != http.StatusForbidden && r.status != http.StatusNotFound {
			t.Errorf("county reads the batch: %d", r.status)
		}
		if r := city.do(t, "POST", batch+"/decide", url.Values{"confirm": {"1"}}); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.String(), "尚未完成上级考核评分表") {
			t.Errorf("decide early: %d", r.status)
		}
		var b healthcell.NamingBatch
		city.get(t, strings.Replace(batch, "/naming-batches/", "/api/v1/naming-batches/", 1)).decode(t, &b)
		drawn := b.Sampled()
		if len(drawn) != 1 || b.Count != 1 || b.State != healthcell.BatchSampling {
			t.Fatalf("batch %+v", b)
		}
		for _, a := range apps {
			if a.ID == drawn[0].ApplicationID {
				passSheet(t, e, a, healthcell.SheetAssessment)
			}
		}
		if r := city.do(t, "POST", batch+"/decide", url.Values{"confirm": {"1"}}); r.status != http.StatusSeeOther {
			t.Fatalf("decide: %d %s", r.status, r)
		}
		if r := city.get(t, batch); !strings.Contains(r.String(), "已办理：抽中的单位全部合格") || !strings.Contains(r.String(), "抽查合格，已命名") {
			t.Errorf("after the decision: %s", r)
		}
		for _, a := range apps {
			got, err := e.db.FindApplication(sqltest.System(), a.ID)
			if err != nil || got.State != "named" || got.NamedBy != sqltest.City {
				t.Errorf("%s: %s by %s (%v)", a.UnitName, got.State, got.NamedBy, err)
			}
			if a.ID != drawn[0].ApplicationID {
				if r := county.get(t, fmt.Sprintf("/applications/%d", a.ID)); !strings.Contains(r.String(), "随批次通过") {
					t.Errorf("the county's page of the unit not drawn does not say 随批次通过")
				}
			}
		}
	})
}
