package main

import (
	"context"
	"strings"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/catalog/workflows"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestDemoMidCampaign: the demo county is mid-campaign — an application in
// every state, overdue rectifications, named villages and families, two
// inspections and two past bulletins — and a second build changes nothing.
func TestDemoMidCampaign(t *testing.T) {
	m, err := workflows.Creation()
	if err != nil {
		t.Fatal(err)
	}
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		dsn := db.DSN
		db.Close()
		for round := 1; round <= 2; round++ {
			if _, errs, err := run(t, dsn, "demo", "--build-only"); err != nil {
				t.Fatalf("demo: %v\n%s", err, errs)
			}
			db, err := sqlstore.Open(context.Background(), dsn, sqltest.Definitions(t))
			if err != nil {
				t.Fatal(err)
			}
			sys := sqltest.System()
			apps, total, err := db.FindApplications(sys, healthcell.ApplicationFilter{Limit: 500})
			if err != nil {
				t.Fatal(err)
			}
			states := map[string]int{}
			communities, sanitary := 0, 0
			for _, a := range apps {
				// A 社区 applies under 健康社区, a village under 健康村 or
				// 卫生村 (named by the city, so recommended by the county).
				if a.StandardCode == "sanitary-village" {
					sanitary++
					if a.UnitKind != "village" || (a.State != "evaluated" && a.State != "recommended") {
						t.Errorf("round %d: 卫生村 %s (%s) in %s", round, a.UnitName, a.UnitKind, a.State)
					}
				} else if a.UnitKind == "community" || a.UnitKind == "village" {
					want := "healthy-village"
					if strings.Contains(a.UnitName, "社区") {
						want = "healthy-community"
						communities++
					}
					if a.StandardCode != want {
						t.Errorf("round %d: %s applies under %s, want %s", round, a.UnitName, a.StandardCode, want)
					}
				}
				states[a.State+"/"+a.UnitKind]++
				states[a.State]++
			}
			for _, st := range m.States() {
				if states[st.Code] == 0 {
					t.Errorf("round %d: no application in %s", round, st.Code)
				}
			}
			if communities == 0 || sanitary != 2 {
				t.Errorf("round %d: %d 社区 and %d 卫生村 apply", round, communities, sanitary)
			}
			if states["named/household"] != 3 || states["checked/school"] != 1 || total != 19 {
				t.Errorf("round %d: %d applications: %v", round, total, states)
			}
			over, err := db.FindRectifications(sys, "overdue")
			if err != nil || len(over) == 0 {
				t.Errorf("round %d: %d overdue items, %v", round, len(over), err)
			}
			cs, _ := db.FindCampaigns(sys)
			bs, _ := db.FindBulletins(sys, 0)
			ins, _ := db.FindInspections(sys)
			if len(cs) != 1 || len(bs) != 2 || len(ins) != 2 {
				t.Errorf("round %d: %d campaigns, %d bulletins, %d inspections", round, len(cs), len(bs), len(ins))
			}
			// The education bureau's account evaluates its school.
			u, err := db.FindUserByUsername(sys, "jiaoyu")
			if err != nil || u.Department != "县教科体局" {
				t.Fatalf("jiaoyu: %+v %v", u, err)
			}
			q, err := db.Queue(healthcell.WithActor(context.Background(), healthcell.ActorOf(u)))
			if err != nil || len(q.Actionable) != 1 || q.Actionable[0].UnitKind != "school" {
				t.Errorf("jiaoyu's queue: %+v %v", q, err)
			}
			db.Close()
		}
		out, errs, err := run(t, dsn, "user", "add", "--username", "weijian", "--password", "secret-123", "--role", "department",
			"--scope", "510824", "--department", "县卫健局")
		if err != nil || !strings.Contains(out, "added weijian") {
			t.Fatalf("user add --department: %v %s %s", err, out, errs)
		}
	})
}
