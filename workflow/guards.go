package workflow

import (
	"sort"

	"github.com/healthcell/healthcell"
)

// A guard is a condition a transition names in the file. Input guards check
// what the actor supplies with the action; Available does not evaluate them.
// Static guards check what never changes for an application (the level
// that names its title); Allowed leaves out a transition whose static guard
// fails, so nobody is shown a button that can never apply.
type guard struct {
	check  func(c Context) bool
	input  bool
	static bool
}

// guards are the conditions a workflow file may name. Adding one here (with
// its message "workflow.guard.<name>" in messages.md) makes it usable.
var guards = map[string]guard{
	// The self-assessment score sheet is complete and passes.
	"self_sheet_passed": {check: func(c Context) bool { return c.SelfSheetPassed }},
	// The campaign deadline has not passed (a zero Deadline is none; the
	// deadline itself still counts). With a deadline, Now must be set.
	"before_deadline": {check: func(c Context) bool {
		return c.Deadline.IsZero() || (!c.Now.IsZero() && !c.Now.After(c.Deadline))
	}},
	// A household applying for 健康家庭 has at least one resident member and
	// every resident member has a family-doctor contract in force (the
	// family standard's 基本条件 签约, read from the contracts register).
	// Any other kind of unit passes.
	"members_contracted": {check: func(c Context) bool {
		return c.UnitKind != "household" || (c.ResidentMembers > 0 && c.UncontractedMembers == 0)
	}},
	// The application is a household that was not drawn in its township's
	// sampling batch (抽查), and every household drawn passed its township
	// check sheet: it passes the check with the batch, without a sheet of
	// its own. The check-sheet guard of pass_check accepts this instead of
	// a sheet.
	"passed_by_sample": {check: func(c Context) bool { return c.PassedBySample }},
	// The township's check sheet (初验) is complete and passes, or the
	// household passed with its sampling batch (passed_by_sample).
	"check_sheet_passed": {check: func(c Context) bool { return c.CheckSheetPassed || c.PassedBySample }},
	// The title is named by the county (not listed in the file's
	// named_above): the county names it itself.
	"named_by_county": {static: true, check: func(c Context) bool { return c.NamingLevel == healthcell.LevelCounty }},
	// The title is named above the county (named_above, e.g. 卫生村 by the
	// city): the county's evaluation ends in a recommendation.
	"named_above_county": {static: true, check: func(c Context) bool {
		return c.NamingLevel >= healthcell.LevelProvince && c.NamingLevel < healthcell.LevelCounty
	}},
	// The assessment sheet of the office above the county (上级考核) is
	// complete and passes.
	"assessment_passed": {check: func(c Context) bool { return c.AssessmentPassed }},
	// The unit was not drawn in a sampling batch (抽查) of the office above
	// the county whose drawn units all passed its assessment, and has not
	// yet been named with it: it is named with the batch, without a sheet
	// of its own (the file's sampling pass_rest).
	"named_by_sample": {check: func(c Context) bool { return c.NamedBySample }},
	// The evaluation score sheet passes.
	"evaluation_passed": {check: func(c Context) bool { return c.EvaluationPassed }},
	// At least one rectification item is given with the action.
	"rectification_items": {input: true, check: func(c Context) bool { return c.RectificationItems > 0 }},
	// Every rectification item has been answered by the unit.
	"rectification_answered": {check: func(c Context) bool { return c.UnansweredRectifications == 0 }},
	// Every rectification item has been accepted by the checker.
	"rectification_accepted": {check: func(c Context) bool { return c.UnacceptedRectifications == 0 }},
	// No review has failed yet: a first failure gives a deadline to fix.
	"first_review_failure": {check: func(c Context) bool { return c.FailedReviews == 0 }},
	// A review has failed before, so this is the second failure: the title
	// is revoked (national rule: 复审不合格限期整改，整改后仍不合格撤销命名).
	"second_review_failure": {check: func(c Context) bool { return c.FailedReviews >= 1 }},
}

// GuardNames lists the guards a workflow file may name, sorted.
func GuardNames() []string {
	names := make([]string, 0, len(guards))
	for n := range guards {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
