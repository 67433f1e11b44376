package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/healthcell/healthcell/catalog/standards"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestPlanEditLinks: the editor offers a task's indicator by its Chinese
// name and its standard item as standard + item, and edits the task's text
// and the phases' descriptions; what is saved is shown selected again.
func TestPlanEditLinks(t *testing.T) {
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
		county := e.as(t, "county")
		r := county.do(t, "POST", "/api/v1/campaigns", map[string]any{"year": 2026, "name": "2026年健康细胞创建", "deadline": "2026-08-15", "targets": []map[string]any{{"township": sqltest.Township, "target": 2}}})
		if r.status != http.StatusCreated {
			t.Fatalf("campaign: %d %s", r.status, r)
		}
		id := int64(r.json(t)["id"].(float64))
		base := fmt.Sprintf("/campaigns/%d/plan", id)
		if r := county.do(t, "POST", base+"/template", url.Values{"template": {"healthy-village-county"}}); r.status != http.StatusSeeOther {
			t.Fatalf("copy template: %d %s", r.status, r)
		}
		page := county.get(t, base+"/edit").String()
		for _, want := range []string{`<option value="record_rate">健康档案建档率</option>`, `<option value="healthy-village">健康村评价标准</option>`,
			`<textarea name="phase_text"`, `id="std-items"`} {
			if !strings.Contains(page, want) {
				t.Errorf("editor lacks %s", want)
			}
		}
		p, err := e.db.FindPlan(sqltest.System(), id)
		if err != nil {
			t.Fatal(err)
		}
		f := planForm(p)
		f["task_indicator"][0] = "record_rate"
		f["task_std"][0] = "healthy-village"
		f["task_item"][0] = "3.1"
		f["task_text"][0] = "各村逐户建立健康档案"
		f["phase_text"][0] = "成立领导小组，摸清底数"
		f["task_std"][1], f["task_item"][1] = "healthy-village", "" // a standard without an item links nothing
		if r := county.do(t, "POST", base, f); r.status != http.StatusSeeOther {
			t.Fatalf("save: %d %s", r.status, r)
		}
		p, _ = e.db.FindPlan(sqltest.System(), id)
		if tk := p.Tasks[0]; tk.Indicator != "record_rate" || tk.StandardItem != "healthy-village/3.1" || tk.Text != "各村逐户建立健康档案" {
			t.Errorf("task 1: %+v", tk)
		}
		if p.Tasks[1].StandardItem != "" || p.Phases[0].Text != "成立领导小组，摸清底数" {
			t.Errorf("task 2 %+v, phase 1 %+v", p.Tasks[1], p.Phases[0])
		}
		page = county.get(t, base+"/edit").String()
		for _, want := range []string{`<option value="record_rate" selected>健康档案建档率</option>`, `<option value="healthy-village" selected>健康村评价标准</option>`,
			`<option value="3.1" selected>3.1 `, "各村逐户建立健康档案", "成立领导小组，摸清底数"} {
			if !strings.Contains(page, want) {
				t.Errorf("editor after saving lacks %s", want)
			}
		}
	})
}
