package sqlstore_test

import (
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestOverridesCounted: an override submitted with 申报 is marked in the
// frozen copy and counted for its township in the bulletin.
func TestOverridesCounted(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFlow(t, db)
		std := flowStandard("flow-bound", "village", "健康村")
		std.Items[1] = healthcell.Item{Code: "2", Section: "健康活动", Text: "每年健康讲座不少于4次", Points: 10, Method: "count", Activity: "lecture", MinCount: 4}
		if err := db.CreateStandard(sqltest.System(), std); err != nil {
			t.Fatal(err)
		}
		app := &healthcell.Application{CampaignID: f.camp.ID, StandardID: std.ID, UnitKind: "village", UnitRef: sqltest.Village}
		if err := db.CreateApplication(ctxVillageA, app); err != nil {
			t.Fatal(err)
		}
		sh := &healthcell.ScoreSheet{StandardID: std.ID, Kind: healthcell.SheetSelf, UnitKind: "village", UnitRef: sqltest.Village, Year: app.Year}
		if err := db.CreateScoreSheet(ctxVillageA, sh); err != nil {
			t.Fatal(err)
		}
		yes, four := true, 4
		if err := db.SaveAnswer(ctxVillageA, sh.ID, &healthcell.Answer{ItemCode: "1", Yes: &yes}); err != nil {
			t.Fatal(err)
		}
		// The register holds no lecture: 4 is an override, with a reason and a photo.
		err := db.FillScoreSheet(ctxVillageA, sh.ID, []*healthcell.Answer{{ItemCode: "2", Count: &four}}, nil)
		wantInvalid(t, err, "reason", "evidence")
		if err := db.FillScoreSheet(ctxVillageA, sh.ID, []*healthcell.Answer{{ItemCode: "2", Count: &four, Reason: "讲座签到表未录入"}},
			[]sqlstore.SheetFile{{ItemCode: "2", Name: "签到表.png", Data: pngBytes(t)}}); err != nil {
			t.Fatal(err)
		}
		got, err := db.Transition(ctxVillageA, app.ID, healthcell.TransitionRequest{Action: "apply"})
		if err != nil {
			t.Fatal(err)
		}
		full, err := db.FindApplication(ctxCounty, got.ID)
		if err != nil {
			t.Fatal(err)
		}
		last := full.Timeline[len(full.Timeline)-1]
		snap, err := db.FindSheetSnapshot(ctxCounty, last.SnapshotID)
		if err != nil || snap.Overrides != 1 || snap.Sheet.Answers["2"].Override == nil || snap.Sheet.Answers["2"].Override.Reason != "讲座签到表未录入" ||
			len(snap.Sheet.Answers["2"].Evidence) != 1 || *snap.Sheet.Answers["2"].Computed.Value != 0 {
			t.Fatalf("snapshot: %+v %v", snap, err)
		}
		b, err := db.IssueBulletin(ctxCounty, f.camp.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range b.Rows {
			want := 0
			if r.Township == sqltest.Township {
				want = 1
			}
			if r.Overrides != want {
				t.Errorf("township %s: %d overrides, want %d", r.Township, r.Overrides, want)
			}
		}
		if b.Total.Overrides != 1 {
			t.Errorf("total overrides %d", b.Total.Overrides)
		}
	})
}
