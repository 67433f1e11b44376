// Package workflow is the creation workflow of a healthy-cell application as
// data: a state machine read from a YAML file (the shipped one is
// catalog/workflows/creation.yaml), in the manner of a declared-transition
// state machine — each transition names its source states and its one
// destination, and applying it from any other state is an error.
//
// The package is pure: it decides whether an actor may take an action on an
// application in a given state and what the next state is. Recording who,
// when and why, the certificate number, the rectification items and
// deadlines is the caller's.
//
// # The file
//
//	code: creation                  # optional, names the workflow
//	name: 健康细胞创建流程            # optional
//	initial: self_assessment        # required: the state a new application is in
//	review_years: 3                 # optional: review a named unit every N years when its
//	                                # standard gives no review_years (0: never)
//	states:
//	  - code: applied               # required, [a-z][a-z0-9_]*, unique
//	    zh: 已申报                   # required
//	    en: Applied                 # required
//	    terminal: false             # a terminal state has no way out
//	transitions:
//	  - action: apply               # required, [a-z][a-z0-9_]*, unique
//	    zh: 申报                     # required: the button
//	    en: Apply                   # required
//	    done_zh: 已申报              # optional: the notice once done (else 已办理)
//	    done_en: Applied            # optional
//	    from: [self_assessment]     # required: the source states (a list or one)
//	    to: applied                 # required: the destination
//	    roles: [village, unit]      # required: healthcell roles allowed
//	    level: self                 # required: self, township, county (a list or one),
//	                                # or per source: {applied: township, checked: county}
//	    comment: required           # optional: required or optional (the default)
//	    confirm: true               # optional: the web asks for confirmation first
//	    guards: [self_sheet_passed] # optional: names registered in this package
//	    batch: false                # optional: taken only by a sampling batch's decision
//	                                # (must be sampling's pass_rest); never offered alone
//	sampling:                       # optional: 抽查 by an office above the county
//	  from: recommended             # the state of the units a batch is drawn from
//	  roles: [city_admin]           # who draws and decides; allowed each action below
//	  percent: 30                   # the share drawn when none is stated (1–100)
//	  pass: name_above              # a drawn unit whose own sheet passed
//	  pass_rest: pass_with_batch    # a unit not drawn, when every drawn one passed (batch: true)
//	  fail: return_recommendation   # a drawn unit whose sheet failed (with the reason)
//
// Load rejects unknown keys, unknown states, roles, levels and guards,
// duplicate state and action codes, transitions out of a terminal state,
// per-source levels for a state that is not a source or missing for one,
// states that cannot be reached from the initial one and non-terminal states
// with no way out, each as a healthcell.FieldError with the line in Row.
//
// # Who may act
//
// An action is allowed when the application is in one of its source states
// (else ECONFLICT "workflow.transition.invalid"), the actor's role is one of
// its roles (else EFORBIDDEN "workflow.role.forbidden"), the actor stands at
// one of its levels for that source state relative to the unit (else EFORBIDDEN
// "workflow.level.forbidden"), a comment is given where one is required
// (else EINVALID "workflow.comment.required") and every guard holds (else
// EINVALID "workflow.guard.<name>" for the first that fails). The system
// actor skips the role and level checks, not the others.
//
// The levels:
//
//   - self: the unit's own officer. For an institution (healthcell.InstitutionKinds)
//     a unit contact whose Unit is the UnitRef and whose scope covers the unit's
//     division; for a village, community or household, an officer other than a
//     unit contact whose scope is exactly UnitDivision (the village).
//   - township: an actor whose scope is the township covering UnitDivision.
//   - county: an actor whose scope is a county (or a wider division) covering
//     UnitDivision; roles department and evaluator stand at this level only
//     for institutions, and a department officer only for those of its own
//     department (Actor.Department equal to UnitDepartment).
//
// Guards are Go functions registered by name (see guards.go). Some check what
// the actor supplies with the action rather than the facts of the
// application (rectification_items); Available skips those, as it skips the
// comment, since the actor has not entered them yet. Apply checks all.
package workflow
