package web

import (
	"strings"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/workflow"
)

// flow returns the creation workflow of the server's definitions (New
// refuses definitions without one).
func (s *Server) flow() *workflow.Machine { return s.cfg.Definitions.Creation }

// StateName is a workflow state's name in the page's language.
func (p Page) StateName(code string) string {
	st, ok := p.defs.Creation.State(code)
	if !ok {
		return code
	}
	if p.Lang == "en" {
		return st.En
	}
	return st.Zh
}

// ActionName is a workflow action's name (a button) in the page's language;
// "create" is the start of an application.
func (p Page) ActionName(action string) string {
	t, ok := p.defs.Creation.Transition(action)
	if !ok {
		return p.T("application.action." + action)
	}
	if p.Lang == "en" {
		return t.En
	}
	return t.Zh
}

// Clock is a time as day and minute in the campaign time zone (Asia/Shanghai).
func (p Page) Clock(t time.Time) string {
	return t.In(healthcell.CampaignLocation()).Format("2006-01-02 15:04")
}

// unitContext is the workflow context of a unit, to decide levels.
func unitContext(a *healthcell.Actor, kind, division, ref, department string) workflow.Context {
	return workflow.Context{Actor: a, UnitKind: kind, UnitDivision: division, UnitRef: ref, UnitDepartment: department}
}

// applicationContext is the workflow context of an application's unit and
// title (the title decides who names it).
func applicationContext(a *healthcell.Actor, app *healthcell.Application) workflow.Context {
	c := unitContext(a, app.UnitKind, app.Division, app.UnitRef, app.Department)
	c.CellType = app.CellType
	return c
}

// doneNotice is the notice key prefix of a workflow action just taken: the
// notice says what happened (已申报, 已通过初验), from the workflow file.
const doneNotice = "workflow.done."

// NoticeText returns the notice of the page in its language: the done text
// of a workflow action for a doneNotice, else the translation of the key;
// application.transition.done (已办理) when the action has no done text.
func (p Page) NoticeText() string {
	action, ok := strings.CutPrefix(p.Notice, doneNotice)
	if !ok {
		return p.T(p.Notice)
	}
	if t, ok := p.defs.Creation.Transition(action); ok {
		if p.Lang == "en" && t.DoneEn != "" {
			return t.DoneEn
		}
		if p.Lang != "en" && t.DoneZh != "" {
			return t.DoneZh
		}
	}
	return p.T("application.transition.done")
}
