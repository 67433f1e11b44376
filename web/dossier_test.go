package web_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/officedoc/officedoctest"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestDossierFrozenOverride: the dossier shows the sheet as it was
// submitted (the frozen copy, not a later edition), each data-bound item's
// computed value with numerator or count and when, and the override with
// the officer's value and reason; LibreOffice reads it.
func TestDossierFrozenOverride(t *testing.T) {
	var set docxSet
	eachEnv(t, func(t *testing.T, e *env) {
		_, camp := flowSetup(t, e)
		std := &healthcell.Standard{Code: "web-bound", Name: "台账测试标准", CellType: "健康村", UnitKind: "village", Issuer: "测试", Source: "测试",
			TotalPoints: 20, PassScore: 10, ReviewYears: 3, Items: []healthcell.Item{
				{Code: "1", Section: "组织管理", Text: "成立领导小组", Points: 10, Method: "yes"},
				{Code: "2", Section: "健康活动", Text: "每年健康讲座不少于4次", Points: 10, Method: "count", Activity: "lecture", MinCount: 4},
			}}
		if err := e.db.CreateStandard(sqltest.System(), std); err != nil {
			t.Fatal(err)
		}
		ctx := sqltest.As("village", healthcell.RoleVillage, sqltest.Village)
		a := &healthcell.Application{CampaignID: camp, StandardID: std.ID, UnitKind: "village", UnitRef: sqltest.Village}
		if err := e.db.CreateApplication(ctx, a); err != nil {
			t.Fatal(err)
		}
		sh := &healthcell.ScoreSheet{StandardID: std.ID, Kind: healthcell.SheetSelf, UnitKind: "village", UnitRef: sqltest.Village, Year: a.Year}
		if err := e.db.CreateScoreSheet(ctx, sh); err != nil {
			t.Fatal(err)
		}
		yes, four, six := true, 4, 6
		if err := e.db.SaveAnswer(ctx, sh.ID, &healthcell.Answer{ItemCode: "1", Yes: &yes}); err != nil {
			t.Fatal(err)
		}
		// The register holds no lecture: 4 is an override.
		if err := e.db.FillScoreSheet(ctx, sh.ID, []*healthcell.Answer{{ItemCode: "2", Count: &four, Reason: "讲座签到表未录入"}},
			[]healthcell.SheetFile{{ItemCode: "2", Name: "签到表.png", Data: tinyPNG(t)}}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.db.Transition(ctx, a.ID, healthcell.TransitionRequest{Action: "apply"}); err != nil {
			t.Fatal(err)
		}
		// A later edition changes the override: the dossier keeps what was submitted.
		next, err := e.db.NewSheetEdition(ctx, sh.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.db.FillScoreSheet(ctx, next.ID, []*healthcell.Answer{{ItemCode: "2", Count: &six, Reason: "后来改的理由"}}, nil); err != nil {
			t.Fatal(err)
		}
		r := e.as(t, "township").get(t, fmt.Sprintf("/api/v1/applications/%d/dossier.zip", a.ID))
		if r.status != http.StatusOK {
			t.Fatalf("dossier: %d %s", r.status, r.body)
		}
		zr, err := zip.NewReader(bytes.NewReader(r.body), int64(len(r.body)))
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, f := range zr.File {
			names = append(names, f.Name)
			if f.Name == "申报材料.docx" {
				rc, err := f.Open()
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(rc)
				rc.Close()
				set.add("dossier_bound_"+engineName(t), b)
			}
		}
		want := "申报材料.docx|佐证材料/自查/2 每年健康讲座不少于4次/1-签到表.png"
		if strings.Join(names, "|") != want {
			t.Errorf("zip entries %q, want %q", names, want)
		}
	})
	if t.Failed() || len(set.docs) == 0 {
		return
	}
	for name, p := range officedoctest.Convert(t, set.docs) {
		for _, w := range []string{"提交时冻结的内容", "本表有1项未采用台账计算值", "台账计算值：0次", "计算时间",
			"【人工改填】填报值4次，不采用台账计算值0次；改填理由：讲座签到表未录入", "总分：20分"} {
			if !p.Has(w) {
				t.Errorf("%s: PDF lacks %q:\n%s", name, w, p.Text)
			}
		}
		for _, no := range []string{"后来改的理由", "尚未提交"} {
			if p.Has(no) {
				t.Errorf("%s: PDF shows %q from the later edition:\n%s", name, no, p.Text)
			}
		}
	}
}
