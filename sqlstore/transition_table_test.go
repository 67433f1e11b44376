package sqlstore_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/catalog/workflows"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
	"github.com/healthcell/healthcell/workflow"
)

// position is where an actor stands relative to the unit under test (a
// village of township 1, or the school in it).
type position struct {
	name  string
	scope string
	self  bool // the unit's own scope
}

var positions = []position{
	{"self", sqltest.Village, true},
	{"township", sqltest.Township, false},
	{"county", sqltest.County, false},
	{"other village", sqltest.Village2, false},
	{"other township", sqltest.Township2, false},
}

// TestTransitionTable tries every (state, action, role, position) on a
// village's and a school's application, on both engines: the step
// succeeds exactly when the workflow file declares it for that state, role
// and level (with every guard holding in the fixture, except that the
// first failed review does not allow revoking and a 健康村, named by the
// county, has nothing to recommend), and is refused otherwise with the
// right code, changing nothing. The roles above the county and the state
// a recommendation leads to are tried in tiers_test.go.
func TestTransitionTable(t *testing.T) {
	m, err := workflows.Creation()
	if err != nil {
		t.Fatal(err)
	}
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFlow(t, db)
		tried, succeeded := 0, 0
		var roles []healthcell.Role
		for _, r := range healthcell.Roles {
			if !r.Upper() {
				roles = append(roles, r)
			}
		}
		var states []workflow.State
		for _, st := range m.States() {
			if st.Code != "recommended" {
				states = append(states, st)
			}
		}
		for _, kind := range []string{"village", "school"} {
			ref := sqltest.Village
			if kind == "school" {
				ref = f.schoolID
			}
			institution := kind == "school"
			for _, st := range states {
				app := f.inState(t, kind, ref, st.Code)
				for _, tr := range m.Transitions() {
					for _, role := range roles {
						for _, pos := range positions {
							actor := &healthcell.Actor{UserID: 7, Username: "u-" + string(role), Role: role, Scope: pos.scope}
							if role == healthcell.RoleUnit {
								actor.Unit = "999999"
								if pos.self {
									actor.Unit = f.schoolID
								}
							}
							if role == healthcell.RoleDepartment {
								actor.Department = "县教科体局"
							}
							// Readable: in scope; a unit contact its own unit only; a department its institutions.
							readable := pos.name == "self" || pos.name == "township" || pos.name == "county"
							switch role {
							case healthcell.RoleUnit:
								readable = readable && institution && pos.self
							case healthcell.RoleDepartment:
								readable = readable && institution
							}
							// The level the position stands at.
							var level workflow.Level
							switch pos.name {
							case "self":
								if institution == (role == healthcell.RoleUnit) {
									level = workflow.LevelSelf
								}
							case "township":
								level = workflow.LevelTownship
							case "county":
								if institution || (role != healthcell.RoleDepartment && role != healthcell.RoleEvaluator) {
									level = workflow.LevelCounty
								}
							}
							possible := slices.Contains(tr.Sources, st.Code)
							roleOK := slices.Contains(tr.Roles, role)
							levelOK := level != "" && slices.Contains(tr.Levels[st.Code], level)
							// The fixture has no failed review yet, and its title is named by the county.
							guardOK := tr.Action != "revoke" && tr.Action != "recommend"
							want := ""
							switch {
							case !readable:
								want = healthcell.ENOTFOUND
							case !possible:
								want = healthcell.ECONFLICT
							case !roleOK || !levelOK:
								want = healthcell.EFORBIDDEN
							case !guardOK:
								want = healthcell.EINVALID
							}
							req := healthcell.TransitionRequest{Action: tr.Action, Comment: "意见", Version: app.Version}
							if slices.Contains(tr.Guards, "rectification_items") {
								req.Rectifications = []healthcell.RectificationInput{oneItem}
							}
							ctx := healthcell.WithActor(context.Background(), actor)
							got, err := db.Transition(ctx, app.ID, req)
							tried++
							what := fmt.Sprintf("%s %s: %s by %s at %s", kind, st.Code, tr.Action, role, pos.name)
							if code := healthcell.ErrorCode(err); code != want {
								t.Errorf("%s: error %q, want %q (%v)", what, code, want, err)
							}
							if err != nil {
								cur, ferr := db.FindApplication(sqltest.System(), app.ID)
								if ferr != nil || cur.State != app.State || cur.Version != app.Version {
									t.Fatalf("%s: refused but changed: %+v %v", what, cur, ferr)
								}
								continue
							}
							succeeded++
							if got.State != tr.Destination {
								t.Errorf("%s: state %s, want %s", what, got.State, tr.Destination)
							}
							app = f.inState(t, kind, ref, st.Code) // a fresh one for the next combination
						}
					}
				}
			}
		}
		if succeeded == 0 || tried != 2*len(states)*len(m.Transitions())*len(roles)*len(positions) {
			t.Fatalf("tried %d, succeeded %d", tried, succeeded)
		}
		t.Logf("%d combinations, %d transitions taken", tried, succeeded)
	})
}
