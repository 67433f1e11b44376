package workflow

import (
	"slices"
	"strings"
	"time"

	"github.com/healthcell/healthcell"
)

// Level is where an actor stands relative to the unit an application is for.
type Level string

// The levels a transition may require; see the package documentation.
const (
	LevelSelf     Level = "self"     // the unit's own officer
	LevelTownship Level = "township" // the township covering the unit
	LevelCounty   Level = "county"   // the county, or its department or evaluator for institutions
	// LevelAbove is the office above the county that names the unit's
	// title (the file's named_above: a city or a province covering it).
	LevelAbove Level = "above"
)

// Levels lists the known levels.
var Levels = []Level{LevelSelf, LevelTownship, LevelCounty, LevelAbove}

// State is a state of the workflow.
type State struct {
	Code     string `json:"code"`
	Zh       string `json:"zh"`
	En       string `json:"en"`
	Terminal bool   `json:"terminal"`
	Initial  bool   `json:"initial"`
}

// Transition is an action declared in the file: from any of Sources to
// Destination, by one of Roles standing at one of the levels Levels gives
// for the source state (every source has at least one).
type Transition struct {
	Action          string             `json:"action"`
	Zh              string             `json:"zh"`
	En              string             `json:"en"`
	DoneZh          string             `json:"done_zh,omitempty"` // what a page says once it is done (已申报); optional
	DoneEn          string             `json:"done_en,omitempty"`
	Sources         []string           `json:"sources"`
	Destination     string             `json:"destination"`
	Roles           []healthcell.Role  `json:"roles"`
	Levels          map[string][]Level `json:"levels"`
	CommentRequired bool               `json:"comment_required"`
	Confirm         bool               `json:"confirm,omitempty"` // the web asks the user to confirm first (申报, 初验通过, 命名)
	Guards          []string           `json:"guards,omitempty"`
	// Batch: taken only by a sampling batch's decision (the file's
	// sampling pass_rest); Available and Allowed never offer it, and
	// Apply refuses it unless Context.ByBatch.
	Batch bool `json:"batch,omitempty"`
}

// Possible reports whether the transition may be taken from state.
func (t *Transition) Possible(state string) bool {
	return slices.Contains(t.Sources, state)
}

func (t *Transition) clone() Transition {
	c := *t
	c.Sources = slices.Clone(t.Sources)
	c.Roles = slices.Clone(t.Roles)
	c.Levels = make(map[string][]Level, len(t.Levels))
	for k, v := range t.Levels {
		c.Levels[k] = slices.Clone(v)
	}
	c.Guards = slices.Clone(t.Guards)
	return c
}

// Context is what a transition is decided on: who acts, on which unit, and
// the facts the guards read.
type Context struct {
	Actor        *healthcell.Actor
	UnitKind     string // village, community, household, school, hospital, agency, enterprise, …
	UnitDivision string // 12-digit code of the division the unit is in (a village's own code)
	UnitRef      string // the unit's id: a division code for villages, the unit id for institutions
	// UnitDepartment is the county department responsible for an
	// institution; a department officer stands at county level only for
	// the institutions of its own department.
	UnitDepartment string
	// CellType is the title applied for (卫生村, 健康村…): the file's
	// named_above says at which level it is named.
	CellType string
	// NamingLevel is the division level that names the title
	// (healthcell.LevelCounty, LevelCity or LevelProvince); the machine
	// fills it from CellType when it is 0.
	NamingLevel int

	Now      time.Time
	Deadline time.Time // the campaign's application deadline; zero when there is none

	SelfSheetPassed    bool // the self-assessment sheet is complete and passes
	EvaluationPassed   bool // the evaluation sheet passes
	CheckSheetPassed   bool // the township's check sheet (初验) passes
	AssessmentPassed   bool // the assessment sheet of the office above the county (上级考核) passes
	RectificationItems int  // rectification items given with this action
	FailedReviews      int  // reviews failed before this action, since the unit was named
	// Rectification items of the application not yet answered by the unit,
	// and not yet accepted by the checker.
	UnansweredRectifications int
	UnacceptedRectifications int
	Comment                  string

	// A household's resident (常住) members, and those of them without a
	// family-doctor contract in force today (guard members_contracted).
	ResidentMembers     int
	UncontractedMembers int
	// PassedBySample: a household not drawn in its sampling batch whose
	// drawn households all passed their township check (guard
	// passed_by_sample).
	PassedBySample bool
	// NamedBySample: a unit not drawn in a sampling batch of the office
	// above the county whose drawn units all passed its assessment, not
	// yet named with it (guard named_by_sample).
	NamedBySample bool
	// ByBatch: the step is taken by a sampling batch's decision, the only
	// way a transition marked batch may be taken.
	ByBatch bool
}

// Machine is a loaded workflow. It is immutable and safe for concurrent use.
type Machine struct {
	Code string
	Name string
	// ReviewYears is how often a named unit is reviewed when its standard
	// does not say (the standard's review_years wins); 0 for never.
	ReviewYears int

	initial     string
	namedAbove  map[string]int // cell type → division level that names it, above the county
	states      []State
	stateIdx    map[string]int
	transitions []Transition
	actionIdx   map[string]int
	sampling    *Sampling // the file's sampling block; nil when none
}

// NamingLevel returns the division level that names a title of cellType:
// healthcell.LevelCity or LevelProvince when the file's named_above lists
// it, else healthcell.LevelCounty.
func (m *Machine) NamingLevel(cellType string) int {
	if lv, ok := m.namedAbove[cellType]; ok {
		return lv
	}
	return healthcell.LevelCounty
}

// withNaming returns c with its NamingLevel filled from its CellType.
func (m *Machine) withNaming(c Context) Context {
	if c.NamingLevel == 0 {
		c.NamingLevel = m.NamingLevel(c.CellType)
	}
	return c
}

// Initial returns the state a new application starts in.
func (m *Machine) Initial() string { return m.initial }

// State returns the metadata of a state, and false when there is none.
func (m *Machine) State(code string) (State, bool) {
	i, ok := m.stateIdx[code]
	if !ok {
		return State{}, false
	}
	return m.states[i], true
}

// States lists the states in file order.
func (m *Machine) States() []State { return slices.Clone(m.states) }

// Transitions lists the transitions in file order.
func (m *Machine) Transitions() []Transition {
	out := make([]Transition, len(m.transitions))
	for i := range m.transitions {
		out[i] = m.transitions[i].clone()
	}
	return out
}

// Transition returns the transition of an action, and false when there is none.
func (m *Machine) Transition(action string) (Transition, bool) {
	i, ok := m.actionIdx[action]
	if !ok {
		return Transition{}, false
	}
	return m.transitions[i].clone(), true
}

// Available lists, in file order, the transitions the actor in c may take
// now from state: possible from it, allowed to the actor's role and level,
// and with every guard holding except those on what the actor has yet to
// enter (the comment and input guards such as rectification_items).
func (m *Machine) Available(state string, c Context) []Transition {
	c = m.withNaming(c)
	var out []Transition
	for i := range m.transitions {
		t := &m.transitions[i]
		if t.Batch || !t.Possible(state) || permit(t, state, c) != nil {
			continue
		}
		ok := true
		for _, g := range t.Guards {
			if gd := guards[g]; !gd.input && !gd.check(c) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, t.clone())
		}
	}
	return out
}

// Allowed lists, in file order, the transitions possible from state that
// the actor in c may take by role and level, whether or not their guards
// hold now: what waits for the actor, as a queue shows it. A transition
// marked batch (taken only by a sampling batch's decision), and one
// whose static guard fails (one on what never changes for the
// application, such as the level naming its title) is left out.
func (m *Machine) Allowed(state string, c Context) []Transition {
	c = m.withNaming(c)
	var out []Transition
	for i := range m.transitions {
		t := &m.transitions[i]
		if !t.Batch && t.Possible(state) && permit(t, state, c) == nil && staticGuardsHold(t, c) {
			out = append(out, t.clone())
		}
	}
	return out
}

// LevelFor returns the first level the transition of action requires from
// state, and "" when there is none.
func (m *Machine) LevelFor(action, state string) Level {
	i, ok := m.actionIdx[action]
	if !ok || len(m.transitions[i].Levels[state]) == 0 {
		return ""
	}
	return m.transitions[i].Levels[state][0]
}

// Apply decides action on an application in state and returns the next
// state. Its errors, in the order checked: EINVALID "workflow.state.unknown"
// or "workflow.action.unknown"; ECONFLICT "workflow.transition.invalid" when
// the action is not allowed from state; EFORBIDDEN "workflow.role.forbidden"
// or "workflow.level.forbidden", "workflow.batch.only" for a transition
// marked batch outside a batch's decision; EINVALID "workflow.comment.required", then
// "workflow.guard.<name>" for the first guard that fails.
func (m *Machine) Apply(state, action string, c Context) (next string, err error) {
	c = m.withNaming(c)
	if _, ok := m.stateIdx[state]; !ok {
		return "", fieldError(healthcell.EINVALID, MsgStateUnknown, "state", state)
	}
	i, ok := m.actionIdx[action]
	if !ok {
		return "", fieldError(healthcell.EINVALID, MsgActionUnknown, "action", action)
	}
	t := &m.transitions[i]
	if !t.Possible(state) {
		return "", healthcell.Errorf(healthcell.ECONFLICT, MsgTransitionInvalid)
	}
	if err := permit(t, state, c); err != nil {
		return "", err
	}
	if t.Batch && !c.ByBatch {
		return "", healthcell.Errorf(healthcell.EFORBIDDEN, MsgBatchOnly)
	}
	if t.CommentRequired && strings.TrimSpace(c.Comment) == "" {
		return "", fieldError(healthcell.EINVALID, MsgCommentRequired, "comment", "")
	}
	for _, g := range t.Guards {
		if !guards[g].check(c) {
			return "", fieldError(healthcell.EINVALID, MsgGuardPrefix+g, g, "")
		}
	}
	return t.Destination, nil
}

// fieldError is an error whose one field error repeats its message, so that
// a form can show it next to the field.
func fieldError(code, msg, field, value string) error {
	e := healthcell.Errorf(code, "%s", msg)
	if code == healthcell.EINVALID {
		e.Fields = []healthcell.FieldError{{Field: field, Message: msg, Value: value}}
	}
	return e
}

// permit checks the actor's role and level for taking t from state; the
// system actor passes both.
func permit(t *Transition, state string, c Context) error {
	a := c.Actor
	if a == nil {
		return healthcell.Errorf(healthcell.EFORBIDDEN, MsgRoleForbidden)
	}
	if a.System {
		return nil
	}
	if !slices.Contains(t.Roles, a.Role) {
		return healthcell.Errorf(healthcell.EFORBIDDEN, MsgRoleForbidden)
	}
	for _, l := range t.Levels[state] {
		if atLevel(a, l, c) {
			return nil
		}
	}
	return healthcell.Errorf(healthcell.EFORBIDDEN, MsgLevelForbidden)
}

// atLevel reports whether the actor stands at level l relative to the unit in c.
func atLevel(a *healthcell.Actor, l Level, c Context) bool {
	institution := slices.Contains(healthcell.InstitutionKinds, c.UnitKind)
	switch l {
	case LevelSelf:
		if institution {
			return a.Role == healthcell.RoleUnit && a.Unit != "" && a.Unit == c.UnitRef &&
				healthcell.Covers(a.Scope, c.UnitDivision)
		}
		return a.Role != healthcell.RoleUnit && healthcell.CodeLevel(c.UnitDivision) != 0 &&
			a.Scope == c.UnitDivision
	case LevelTownship:
		return healthcell.CodeLevel(a.Scope) == healthcell.LevelTownship &&
			healthcell.Covers(a.Scope, c.UnitDivision)
	case LevelCounty:
		if (a.Role == healthcell.RoleDepartment || a.Role == healthcell.RoleEvaluator) && !institution {
			return false
		}
		if a.Role == healthcell.RoleDepartment && (a.Department == "" || a.Department != c.UnitDepartment) {
			return false
		}
		lv := healthcell.CodeLevel(a.Scope)
		return lv >= healthcell.LevelProvince && lv <= healthcell.LevelCounty &&
			healthcell.Covers(a.Scope, c.UnitDivision)
	case LevelAbove:
		return c.NamingLevel < healthcell.LevelCounty && c.NamingLevel >= healthcell.LevelProvince &&
			healthcell.CodeLevel(a.Scope) == c.NamingLevel && healthcell.Covers(a.Scope, c.UnitDivision)
	}
	return false
}

// staticGuardsHold reports whether every static guard of t holds in c.
func staticGuardsHold(t *Transition, c Context) bool {
	for _, g := range t.Guards {
		if gd := guards[g]; gd.static && !gd.check(c) {
			return false
		}
	}
	return true
}

// AtLevel reports whether the actor in c stands at level l relative to the
// unit in c (see the package documentation); the system actor stands at
// every level.
func AtLevel(l Level, c Context) bool {
	if c.Actor == nil {
		return false
	}
	return c.Actor.System || atLevel(c.Actor, l, c)
}
