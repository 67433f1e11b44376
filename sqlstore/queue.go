package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/workflow"
)

// Queue returns what waits for the caller, at most 500 of each: the
// applications in scope on which the workflow gives the caller's role and
// level an action (whether or not its guards hold yet: a self-assessment
// to finish waits too), the open items the caller's unit has to fix, the
// answered items the caller has to check, and the open items in scope past
// their deadline.
func (db *DB) Queue(ctx context.Context) (*healthcell.Queue, error) {
	actor, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	m, err := db.machine()
	if err != nil {
		return nil, err
	}
	q := &healthcell.Queue{Actions: map[int64][]string{}, Actionable: []*healthcell.Application{},
		ToFix: []*healthcell.Rectification{}, ToCheck: []*healthcell.Rectification{}, Overdue: []*healthcell.Rectification{}}
	// States from which the caller's role has any action.
	var states []string
	for _, t := range m.Transitions() {
		if actor.System || slices.Contains(t.Roles, actor.Role) {
			for _, s := range t.Sources {
				if !slices.Contains(states, s) {
					states = append(states, s)
				}
			}
		}
	}
	if len(states) > 0 {
		var args []any
		arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
		in := make([]string, len(states))
		for i, s := range states {
			in[i] = arg(s)
		}
		w := scopeWhere(actor, "a", arg) + " AND a.state IN (" + strings.Join(in, ", ") + ")"
		rows, err := db.r.QueryContext(ctx, `SELECT `+applicationColumns+applicationFrom+` WHERE `+w+` ORDER BY a.updated_at, a.id LIMIT 500`, args...)
		if err != nil {
			return nil, fmt.Errorf("queue: %w", err)
		}
		if err := eachRow(rows, func(rows *sql.Rows) error {
			a, err := scanApplication(rows)
			if err != nil {
				return err
			}
			c := workflow.Context{Actor: actor, UnitKind: a.UnitKind, UnitDivision: a.Division, UnitRef: a.UnitRef, UnitDepartment: a.Department, CellType: a.CellType}
			var acts []string
			for _, t := range m.Allowed(a.State, c) {
				acts = append(acts, t.Action)
			}
			if len(acts) > 0 {
				q.Actionable = append(q.Actionable, a)
				q.Actions[a.ID] = acts
			}
			return nil
		}); err != nil {
			return nil, err
		}
	}
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	scope := scopeWhere(actor, "r", arg)
	open, err := db.findRectificationsBy(ctx, scope+" AND r.state IN ('open', 'answered')", "r.deadline, r.id", args...)
	if err != nil {
		return nil, err
	}
	for _, r := range open {
		c := rectContext(actor, r, "")
		if r.UnitKind != "" && slices.Contains(healthcell.InstitutionKinds, r.UnitKind) {
			c.UnitDepartment = actor.Department // scopeWhere already kept a department officer to its own
		}
		switch {
		case r.State == healthcell.RectOpen && !actor.System && workflow.AtLevel(workflow.LevelSelf, c):
			q.ToFix = append(q.ToFix, r)
		case r.State == healthcell.RectAnswered && !actor.System && checker(actor) && workflow.AtLevel(workflow.Level(r.CheckerLevel), c):
			q.ToCheck = append(q.ToCheck, r)
		}
		if r.Overdue {
			q.Overdue = append(q.Overdue, r)
		}
	}
	if q.PlanTasks, err = db.overduePlanTasks(ctx, actor, 0); err != nil {
		return nil, err
	}
	return q, nil
}

// checker reports whether a role checks rectification answers at all.
func checker(a *healthcell.Actor) bool {
	return a.Role != healthcell.RoleVillage && a.Role != healthcell.RoleUnit && a.Role != healthcell.RoleViewer
}
