package sqlstore_test

import (
	"testing"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestInspections: an inspection's findings become rectification items
// that the unit answers and the inspecting township accepts, flagged when
// overdue; who may inspect and see what.
func TestInspections(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFlow(t, db)
		in := &healthcell.Inspection{UnitKind: "village", UnitRef: sqltest.Village, StandardCode: f.village.Code,
			InspectedOn: "2026-05-01", Inspectors: "李督查、王干事", Summary: "环境卫生专项督查"}
		findings := []healthcell.RectificationInput{
			{ItemCode: "2", Text: "垃圾收集点无人清运", Deadline: "2026-05-05"},
			{Text: "健康教育宣传栏破损", Owner: "村支书", Deadline: "2026-06-01"},
		}
		// Denials: roles that do not inspect, another township, bad input.
		wantCode(t, db.CreateInspection(ctxVillageA, in, findings), healthcell.EFORBIDDEN)
		wantCode(t, db.CreateInspection(ctxViewer, in, findings), healthcell.EFORBIDDEN)
		wantInvalid(t, db.CreateInspection(ctxTownship2, in, findings), "unit_ref")
		bad := *in
		bad.InspectedOn, bad.Inspectors = "5月1日", ""
		wantInvalid(t, db.CreateInspection(ctxTownship, &bad, []healthcell.RectificationInput{{ItemCode: "9", Text: "x", Deadline: "2026-06-01"}}),
			"inspected_on", "inspectors")
		wantInvalid(t, db.CreateInspection(ctxTownship, in, []healthcell.RectificationInput{{ItemCode: "9", Text: "x", Deadline: "2026-06-01"}}), "item_code")

		if err := db.CreateInspection(ctxTownship, in, findings); err != nil {
			t.Fatal(err)
		}
		if _, err := db.AddInspectionPhoto(ctxTownship, in.ID, "现场.png", pngBytes(t)); err != nil {
			t.Fatal(err)
		}
		_, err := db.AddInspectionPhoto(ctxVillageA, in.ID, "现场.png", pngBytes(t))
		wantCode(t, err, healthcell.EFORBIDDEN)
		got, err := db.FindInspection(ctxVillageA, in.ID)
		if err != nil || len(got.Findings) != 2 || len(got.Photos) != 1 || got.Findings[0].CheckerLevel != "township" || got.Findings[1].Owner != "村支书" {
			t.Fatalf("inspection %+v %v", got, err)
		}
		_, err = db.FindInspection(ctxVillageB, in.ID)
		wantCode(t, err, healthcell.ENOTFOUND)
		if list, err := db.FindInspections(ctxTownship2); err != nil || len(list) != 0 {
			t.Fatalf("other township lists %d %v", len(list), err)
		}
		// The findings wait in the village's queue; the first goes overdue.
		f.at(time.Date(2026, 5, 5, 16, 0, 0, 0, time.UTC)) // 6 May in Shanghai
		q, err := db.Queue(ctxVillageA)
		if err != nil || len(q.ToFix) != 2 || len(q.Overdue) != 1 || q.Overdue[0].InspectionID != in.ID {
			t.Fatalf("village queue %+v %v", q, err)
		}
		first := got.Findings[0]
		if _, err := db.AnswerRectification(ctxVillageA, first.ID, "已安排保洁员每日清运", 0); err != nil {
			t.Fatal(err)
		}
		q, _ = db.Queue(ctxTownship)
		if len(q.ToCheck) != 1 || q.ToCheck[0].ID != first.ID {
			t.Fatalf("township queue %+v", q.ToCheck)
		}
		_, err = db.CheckRectification(ctxCounty, first.ID, true, "", 0)
		wantCode(t, err, healthcell.EFORBIDDEN) // the township inspected: it accepts
		if r, err := db.CheckRectification(ctxTownship, first.ID, true, "", 0); err != nil || r.State != healthcell.RectAccepted {
			t.Fatalf("accept: %+v %v", r, err)
		}
		// The county inspects the school as well; the education bureau too.
		dept := sqltest.As("jiaoyu", healthcell.RoleDepartment, sqltest.County)
		healthcell.ActorFrom(dept).Department = "县教科体局"
		si := &healthcell.Inspection{UnitKind: "school", UnitRef: f.schoolID, InspectedOn: "2026-05-06", Inspectors: "教科体局"}
		if err := db.CreateInspection(dept, si, []healthcell.RectificationInput{{Text: "食堂晨检记录不全", Deadline: "2026-06-01"}}); err != nil {
			t.Fatal(err)
		}
		if r, _ := db.FindInspection(ctxSchoolContact(f), si.ID); r == nil || r.Findings[0].CheckerLevel != "county" {
			t.Fatalf("the school does not see its finding: %+v", r)
		}
	})
}
