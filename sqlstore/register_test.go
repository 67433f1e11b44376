package sqlstore_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

func checkup(p *healthcell.Person, date string) healthcell.EntryInput {
	return healthcell.EntryInput{Register: "checkups", PersonID: p.ID,
		Fields: map[string]string{"exam_date": date, "kind": "general", "summary": "未见异常"}}
}

func TestRegisterSchemaMatchesDefinitions(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		newWorld(t, db)
		for _, d := range db.Registers().All() {
			if _, _, err := db.FindEntries(sqltest.System(), healthcell.EntryFilter{Register: d.Code}); err != nil {
				t.Errorf("%s: %v", d.Code, err)
			}
		}
	})
}

func TestEntryLifecycle(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db)
		e, err := db.CreateEntry(ctxVillageA, checkup(w.pA, "2025-03-02"))
		if err != nil {
			t.Fatal(err)
		}
		if e.VillageCode != sqltest.Village || e.PersonName != "张三" || e.Values["exam_date"] != "2025-03-02" || e.Version != 1 || e.IDNumber != PersonAID {
			t.Fatalf("created %+v", e)
		}
		in := checkup(w.pA, "2025-03-05")
		in.Version = 1
		e2, err := db.UpdateEntry(ctxTownship, e.ID, in)
		if err != nil || e2.Values["exam_date"] != "2025-03-05" || e2.Version != 2 {
			t.Fatalf("update: %+v %v", e2, err)
		}
		_, err = db.UpdateEntry(ctxVillageA, e.ID, in) // stale version
		wantCode(t, err, healthcell.ECONFLICT)
		wantCode(t, db.DeactivateEntry(ctxVillageA, "checkups", e.ID, 1), healthcell.ECONFLICT)
		wantCode(t, db.DeactivateEntry(ctxVillageA, "checkups", e.ID, 2), "")
		list, total, err := db.FindEntries(ctxVillageA, healthcell.EntryFilter{Register: "checkups"})
		if err != nil || total != 0 || len(list) != 0 {
			t.Errorf("after deactivation: %d %v", total, err)
		}
		list, total, _ = db.FindEntries(ctxVillageA, healthcell.EntryFilter{Register: "checkups", Inactive: true})
		if total != 1 || list[0].Active {
			t.Errorf("inactive list: %d", total)
		}
		hist, _, err := db.FindAudit(ctxCounty, healthcell.AuditFilter{Entity: "register.checkups", EntityID: fmt.Sprint(e.ID)})
		if err != nil || len(hist) != 3 {
			t.Errorf("audit: %d entries, %v", len(hist), err)
		}
	})
}

func TestEntryValuesRoundTrip(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db)
		for _, tc := range []struct {
			in   healthcell.EntryInput
			want map[string]any
		}{
			{healthcell.EntryInput{Register: "expenses", PersonID: w.pA.ID, Fields: map[string]string{"visit_kind": "住院", "visit_date": "2025-04-01",
				"hospital": "苍溪县人民医院", "in_county": "是", "total": "1234.56", "insurance_paid": "1000", "assistance": "100", "out_of_pocket": "134.56"}},
				map[string]any{"visit_kind": "inpatient", "in_county": true, "total": 1234.56, "out_of_pocket": 134.56}},
			{healthcell.EntryInput{Register: "insurance", PersonID: w.pA.ID, Fields: map[string]string{"year": "2025", "scheme": "resident"}},
				map[string]any{"year": int64(2025), "scheme": "resident"}},
			{healthcell.EntryInput{Register: "sanitation", HouseholdID: w.hA.ID, Fields: map[string]string{"toilet": "sanitary", "tap_water": "1", "checked_date": "2025-01-10"}},
				map[string]any{"toilet": "sanitary", "tap_water": true}},
			{healthcell.EntryInput{Register: "activities", VillageCode: sqltest.Village, Fields: map[string]string{"kind": "lecture", "activity_date": "2025-05-01",
				"place": "村活动室", "topic": "高血压防治", "attendance": "2"}},
				map[string]any{"kind": "lecture", "attendance": int64(2)}},
			{healthcell.EntryInput{Register: "env_inspections", VillageCode: sqltest.Village, Fields: map[string]string{"inspection_date": "2025-05-01",
				"sanitation_score": "88.5", "fly": "C"}},
				map[string]any{"sanitation_score": 88.5, "fly": "C"}},
		} {
			e, err := db.CreateEntry(ctxVillageA, tc.in)
			if err != nil {
				t.Fatalf("%s: %v", tc.in.Register, err)
			}
			got, err := db.FindEntry(ctxVillageA, tc.in.Register, e.ID)
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range tc.want {
				if got.Values[k] != v {
					t.Errorf("%s.%s = %#v, want %#v", tc.in.Register, k, got.Values[k], v)
				}
			}
		}
	})
}

func TestEntryRefusals(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db)
		if _, err := db.CreateEntry(ctxVillageA, healthcell.EntryInput{Register: "insurance", PersonID: w.pA.ID,
			Fields: map[string]string{"year": "2025", "scheme": "resident"}}); err != nil {
			t.Fatal(err)
		}
		snap := takeSnapshot(t, db)
		for _, tc := range []struct {
			name   string
			ctx    context.Context
			in     healthcell.EntryInput
			code   string
			fields []string
		}{
			{"unknown register", ctxVillageA, healthcell.EntryInput{Register: "nope"}, healthcell.ENOTFOUND, nil},
			{"viewer writes", ctxViewer, checkup(w.pA, "2025-03-02"), healthcell.EFORBIDDEN, nil},
			{"other village's person", ctxVillageA, checkup(w.pB, "2025-03-02"), healthcell.EINVALID, []string{"person"}},
			{"township 2's person", ctxTownship, checkup(w.pC, "2025-03-02"), healthcell.EINVALID, []string{"person"}},
			{"no person", ctxVillageA, healthcell.EntryInput{Register: "checkups", Fields: map[string]string{"exam_date": "2025-03-02", "kind": "general"}},
				healthcell.EINVALID, []string{"person"}},
			{"bad fields", ctxVillageA, healthcell.EntryInput{Register: "checkups", PersonID: w.pA.ID, Fields: map[string]string{"exam_date": "2025-02-30", "kind": "x"}},
				healthcell.EINVALID, []string{"exam_date", "kind"}},
			{"future date", ctxVillageA, checkup(w.pA, "2026-01-01"), healthcell.EINVALID, []string{"exam_date"}},
			{"second insurance row for the year", ctxVillageA, healthcell.EntryInput{Register: "insurance", PersonID: w.pA.ID,
				Fields: map[string]string{"year": "2025", "scheme": "employee"}}, healthcell.EINVALID, []string{"year"}},
			{"activity in another township", ctxTownship, healthcell.EntryInput{Register: "activities", VillageCode: VillageT2,
				Fields: map[string]string{"kind": "lecture", "activity_date": "2025-05-01", "place": "x", "topic": "y", "attendance": "3"}},
				healthcell.EINVALID, []string{"village"}},
			{"activity in a township code", ctxTownship, healthcell.EntryInput{Register: "activities", VillageCode: sqltest.Township,
				Fields: map[string]string{"kind": "lecture", "activity_date": "2025-05-01", "place": "x", "topic": "y", "attendance": "3"}},
				healthcell.EINVALID, []string{"village"}},
			{"household register without household", ctxVillageA, healthcell.EntryInput{Register: "sanitation",
				Fields: map[string]string{"toilet": "sanitary", "checked_date": "2025-01-10"}}, healthcell.EINVALID, []string{"household"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := db.CreateEntry(tc.ctx, tc.in)
				if tc.fields != nil {
					wantInvalid(t, err, tc.fields...)
				} else {
					wantCode(t, err, tc.code)
				}
			})
		}
		snap.unchanged(t, db)
	})
}

func TestEntryScope(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db)
		eA, err := db.CreateEntry(ctxVillageA, checkup(w.pA, "2025-03-02"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateEntry(ctxCounty, checkup(w.pC, "2025-03-02")); err != nil {
			t.Fatal(err)
		}
		act, err := db.CreateEntry(ctxVillageA, healthcell.EntryInput{Register: "activities", VillageCode: sqltest.Village,
			Fields: map[string]string{"kind": "lecture", "activity_date": "2025-05-01", "place": "村活动室", "topic": "控烟", "attendance": "2"}})
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name     string
			ctx      context.Context
			register string
			division string
			total    int
			code     string
		}{
			{"village sees its own", ctxVillageA, "checkups", "", 1, ""},
			{"other village sees none", ctxVillageB, "checkups", "", 0, ""},
			{"township 1 sees its township", ctxTownship, "checkups", "", 1, ""},
			{"county sees both", ctxCounty, "checkups", "", 2, ""},
			{"township asks for another", ctxTownship, "checkups", sqltest.Township2, 0, healthcell.ENOTFOUND},
			{"viewer may not list health data", ctxViewer, "checkups", "", 0, healthcell.EFORBIDDEN},
			{"evaluator may not list health data", ctxEvaluator, "checkups", "", 0, healthcell.EFORBIDDEN},
			{"viewer lists activities", ctxViewer, "activities", "", 1, ""},
			{"unit contact may not list check-ups", ctxUnit, "checkups", "", 0, healthcell.EFORBIDDEN},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, total, err := db.FindEntries(tc.ctx, healthcell.EntryFilter{Register: tc.register, Division: tc.division})
				wantCode(t, err, tc.code)
				if err == nil && total != tc.total {
					t.Errorf("total = %d, want %d", total, tc.total)
				}
			})
		}
		for _, ctx := range []context.Context{ctxVillageB, ctxTownship2, ctxViewer, ctxUnit} {
			_, err := db.FindEntry(ctx, "checkups", eA.ID)
			wantCode(t, err, healthcell.ENOTFOUND)
			_, err = db.UpdateEntry(ctx, eA.ID, checkup(w.pA, "2025-03-03"))
			wantCode(t, err, healthcell.ENOTFOUND)
			wantCode(t, db.DeactivateEntry(ctx, "checkups", eA.ID, 1), healthcell.ENOTFOUND)
		}
		if _, err := db.FindEntry(ctxViewer, "activities", act.ID); err != nil {
			t.Errorf("viewer reads an activity: %v", err)
		}
		// the audit log does not show health data to those who may not see it
		hist, _, _ := db.FindAudit(ctxViewer, healthcell.AuditFilter{Entity: "register.checkups"})
		for _, h := range hist {
			if h.Before != "" || h.After != "" {
				t.Errorf("viewer sees check-up values in the audit log: %q", h.After)
			}
		}
		if hist, _, _ := db.FindAudit(ctxTownship, healthcell.AuditFilter{Entity: "register.checkups"}); len(hist) != 1 || hist[0].After == "" {
			t.Errorf("township audit: %+v", hist)
		}
	})
}

func TestEntryFiles(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		newWorld(t, db)
		act, err := db.CreateEntry(ctxVillageA, healthcell.EntryInput{Register: "activities", VillageCode: sqltest.Village,
			Fields: map[string]string{"kind": "lecture", "activity_date": "2025-05-01", "place": "村活动室", "topic": "控烟", "attendance": "2"}})
		if err != nil {
			t.Fatal(err)
		}
		photo := pngBytes(t)
		f, err := db.AddEntryFile(ctxVillageA, "activities", act.ID, "签到表.png", photo)
		if err != nil {
			t.Fatal(err)
		}
		if f.MIME != "image/png" || !f.HasThumb || f.Name != "签到表.png" {
			t.Errorf("file %+v", f)
		}
		// the same bytes twice share one blob; removing one file keeps it for the other
		if _, err := db.AddEntryFile(ctxVillageA, "activities", act.ID, "again.png", photo); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name string
			ctx  context.Context
			reg  string
			id   int64
			data []byte
			code string
		}{
			{"not an image", ctxVillageA, "activities", act.ID, []byte("hello, this is text"), healthcell.EINVALID},
			{"empty", ctxVillageA, "activities", act.ID, nil, healthcell.EINVALID},
			{"register without files", ctxVillageA, "checkups", act.ID, photo, healthcell.EINVALID},
			{"other village", ctxVillageB, "activities", act.ID, photo, healthcell.ENOTFOUND},
			{"viewer", ctxViewer, "activities", act.ID, photo, healthcell.ENOTFOUND},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := db.AddEntryFile(tc.ctx, tc.reg, tc.id, "x.png", tc.data)
				wantCode(t, err, tc.code)
			})
		}
		files, err := db.EntryFiles(ctxViewer, "activities", act.ID)
		if err != nil || len(files) != 2 {
			t.Fatalf("viewer lists %d files: %v", len(files), err)
		}
		if _, data, err := db.EntryFileData(ctxTownship, f.ID, false); err != nil || len(data) != len(photo) {
			t.Errorf("township reads the file: %d bytes, %v", len(data), err)
		}
		if _, _, err := db.EntryFileData(ctxTownship2, f.ID, false); healthcell.ErrorCode(err) != healthcell.ENOTFOUND {
			t.Errorf("other township reads the file: %v", err)
		}
		wantCode(t, db.RemoveEntryFile(ctxVillageB, f.ID), healthcell.ENOTFOUND)
		wantCode(t, db.RemoveEntryFile(ctxVillageA, f.ID), "")
		if _, data, err := db.EntryFileData(ctxVillageA, files[1].ID, false); err != nil || len(data) != len(photo) {
			t.Errorf("the other file lost its bytes: %v", err)
		}
	})
}
