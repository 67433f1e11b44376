package demo

import "strings"

// AppPlan is one application the demo puts into the creation workflow: a
// village and the state it is brought to; Overdue marks a rectification
// left unanswered past its deadline.
type AppPlan struct {
	Village string
	State   string
	Overdue bool
}

// workflowStates is the cycle of states the demo's applications end in,
// so that every state of the workflow appears across the townships.
var workflowStates = []string{
	"named", "applied", "rectifying", "checked", "self_assessment", "evaluated",
	"rectifying", "named", "applied", "failed", "review_due", "revoked",
}

// WorkflowPlan picks, deterministically, up to perTownship villages of each
// of the first townships townships (villages in code order, skipping those
// skip names) and the state each application is to end in, cycling through
// every state of the creation workflow; every other application left in
// rectification has an overdue item.
func WorkflowPlan(villages []string, townships, perTownship int, skip map[string]bool) []AppPlan {
	var out []AppPlan
	taken := map[string]int{}
	var order []string
	rect := 0
	for _, v := range villages {
		if skip[v] || len(v) != 12 {
			continue
		}
		t := v[:9]
		if _, seen := taken[t]; !seen {
			if len(order) == townships {
				continue
			}
			order = append(order, t)
		}
		if taken[t] == perTownship {
			continue
		}
		taken[t]++
		p := AppPlan{Village: v, State: workflowStates[len(out)%len(workflowStates)]}
		if p.State == "rectifying" {
			p.Overdue = rect%2 == 0
			rect++
		}
		out = append(out, p)
	}
	return out
}

// VillageStandard returns the standard a village-level division applies
// under and the unit kind it applies as: a 社区 (a residents' committee)
// under 健康社区 as a community, a village under 健康村.
func VillageStandard(name string) (standard, kind string) {
	if strings.Contains(name, "社区") || strings.HasSuffix(name, "居民委员会") || strings.HasSuffix(name, "居委会") {
		return "healthy-community", "community"
	}
	return "healthy-village", "village"
}
