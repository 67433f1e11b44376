package sqlstore_test

import (
	"testing"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestBulletins: a bulletin ranks townships by namings against targets,
// counts overdue items, and stays as issued when the data change.
func TestBulletins(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFlow(t, db)
		mk := func(ref, state string) *healthcell.Application {
			a := f.newApp(t, sqltest.System(), "village", ref)
			f.sheet(t, a, healthcell.SheetSelf, true)
			f.sheet(t, a, healthcell.SheetCheck, true)
			f.sheet(t, a, healthcell.SheetEvaluation, true)
			for _, step := range map[string][]string{
				"self_assessment": nil,
				"applied":         {"apply"},
				"named":           {"apply", "pass_check", "evaluate_pass", "name"},
			}[state] {
				a = f.step(t, a, step)
			}
			return a
		}
		mk(sqltest.Village, "named")
		mk(sqltest.Village2, "applied")
		t2 := mk(VillageT2, "applied")
		f.step(t, t2, "return_for_rectification", oneItemDue("2026-05-05"))

		_, err := db.IssueBulletin(ctxTownship, f.camp.ID)
		wantCode(t, err, healthcell.EFORBIDDEN)
		f.at(time.Date(2026, 5, 6, 1, 0, 0, 0, time.UTC))
		// Everybody of township 1 is insured for 2026: 基本医疗保险参保率 is met
		// there and not in township 2.
		h1, h2 := sqltest.Household(t, db, sqltest.Village, "B-001"), sqltest.Household(t, db, VillageT2, "B-002")
		sqltest.Person(t, db, h2, "赵六", sqltest.ID(t, "1990-06-07", 51), "户主")
		for _, p := range []*healthcell.Person{
			sqltest.Person(t, db, h1, "张三", sqltest.ID(t, "1949-12-31", 2), "户主"),
			sqltest.Person(t, db, h1, "李四", sqltest.ID(t, "1975-02-03", 12), "配偶"),
		} {
			if _, err := db.CreateEntry(ctxCounty, healthcell.EntryInput{Register: "insurance", PersonID: p.ID,
				Fields: map[string]string{"year": "2026", "scheme": "resident"}}); err != nil {
				t.Fatal(err)
			}
		}
		b, err := db.IssueBulletin(ctxCounty, f.camp.ID)
		if err != nil {
			t.Fatal(err)
		}
		if r1, r2 := b.Rows[0], b.Rows[1]; r1.IndicatorsTargeted == 0 || r1.IndicatorsMet <= r2.IndicatorsMet || b.Total.IndicatorsTargeted == 0 {
			t.Errorf("indicator attainment: township 1 %d/%d, township 2 %d/%d, county %d/%d", r1.IndicatorsMet, r1.IndicatorsTargeted,
				r2.IndicatorsMet, r2.IndicatorsTargeted, b.Total.IndicatorsMet, b.Total.IndicatorsTargeted)
		}
		if b.Number != 1 || len(b.Rows) < 2 {
			t.Fatalf("bulletin %+v", b)
		}
		first, second := b.Rows[0], b.Rows[1]
		if first.Township != sqltest.Township || first.Rank != 1 || first.Named != 1 || first.Applications != 2 || first.Target != 3 || first.Rate != 33.3 {
			t.Fatalf("first row %+v", first)
		}
		if second.Township != sqltest.Township2 || second.Rectifying != 1 || second.Overdue != 1 || second.Named != 0 {
			t.Fatalf("second row %+v", second)
		}
		if b.Total.Named != 1 || b.Total.Applications != 3 || b.Total.Overdue != 1 || len(b.Overdue) != 1 {
			t.Fatalf("total %+v", b.Total)
		}
		// Later changes do not touch the stored bulletin.
		mk("510824100003", "named")
		b2, err := db.IssueBulletin(ctxCounty, f.camp.ID)
		if err != nil || b2.Number != 2 || b2.Rows[0].Named != 2 {
			t.Fatalf("second bulletin %+v %v", b2, err)
		}
		again, err := db.FindBulletin(ctxViewer, b.ID)
		if err != nil || again.Rows[0].Named != 1 || again.Number != 1 {
			t.Fatalf("stored bulletin changed: %+v %v", again, err)
		}
		list, err := db.FindBulletins(ctxViewer, f.camp.ID)
		if err != nil || len(list) != 2 || list[0].Number != 2 {
			t.Fatalf("list %+v %v", list, err)
		}
		// The schedule: every 15 days from the last one.
		n, err := db.IssueDueBulletins(sqltest.System())
		if err != nil || n != 0 {
			t.Fatalf("due today: %d %v", n, err)
		}
		f.at(time.Date(2026, 5, 20, 16, 0, 0, 0, time.UTC)) // 21 May in Shanghai: 15 days after 6 May
		n, err = db.IssueDueBulletins(sqltest.System())
		if err != nil || n != 1 {
			t.Fatalf("due after 15 days: %d %v", n, err)
		}
		list, _ = db.FindBulletins(ctxCounty, 0)
		if len(list) != 3 || list[0].IssuedOn != "2026-05-21" {
			t.Fatalf("scheduled: %+v", list[0])
		}
	})
}

// TestNamedUnits: the public list shows named units of a county, not
// those revoked or still in progress, and needs no actor.
func TestNamedUnits(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFlow(t, db)
		named := f.inState(t, "village", sqltest.Village, "named")
		f.inState(t, "village", sqltest.Village2, "revoked")
		f.inState(t, "village", VillageT2, "evaluated")
		list, err := db.FindNamedUnits(ctxNone, sqltest.County)
		if err != nil || len(list) != 1 || list[0].ID != named.ID || list[0].CertificateNo == "" || list[0].CreatedBy != "" {
			t.Fatalf("named: %+v %v", list, err)
		}
		_, err = db.FindNamedUnits(ctxNone, sqltest.Township)
		wantCode(t, err, healthcell.ENOTFOUND)
	})
}
