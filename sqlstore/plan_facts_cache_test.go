package sqlstore_test

import (
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestPlanProgressFollowsWrites checks that the plan progress counts and the
// village lists kept in memory follow an application, a new village and a
// renamed one at once: each read below comes after a read of the same thing.
func TestPlanProgressFollowsWrites(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFlow(t, db)
		sys := sqltest.System()
		p := testPlan(f)
		p.State = healthcell.PlanPublished
		if err := db.SavePlan(sys, p); err != nil {
			t.Fatal(err)
		}
		ling := func() healthcell.GoalProgress {
			t.Helper()
			_, _, g, err := db.FindPlanProgress(sys, f.camp.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range g.Rows {
				if r.Township == sqltest.Township {
					return r
				}
			}
			t.Fatalf("no row of %s in %+v", sqltest.Township, g.Rows)
			return healthcell.GoalProgress{}
		}
		villages := func() map[string]string {
			t.Helper()
			vs, err := db.FindVillages(sys, sqltest.Township)
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]string{}
			for _, v := range vs {
				out[v.Code] = v.Name
			}
			return out
		}
		before, names := ling(), villages()
		n := len(names) // villages and communities
		if before.Eligible != 18 || before.InProgress != 0 || n == 0 {
			t.Fatalf("before: %+v, %d villages", before, len(names))
		}
		a := f.newApp(t, sys, "village", planVillages[2])
		f.sheet(t, a, healthcell.SheetSelf, true)
		f.step(t, a, "apply")
		if got := ling(); got.InProgress != 1 || got.Eligible != 18 {
			t.Fatalf("after applying: %+v", got)
		}
		added := sqltest.Township[:9] + "298"
		renamed := planVillages[0]
		if _, err := db.LoadDivisions(sys, []healthcell.Division{{Code: added, Name: "新添村委会"}, {Code: renamed, Name: "改名村委会"}}); err != nil {
			t.Fatal(err)
		}
		if got := ling(); got.Eligible != 19 || got.InProgress != 1 {
			t.Fatalf("after a new village: %+v", got)
		}
		names = villages()
		if len(names) != n+1 || names[added] != "新添村委会" || names[renamed] != "改名村委会" {
			t.Fatalf("villages after the load: %v", names)
		}
	})
}
