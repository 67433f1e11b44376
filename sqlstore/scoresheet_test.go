package sqlstore_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"strconv"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/score"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// villageStandard is a small 健康村 standard with one item of each kind.
func villageStandard() *healthcell.Standard {
	return &healthcell.Standard{
		Code: "test-village", Name: "测试健康村标准", CellType: "健康村", UnitKind: "village", Issuer: "测试", Source: "测试",
		TotalPoints: 50, PassScore: 30,
		Items: []healthcell.Item{
			{Code: "1", Section: "组织管理", Text: "成立领导小组", Points: 10, Method: "yes"},
			{Code: "2", Section: "组织管理", Text: "无重大公共卫生事件", Points: 0, Method: "yes", Veto: true},
			{Code: "3", Section: "健康环境", Text: "环境卫生", Points: 10, Method: "graded", Grades: []healthcell.Grade{{Label: "好", Points: 10}, {Label: "差", Points: 2}}},
			{Code: "4", Section: "健康环境", Text: "健康知识知晓率≥90%", Points: 10, Method: "egt", Indicator: "knowledge_rate", Target: 90},
			{Code: "5", Section: "健康活动", Text: "每年健康讲座不少于4次", Points: 10, Method: "count", Activity: "lecture", MinCount: 4},
			{Code: "6", Section: "健康活动", Text: "宣传栏照片", Points: 10, Method: "attach"},
			{Code: "7", Section: "加分项", Text: "创新做法", Points: 5, Method: "yes", Bonus: true},
		},
	}
}

func pngBytes(t *testing.T) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 640, 480))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestStandardVersions(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := sqltest.System()
		std := villageStandard()
		if err := db.CreateStandard(ctx, std); err != nil {
			t.Fatal(err)
		}
		if std.Version != 1 || std.ID == 0 {
			t.Fatalf("first load: version %d id %d", std.Version, std.ID)
		}
		same := villageStandard()
		if err := db.CreateStandard(ctx, same); err != nil || same.Version != 1 || same.ID != std.ID {
			t.Fatalf("identical load made a new version: %+v %v", same, err)
		}
		changed := villageStandard()
		changed.PassScore = 35
		if err := db.CreateStandard(ctx, changed); err != nil || changed.Version != 2 {
			t.Fatalf("changed load: version %d, %v", changed.Version, err)
		}
		latest, err := db.FindStandard(ctx, "test-village", 0)
		if err != nil || latest.Version != 2 || latest.PassScore != 35 || len(latest.Items) != 7 {
			t.Fatalf("latest = %+v, %v", latest, err)
		}
		v1, err := db.FindStandard(ctx, "test-village", 1)
		if err != nil || v1.PassScore != 30 {
			t.Fatalf("v1 = %+v, %v", v1, err)
		}
		list, err := db.FindStandards(ctx)
		if err != nil || len(list) != 1 || list[0].Version != 2 {
			t.Fatalf("list = %v, %v", list, err)
		}
		bad := villageStandard()
		bad.Items[3].Indicator = ""
		bad.Items = append(bad.Items, bad.Items[0])
		err = db.CreateStandard(ctx, bad)
		if healthcell.ErrorCode(err) != healthcell.EINVALID || len(healthcell.ErrorFields(err)) != 2 {
			t.Fatalf("bad standard: %v", err)
		}
		viewer := sqltest.As("viewer", healthcell.RoleViewer, sqltest.County)
		if err := db.CreateStandard(viewer, villageStandard()); healthcell.ErrorCode(err) != healthcell.EFORBIDDEN {
			t.Fatalf("viewer loaded a standard: %v", err)
		}
		if _, err := db.FindStandard(ctx, "nope", 0); healthcell.ErrorCode(err) != healthcell.ENOTFOUND {
			t.Fatalf("unknown standard: %v", err)
		}
	})
}

func TestScoreSheetLifecycle(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		sqltest.LoadDivisions(t, db)
		std := villageStandard()
		if err := db.CreateStandard(sqltest.System(), std); err != nil {
			t.Fatal(err)
		}
		officer := sqltest.As("cun", healthcell.RoleVillage, sqltest.Village)
		sh := &healthcell.ScoreSheet{StandardCode: std.Code, Kind: healthcell.SheetSelf, UnitKind: "village", UnitRef: sqltest.Village, Year: 2025}
		if err := db.CreateScoreSheet(officer, sh); err != nil {
			t.Fatal(err)
		}
		again := &healthcell.ScoreSheet{StandardCode: std.Code, Kind: healthcell.SheetSelf, UnitKind: "village", UnitRef: sqltest.Village, Year: 2025}
		if err := db.CreateScoreSheet(officer, again); err != nil || again.ID != sh.ID {
			t.Fatalf("second open made another sheet: %d vs %d, %v", again.ID, sh.ID, err)
		}
		yes, no := true, false
		v95, v45 := 95.0, 45.0
		three := 3
		answers := []struct {
			name string
			a    healthcell.Answer
			want string // error code
		}{
			{"yes item", healthcell.Answer{ItemCode: "1", Yes: &yes}, ""},
			{"veto met", healthcell.Answer{ItemCode: "2", Yes: &yes}, ""},
			{"grade", healthcell.Answer{ItemCode: "3", Grade: "好"}, ""},
			{"unknown grade", healthcell.Answer{ItemCode: "3", Grade: "中"}, healthcell.EINVALID},
			{"value", healthcell.Answer{ItemCode: "4", Value: &v45}, ""},
			// No lectures are recorded: 3 overrides the computed 0 and needs a reason and a file.
			{"count other than the register's", healthcell.Answer{ItemCode: "5", Count: &three}, healthcell.EINVALID},
			{"unknown item", healthcell.Answer{ItemCode: "99", Yes: &yes}, healthcell.EINVALID},
			{"wrong field", healthcell.Answer{ItemCode: "1", Value: &v95}, healthcell.EINVALID},
		}
		for _, tt := range answers {
			a := tt.a
			if err := db.SaveAnswer(officer, sh.ID, &a); healthcell.ErrorCode(err) != tt.want {
				t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
			}
		}
		got, err := db.FindScoreSheet(officer, sh.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Answers["3"].Grade != "好" || len(got.Answers) != 5 {
			t.Fatalf("answers %v", got.Answers)
		}
		res := score.Compute(std, got)
		if res.Complete || res.Total != 10+10+5+0 || *got.Answers["5"].Count != 0 || got.Answers["5"].Computed == nil {
			t.Fatalf("before evidence: %+v", res)
		}
		// Evidence: two photos for item 6 (the same bytes stored once), a text file refused, a huge file refused.
		photo := pngBytes(t)
		e1, err := db.AddEvidence(officer, sh.ID, "6", "board.png", photo)
		if err != nil || !e1.HasThumb || e1.MIME != "image/png" {
			t.Fatalf("photo: %+v %v", e1, err)
		}
		if _, err := db.AddEvidence(officer, sh.ID, "6", "board-again.png", photo); err != nil {
			t.Fatal(err)
		}
		for name, data := range map[string][]byte{
			"text":  []byte("just some text, not a photo"),
			"huge":  append([]byte("%PDF-1.4\n"), make([]byte, healthcell.MaxEvidenceBytes)...),
			"empty": nil,
		} {
			if _, err := db.AddEvidence(officer, sh.ID, "6", name, data); healthcell.ErrorCode(err) != healthcell.EINVALID {
				t.Errorf("%s evidence accepted: %v", name, err)
			}
		}
		if _, err := db.AddEvidence(officer, sh.ID, "6", "a.pdf", []byte("%PDF-1.4\n%…\n")); err != nil {
			t.Errorf("pdf refused: %v", err)
		}
		got, _ = db.FindScoreSheet(officer, sh.ID)
		if n := len(got.Answers["6"].Evidence); n != 3 {
			t.Fatalf("item 6 has %d evidence files, want 3", n)
		}
		res = score.Compute(std, got)
		if !res.Complete || !res.Passed || res.Total != 35 {
			t.Fatalf("after evidence: total %v complete %v passed %v", res.Total, res.Complete, res.Passed)
		}
		_, thumb, err := db.EvidenceFile(officer, e1.ID, true)
		if err != nil || len(thumb) == 0 || bytes.Equal(thumb, photo) {
			t.Fatalf("thumbnail: %d bytes, %v", len(thumb), err)
		}
		_, full, err := db.EvidenceFile(officer, e1.ID, false)
		if err != nil || !bytes.Equal(full, photo) {
			t.Fatalf("full file: %v", err)
		}

		// Scope: another village's officer, a viewer of another township and a
		// unit contact see nothing; a viewer in scope reads but cannot score.
		denied := map[string]context.Context{
			"other village":          sqltest.As("other", healthcell.RoleVillage, sqltest.Village2),
			"other township viewer":  sqltest.As("viewer2", healthcell.RoleViewer, sqltest.Township2),
			"other township officer": sqltest.As("town2", healthcell.RoleTownship, sqltest.Township2),
			"unit contact":           sqltest.As("unit", healthcell.RoleUnit, sqltest.Village),
		}
		for name, ctx := range denied {
			if _, err := db.FindScoreSheet(ctx, sh.ID); healthcell.ErrorCode(err) != healthcell.ENOTFOUND {
				t.Errorf("%s opened the sheet: %v", name, err)
			}
			if _, _, err := db.EvidenceFile(ctx, e1.ID, false); healthcell.ErrorCode(err) != healthcell.ENOTFOUND {
				t.Errorf("%s got the evidence: %v", name, err)
			}
			if err := db.SaveAnswer(ctx, sh.ID, &healthcell.Answer{ItemCode: "1", Yes: &no}); healthcell.ErrorCode(err) != healthcell.ENOTFOUND {
				t.Errorf("%s answered: %v", name, err)
			}
			if list, _, err := db.FindScoreSheets(ctx, healthcell.SheetFilter{}); err != nil || len(list) != 0 {
				t.Errorf("%s lists %d sheets, %v", name, len(list), err)
			}
		}
		viewer := sqltest.As("viewer", healthcell.RoleViewer, sqltest.County)
		if _, err := db.FindScoreSheet(viewer, sh.ID); err != nil {
			t.Errorf("county viewer cannot read: %v", err)
		}
		if err := db.SaveAnswer(viewer, sh.ID, &healthcell.Answer{ItemCode: "1", Yes: &no}); healthcell.ErrorCode(err) != healthcell.EFORBIDDEN {
			t.Errorf("viewer answered: %v", err)
		}
		if err := db.RemoveEvidence(viewer, e1.ID); healthcell.ErrorCode(err) != healthcell.EFORBIDDEN {
			t.Errorf("viewer removed evidence: %v", err)
		}
		// A village officer cannot open a sheet for another village, nor an evaluation.
		if err := db.CreateScoreSheet(officer, &healthcell.ScoreSheet{StandardCode: std.Code, Kind: "self", UnitKind: "village", UnitRef: sqltest.Village2}); healthcell.ErrorCode(err) != healthcell.EINVALID {
			t.Errorf("sheet for another village: %v", err)
		}
		if err := db.CreateScoreSheet(officer, &healthcell.ScoreSheet{StandardCode: std.Code, Kind: "evaluation", UnitKind: "village", UnitRef: sqltest.Village}); healthcell.ErrorCode(err) != healthcell.EFORBIDDEN {
			t.Errorf("village officer opened an evaluation: %v", err)
		}
		// Removing evidence: the blob stays while the other attachment uses it.
		if err := db.RemoveEvidence(officer, e1.ID); err != nil {
			t.Fatal(err)
		}
		got, _ = db.FindScoreSheet(officer, sh.ID)
		if n := len(got.Answers["6"].Evidence); n != 2 {
			t.Fatalf("after removing one: %d files", n)
		}
		if _, _, err := db.FindAudit(sqltest.System(), healthcell.AuditFilter{Entity: "score_sheet", EntityID: strconv.FormatInt(sh.ID, 10)}); err != nil {
			t.Fatal(err)
		}
		entries, total, _ := db.FindAudit(sqltest.System(), healthcell.AuditFilter{Entity: "score_sheet", EntityID: strconv.FormatInt(sh.ID, 10)})
		if total < 9 || len(entries) == 0 {
			t.Errorf("audit entries for the sheet: %d", total)
		}
	})
}

func TestUnits(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		sqltest.LoadDivisions(t, db)
		admin := sqltest.As("admin", healthcell.RoleCountyAdmin, sqltest.County)
		school := &healthcell.Unit{Kind: "school", Name: "陵江小学", Division: sqltest.Village, Department: "教科体局"}
		if err := db.CreateUnit(admin, school); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name string
			ctx  context.Context
			u    healthcell.Unit
			want string
		}{
			{"duplicate name", admin, healthcell.Unit{Kind: "school", Name: "陵江小学", Division: sqltest.Village}, healthcell.EINVALID},
			{"bad kind", admin, healthcell.Unit{Kind: "zoo", Name: "动物园", Division: sqltest.Village}, healthcell.EINVALID},
			{"unknown division", admin, healthcell.Unit{Kind: "school", Name: "某校", Division: "510824100999"}, healthcell.EINVALID},
			{"viewer", sqltest.As("v", healthcell.RoleViewer, sqltest.County), healthcell.Unit{Kind: "school", Name: "某校", Division: sqltest.Village}, healthcell.EFORBIDDEN},
			{"township outside scope", sqltest.As("t", healthcell.RoleTownship, sqltest.Township2), healthcell.Unit{Kind: "school", Name: "某校", Division: sqltest.Village}, healthcell.EINVALID},
			{"township inside scope", sqltest.As("t", healthcell.RoleTownship, sqltest.Township), healthcell.Unit{Kind: "hospital", Name: "陵江镇卫生院", Division: sqltest.Township}, ""},
		}
		for _, tt := range tests {
			u := tt.u
			if err := db.CreateUnit(tt.ctx, &u); healthcell.ErrorCode(err) != tt.want {
				t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
			}
		}
		units, err := db.FindUnits(admin, "")
		if err != nil || len(units) != 2 {
			t.Fatalf("units = %v, %v", units, err)
		}
		unitID := strconv.FormatInt(school.ID, 10)
		if err := db.CreateUser(admin, &healthcell.User{Username: "school1", Role: healthcell.RoleUnit, Scope: sqltest.Village, Unit: unitID}, "secret-123"); err != nil {
			t.Fatalf("unit contact with its unit: %v", err)
		}
		if err := db.CreateUser(admin, &healthcell.User{Username: "school2", Role: healthcell.RoleUnit, Scope: sqltest.Village2, Unit: unitID}, "secret-123"); healthcell.ErrorCode(err) != healthcell.EINVALID {
			t.Fatalf("unit contact scoped away from its unit: %v", err)
		}
		contact := &healthcell.Actor{Username: "xx", Role: healthcell.RoleUnit, Scope: sqltest.Village, Unit: unitID}
		ctx := healthcell.WithActor(context.Background(), contact)
		if got, err := db.FindUnits(ctx, ""); err != nil || len(got) != 1 || got[0].ID != school.ID {
			t.Fatalf("the unit contact sees %v, %v", got, err)
		}
		if _, err := db.FindUnit(sqltest.As("o", healthcell.RoleVillage, sqltest.Village2), school.ID); healthcell.ErrorCode(err) != healthcell.ENOTFOUND {
			t.Fatalf("another village sees the school: %v", err)
		}
	})
}
