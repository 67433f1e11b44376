package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/catalog/standards"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// planForm is the editor's form for p, as a browser sends it.
func planForm(p *healthcell.Plan) url.Values {
	f := url.Values{"title": {p.Title}, "version": {fmt.Sprint(p.Version)}}
	for _, s := range p.Sections {
		f.Set("section_title_"+s.Key, s.Title)
		f.Set("section_body_"+s.Key, s.Body)
	}
	for _, g := range p.Goals {
		f.Add("goal_standard", g.Standard)
		f.Add("goal_township", g.Township)
		f.Add("goal_year", fmt.Sprint(g.Year))
		f.Add("goal_kind", g.Kind)
		f.Add("goal_value", fmt.Sprint(g.Value))
	}
	for _, ph := range p.Phases {
		ends := "0"
		if ph.EndsApplications {
			ends = "1"
		}
		for k, v := range map[string]string{"phase_key": ph.Key, "phase_name": ph.Name, "phase_start": ph.Start, "phase_end": ph.End, "phase_ends": ends, "phase_text": ph.Text} {
			f.Add(k, v)
		}
	}
	for _, t := range p.Tasks {
		for k, v := range map[string]string{"task_key": t.Key, "task_title": t.Title, "task_lead": t.Lead, "task_responsible": strings.Join(t.Responsible, "、"),
			"task_deadline": t.Deadline, "task_indicator": t.Indicator, "task_text": t.Text,
			"task_std": strings.Split(t.StandardItem+"/", "/")[0], "task_item": strings.Split(t.StandardItem+"/", "/")[1]} {
			f.Add(k, v)
		}
	}
	for _, m := range p.Members {
		for k, v := range map[string]string{"member_body": m.Body, "member_role": m.Role, "member_name": m.Name, "member_post": m.Post, "member_phone": m.Phone} {
			f.Add(k, v)
		}
	}
	for _, m := range p.Milestones {
		for k, v := range map[string]string{"ms_date": m.Date, "ms_label": m.Label, "ms_percent": fmt.Sprint(m.Percent), "ms_standard": m.Standard} {
			f.Add(k, v)
		}
	}
	for _, b := range p.Budget {
		for k, v := range map[string]string{"budget_key": b.Key, "budget_item": b.Item, "budget_amount": fmt.Sprint(b.Amount), "budget_source": b.Source,
			"budget_subsidy": fmt.Sprint(b.UnitSubsidy), "budget_condition": b.Condition} {
			f.Add(k, v)
		}
	}
	// A blank row of each table, as the editor always shows one.
	for _, k := range []string{"goal_standard", "goal_value", "task_key", "task_title", "task_lead", "task_responsible", "task_deadline", "task_indicator", "task_text", "task_std", "task_item",
		"member_role", "member_name", "member_post", "member_phone"} {
		f.Add(k, "")
	}
	f.Add("goal_township", "")
	f.Add("goal_year", "2026")
	f.Add("goal_kind", "percent")
	f.Add("member_body", "group")
	return f
}

func TestPlanPages(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		all, err := standards.Shipped()
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range all {
			if err := e.db.CreateStandard(sqltest.System(), s); err != nil {
				t.Fatal(err)
			}
		}
		county, township, dept, viewer := e.as(t, "county"), e.as(t, "township"), e.as(t, "department"), e.as(t, "viewer")
		r := county.do(t, "POST", "/api/v1/campaigns", map[string]any{"year": 2026, "name": "2026年健康细胞创建", "deadline": "2026-08-15", "targets": []map[string]any{{"township": sqltest.Township, "target": 2}}})
		if r.status != http.StatusCreated {
			t.Fatalf("campaign: %d %s", r.status, r)
		}
		id := int64(r.json(t)["id"].(float64))
		base := fmt.Sprintf("/campaigns/%d/plan", id)
		if r := county.get(t, base); r.status != http.StatusOK || !strings.Contains(r.String(), "apply-template") {
			t.Fatalf("plan page without a plan: %d", r.status)
		}
		if r := township.get(t, base); r.status != http.StatusOK || strings.Contains(r.String(), "apply-template") {
			t.Fatalf("township sees the templates: %d", r.status)
		}
		if r := township.do(t, "POST", base+"/template", url.Values{"template": {"healthy-village-county"}}); r.status != http.StatusForbidden {
			t.Fatalf("township copies a template: %d", r.status)
		}
		if r := county.do(t, "POST", base+"/template", url.Values{"template": {"healthy-village-county"}}); r.status != http.StatusSeeOther {
			t.Fatalf("copy template: %d %s", r.status, r)
		}
		if r := county.get(t, base+"/edit"); r.status != http.StatusOK || !strings.Contains(r.String(), `name="goal_value"`) || !strings.Contains(r.String(), "开展健康教育宣传行动") {
			t.Fatalf("editor: %d", r.status)
		}
		if r := township.get(t, base+"/edit"); r.status != http.StatusNotFound && r.status != http.StatusForbidden {
			t.Fatalf("township opens the editor: %d", r.status)
		}
		p, err := e.db.FindPlan(sqltest.System(), id)
		if err != nil {
			t.Fatal(err)
		}
		// A goal over 100 % is refused with its row named; nothing changes.
		bad := planForm(p)
		bad["goal_value"][0] = "120"
		if r := county.do(t, "POST", base, bad); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.String(), "百分比应在 0 到 100 之间") || !strings.Contains(r.String(), "创建目标第 1 行") {
			t.Fatalf("goal over 100: %d %s", r.status, r)
		}
		bad = planForm(p)
		bad["task_lead"][1] = ""
		if r := county.do(t, "POST", base, bad); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.String(), "请填写牵头单位") {
			t.Fatalf("task without lead: %d", r.status)
		}
		// Edit a goal (80 % of villages) and a task's deadline, add a member with a phone.
		good := planForm(p)
		good["goal_value"][0] = "80"
		good["task_deadline"][0] = "2025-06-01"
		good["member_name"][0] = "王明"
		good["member_phone"][0] = "13812345678"
		good.Add("pilot_village", "510824100205")
		if r := county.do(t, "POST", base, good); r.status != http.StatusSeeOther {
			t.Fatalf("save: %d %s", r.status, r)
		}
		p, _ = e.db.FindPlan(sqltest.System(), id)
		if p.Goals[0].Value != 80 || len(p.Budget) != 3 || len(p.Milestones) != 4 || p.Tasks[0].Deadline != "2025-06-01" || p.Members[0].Phone != "13812345678" || len(p.Goals) != 2 || len(p.Tasks) != 8 {
			t.Fatalf("saved %+v %+v", p.Goals, p.Tasks[0])
		}
		if c, _ := e.db.FindCampaign(sqltest.System(), id); c.Deadline != "2026-12-31" {
			t.Fatalf("deadline %q", c.Deadline)
		}
		if r := township.get(t, base); !strings.Contains(r.String(), "no-plan") {
			t.Fatal("township reads a draft")
		}
		if r := county.do(t, "POST", base+"/publish", url.Values{"version": {fmt.Sprint(p.Version)}}); r.status != http.StatusSeeOther {
			t.Fatalf("publish: %d %s", r.status, r)
		}
		r = township.get(t, base)
		if r.status != http.StatusOK || !strings.Contains(r.String(), "plan-progress") || !strings.Contains(r.String(), "138****5678") || strings.Contains(r.String(), "13812345678") {
			t.Fatalf("township's plan page: %d", r.status)
		}
		// The summary measures against the plan's goals: 陵江镇's targets are
		// 80 % of its 18 villages (15) and 85 % of its 3 households (3).
		if r := county.get(t, fmt.Sprintf("/api/v1/campaigns/%d/summary.docx?period=2026", id)); r.status != http.StatusOK {
			t.Fatalf("summary: %d", r.status)
		}
		r = county.get(t, fmt.Sprintf("/campaigns/%d/summary?period=2026", id))
		if !strings.Contains(r.String(), `<td class="wrap">陵江镇</td><td class="num" data-label="目标">18</td>`) {
			t.Fatalf("summary not against the plan's goals: %d", r.status)
		}
		// The department reports on T1 (县教科体局 is responsible); a viewer cannot.
		if r := dept.do(t, "POST", base+"/tasks/T1/reports", url.Values{"percent": {"40"}, "note": {"已印发健康教育手册"}}); r.status != http.StatusSeeOther {
			t.Fatalf("report: %d %s", r.status, r)
		}
		if r := viewer.do(t, "POST", base+"/tasks/T1/reports", url.Values{"percent": {"50"}, "note": {"x"}}); r.status != http.StatusForbidden {
			t.Fatalf("viewer reports: %d", r.status)
		}
		if r := dept.do(t, "POST", base+"/tasks/T1/reports", url.Values{"percent": {"abc"}, "note": {"x"}}); r.status != http.StatusUnprocessableEntity {
			t.Fatalf("bad percent: %d", r.status)
		}
		if r := county.get(t, base); !strings.Contains(r.String(), "已印发健康教育手册") || !strings.Contains(r.String(), "40%") || !strings.Contains(r.String(), "白观村村民委员会") {
			t.Fatal("the report is not on the plan page")
		}
		// T1 is past its deadline (1 June 2025; the test clock is 15 June) short of 100 %: in the bureau's
		// queue, and in the bulletin, which ranks against the plan's goals.
		if r := dept.get(t, "/queue"); !strings.Contains(r.String(), "queue-plan-tasks") || !strings.Contains(r.String(), "开展健康教育宣传行动") {
			t.Fatalf("the department's queue lacks its overdue task: %d", r.status)
		}
		r = county.do(t, "POST", "/bulletins", url.Values{"campaign": {fmt.Sprint(id)}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("issue a bulletin: %d", r.status)
		}
		if r := county.get(t, r.header.Get("Location")); !strings.Contains(r.String(), "bulletin-plan-based") || !strings.Contains(r.String(), "bulletin-overdue-tasks") {
			t.Fatalf("bulletin without the plan: %d", r.status)
		}
		// The API.
		var got healthcell.Plan
		viewer.get(t, fmt.Sprintf("/api/v1/campaigns/%d/plan", id)).decode(t, &got)
		if got.Members[0].Phone != "138****5678" || got.Tasks[0].Progress != 40 {
			t.Fatalf("api plan %+v %+v", got.Members[0], got.Tasks[0])
		}
		if r := county.get(t, fmt.Sprintf("/api/v1/campaigns/%d/plan/progress?day=2026-07-01", id)); r.status != http.StatusOK || !strings.Contains(r.String(), `"tasks"`) {
			t.Fatalf("progress: %d %s", r.status, r)
		}
		if r := county.get(t, fmt.Sprintf("/api/v1/campaigns/%d/plan/progress?day=July", id)); r.status != http.StatusUnprocessableEntity {
			t.Fatalf("bad day: %d", r.status)
		}
		if r := county.get(t, "/api/v1/plan-templates"); r.status != http.StatusOK || !strings.Contains(r.String(), "sanitary-community") {
			t.Fatalf("templates: %d", r.status)
		}
		got.Budget[0].Amount = -1
		if r := county.do(t, "PUT", fmt.Sprintf("/api/v1/campaigns/%d/plan", id), got); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.String(), "budget.amount") {
			t.Fatalf("budget below zero: %d %s", r.status, r)
		}
		if r := dept.do(t, "POST", fmt.Sprintf("/api/v1/campaigns/%d/plan/tasks/T3/reports", id), map[string]any{"note": "体检进村", "percent": 30}); r.status != http.StatusCreated {
			t.Fatalf("api report: %d %s", r.status, r)
		}
		if r := county.do(t, "POST", fmt.Sprintf("/api/v1/campaigns/%d/plan/spending", id), map[string]any{"line": "B1", "amount": 20000, "spent_on": "2026-05-01"}); r.status != http.StatusCreated {
			t.Fatalf("spending: %d %s", r.status, r)
		}
		if r := county.get(t, "/dashboard"); r.status != http.StatusOK || !strings.Contains(r.String(), "dash-plan") {
			t.Fatalf("dashboard without the plan block: %d", r.status)
		}
		if r := county.get(t, "/campaigns"); !strings.Contains(r.String(), base) {
			t.Fatal("no link to the plan from the campaigns")
		}
	})
}

func TestPlanGapsPage(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		std, camp := flowSetup(t, e)
		village, township, county := e.as(t, "village"), e.as(t, "township"), e.as(t, "county")
		r := village.do(t, "POST", "/api/v1/applications", map[string]any{"campaign_id": camp, "standard_code": std.Code, "unit_kind": "village", "unit_ref": sqltest.Village})
		if r.status != http.StatusCreated {
			t.Fatalf("application: %d %s", r.status, r)
		}
		app := int64(r.json(t)["id"].(float64))
		base := fmt.Sprintf("/campaigns/%d/gaps", camp)
		if r := county.get(t, base); r.status != http.StatusOK || !strings.Contains(r.String(), "gap-townships") {
			t.Fatalf("county gap page: %d", r.status)
		}
		if r := township.get(t, base); r.status != http.StatusOK || !strings.Contains(r.String(), "gap-villages") {
			t.Fatalf("township gap page: %d", r.status)
		}
		page := base + "?division=" + sqltest.Village
		r = township.get(t, page)
		if r.status != http.StatusOK || !strings.Contains(r.String(), "公共厕所整洁") || !strings.Contains(r.String(), "转为整改任务") {
			t.Fatalf("village gaps: %d", r.status)
		}
		if r := village.get(t, page); strings.Contains(r.String(), "转为整改任务") {
			t.Fatal("the village may turn its own gaps into items")
		}
		form := url.Values{"application": {fmt.Sprint(app)}, "item": {"2"}, "deadline": {"2099-01-31"}}
		if r := township.do(t, "POST", page, form); r.status != http.StatusSeeOther {
			t.Fatalf("turn: %d %s", r.status, r)
		}
		if r := township.do(t, "POST", page, form); r.status != http.StatusConflict || !strings.Contains(r.String(), "已有未完成的整改任务") {
			t.Fatalf("turn twice: %d", r.status)
		}
		if r := township.get(t, page); !strings.Contains(r.String(), "整改中") {
			t.Fatal("the item does not show as being fixed")
		}
		if r := e.as(t, "village").get(t, "/queue"); !strings.Contains(r.String(), "公共厕所整洁") {
			t.Fatal("the village's queue lacks the item")
		}
		if r := county.get(t, fmt.Sprintf("/api/v1/campaigns/%d/gaps?division=%s", camp, sqltest.Village)); r.status != http.StatusOK || !strings.Contains(r.String(), `"rectification"`) {
			t.Fatalf("api gaps: %d %s", r.status, r)
		}
		if r := county.get(t, fmt.Sprintf("/api/v1/campaigns/%d/gaps?division=%s", camp, sqltest.County)); r.status != http.StatusUnprocessableEntity {
			t.Fatalf("api gaps of a county: %d", r.status)
		}
		if r := county.do(t, "POST", fmt.Sprintf("/api/v1/applications/%d/gap-rectifications", app), map[string]any{"item": "1", "deadline": "2099-02-01"}); r.status != http.StatusCreated {
			t.Fatalf("api turn: %d %s", r.status, r)
		}
	})
}

func TestPlanDocx(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		all, err := standards.Shipped()
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range all {
			if err := e.db.CreateStandard(sqltest.System(), s); err != nil {
				t.Fatal(err)
			}
		}
		county, township := e.as(t, "county"), e.as(t, "township")
		c := &healthcell.Campaign{Division: sqltest.County, Year: 2026, Name: "2026年健康细胞创建"}
		if err := e.db.CreateCampaign(sqltest.System(), c); err != nil {
			t.Fatal(err)
		}
		if _, err := e.db.ApplyPlanTemplate(sqltest.System(), c.ID, "healthy-village-county", 0); err != nil {
			t.Fatal(err)
		}
		path := fmt.Sprintf("/api/v1/campaigns/%d/plan.docx", c.ID)
		if r := township.get(t, path); r.status != http.StatusNotFound {
			t.Fatalf("township downloads a draft: %d", r.status)
		}
		r := county.get(t, path)
		if r.status != http.StatusOK || r.header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.wordprocessingml.document" ||
			!strings.HasPrefix(string(r.body), "PK") || !strings.Contains(r.header.Get("Content-Disposition"), "plan-") {
			t.Fatalf("docx: %d %v", r.status, r.header)
		}
		if r := county.get(t, fmt.Sprintf("/campaigns/%d/plan", c.ID)); !strings.Contains(r.String(), "plan-docx") {
			t.Fatal("no download button on the plan page")
		}
	})
}
