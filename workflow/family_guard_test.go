package workflow_test

import (
	"strings"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/workflow"
)

// TestMembersContracted: a household applies only when it has resident
// members and every one of them is contracted; other units are not asked.
func TestMembersContracted(t *testing.T) {
	m := creation(t)
	household := func(members, uncontracted int) func(*workflow.Context) {
		return func(c *workflow.Context) {
			c.UnitKind, c.UnitRef, c.ResidentMembers, c.UncontractedMembers = "household", "77", members, uncontracted
		}
	}
	for _, c := range []struct {
		name string
		ctx  workflow.Context
		want string
	}{
		{"all contracted", villageCtx(villageOfficer, household(3, 0)), ""},
		{"one not contracted", villageCtx(villageOfficer, household(3, 1)), "workflow.guard.members_contracted"},
		{"no resident member", villageCtx(villageOfficer, household(0, 0)), "workflow.guard.members_contracted"},
		{"a village is not asked", villageCtx(villageOfficer), ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := m.Apply("self_assessment", "apply", c.ctx)
			if got := healthcell.ErrorMessage(err); (err == nil) != (c.want == "") || (err != nil && got != c.want) {
				t.Errorf("Apply = %v, want %q", err, c.want)
			}
		})
	}
}

// TestPassedBySampleGuard: the guard reads its fact.
func TestPassedBySampleGuard(t *testing.T) {
	src := `code: t
name: t
initial: a
states:
  - {code: a, zh: 甲, en: A}
  - {code: b, zh: 乙, en: B, terminal: true}
transitions:
  - action: go
    zh: 走
    en: Go
    from: [a]
    to: b
    roles: [township]
    level: township
    guards: [passed_by_sample]
`
	m, err := workflow.Load(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	c := villageCtx(townshipOfficer)
	if _, err := m.Apply("a", "go", c); healthcell.ErrorMessage(err) != "workflow.guard.passed_by_sample" {
		t.Errorf("without the fact: %v", err)
	}
	c.PassedBySample = true
	if _, err := m.Apply("a", "go", c); err != nil {
		t.Errorf("with the fact: %v", err)
	}
}
