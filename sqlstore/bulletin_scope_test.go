package sqlstore_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestBulletinScope: a stored bulletin shows each reader the overdue items
// of the units it may see, and a household head's name only to those who
// see personal data in that village; the issued record stays whole.
func TestBulletinScope(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newFamWorld(t, db)
		f := w.flow
		sys := sqltest.System()
		due := func(a *healthcell.Application, code string) {
			f.step(t, a, "return_for_rectification", healthcell.RectificationInput{ItemCode: code, Text: "整改" + a.UnitKind, Deadline: "2026-05-05"})
		}
		for _, kind := range []string{"village", "school"} {
			ref := sqltest.Village
			if kind == "school" {
				ref = ""
			}
			a := f.newApp(t, sys, kind, ref)
			for _, k := range []string{healthcell.SheetSelf, healthcell.SheetCheck, healthcell.SheetEvaluation} {
				f.sheet(t, a, k, true)
			}
			due(f.step(t, a, "apply"), "1")
		}
		hid := w.appliedFamilies(t, VillageT2, 1)[0]
		home, err := db.FindApplication(sys, hid)
		if err != nil {
			t.Fatal(err)
		}
		head := home.UnitName[strings.Index(home.UnitName, "（")+len("（") : len(home.UnitName)-len("）")]
		if head == "" {
			t.Fatalf("household unit name %q has no head", home.UnitName)
		}
		due(home, w.std.Items[0].Code)
		f.at(time.Date(2026, 5, 6, 1, 0, 0, 0, time.UTC))
		issued, err := db.IssueBulletin(ctxCounty, f.camp.ID)
		if err != nil || len(issued.Overdue) != 3 {
			t.Fatalf("issued %+v %v", issued, err)
		}
		ctxSchoolDept := healthcell.WithActor(context.Background(), &healthcell.Actor{UserID: 1, Username: "jiaoke", Role: healthcell.RoleDepartment,
			Scope: sqltest.County, Department: "县教科体局"})
		for _, c := range []struct {
			name     string
			ctx      context.Context
			kinds    string // the kinds of the items seen, in deadline, id order
			headSeen bool
		}{
			{"county", ctxCounty, "village school household", true},
			{"township of the items' villages", ctxTownship, "village school", false},
			{"township of the household", ctxTownship2, "household", true},
			{"village", ctxVillageA, "village school", false},
			{"village of another township", sqltest.As("v2", healthcell.RoleVillage, VillageT2), "household", true},
			{"viewer", ctxViewer, "village school household", false},
			{"evaluator", ctxEvaluator, "village school household", false},
			{"department of the school", ctxSchoolDept, "school", false},
			{"department of nothing", ctxDept, "", false},
			{"unit contact of another unit", ctxUnit, "", false},
		} {
			b, err := db.FindBulletin(c.ctx, issued.ID)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			var kinds []string
			for _, r := range b.Overdue {
				kinds = append(kinds, r.UnitKind)
				if r.UnitKind != "household" {
					continue
				}
				if seen := strings.Contains(r.UnitName, head) || strings.Contains(r.Owner, head); seen != c.headSeen {
					t.Errorf("%s: household item %q / %q, head seen %v, want %v", c.name, r.UnitName, r.Owner, seen, c.headSeen)
				}
			}
			if got := strings.Join(kinds, " "); got != c.kinds {
				t.Errorf("%s: overdue items %q, want %q", c.name, got, c.kinds)
			}
			if b.Total.Overdue != 3 || len(b.Rows) != len(issued.Rows) {
				t.Errorf("%s: ranking changed: total %+v, %d rows", c.name, b.Total, len(b.Rows))
			}
		}
		// The stored record is whole: the county reads it as issued.
		again, err := db.FindBulletin(ctxCounty, issued.ID)
		if err != nil || len(again.Overdue) != 3 || again.Overdue[2].UnitName != home.UnitName {
			t.Fatalf("stored bulletin: %+v %v", again, err)
		}
	})
}
