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

// flowSetup loads a two-item 健康村 standard (reviewed every three years)
// and a 2026 campaign created through the API, and returns the standard
// and the campaign id.
func flowSetup(t *testing.T, e *env) (*healthcell.Standard, int64) {
	t.Helper()
	std := &healthcell.Standard{Code: "web-village", Name: "测试健康村标准", CellType: "健康村", UnitKind: "village", Issuer: "测试", Source: "测试",
		TotalPoints: 20, PassScore: 10, ReviewYears: 3, Items: []healthcell.Item{
			{Code: "1", Section: "组织管理", Text: "成立领导小组", Points: 10, Method: "yes"},
			{Code: "2", Section: "健康环境", Text: "公共厕所整洁", Points: 10, Method: "yes"},
		}}
	if err := e.db.CreateStandard(sqltest.System(), std); err != nil {
		t.Fatal(err)
	}
	county := e.as(t, "county")
	r := county.do(t, "POST", "/api/v1/campaigns", map[string]any{"year": 2026, "name": "2026年健康细胞创建", "deadline": "2099-08-15",
		"bulletin_days": 15, "targets": []map[string]any{{"township": sqltest.Township, "target": 2}}})
	if r.status != http.StatusCreated {
		t.Fatalf("create campaign: %d %s", r.status, r)
	}
	r2 := e.as(t, "township").do(t, "POST", "/api/v1/campaigns", map[string]any{"year": 2026, "name": "乡镇不能建"})
	if r2.status != http.StatusForbidden {
		t.Fatalf("township creates a campaign: %d", r2.status)
	}
	return std, int64(r.json(t)["id"].(float64))
}

func TestAPIWorkflow(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		std, camp := flowSetup(t, e)
		village, township, county := e.as(t, "village"), e.as(t, "township"), e.as(t, "county")
		r := village.do(t, "POST", "/api/v1/applications", map[string]any{"campaign_id": camp, "standard_code": std.Code, "unit_kind": "village", "unit_ref": sqltest.Village})
		if r.status != http.StatusCreated {
			t.Fatalf("create: %d %s", r.status, r)
		}
		app := r.json(t)
		id := int64(app["id"].(float64))
		if app["state"] != "self_assessment" {
			t.Fatalf("state %v", app["state"])
		}
		path := fmt.Sprintf("/api/v1/applications/%d", id)
		if r := village.do(t, "POST", "/api/v1/applications", map[string]any{"campaign_id": camp, "standard_code": std.Code, "unit_kind": "village", "unit_ref": sqltest.Village}); r.status != http.StatusConflict {
			t.Fatalf("duplicate: %d", r.status)
		}
		// 422: the self-assessment is missing.
		r = village.do(t, "POST", path+"/transitions", map[string]any{"action": "apply"})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.String(), "self_sheet_passed") {
			t.Fatalf("apply without a sheet: %d %s", r.status, r)
		}
		// Fill the self-assessment through the API.
		r = village.do(t, "POST", "/api/v1/sheets", map[string]any{"standard": std.Code, "kind": "self", "unit_kind": "village", "unit_ref": sqltest.Village, "year": 2026})
		if r.status != http.StatusCreated && r.status != http.StatusOK {
			t.Fatalf("sheet: %d %s", r.status, r)
		}
		sheet := int64(r.json(t)["id"].(float64))
		for _, item := range []string{"1", "2"} {
			if r := village.do(t, "PUT", fmt.Sprintf("/api/v1/sheets/%d/answers/%s", sheet, item), map[string]any{"yes": true}); r.status != http.StatusOK {
				t.Fatalf("answer: %d %s", r.status, r)
			}
		}
		// 403: the township cannot apply for the village.
		if r := township.do(t, "POST", path+"/transitions", map[string]any{"action": "apply"}); r.status != http.StatusForbidden {
			t.Fatalf("township applies: %d %s", r.status, r)
		}
		// 404: another village's officer does not see it.
		r = village.do(t, "POST", path+"/transitions", map[string]any{"action": "apply", "version": 1})
		if r.status != http.StatusOK || r.json(t)["state"] != "applied" {
			t.Fatalf("apply: %d %s", r.status, r)
		}
		// 409: acting on the version read before.
		r = township.do(t, "POST", path+"/transitions", map[string]any{"action": "pass_check", "version": 1})
		if r.status != http.StatusConflict || !strings.Contains(r.String(), "状态已变化") {
			t.Fatalf("stale version: %d %s", r.status, r)
		}
		// 409: an action not possible from the state.
		if r := county.do(t, "POST", path+"/transitions", map[string]any{"action": "name"}); r.status != http.StatusConflict {
			t.Fatalf("name from applied: %d %s", r.status, r)
		}
		// Return with one item, then the queue shows it to the village.
		r = township.do(t, "POST", path+"/transitions", map[string]any{"action": "return_for_rectification", "comment": "厕所不达标",
			"rectifications": []map[string]any{{"item_code": "2", "text": "公共厕所未达标", "deadline": "2099-01-01"}}})
		if r.status != http.StatusOK || r.json(t)["state"] != "rectifying" {
			t.Fatalf("return: %d %s", r.status, r)
		}
		q := village.get(t, "/api/v1/queue").json(t)
		fix, _ := q["to_fix"].([]any)
		if len(fix) != 1 {
			t.Fatalf("queue: %v", q)
		}
		item := int64(fix[0].(map[string]any)["id"].(float64))
		if r := township.do(t, "POST", fmt.Sprintf("/api/v1/rectifications/%d/answer", item), map[string]any{"note": "x"}); r.status != http.StatusForbidden {
			t.Fatalf("township answers: %d", r.status)
		}
		if r := village.do(t, "POST", fmt.Sprintf("/api/v1/rectifications/%d/answer", item), map[string]any{"note": "已改建"}); r.status != http.StatusOK {
			t.Fatalf("answer: %d %s", r.status, r)
		}
		if r := township.do(t, "POST", fmt.Sprintf("/api/v1/rectifications/%d/check", item), map[string]any{"accept": true}); r.status != http.StatusOK {
			t.Fatalf("check: %d %s", r.status, r)
		}
		if r := village.do(t, "POST", path+"/transitions", map[string]any{"action": "submit_rectification"}); r.status != http.StatusOK {
			t.Fatalf("submit: %d %s", r.status, r)
		}
		// 初验 needs the township's own passing check sheet.
		if r := township.do(t, "POST", "/api/v1/applications/transitions", map[string]any{"ids": []int64{id}, "action": "pass_check"}); r.status != http.StatusUnprocessableEntity ||
			!strings.Contains(r.String(), "workflow.guard.check_sheet_passed") {
			t.Fatalf("pass_check without a check sheet: %d %s", r.status, r)
		}
		r = township.do(t, "POST", "/api/v1/sheets", map[string]any{"standard": std.Code, "kind": "check", "unit_kind": "village", "unit_ref": sqltest.Village, "year": 2026})
		if r.status != http.StatusCreated && r.status != http.StatusOK {
			t.Fatalf("check sheet: %d %s", r.status, r)
		}
		check := int64(r.json(t)["id"].(float64))
		for _, item := range []string{"1", "2"} {
			if r := township.do(t, "PUT", fmt.Sprintf("/api/v1/sheets/%d/answers/%s", check, item), map[string]any{"yes": true}); r.status != http.StatusOK {
				t.Fatalf("check answer: %d %s", r.status, r)
			}
		}
		// Bulk: pass it with the township's bulk action.
		if r := township.do(t, "POST", "/api/v1/applications/transitions", map[string]any{"ids": []int64{id}, "action": "pass_check"}); r.status != http.StatusNoContent {
			t.Fatalf("bulk: %d %s", r.status, r)
		}
		d := village.get(t, path).json(t)
		if d["state"] != "checked" || len(d["timeline"].([]any)) != 5 {
			t.Fatalf("detail: %v", d)
		}
		// Each step kept the sheet it relied on; the frozen self sheet refuses
		// changes, and a new version of it starts from its answers.
		last := d["timeline"].([]any)[4].(map[string]any)
		snap, ok := last["snapshot_id"].(float64)
		if !ok || snap == 0 {
			t.Fatalf("pass_check kept no snapshot: %v", last)
		}
		if r := village.get(t, fmt.Sprintf("/api/v1/snapshots/%d", int64(snap))); r.status != http.StatusOK || r.json(t)["action"] != "pass_check" {
			t.Fatalf("snapshot: %d %s", r.status, r)
		}
		if r := village.do(t, "PUT", fmt.Sprintf("/api/v1/sheets/%d/answers/1", sheet), map[string]any{"yes": false}); r.status != http.StatusConflict ||
			!strings.Contains(r.String(), `"key":"sheet.frozen"`) {
			t.Fatalf("change to a frozen sheet: %d %s", r.status, r)
		}
		if r := village.do(t, "POST", fmt.Sprintf("/api/v1/sheets/%d/editions", sheet), nil); r.status != http.StatusCreated || r.json(t)["edition"].(float64) != 2 {
			t.Fatalf("new edition: %d %s", r.status, r)
		}
		if r := village.do(t, "POST", fmt.Sprintf("/api/v1/sheets/%d/editions", sheet), nil); r.status != http.StatusConflict {
			t.Fatalf("second new edition of the same sheet: %d %s", r.status, r)
		}
		// Bulletins.
		r = county.do(t, "POST", "/api/v1/bulletins", map[string]any{"campaign_id": camp})
		if r.status != http.StatusCreated {
			t.Fatalf("bulletin: %d %s", r.status, r)
		}
		bid := int64(r.json(t)["id"].(float64))
		if r := e.as(t, "viewer").get(t, fmt.Sprintf("/api/v1/bulletins/%d", bid)); r.status != http.StatusOK {
			t.Fatalf("get bulletin: %d", r.status)
		}
		if r := township.do(t, "POST", "/api/v1/bulletins", map[string]any{"campaign_id": camp}); r.status != http.StatusForbidden {
			t.Fatalf("township issues: %d", r.status)
		}
		if r := village.get(t, "/api/v1/applications?state=checked"); r.status != http.StatusOK || r.json(t)["total"].(float64) != 1 {
			t.Fatalf("list: %d %s", r.status, r)
		}
	})
}

// TestWorkflowPages renders every workflow page for every role.
func TestWorkflowPages(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		std, camp := flowSetup(t, e)
		a := &healthcell.Application{CampaignID: camp, StandardID: std.ID, UnitKind: "village", UnitRef: sqltest.Village}
		if err := e.db.CreateApplication(sqltest.System(), a); err != nil {
			t.Fatal(err)
		}
		b, err := e.db.IssueBulletin(sqltest.System(), camp)
		if err != nil {
			t.Fatal(err)
		}
		for _, tu := range testUsers {
			if tu.username == "lockme" {
				continue
			}
			c := e.as(t, tu.username)
			for _, p := range []string{"/queue", "/applications", "/bulletins", fmt.Sprintf("/bulletins/%d", b.ID), fmt.Sprintf("/bulletins/%d/export.xlsx", b.ID)} {
				if r := c.get(t, p); r.status != http.StatusOK {
					t.Errorf("%s %s: %d", tu.username, p, r.status)
				}
			}
			want := http.StatusOK
			if tu.username == "unit" || tu.username == "department" {
				want = http.StatusNotFound
			}
			if r := c.get(t, fmt.Sprintf("/applications/%d", a.ID)); r.status != want {
				t.Errorf("%s application page: %d, want %d", tu.username, r.status, want)
			}
		}
		// The village officer sees its buttons; a refused form shows why.
		v := e.as(t, "village")
		page := v.get(t, fmt.Sprintf("/applications/%d", a.ID)).String()
		if !strings.Contains(page, "自查中") || !strings.Contains(page, "open-self") {
			t.Fatalf("application page: %s", page)
		}
		// 申报 asks for confirmation first (a page: no script needed), then says why it is refused.
		r := v.do(t, "POST", fmt.Sprintf("/applications/%d/transitions", a.ID), url.Values{"action": {"apply"}, "version": {"1"}})
		if r.status != http.StatusOK || !strings.Contains(r.String(), `id="confirm"`) || !strings.Contains(r.String(), `name="confirmed" value="1"`) {
			t.Fatalf("confirm apply: %d", r.status)
		}
		r = v.do(t, "POST", fmt.Sprintf("/applications/%d/transitions", a.ID), url.Values{"action": {"apply"}, "version": {"1"}, "confirmed": {"1"}})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.String(), "自查评分表尚未填完") {
			t.Fatalf("refused apply: %d", r.status)
		}
		// A family by its household number.
		fam := &healthcell.Standard{Code: "web-family", Name: "测试健康家庭标准", CellType: "健康家庭", UnitKind: "household", Issuer: "测试", Source: "测试",
			TotalPoints: 10, PassScore: 6, Items: []healthcell.Item{{Code: "1", Section: "健康生活", Text: "家庭成员不吸烟", Points: 10, Method: "yes"}}}
		if err := e.db.CreateStandard(sqltest.System(), fam); err != nil {
			t.Fatal(err)
		}
		form := url.Values{"campaign": {fmt.Sprint(camp)}, "standard": {"web-family"}, "unit": {"village:" + sqltest.Village}, "household": {"A-001"}}
		if r := v.do(t, "POST", "/applications", form); r.status != http.StatusSeeOther {
			t.Fatalf("family application: %d %s", r.status, r)
		}
		form.Set("household", "Z-999")
		if r := v.do(t, "POST", "/applications", form); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.String(), "没有找到这个户编号") {
			t.Fatalf("unknown household: %d", r.status)
		}
		list, _, err := e.db.FindApplications(sqltest.System(), healthcell.ApplicationFilter{UnitKind: "household"})
		if err != nil || len(list) != 1 || list[0].UnitRef != fmt.Sprint(e.hA.ID) {
			t.Fatalf("family applications: %+v %v", list, err)
		}
		// The public list needs no login.
		if r := e.anon(t).get(t, "/public/"+sqltest.County+"/named"); r.status != http.StatusOK {
			t.Fatalf("public list: %d", r.status)
		}
	})
}

// TestInspectionsWeb: the township records an inspection through the API;
// its finding waits in the village's queue; the pages render for every role.
func TestInspectionsWeb(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		flowSetup(t, e)
		township, village := e.as(t, "township"), e.as(t, "village")
		body := map[string]any{"unit_kind": "village", "unit_ref": sqltest.Village, "inspected_on": "2025-06-15", "inspectors": "督查组",
			"findings": []map[string]any{{"text": "垃圾未清运", "deadline": "2099-01-01"}}}
		if r := village.do(t, "POST", "/api/v1/inspections", body); r.status != http.StatusForbidden {
			t.Fatalf("village inspects: %d", r.status)
		}
		r := township.do(t, "POST", "/api/v1/inspections", body)
		if r.status != http.StatusCreated {
			t.Fatalf("inspect: %d %s", r.status, r)
		}
		id := int64(r.json(t)["id"].(float64))
		q := village.get(t, "/api/v1/queue").json(t)
		if fix, _ := q["to_fix"].([]any); len(fix) != 1 {
			t.Fatalf("queue: %v", q)
		}
		for _, tu := range testUsers {
			if tu.username == "lockme" {
				continue
			}
			c := e.as(t, tu.username)
			if r := c.get(t, "/inspections"); r.status != http.StatusOK {
				t.Errorf("%s /inspections: %d", tu.username, r.status)
			}
			want := http.StatusOK
			if tu.username == "unit" || tu.username == "department" {
				want = http.StatusNotFound
			}
			if r := c.get(t, fmt.Sprintf("/inspections/%d", id)); r.status != want {
				t.Errorf("%s inspection page: %d, want %d", tu.username, r.status, want)
			}
			if r := c.get(t, fmt.Sprintf("/api/v1/inspections/%d", id)); r.status != want {
				t.Errorf("%s inspection API: %d, want %d", tu.username, r.status, want)
			}
		}
		if r := township.get(t, "/api/v1/inspections"); r.status != http.StatusOK || r.json(t)["total"].(float64) != 1 {
			t.Fatalf("list: %d %s", r.status, r)
		}
	})
}

// TestCampaignsPage: the county office starts a campaign with township
// targets from the page; others only read the list.
func TestCampaignsPage(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		county := e.as(t, "county")
		if r := county.get(t, "/campaigns"); r.status != http.StatusOK || !strings.Contains(r.String(), "new-campaign") {
			t.Fatalf("campaigns page: %d", r.status)
		}
		form := url.Values{"name": {"2026年健康细胞创建"}, "year": {"2026"}, "deadline": {"2026-08-15"}, "bulletin_days": {"15"},
			"target-" + sqltest.Township: {"4"}, "target-" + sqltest.Township2: {"2"}}
		if r := county.do(t, "POST", "/campaigns", form); r.status != http.StatusSeeOther {
			t.Fatalf("create: %d %s", r.status, r)
		}
		if r := county.do(t, "POST", "/campaigns", form); r.status != http.StatusConflict {
			t.Fatalf("again: %d", r.status)
		}
		form.Set("name", "另一轮")
		form.Set("deadline", "8月15日")
		if r := county.do(t, "POST", "/campaigns", form); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.String(), "日期格式") {
			t.Fatalf("bad date: %d", r.status)
		}
		cs, err := e.db.FindCampaigns(sqltest.System())
		if err != nil || len(cs) != 1 || len(cs[0].Targets) != 2 || cs[0].DeadlineAt().IsZero() {
			t.Fatalf("campaigns: %+v %v", cs, err)
		}
		tw := e.as(t, "township")
		if r := tw.get(t, "/campaigns"); r.status != http.StatusOK || strings.Contains(r.String(), "new-campaign") {
			t.Fatalf("township sees the form: %d", r.status)
		}
		if r := tw.do(t, "POST", "/campaigns", form); r.status != http.StatusForbidden {
			t.Fatalf("township creates: %d", r.status)
		}
	})
}
