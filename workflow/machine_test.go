package workflow_test

import (
	"os"
	"slices"
	"testing"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/workflow"
)

// The demo county 苍溪县, two of its townships and two villages of the first.
const (
	county        = "510824000000"
	otherCounty   = "510823000000"
	township      = "510824100000"
	otherTownship = "510824101000"
	village       = "510824100201"
	otherVillage  = "510824100202"
	school        = "42" // a school in village
)

var (
	villageOfficer       = &healthcell.Actor{Username: "v", Role: healthcell.RoleVillage, Scope: village}
	otherVillageOfficer  = &healthcell.Actor{Username: "v2", Role: healthcell.RoleVillage, Scope: otherVillage}
	townshipOfficer      = &healthcell.Actor{Username: "t", Role: healthcell.RoleTownship, Scope: township}
	otherTownshipOfficer = &healthcell.Actor{Username: "t2", Role: healthcell.RoleTownship, Scope: otherTownship}
	countyAdmin          = &healthcell.Actor{Username: "c", Role: healthcell.RoleCountyAdmin, Scope: county}
	otherCountyAdmin     = &healthcell.Actor{Username: "c2", Role: healthcell.RoleCountyAdmin, Scope: otherCounty}
	department           = &healthcell.Actor{Username: "d", Role: healthcell.RoleDepartment, Scope: county, Department: "县教科体局"}
	otherDepartment      = &healthcell.Actor{Username: "d2", Role: healthcell.RoleDepartment, Scope: county, Department: "县卫健局"}
	evaluator            = &healthcell.Actor{Username: "e", Role: healthcell.RoleEvaluator, Scope: county}
	viewer               = &healthcell.Actor{Username: "w", Role: healthcell.RoleViewer, Scope: county}
	schoolContact        = &healthcell.Actor{Username: "s", Role: healthcell.RoleUnit, Scope: village, Unit: school}
	otherSchoolContact   = &healthcell.Actor{Username: "s2", Role: healthcell.RoleUnit, Scope: village, Unit: "43"}
)

var (
	now      = time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	deadline = time.Date(2026, 6, 30, 23, 59, 59, 0, time.UTC)
)

// creation loads the shipped workflow.
func creation(t *testing.T) *workflow.Machine {
	t.Helper()
	f, err := os.Open("../catalog/workflows/creation.yaml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := workflow.Load(f)
	if err != nil {
		t.Fatalf("Load(creation.yaml): %v", err)
	}
	return m
}

// villageCtx is a village applying, by a, with every fact in its favour.
func villageCtx(a *healthcell.Actor, opts ...func(*workflow.Context)) workflow.Context {
	c := workflow.Context{Actor: a, UnitKind: "village", UnitDivision: village, UnitRef: village,
		Now: now, Deadline: deadline, SelfSheetPassed: true, EvaluationPassed: true, CheckSheetPassed: true}
	for _, o := range opts {
		o(&c)
	}
	return c
}

// schoolCtx is the school in village applying, by a.
func schoolCtx(a *healthcell.Actor, opts ...func(*workflow.Context)) workflow.Context {
	c := villageCtx(a, opts...)
	c.UnitKind, c.UnitRef, c.UnitDepartment = "school", school, "县教科体局"
	return c
}

func withComment(c *workflow.Context)    { c.Comment = "意见" }
func withItems(c *workflow.Context)      { c.RectificationItems = 2; c.Comment = "厕所改造未完成" }
func failedOnce(c *workflow.Context)     { c.FailedReviews = 1 }
func selfSheetFails(c *workflow.Context) { c.SelfSheetPassed = false }
func evaluationFails(c *workflow.Context) {
	c.EvaluationPassed = false
}
func at(t time.Time) func(*workflow.Context) { return func(c *workflow.Context) { c.Now = t } }

func TestShippedFileLoads(t *testing.T) {
	m := creation(t)
	if m.Initial() != "self_assessment" {
		t.Errorf("Initial() = %q, want self_assessment", m.Initial())
	}
	var codes []string
	for _, s := range m.States() {
		codes = append(codes, s.Code)
		if s.Zh == "" || s.En == "" {
			t.Errorf("state %s has no name", s.Code)
		}
	}
	want := []string{"self_assessment", "applied", "checked", "declared", "evaluated", "recommended", "named", "review_due", "rectifying", "failed", "revoked"}
	if !slices.Equal(codes, want) {
		t.Errorf("states = %v, want %v", codes, want)
	}
	for _, tc := range []struct {
		code     string
		zh       string
		terminal bool
	}{
		{"self_assessment", "自查中", false},
		{"applied", "已申报", false},
		{"checked", "初验通过", false},
		{"named", "已命名", false},
		{"rectifying", "整改中", false},
		{"failed", "未通过", true},
		{"revoked", "已撤销", true},
	} {
		s, ok := m.State(tc.code)
		if !ok || s.Zh != tc.zh || s.Terminal != tc.terminal || s.Initial != (tc.code == "self_assessment") {
			t.Errorf("State(%q) = %+v, %v; want zh %s terminal %v", tc.code, s, ok, tc.zh, tc.terminal)
		}
	}
	if _, ok := m.State("nope"); ok {
		t.Error(`State("nope") found`)
	}
	var actions []string
	for _, tr := range m.Transitions() {
		actions = append(actions, tr.Action)
	}
	wantActions := []string{"apply", "return_for_rectification", "submit_rectification", "pass_check", "fail_check",
		"declare_to_county", "evaluate_pass", "evaluate_fail", "name", "recommend", "name_above", "return_recommendation", "pass_with_batch",
		"fail_assessment", "start_review", "pass_review", "fail_review", "revoke"}
	if !slices.Equal(actions, wantActions) {
		t.Errorf("actions = %v, want %v", actions, wantActions)
	}
	tr, ok := m.Transition("return_for_rectification")
	if !ok || !tr.CommentRequired || !slices.Equal(tr.Levels["applied"], []workflow.Level{workflow.LevelTownship}) ||
		!slices.Equal(tr.Levels["checked"], []workflow.Level{workflow.LevelCounty}) {
		t.Errorf("Transition(return_for_rectification) = %+v", tr)
	}
	// Callers get copies.
	tr.Sources[0] = "x"
	tr.Levels["applied"][0] = "x"
	if again, _ := m.Transition("return_for_rectification"); again.Sources[0] != "applied" || again.Levels["applied"][0] != workflow.LevelTownship {
		t.Error("Transition returns the machine's own slices")
	}
}

// step is one action taken in a path.
type step struct {
	action string
	ctx    workflow.Context
	want   string
}

func walk(t *testing.T, m *workflow.Machine, state string, steps []step) {
	t.Helper()
	for i, s := range steps {
		next, err := m.Apply(state, s.action, s.ctx)
		if err != nil {
			t.Fatalf("step %d: Apply(%s, %s) by %s: %v", i+1, state, s.action, s.ctx.Actor.Username, err)
		}
		if next != s.want {
			t.Fatalf("step %d: Apply(%s, %s) = %s, want %s", i+1, state, s.action, next, s.want)
		}
		state = next
	}
}

func TestPaths(t *testing.T) {
	m := creation(t)
	tests := []struct {
		name  string
		start string
		steps []step
	}{
		{"village named and reviewed", "self_assessment", []step{
			{"apply", villageCtx(villageOfficer), "applied"},
			{"pass_check", villageCtx(townshipOfficer), "checked"},
			{"evaluate_pass", villageCtx(countyAdmin), "evaluated"},
			{"name", villageCtx(countyAdmin), "named"},
			{"start_review", villageCtx(countyAdmin), "review_due"},
			{"pass_review", villageCtx(countyAdmin), "named"},
		}},
		{"school evaluated by its department and an evaluator", "self_assessment", []step{
			{"apply", schoolCtx(schoolContact), "applied"},
			{"pass_check", schoolCtx(townshipOfficer), "checked"},
			{"evaluate_pass", schoolCtx(department), "evaluated"},
			{"name", schoolCtx(countyAdmin), "named"},
			{"start_review", schoolCtx(countyAdmin), "review_due"},
			{"pass_review", schoolCtx(evaluator), "named"},
		}},
		{"apply on the deadline itself", "self_assessment", []step{
			{"apply", villageCtx(villageOfficer, at(deadline)), "applied"},
		}},
		{"no deadline set", "self_assessment", []step{
			{"apply", villageCtx(villageOfficer, func(c *workflow.Context) { c.Deadline = time.Time{} }), "applied"},
		}},
		{"returned at the township check and back", "applied", []step{
			{"return_for_rectification", villageCtx(townshipOfficer, withItems), "rectifying"},
			{"submit_rectification", villageCtx(villageOfficer), "applied"},
			{"pass_check", villageCtx(townshipOfficer), "checked"},
		}},
		{"returned at the county evaluation and back", "checked", []step{
			{"return_for_rectification", villageCtx(countyAdmin, withItems), "rectifying"},
			{"submit_rectification", villageCtx(villageOfficer), "applied"},
			{"pass_check", villageCtx(townshipOfficer), "checked"},
			{"evaluate_pass", villageCtx(countyAdmin), "evaluated"},
		}},
		{"school returned by its department", "checked", []step{
			{"return_for_rectification", schoolCtx(department, withItems), "rectifying"},
			{"submit_rectification", schoolCtx(schoolContact), "applied"},
		}},
		{"failed check", "applied", []step{
			{"fail_check", villageCtx(townshipOfficer, withComment), "failed"},
		}},
		{"failed evaluation", "checked", []step{
			{"evaluate_fail", villageCtx(countyAdmin, withComment), "failed"},
		}},
		{"first failed review, fixed, passes", "review_due", []step{
			{"fail_review", villageCtx(countyAdmin, withItems), "review_due"},
			{"pass_review", villageCtx(countyAdmin, failedOnce), "named"},
		}},
		{"second failed review revokes", "review_due", []step{
			{"fail_review", villageCtx(countyAdmin, withItems), "review_due"},
			{"revoke", villageCtx(countyAdmin, failedOnce, withComment), "revoked"},
		}},
		{"the system actor skips role and level", "applied", []step{
			{"pass_check", villageCtx(healthcell.SystemActor), "checked"},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { walk(t, m, tc.start, tc.steps) })
	}
}

func TestApplyRefused(t *testing.T) {
	m := creation(t)
	after := deadline.Add(time.Second)
	tests := []struct {
		name    string
		state   string
		action  string
		ctx     workflow.Context
		code    string
		message string
	}{
		// Role.
		{"village officer passes the check", "applied", "pass_check", villageCtx(villageOfficer), healthcell.EFORBIDDEN, "workflow.role.forbidden"},
		{"township officer applies", "self_assessment", "apply", villageCtx(townshipOfficer), healthcell.EFORBIDDEN, "workflow.role.forbidden"},
		{"viewer evaluates", "checked", "evaluate_pass", villageCtx(viewer), healthcell.EFORBIDDEN, "workflow.role.forbidden"},
		{"department names", "evaluated", "name", schoolCtx(department), healthcell.EFORBIDDEN, "workflow.role.forbidden"},
		{"evaluator revokes", "review_due", "revoke", schoolCtx(evaluator, failedOnce, withComment), healthcell.EFORBIDDEN, "workflow.role.forbidden"},
		{"no actor", "self_assessment", "apply", villageCtx(nil), healthcell.EFORBIDDEN, "workflow.role.forbidden"},

		// Level.
		{"township officer of another township", "applied", "pass_check", villageCtx(otherTownshipOfficer), healthcell.EFORBIDDEN, "workflow.level.forbidden"},
		{"officer of another village applies", "self_assessment", "apply", villageCtx(otherVillageOfficer), healthcell.EFORBIDDEN, "workflow.level.forbidden"},
		{"contact of another school applies", "self_assessment", "apply", schoolCtx(otherSchoolContact), healthcell.EFORBIDDEN, "workflow.level.forbidden"},
		{"school contact applies for its village", "self_assessment", "apply", villageCtx(schoolContact), healthcell.EFORBIDDEN, "workflow.level.forbidden"},
		{"village officer applies for a school", "self_assessment", "apply", schoolCtx(villageOfficer), healthcell.EFORBIDDEN, "workflow.level.forbidden"},
		{"admin of another county evaluates", "checked", "evaluate_pass", villageCtx(otherCountyAdmin), healthcell.EFORBIDDEN, "workflow.level.forbidden"},
		{"department evaluates a village", "checked", "evaluate_pass", villageCtx(department), healthcell.EFORBIDDEN, "workflow.level.forbidden"},
		{"another department evaluates a school", "checked", "evaluate_pass", schoolCtx(otherDepartment), healthcell.EFORBIDDEN, "workflow.level.forbidden"},
		{"evaluator reviews a village", "review_due", "pass_review", villageCtx(evaluator), healthcell.EFORBIDDEN, "workflow.level.forbidden"},
		{"township returns after its check", "checked", "return_for_rectification", villageCtx(townshipOfficer, withItems), healthcell.EFORBIDDEN, "workflow.level.forbidden"},
		{"county returns at the township check", "applied", "return_for_rectification", villageCtx(countyAdmin, withItems), healthcell.EFORBIDDEN, "workflow.level.forbidden"},

		// State.
		{"name from applied", "applied", "name", villageCtx(countyAdmin), healthcell.ECONFLICT, "workflow.transition.invalid"},
		{"apply twice", "applied", "apply", villageCtx(villageOfficer), healthcell.ECONFLICT, "workflow.transition.invalid"},
		{"evaluate before the check", "applied", "evaluate_pass", villageCtx(countyAdmin), healthcell.ECONFLICT, "workflow.transition.invalid"},
		{"return a named unit", "named", "return_for_rectification", villageCtx(countyAdmin, withItems), healthcell.ECONFLICT, "workflow.transition.invalid"},
		{"revoke a named unit", "named", "revoke", villageCtx(countyAdmin, failedOnce, withComment), healthcell.ECONFLICT, "workflow.transition.invalid"},
		{"apply again after failing", "failed", "apply", villageCtx(villageOfficer), healthcell.ECONFLICT, "workflow.transition.invalid"},
		{"review a revoked unit", "revoked", "pass_review", villageCtx(countyAdmin), healthcell.ECONFLICT, "workflow.transition.invalid"},
		{"unknown state", "archived", "apply", villageCtx(villageOfficer), healthcell.EINVALID, "workflow.state.unknown"},
		{"unknown action", "applied", "approve", villageCtx(countyAdmin), healthcell.EINVALID, "workflow.action.unknown"},

		// Guards and comments.
		{"apply after the deadline", "self_assessment", "apply", villageCtx(villageOfficer, at(after)), healthcell.EINVALID, "workflow.guard.before_deadline"},
		{"apply without the time", "self_assessment", "apply", villageCtx(villageOfficer, at(time.Time{})), healthcell.EINVALID, "workflow.guard.before_deadline"},
		{"apply with a failing self sheet", "self_assessment", "apply", villageCtx(villageOfficer, selfSheetFails), healthcell.EINVALID, "workflow.guard.self_sheet_passed"},
		{"return without items", "applied", "return_for_rectification", villageCtx(townshipOfficer, withComment), healthcell.EINVALID, "workflow.guard.rectification_items"},
		{"return without a comment", "applied", "return_for_rectification", villageCtx(townshipOfficer, withItems, func(c *workflow.Context) { c.Comment = " \n" }), healthcell.EINVALID, "workflow.comment.required"},
		{"fail the check without a comment", "applied", "fail_check", villageCtx(townshipOfficer), healthcell.EINVALID, "workflow.comment.required"},
		{"pass_check without a passing check sheet", "applied", "pass_check", villageCtx(townshipOfficer, func(c *workflow.Context) { c.CheckSheetPassed = false }), healthcell.EINVALID, "workflow.guard.check_sheet_passed"},
		{"evaluate_pass with a failing evaluation sheet", "checked", "evaluate_pass", villageCtx(countyAdmin, evaluationFails), healthcell.EINVALID, "workflow.guard.evaluation_passed"},
		{"pass_review with a failing evaluation sheet", "review_due", "pass_review", villageCtx(countyAdmin, evaluationFails), healthcell.EINVALID, "workflow.guard.evaluation_passed"},
		{"revoke at the first failed review", "review_due", "revoke", villageCtx(countyAdmin, withComment), healthcell.EINVALID, "workflow.guard.second_review_failure"},
		{"second failure cannot give another deadline", "review_due", "fail_review", villageCtx(countyAdmin, withItems, failedOnce), healthcell.EINVALID, "workflow.guard.first_review_failure"},
		{"fail_review without items", "review_due", "fail_review", villageCtx(countyAdmin, withComment), healthcell.EINVALID, "workflow.guard.rectification_items"},
		{"revoke without a comment", "review_due", "revoke", villageCtx(countyAdmin, failedOnce), healthcell.EINVALID, "workflow.comment.required"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			next, err := m.Apply(tc.state, tc.action, tc.ctx)
			if err == nil {
				t.Fatalf("Apply(%s, %s) = %s, want %s %s", tc.state, tc.action, next, tc.code, tc.message)
			}
			if next != "" || healthcell.ErrorCode(err) != tc.code || healthcell.ErrorMessage(err) != tc.message {
				t.Errorf("Apply(%s, %s) = %q, %v; want %s %s", tc.state, tc.action, next, err, tc.code, tc.message)
			}
		})
	}
}

func TestAvailable(t *testing.T) {
	m := creation(t)
	tests := []struct {
		name  string
		state string
		ctx   workflow.Context
		want  []string
	}{
		{"village officer before applying", "self_assessment", villageCtx(villageOfficer), []string{"apply"}},
		{"school contact before applying", "self_assessment", schoolCtx(schoolContact), []string{"apply"}},
		{"after the deadline", "self_assessment", villageCtx(villageOfficer, at(deadline.Add(time.Hour))), nil},
		{"self sheet not passed", "self_assessment", villageCtx(villageOfficer, selfSheetFails), nil},
		{"another village's officer", "self_assessment", villageCtx(otherVillageOfficer), nil},
		{"township before the application", "self_assessment", villageCtx(townshipOfficer), nil},
		{"township at its check, before items are entered", "applied", villageCtx(townshipOfficer), []string{"return_for_rectification", "pass_check", "fail_check"}},
		{"another township at the check", "applied", villageCtx(otherTownshipOfficer), nil},
		{"county at the township check", "applied", villageCtx(countyAdmin), nil},
		{"village officer waiting for the check", "applied", villageCtx(villageOfficer), nil},
		{"county at the evaluation", "checked", villageCtx(countyAdmin), []string{"return_for_rectification", "evaluate_pass", "evaluate_fail"}},
		{"county with a failing evaluation sheet", "checked", villageCtx(countyAdmin, evaluationFails), []string{"return_for_rectification", "evaluate_fail"}},
		{"department at a school's evaluation", "checked", schoolCtx(department), []string{"return_for_rectification", "evaluate_pass", "evaluate_fail"}},
		{"department at a village's evaluation", "checked", villageCtx(department), nil},
		{"township after its check", "checked", villageCtx(townshipOfficer), nil},
		{"county after the evaluation", "evaluated", villageCtx(countyAdmin), []string{"name"}},
		{"evaluator after the evaluation", "evaluated", schoolCtx(evaluator), nil},
		{"village officer while rectifying", "rectifying", villageCtx(villageOfficer), []string{"submit_rectification"}},
		{"county on a named unit", "named", villageCtx(countyAdmin), []string{"start_review"}},
		{"first review", "review_due", villageCtx(countyAdmin), []string{"pass_review", "fail_review"}},
		{"first review, failing sheet", "review_due", villageCtx(countyAdmin, evaluationFails), []string{"fail_review"}},
		{"second review", "review_due", villageCtx(countyAdmin, failedOnce), []string{"pass_review", "revoke"}},
		{"second review, failing sheet", "review_due", villageCtx(countyAdmin, failedOnce, evaluationFails), []string{"revoke"}},
		{"evaluator at a school's second review", "review_due", schoolCtx(evaluator, failedOnce), []string{"pass_review"}},
		{"viewer anywhere", "checked", villageCtx(viewer), nil},
		{"failed is final", "failed", villageCtx(countyAdmin), nil},
		{"revoked is final", "revoked", villageCtx(healthcell.SystemActor), nil},
		{"unknown state", "archived", villageCtx(countyAdmin), nil},
		{"system actor at the check", "applied", villageCtx(healthcell.SystemActor), []string{"return_for_rectification", "pass_check", "fail_check"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, tr := range m.Available(tc.state, tc.ctx) {
				got = append(got, tr.Action)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("Available(%s) = %v, want %v", tc.state, got, tc.want)
			}
		})
	}
}

// TestAvailableAgreesWithApply: every action Available lists is applied
// once the actor supplies a comment and items, and every other action
// from that state is refused.
func TestAvailableAgreesWithApply(t *testing.T) {
	m := creation(t)
	actors := []*healthcell.Actor{villageOfficer, otherVillageOfficer, townshipOfficer, otherTownshipOfficer,
		countyAdmin, otherCountyAdmin, department, evaluator, viewer, schoolContact, otherSchoolContact}
	facts := []func(*workflow.Context){func(*workflow.Context) {}, failedOnce, evaluationFails, selfSheetFails}
	for _, s := range m.States() {
		for _, a := range actors {
			for _, kind := range []func(*healthcell.Actor, ...func(*workflow.Context)) workflow.Context{villageCtx, schoolCtx} {
				for _, f := range facts {
					c := kind(a, f)
					avail := map[string]bool{}
					for _, tr := range m.Available(s.Code, c) {
						avail[tr.Action] = true
					}
					c.Comment, c.RectificationItems = "意见", 1
					for _, tr := range m.Transitions() {
						_, err := m.Apply(s.Code, tr.Action, c)
						if (err == nil) != avail[tr.Action] {
							t.Errorf("%s by %s (%s): Available lists %s: %v, Apply: %v", s.Code, a.Username, c.UnitKind, tr.Action, avail[tr.Action], err)
						}
					}
				}
			}
		}
	}
}
