package demo

import (
	"fmt"
	"reflect"
	"testing"
)

func TestWorkflowPlan(t *testing.T) {
	var villages []string
	for tw := 100; tw < 110; tw++ {
		for v := 1; v <= 5; v++ {
			villages = append(villages, fmt.Sprintf("510824%03d%03d", tw, v))
		}
	}
	skip := map[string]bool{"510824100001": true}
	plan := WorkflowPlan(villages, 8, 3, skip)
	if len(plan) != 24 {
		t.Fatalf("%d applications, want 24", len(plan))
	}
	states := map[string]int{}
	overdue := 0
	for _, p := range plan {
		if skip[p.Village] {
			t.Fatalf("skipped village %s planned", p.Village)
		}
		states[p.State]++
		if p.Overdue {
			overdue++
		}
	}
	for _, s := range workflowStates {
		if states[s] == 0 {
			t.Errorf("no application in %s", s)
		}
	}
	if overdue == 0 || !reflect.DeepEqual(plan, WorkflowPlan(villages, 8, 3, skip)) {
		t.Errorf("overdue %d, or the plan is not deterministic", overdue)
	}
}

func TestVillageStandard(t *testing.T) {
	for _, tc := range []struct{ name, std, kind string }{
		{"烟峰楼社区居民委员会", "healthy-community", "community"},
		{"金穗社区", "healthy-community", "community"},
		{"凤凰村村民委员会", "healthy-village", "village"},
		{"白鹤村委会", "healthy-village", "village"},
	} {
		if std, kind := VillageStandard(tc.name); std != tc.std || kind != tc.kind {
			t.Errorf("%s: %s %s, want %s %s", tc.name, std, kind, tc.std, tc.kind)
		}
	}
}
