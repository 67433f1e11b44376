package sqlstore_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

var ctxSchoolContact = func(f *flow) context.Context {
	return healthcell.WithActor(context.Background(), &healthcell.Actor{UserID: 9, Username: "school", Role: healthcell.RoleUnit, Scope: sqltest.Village, Unit: f.schoolID})
}

// TestApplicationJourney follows a village from self-assessment to its
// certificate, with one rectification item, as the users of each level.
func TestApplicationJourney(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFlow(t, db)
		app := f.newApp(t, ctxVillageA, "village", sqltest.Village)
		if app.State != "self_assessment" || app.UnitName == "" || app.Year != 2026 {
			t.Fatalf("new application: %+v", app)
		}
		// A second application of the same unit, standard and campaign.
		dup := &healthcell.Application{CampaignID: f.camp.ID, StandardID: f.village.ID, UnitKind: "village", UnitRef: sqltest.Village}
		wantCode(t, db.CreateApplication(ctxVillageA, dup), healthcell.ECONFLICT)
		// A village officer cannot start one for another village.
		other := &healthcell.Application{CampaignID: f.camp.ID, StandardID: f.village.ID, UnitKind: "village", UnitRef: sqltest.Village2}
		wantInvalid(t, db.CreateApplication(ctxVillageA, other), "unit_ref")
		wantCode(t, db.CreateApplication(ctxViewer, other), healthcell.EFORBIDDEN)

		tr := func(ctx context.Context, action string, items ...healthcell.RectificationInput) (*healthcell.Application, error) {
			return db.Transition(ctx, app.ID, healthcell.TransitionRequest{Action: action, Comment: "意见", Rectifications: items})
		}
		// Applying needs a complete, passing self-assessment.
		_, err := tr(ctxVillageA, "apply")
		if fieldMessage(err, "self_sheet_passed") != "workflow.guard.self_sheet_passed" {
			t.Fatalf("apply without a sheet: %v", err)
		}
		f.sheet(t, app, healthcell.SheetSelf, false)
		_, err = tr(ctxVillageA, "apply")
		wantInvalid(t, err, "self_sheet_passed")
		selfID := f.sheet(t, app, healthcell.SheetSelf, true)
		if app, err = tr(ctxVillageA, "apply"); err != nil || app.State != "applied" {
			t.Fatalf("apply: %+v %v", app, err)
		}
		// What was submitted cannot change: the sheet is frozen.
		yes := false
		err = db.SaveAnswer(ctxVillageA, selfID, &healthcell.Answer{ItemCode: "1", Yes: &yes})
		if healthcell.ErrorCode(err) != healthcell.ECONFLICT || healthcell.ErrorMessage(err) != sqlstore.MsgSheetFrozen {
			t.Fatalf("edit after applying: %v", err)
		}
		_, err = db.AddEvidence(ctxVillageA, selfID, "1", "late.png", pngBytes(t))
		wantCode(t, err, healthcell.ECONFLICT)
		// The township returns it with one item; items are checked first.
		_, err = tr(ctxTownship, "return_for_rectification", healthcell.RectificationInput{Text: "", Deadline: "2026-04-30", ItemCode: "9"})
		wantInvalid(t, err, "text", "deadline", "item_code")
		_, err = tr(ctxTownship, "return_for_rectification")
		wantInvalid(t, err, "rectification_items")
		_, err = tr(ctxTownship2, "return_for_rectification", oneItem)
		wantCode(t, err, healthcell.ENOTFOUND)
		if app, err = tr(ctxTownship, "return_for_rectification", oneItem); err != nil || app.State != "rectifying" {
			t.Fatalf("return: %+v %v", app, err)
		}
		// The village must answer before resubmitting.
		_, err = tr(ctxVillageA, "submit_rectification")
		wantInvalid(t, err, "rectification_answered")
		got, err := db.FindApplication(ctxVillageA, app.ID)
		if err != nil || len(got.Rectifications) != 1 {
			t.Fatalf("find: %+v %v", got, err)
		}
		item := got.Rectifications[0]
		if item.CheckerLevel != "township" || item.State != healthcell.RectOpen || item.Owner != "村主任" || item.Deadline != "2026-05-11" {
			t.Fatalf("item: %+v", item)
		}
		// Only the village answers; only the township checks.
		_, err = db.AnswerRectification(ctxTownship, item.ID, "已整改", 0)
		wantCode(t, err, healthcell.EFORBIDDEN)
		_, err = db.AnswerRectification(ctxVillageA, item.ID, " ", 0)
		wantInvalid(t, err, "note")
		_, err = db.CheckRectification(ctxTownship, item.ID, true, "", 0)
		wantCode(t, err, healthcell.ECONFLICT) // not answered yet
		if _, err := db.AddRectificationFile(ctxVillageA, item.ID, "厕所.png", pngBytes(t)); err != nil {
			t.Fatal(err)
		}
		_, err = db.AddRectificationFile(ctxVillageA, item.ID, "x.txt", []byte("plain text"))
		wantInvalid(t, err, "file")
		if _, err := db.AnswerRectification(ctxVillageA, item.ID, "已新建水冲式厕所", item.Version); err != nil {
			t.Fatal(err)
		}
		_, err = db.AnswerRectification(ctxVillageA, item.ID, "再次答复", item.Version)
		wantCode(t, err, healthcell.ECONFLICT) // stale version
		if app, err = tr(ctxVillageA, "submit_rectification"); err != nil || app.State != "applied" {
			t.Fatalf("submit: %+v %v", app, err)
		}
		// Passing the check needs a complete, passing township check sheet …
		_, err = tr(ctxTownship, "pass_check")
		wantInvalid(t, err, "check_sheet_passed")
		f.sheet(t, app, healthcell.SheetCheck, false)
		_, err = tr(ctxTownship, "pass_check")
		wantInvalid(t, err, "check_sheet_passed")
		checkID := f.sheet(t, app, healthcell.SheetCheck, true)
		// … and the answer accepted.
		_, err = tr(ctxTownship, "pass_check")
		wantInvalid(t, err, "rectification_accepted")
		_, err = db.CheckRectification(ctxVillageA, item.ID, true, "", 0)
		wantCode(t, err, healthcell.EFORBIDDEN)
		_, err = db.CheckRectification(ctxTownship, item.ID, false, "", 0)
		wantInvalid(t, err, "note")
		if r, err := db.CheckRectification(ctxTownship, item.ID, true, "整改到位", 0); err != nil || r.State != healthcell.RectAccepted {
			t.Fatalf("accept: %+v %v", r, err)
		}
		if app, err = tr(ctxTownship, "pass_check"); err != nil || app.State != "checked" {
			t.Fatalf("pass check: %+v %v", app, err)
		}
		// The county: the evaluation sheet must pass; evaluators do not act on villages.
		_, err = tr(ctxEvaluator, "evaluate_pass")
		wantCode(t, err, healthcell.EFORBIDDEN)
		_, err = tr(ctxCounty, "evaluate_pass")
		wantInvalid(t, err, "evaluation_passed")
		evalID := f.sheet(t, app, healthcell.SheetEvaluation, true)
		if app, err = tr(ctxCounty, "evaluate_pass"); err != nil || app.State != "evaluated" {
			t.Fatalf("evaluate: %+v %v", app, err)
		}
		f.at(time.Date(2026, 5, 31, 16, 30, 0, 0, time.UTC)) // 1 June, 00:30 in Shanghai
		if app, err = tr(ctxCounty, "name"); err != nil || app.State != "named" {
			t.Fatalf("name: %+v %v", app, err)
		}
		if app.CertificateNo != "510824-2026-0001" || app.NamedOn != "2026-06-01" || app.ReviewDue != "2029-06-01" {
			t.Fatalf("certificate %q named %q review %q", app.CertificateNo, app.NamedOn, app.ReviewDue)
		}
		// The timeline and the audit log show every step with its actor.
		got, err = db.FindApplication(ctxVillageA, app.ID)
		if err != nil {
			t.Fatal(err)
		}
		var steps []string
		for _, s := range got.Timeline {
			steps = append(steps, s.Action+"/"+s.Username)
		}
		want := "create/villageA apply/villageA return_for_rectification/township1 submit_rectification/villageA pass_check/township1 evaluate_pass/county name/county"
		if strings.Join(steps, " ") != want {
			t.Fatalf("timeline %q", strings.Join(steps, " "))
		}
		if got.Timeline[1].SheetID != selfID || got.Timeline[5].SheetID != evalID || got.Timeline[2].Comment != "意见" {
			t.Fatalf("sheets used: %+v %+v", got.Timeline[1], got.Timeline[5])
		}
		if got.Timeline[4].SheetID != checkID || got.Timeline[4].SnapshotID == 0 {
			t.Fatalf("pass_check relied on %+v, want check sheet %d", got.Timeline[4], checkID)
		}
		// Each step keeps the copy it relied on, readable in the unit's scope only.
		snap, err := db.FindSheetSnapshot(ctxVillageA, got.Timeline[1].SnapshotID)
		if err != nil || snap.SheetID != selfID || snap.Action != "apply" || !snap.Passed || snap.Total != 20 || snap.Sheet.Answers["1"] == nil || *snap.Sheet.Answers["1"].Yes != true {
			t.Fatalf("snapshot of apply: %+v %v", snap, err)
		}
		_, err = db.FindSheetSnapshot(sqltest.As("other", healthcell.RoleVillage, sqltest.Village2), got.Timeline[1].SnapshotID)
		wantCode(t, err, healthcell.ENOTFOUND)
		// A new edition copies the answers and is the one in use; the frozen one stays.
		next, err := db.NewSheetEdition(ctxVillageA, selfID)
		if err != nil || next.Edition != 2 || next.FrozenAt != nil {
			t.Fatalf("new edition: %+v %v", next, err)
		}
		if n, err := db.FindScoreSheet(ctxVillageA, next.ID); err != nil || n.Answers["1"] == nil || *n.Answers["1"].Yes != true {
			t.Fatalf("answers not copied: %v", err)
		}
		_, err = db.NewSheetEdition(ctxVillageA, selfID)
		wantCode(t, err, healthcell.ECONFLICT)
		entries, _, err := db.FindAudit(ctxCounty, healthcell.AuditFilter{Entity: "application", EntityID: itoa(app.ID)})
		if err != nil {
			t.Fatal(err)
		}
		var audited []string
		for i := len(entries) - 1; i >= 0; i-- {
			audited = append(audited, entries[i].Action+"/"+entries[i].Username)
		}
		if strings.Join(audited, " ") != want {
			t.Fatalf("audit %q", strings.Join(audited, " "))
		}
		// Two namings in a year number their certificates in order.
		second := f.inState(t, "village", sqltest.Village2, "named")
		if second.CertificateNo != "510824-2026-0002" {
			t.Fatalf("second certificate %q", second.CertificateNo)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
