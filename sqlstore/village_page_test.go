package sqlstore_test

import (
	"context"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestFindVillagePage follows a village's cached page through the writes
// that change what it shows: a new household, a head's new name, a
// household moving away, a renamed village; and checks who may read it.
func TestFindVillagePage(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		sqltest.LoadDivisions(t, db)
		sys := sqltest.System()
		h1 := sqltest.Household(t, db, sqltest.Village, "A-001")
		p1 := sqltest.Person(t, db, h1, "张三", sqltest.ID(t, "1970-01-01", 2), "户主")
		page := func() *healthcell.VillagePage {
			t.Helper()
			p, err := db.FindVillagePage(sys, sqltest.Village, 0, 50)
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		heads := func(p *healthcell.VillagePage) map[string]string {
			out := map[string]string{}
			for _, h := range p.Households {
				out[h.Number] = h.HeadName
			}
			return out
		}
		if p := page(); p.Total != 1 || heads(p)["A-001"] != "张三" || p.Division.Persons != 1 {
			t.Fatalf("start: total %d, heads %v, persons %d", p.Total, heads(p), p.Division.Persons)
		}
		// The caller changes its copy: the next page is as stored.
		p := page()
		p.Households[0].HeadName, p.Division.Name, p.Total = "改了", "改了", 99
		if p := page(); p.Households[0].HeadName != "张三" || p.Division.Name == "改了" || p.Total != 1 {
			t.Errorf("a caller's change reached the cache: %+v", p)
		}

		h2 := sqltest.Household(t, db, sqltest.Village, "A-002")
		if p := page(); p.Total != 2 || len(p.Households) != 2 {
			t.Errorf("after a new household: total %d, %d rows", p.Total, len(p.Households))
		}
		pp := mustPerson(t, db, p1.ID)
		pp.Name = "张三丰"
		if err := db.UpdatePerson(sys, pp); err != nil {
			t.Fatal(err)
		}
		if got := heads(page())["A-001"]; got != "张三丰" {
			t.Errorf("after the head's new name: %q", got)
		}
		moved, err := db.FindHousehold(sys, h2.ID)
		if err != nil {
			t.Fatal(err)
		}
		moved.VillageCode = sqltest.Village2
		if err := db.UpdateHousehold(sys, moved); err != nil {
			t.Fatal(err)
		}
		if p := page(); p.Total != 1 || heads(p)["A-002"] != "" {
			t.Errorf("after a household moved away: total %d, heads %v", p.Total, heads(p))
		}
		if _, err := db.LoadDivisions(sys, []healthcell.Division{{Code: sqltest.Village, Name: "新名村", Level: healthcell.LevelVillage, Parent: sqltest.Township}}); err != nil {
			t.Fatal(err)
		}
		if p := page(); p.Division.Name != "新名村" {
			t.Errorf("after a rename: %q", p.Division.Name)
		}

		for _, tc := range []struct {
			name string
			ctx  context.Context
			code string
			ok   bool
		}{
			{"its village officer", ctxVillageA, sqltest.Village, true},
			{"its township", ctxTownship, sqltest.Village, true},
			{"another village's officer", ctxVillageB, sqltest.Village, false},
			{"a unit contact", ctxUnit, sqltest.Village, false},
			{"a township code", sys, sqltest.Township, false},
		} {
			_, err := db.FindVillagePage(tc.ctx, tc.code, 0, 50)
			if (err == nil) != tc.ok || !tc.ok && healthcell.ErrorCode(err) != healthcell.ENOTFOUND {
				t.Errorf("%s: %v", tc.name, err)
			}
		}
	})
}
