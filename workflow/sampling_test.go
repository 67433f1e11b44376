package workflow_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/workflow"
)

// TestShippedSampling: the shipped file declares the city's sampling (抽查)
// of recommended units, and the transition the units not drawn take is
// offered to nobody one by one.
func TestShippedSampling(t *testing.T) {
	m := creation(t)
	s, ok := m.Sampling()
	if !ok {
		t.Fatal("the shipped file has no sampling block")
	}
	want := workflow.Sampling{From: "recommended", Roles: []healthcell.Role{healthcell.RoleCityAdmin, healthcell.RoleProvinceAdmin},
		Percent: 30, Pass: "name_above", PassRest: "pass_with_batch", Fail: "return_recommendation"}
	if s.From != want.From || !slices.Equal(s.Roles, want.Roles) || s.Percent != want.Percent || s.Pass != want.Pass ||
		s.PassRest != want.PassRest || s.Fail != want.Fail {
		t.Errorf("Sampling() = %+v, want %+v", s, want)
	}
	for _, tc := range []struct {
		actor *healthcell.Actor
		may   bool
	}{{cityAdmin, true}, {cityEvaluator, false}, {countyAdmin, false}, {townshipOfficer, false}, {&healthcell.Actor{System: true}, true}} {
		if got := m.MaySample(tc.actor); got != tc.may {
			t.Errorf("MaySample(%s) = %v, want %v", tc.actor.Role, got, tc.may)
		}
	}
	withSample := func(c *workflow.Context) { c.NamedBySample, c.AssessmentPassed = true, false }
	for _, tr := range m.Allowed("recommended", sanitary(cityAdmin, withSample)) {
		if tr.Action == "pass_with_batch" {
			t.Error("Allowed offers pass_with_batch on its own")
		}
	}
	for _, tr := range m.Available("recommended", sanitary(cityAdmin, withSample)) {
		if tr.Action == "pass_with_batch" {
			t.Error("Available offers pass_with_batch on its own")
		}
	}
	tests := []struct {
		name      string
		ctx       workflow.Context
		next      string
		code, msg string
	}{
		{"by the batch, not drawn", sanitary(cityAdmin, withSample, func(c *workflow.Context) { c.ByBatch = true }), "named", "", ""},
		{"on its own", sanitary(cityAdmin, withSample), "", healthcell.EFORBIDDEN, workflow.MsgBatchOnly},
		{"by the batch, without the sample", sanitary(cityAdmin, func(c *workflow.Context) { c.ByBatch = true }), "",
			healthcell.EINVALID, workflow.MsgGuardPrefix + "named_by_sample"},
		{"the city's assessor", sanitary(cityEvaluator, withSample, func(c *workflow.Context) { c.ByBatch = true }), "",
			healthcell.EFORBIDDEN, workflow.MsgRoleForbidden},
		{"the county", sanitary(countyAdmin, withSample, func(c *workflow.Context) { c.ByBatch = true }), "",
			healthcell.EFORBIDDEN, workflow.MsgRoleForbidden},
	}
	for _, tc := range tests {
		next, err := m.Apply("recommended", "pass_with_batch", tc.ctx)
		if next != tc.next || healthcell.ErrorCode(err) != tc.code || (tc.msg != "" && healthcell.ErrorMessage(err) != tc.msg) {
			t.Errorf("%s: Apply = %q, %v; want %q, %s %s", tc.name, next, err, tc.next, tc.code, tc.msg)
		}
	}
}

// samplingBase is base with a batch transition and a sampling block.
const samplingBase = base + `  - action: rest
    zh: 随批次
    en: Rest
    from: [a]
    to: b
    roles: [village]
    level: self
    batch: true
sampling:
  from: a
  roles: [village]
  percent: 30
  pass: go
  pass_rest: rest
  fail: go
`

func TestLoadSampling(t *testing.T) {
	if _, err := workflow.Load(strings.NewReader(samplingBase)); err != nil {
		t.Fatalf("samplingBase: %v", err)
	}
	tests := []struct {
		name       string
		old, new   string
		field, msg string
	}{
		{"unknown state", "  from: a\n", "  from: z\n", "from", workflow.MsgStateUnknown},
		{"terminal state", "  from: a\n", "  from: b\n", "from", workflow.MsgStateTerminal},
		{"percent 0", "percent: 30", "percent: 0", "percent", workflow.MsgSamplingPercent},
		{"percent 101", "percent: 30", "percent: 101", "percent", workflow.MsgSamplingPercent},
		{"unknown role", "  roles: [village]\n  percent", "  roles: [mayor]\n  percent", "roles", workflow.MsgRoleUnknown},
		{"role not allowed the steps", "  roles: [village]\n  percent", "  roles: [township]\n  percent", "roles", workflow.MsgRoleForbidden},
		{"unknown action", "pass: go", "pass: fly", "pass", workflow.MsgActionUnknown},
		{"no fail", "  fail: go\n", "", "fail", workflow.MsgFieldRequired},
		{"pass_rest not batch", "pass_rest: rest", "pass_rest: go", "pass_rest", workflow.MsgSamplingBatch},
		{"pass is batch", "pass: go", "pass: rest", "pass", workflow.MsgSamplingBatch},
		{"batch without sampling", "sampling:\n  from: a\n  roles: [village]\n  percent: 30\n  pass: go\n  pass_rest: rest\n  fail: go\n", "",
			"batch", workflow.MsgBatchUnused},
	}
	for _, tc := range tests {
		if !strings.Contains(samplingBase, tc.old) {
			t.Fatalf("%s: samplingBase has no %q", tc.name, tc.old)
		}
		_, err := workflow.Load(strings.NewReader(strings.Replace(samplingBase, tc.old, tc.new, 1)))
		var found bool
		var e *healthcell.Error
		if healthcell.ErrorCode(err) == healthcell.EINVALID && errors.As(err, &e) {
			for _, f := range e.Fields {
				found = found || (f.Field == tc.field && f.Message == tc.msg && f.Row > 0)
			}
		}
		if !found {
			t.Errorf("%s: Load = %v, want a field error %s %s with its line", tc.name, err, tc.field, tc.msg)
		}
	}
	m, err := workflow.Load(strings.NewReader(base))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := m.Sampling(); ok || m.MaySample(&healthcell.Actor{System: true}) {
		t.Error("a file without sampling has a sampling block")
	}
}
