package plantemplate

import (
	"testing"

	"github.com/healthcell/healthcell"
)

func TestShippedTemplates(t *testing.T) {
	all, err := Shipped()
	if err != nil {
		t.Fatal(err)
	}
	if len(all) < 3 {
		t.Fatalf("%d templates", len(all))
	}
	byCode := map[string]*Template{}
	for _, tpl := range all {
		byCode[tpl.Code] = tpl
	}
	p, err := byCode["healthy-village-county"].Plan(2026, "510824000000")
	if err != nil {
		t.Fatal(err)
	}
	// Seed 001: 75 % of villages, 85 % of families; 推进实施 ends with the year.
	if p.Goals[0].Value != 75 || p.Goals[1].Value != 85 || p.Title != "2026年健康村和健康家庭创建工作实施方案" {
		t.Fatalf("goals %+v %q", p.Goals, p.Title)
	}
	if p.ApplicationsDeadline() != "2026-12-31" || p.Phases[2].Start != "2027-01-01" || len(p.Tasks) != 8 || p.Tasks[3].Deadline != "2026-10-31" {
		t.Fatalf("phases %+v tasks %d", p.Phases, len(p.Tasks))
	}
	// Seed 000: 6 卫生村 + 2 健康村 + 1 school + 1 hospital.
	town, _ := byCode["health-promoting-township"].Plan(2027, "510824000000")
	var n float64
	for _, g := range town.Goals {
		n += g.Value
	}
	if n != 10 || town.ApplicationsDeadline() != "2027-08-15" {
		t.Fatalf("township goals %+v", town.Goals)
	}
}

func TestParseRefuses(t *testing.T) {
	for name, text := range map[string]string{
		"unknown field": "code: x\nname: y\ntitle: t\ncolour: red\n",
		"bad date":      "code: x\nname: y\ntitle: t\nphases:\n  - {key: launch, name: 启动, start: \"02-30\", end: \"03-01\"}\n",
		"phase order":   "code: x\nname: y\ntitle: t\nphases:\n  - {key: launch, name: 启动, start: \"05-01\", end: \"03-01\"}\n",
		"goal over 100": "code: x\nname: y\ntitle: t\ngoals:\n  - {standard: s, kind: percent, value: 110}\n",
		"no code":       "name: y\ntitle: t\n",
	} {
		if _, err := Parse([]byte(text)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestNextYear(t *testing.T) {
	tpl, err := Find("healthy-village-county")
	if err != nil {
		t.Fatal(err)
	}
	p, _ := tpl.Plan(2028, "510824000000")
	p.Milestones = append(p.Milestones, healthcell.PlanMilestone{Date: "2028-02-29", Percent: 5})
	p.Budget[0].Spent = 100
	n := NextYear(p, 2029)
	if n.Title != "2029年健康村和健康家庭创建工作实施方案" || n.Goals[0].Year != 2029 || n.Phases[0].Start != "2029-05-01" ||
		n.Tasks[0].Deadline != "2029-12-31" || n.Milestones[4].Date != "2029-03-01" || n.Budget[0].Spent != 0 || n.State != healthcell.PlanDraft {
		t.Fatalf("next year %+v", n)
	}
	if p.Phases[0].Start != "2028-05-01" {
		t.Fatal("the old plan changed")
	}
	if _, err := Find("nope"); healthcell.ErrorCode(err) != healthcell.ENOTFOUND {
		t.Fatalf("unknown template: %v", err)
	}
}
