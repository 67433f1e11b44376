package sqlstore_test

import (
	"context"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestUpperBulletin: the city office's bulletin ranks its two counties by
// namings against the campaigns' targets of the year, as a county's ranks
// its townships; only the city office issues it; the city's officers and
// the province read it, the counties and another city do not; a county
// officer still sees nothing of its neighbour county's bulletins.
func TestUpperBulletin(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFlow(t, db)
		sqltest.LoadNeighbour(t, db)
		sys := sqltest.System()
		// 苍溪县: one named of 5 targeted, one applied.
		f.inState(t, "village", sqltest.Village, "named")
		f.inState(t, "village", sqltest.Village2, "applied")
		// 朝天区: a campaign of its own, two named of 2 targeted.
		ct := &healthcell.Campaign{Division: sqltest.NeighbourCounty, Year: 2026, Name: "朝天区2026年健康细胞创建", Deadline: "2026-08-15",
			Targets: []healthcell.CampaignTarget{{Township: "510812100000", Target: 2}}}
		if err := db.CreateCampaign(sys, ct); err != nil {
			t.Fatal(err)
		}
		for _, v := range []string{sqltest.NeighbourVillage, "510812100002"} {
			a := f.newAppIn(t, sys, ct.ID, "village", v)
			f.sheet(t, a, healthcell.SheetSelf, true)
			f.sheet(t, a, healthcell.SheetCheck, true)
			f.sheet(t, a, healthcell.SheetEvaluation, true)
			for _, step := range []string{"apply", "pass_check", "evaluate_pass", "name"} {
				a = f.step(t, a, step)
			}
		}
		// The public lists: a city's holds every county's named units, a
		// county's only its own.
		for code, want := range map[string]int{sqltest.City: 3, sqltest.Province: 3, sqltest.County: 1, sqltest.NeighbourCounty: 2, farCity: 0} {
			list, err := db.FindNamedUnits(context.Background(), code)
			if err != nil || len(list) != want {
				t.Errorf("named units of %s: %d, %v; want %d", code, len(list), err, want)
			}
			for _, a := range list {
				if !healthcell.Covers(code, a.Division) {
					t.Errorf("the list of %s names %s of %s", code, a.UnitName, a.Division)
				}
			}
		}
		if _, err := db.FindNamedUnits(context.Background(), sqltest.Township); healthcell.ErrorCode(err) != healthcell.ENOTFOUND {
			t.Errorf("a township's list: %v, want ENOTFOUND", err)
		}
		// A county bulletin of each, for the scope checks below.
		cangxiB, err := db.IssueBulletin(ctxCangxi, f.camp.ID)
		if err != nil {
			t.Fatal(err)
		}
		chaotianB, err := db.IssueBulletin(ctxChaotian, ct.ID)
		if err != nil {
			t.Fatal(err)
		}

		refused := []struct {
			name     string
			ctx      context.Context
			division string
			year     int
			code     string
		}{
			{"a county office", ctxCangxi, sqltest.City, 2026, healthcell.EFORBIDDEN},
			{"a county office for its own county", ctxCangxi, sqltest.County, 2026, healthcell.EFORBIDDEN},
			{"the city's evaluator", ctxCityEvaluator, sqltest.City, 2026, healthcell.EFORBIDDEN},
			{"another city's officer", ctxFarCity, sqltest.City, 2026, healthcell.EFORBIDDEN},
			{"the province for a city", ctxProvince, sqltest.City, 2026, healthcell.EFORBIDDEN},
			{"a year without campaigns", ctxCityAdmin, sqltest.City, 2025, healthcell.EINVALID},
			{"the system for a county", sys, sqltest.County, 2026, healthcell.ENOTFOUND},
		}
		for _, r := range refused {
			if _, err := db.IssueUpperBulletin(r.ctx, r.division, r.year); healthcell.ErrorCode(err) != r.code {
				t.Errorf("%s: IssueUpperBulletin = %v, want %s", r.name, err, r.code)
			}
		}

		b, err := db.IssueUpperBulletin(ctxCityAdmin, sqltest.City, 2026)
		if err != nil {
			t.Fatal(err)
		}
		if b.Number != 1 || b.Year != 2026 || b.Division != sqltest.City || b.CampaignID != 0 || len(b.Rows) != 2 {
			t.Fatalf("city bulletin: %+v", b)
		}
		first, second := b.Rows[0], b.Rows[1]
		if first.Township != sqltest.NeighbourCounty || first.Name != "朝天区" || first.Rank != 1 || first.Named != 2 || first.Target != 2 || first.Rate != 100 {
			t.Errorf("first row %+v, want 朝天区 2 of 2", first)
		}
		if second.Township != sqltest.County || second.Name != "苍溪县" || second.Named != 1 || second.Applied != 2 || second.Applications != 2 || second.Target != 5 || second.Rate != 20 {
			t.Errorf("second row %+v, want 苍溪县 1 of 5", second)
		}
		if b.Total.Named != 3 || b.Total.Target != 7 || b.Total.Applications != 4 {
			t.Errorf("total %+v", b.Total)
		}
		if again, err := db.IssueUpperBulletin(ctxCityAdmin, sqltest.City, 2026); err != nil || again.Number != 2 {
			t.Errorf("second city bulletin: %v, %v", again, err)
		}

		reads := []struct {
			name string
			ctx  context.Context
			id   int64
			want bool
		}{
			{"city office: its bulletin", ctxCityAdmin, b.ID, true},
			{"city evaluator: the city's bulletin", ctxCityEvaluator, b.ID, true},
			{"province: the city's bulletin", ctxProvince, b.ID, true},
			{"county: its city's bulletin", ctxCangxi, b.ID, false},
			{"neighbour viewer: the city's bulletin", ctxChaotianViewer, b.ID, false},
			{"another city: the city's bulletin", ctxFarCity, b.ID, false},
			{"city: a county's bulletin", ctxCityAdmin, cangxiB.ID, true},
			{"county: its neighbour's bulletin", ctxCangxi, chaotianB.ID, false},
			{"neighbour: 苍溪's bulletin", ctxChaotian, cangxiB.ID, false},
			{"another city: a county's bulletin", ctxFarCity, cangxiB.ID, false},
		}
		for _, r := range reads {
			_, err := db.FindBulletin(r.ctx, r.id)
			if r.want && err != nil || !r.want && healthcell.ErrorCode(err) != healthcell.ENOTFOUND {
				t.Errorf("%s: FindBulletin = %v, want found %v", r.name, err, r.want)
			}
			list, err := db.FindBulletins(r.ctx, 0)
			if err != nil {
				t.Fatal(err)
			}
			listed := false
			for _, x := range list {
				if x.ID == r.id {
					listed = true
					if x.ID == b.ID && (x.Year != 2026 || x.CampaignID != 0 || x.CampaignName != "") {
						t.Errorf("%s: listed as %+v", r.name, x)
					}
				}
			}
			if listed != r.want {
				t.Errorf("%s: listed %v, want %v", r.name, listed, r.want)
			}
		}
	})
}
