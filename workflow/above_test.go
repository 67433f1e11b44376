package workflow_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/workflow"
)

// Offices above the county: 广元市 (5108) covers the demo county, 绵阳市
// (5107) does not.
var (
	cityAdmin          = &healthcell.Actor{Username: "ca", Role: healthcell.RoleCityAdmin, Scope: "510800000000"}
	cityEvaluator      = &healthcell.Actor{Username: "ce", Role: healthcell.RoleCityEvaluator, Scope: "510800000000"}
	otherCityEvaluator = &healthcell.Actor{Username: "ce2", Role: healthcell.RoleCityEvaluator, Scope: "510700000000"}
	provinceEvaluator  = &healthcell.Actor{Username: "pe", Role: healthcell.RoleProvinceEvaluator, Scope: "510000000000"}
)

// sanitary is a village applying for 卫生村, which the shipped file names
// at the city.
func sanitary(a *healthcell.Actor, opts ...func(*workflow.Context)) workflow.Context {
	c := villageCtx(a)
	c.CellType, c.AssessmentPassed = "卫生村", true
	for _, o := range opts {
		o(&c)
	}
	return c
}

func TestNamedAbove(t *testing.T) {
	m := creation(t)
	if got := m.NamingLevel("卫生村"); got != healthcell.LevelCity {
		t.Errorf("NamingLevel(卫生村) = %d, want city", got)
	}
	if got := m.NamingLevel("健康村"); got != healthcell.LevelCounty {
		t.Errorf("NamingLevel(健康村) = %d, want county", got)
	}
	walk(t, m, "self_assessment", []step{
		{"apply", sanitary(villageOfficer), "applied"},
		{"pass_check", sanitary(townshipOfficer), "checked"},
		{"declare_to_county", sanitary(villageOfficer), "declared"},
		{"evaluate_pass", sanitary(countyAdmin), "evaluated"},
		{"recommend", sanitary(countyAdmin), "recommended"},
		{"return_recommendation", sanitary(cityEvaluator, withComment), "checked"},
		{"evaluate_pass", sanitary(countyAdmin), "evaluated"},
		{"recommend", sanitary(countyAdmin), "recommended"},
		{"name_above", sanitary(cityEvaluator), "named"},
	})

	refusals := []struct {
		name, state, action string
		ctx                 workflow.Context
		code, msg           string
	}{
		{"the county cannot name a title named by the city", "evaluated", "name", sanitary(countyAdmin),
			healthcell.EINVALID, workflow.MsgGuardPrefix + "named_by_county"},
		{"nothing to recommend for a county title", "evaluated", "recommend", villageCtx(countyAdmin),
			healthcell.EINVALID, workflow.MsgGuardPrefix + "named_above_county"},
		{"a county evaluator cannot recommend", "evaluated", "recommend", sanitary(evaluator),
			healthcell.EFORBIDDEN, workflow.MsgRoleForbidden},
		{"the county cannot name what it recommended", "recommended", "name_above", sanitary(countyAdmin),
			healthcell.EFORBIDDEN, workflow.MsgRoleForbidden},
		{"another city", "recommended", "name_above", sanitary(otherCityEvaluator),
			healthcell.EFORBIDDEN, workflow.MsgLevelForbidden},
		{"the province does not name a city title", "recommended", "name_above", sanitary(provinceEvaluator),
			healthcell.EFORBIDDEN, workflow.MsgLevelForbidden},
		{"the assessment sheet fails", "recommended", "name_above",
			sanitary(cityEvaluator, func(c *workflow.Context) { c.AssessmentPassed = false }),
			healthcell.EINVALID, workflow.MsgGuardPrefix + "assessment_passed"},
		{"a return needs its reason", "recommended", "return_recommendation", sanitary(cityAdmin),
			healthcell.EINVALID, workflow.MsgCommentRequired},
		{"the city does not act on a county title", "evaluated", "name", villageCtx(cityAdmin),
			healthcell.EFORBIDDEN, workflow.MsgRoleForbidden},
	}
	for _, tc := range refusals {
		_, err := m.Apply(tc.state, tc.action, tc.ctx)
		if healthcell.ErrorCode(err) != tc.code || healthcell.ErrorMessage(err) != tc.msg {
			t.Errorf("%s: Apply(%s, %s) = %v, want %s %s", tc.name, tc.state, tc.action, err, tc.code, tc.msg)
		}
	}
}

// TestAllowedHidesStaticGuards: the county is offered 推荐 for a 卫生村 and
// 命名 for a 健康村, never a button that cannot apply to the title.
func TestAllowedHidesStaticGuards(t *testing.T) {
	m := creation(t)
	actions := func(c workflow.Context) []string {
		var out []string
		for _, tr := range m.Allowed("evaluated", c) {
			out = append(out, tr.Action)
		}
		return out
	}
	if got := actions(sanitary(countyAdmin)); !slices.Equal(got, []string{"recommend"}) {
		t.Errorf("卫生村: allowed %v, want [recommend]", got)
	}
	if got := actions(villageCtx(countyAdmin)); !slices.Equal(got, []string{"name"}) {
		t.Errorf("健康村: allowed %v, want [name]", got)
	}
	var got []string
	for _, tr := range m.Allowed("recommended", sanitary(cityEvaluator)) {
		got = append(got, tr.Action)
	}
	if want := []string{"name_above", "return_recommendation", "fail_assessment"}; !slices.Equal(got, want) {
		t.Errorf("recommended, city evaluator: allowed %v, want %v", got, want)
	}
}

func TestNamedAboveFileErrors(t *testing.T) {
	for _, tc := range []struct{ yaml, msg string }{
		{"named_above:\n  - {cell_type: 卫生村, level: town}\n", workflow.MsgLevelUnknown},
		{"named_above:\n  - {cell_type: 卫生村, level: city}\n  - {cell_type: 卫生村, level: province}\n", workflow.MsgNamedAboveDuplicate},
		{"named_above:\n  - {level: city}\n", workflow.MsgFieldRequired},
	} {
		_, err := workflow.Load(strings.NewReader(tc.yaml + base))
		found := false
		for _, f := range healthcell.ErrorFields(err) {
			found = found || f.Message == tc.msg
		}
		if !found {
			t.Errorf("Load(%q) = %v, want a field error %s", tc.yaml, err, tc.msg)
		}
	}
}
