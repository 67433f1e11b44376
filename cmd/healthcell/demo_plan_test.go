package main

import (
	"context"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestDemoPlan: the demo campaign has seed 001's plan, published, with
// tasks in every state, and a second build leaves it as it was.
func TestDemoPlan(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		dsn := db.DSN
		db.Close()
		version := 0
		for round := 1; round <= 2; round++ {
			if _, errs, err := run(t, dsn, "demo", "--build-only"); err != nil {
				t.Fatalf("demo: %v\n%s", err, errs)
			}
			db, err := sqlstore.Open(context.Background(), dsn, sqltest.Definitions(t))
			if err != nil {
				t.Fatal(err)
			}
			sys := sqltest.System()
			cs, _ := db.FindCampaigns(sys)
			p, err := db.FindPlan(sys, cs[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			if p.State != healthcell.PlanPublished || p.Goals[0].Value != 75 || p.Goals[1].Value != 85 || len(p.Tasks) != 8 || len(p.Pilots) == 0 || p.Budget[0].Spent != 40000 {
				t.Fatalf("round %d: plan %+v", round, p)
			}
			if version != 0 && p.Version != version {
				t.Fatalf("round %d: the plan changed (version %d → %d)", round, version, p.Version)
			}
			version = p.Version
			g, err := db.PlanProgress(sys, cs[0].ID, "")
			if err != nil {
				t.Fatal(err)
			}
			if g.Tasks.Done != 2 || g.Tasks.InProgress != 2 || g.Tasks.Overdue != 2 || g.Tasks.NotStarted != 2 {
				t.Errorf("round %d: tasks %+v", round, g.Tasks)
			}
			if len(g.Totals) != 2 || g.Totals[0].Target == 0 || g.Totals[1].Target == 0 {
				t.Errorf("round %d: totals %+v", round, g.Totals)
			}
			if c, _ := db.FindCampaign(sys, cs[0].ID); c.Deadline != p.ApplicationsDeadline() {
				t.Errorf("round %d: deadline %s, plan %s", round, c.Deadline, p.ApplicationsDeadline())
			}
			db.Close()
		}
	})
}
