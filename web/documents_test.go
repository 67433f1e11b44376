package web_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/officedoc"
	"github.com/healthcell/healthcell/officedoc/officedoctest"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// docxSet collects the documents of a test from every engine, so that
// LibreOffice converts them all in one run at the end.
type docxSet struct {
	mu   sync.Mutex
	docs map[string][]byte
}

func (s *docxSet) add(name string, b []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.docs == nil {
		s.docs = map[string][]byte{}
	}
	s.docs[name] = b
}

// engineName returns a file-name-safe name of the running engine subtest.
func engineName(t *testing.T) string {
	n := t.Name()
	return strings.NewReplacer("/", "_", " ", "_").Replace(n[strings.LastIndex(n, "/")+1:])
}

// checkDocx fails unless r is a .docx download.
func checkDocx(t *testing.T, r *response) {
	t.Helper()
	if r.status != http.StatusOK || r.header.Get("Content-Type") != officedoc.ContentType ||
		!strings.HasPrefix(r.header.Get("Content-Disposition"), "attachment;") || !bytes.HasPrefix(r.body, []byte("PK")) {
		t.Fatalf("docx: %d %q %q %.80q", r.status, r.header.Get("Content-Type"), r.header.Get("Content-Disposition"), r.body)
	}
}

// TestBulletinDocx: the bulletin's .docx is the same on every download, is
// linked from the bulletin page, 404 for a missing bulletin, and LibreOffice
// reads the ranking, the figures and the closing block from it.
func TestBulletinDocx(t *testing.T) {
	var set docxSet
	eachEnv(t, func(t *testing.T, e *env) {
		std, camp := flowSetup(t, e)
		a := &healthcell.Application{CampaignID: camp, StandardID: std.ID, UnitKind: "village", UnitRef: sqltest.Village}
		if err := e.db.CreateApplication(sqltest.System(), a); err != nil {
			t.Fatal(err)
		}
		b, err := e.db.IssueBulletin(sqltest.System(), camp)
		if err != nil {
			t.Fatal(err)
		}
		path := fmt.Sprintf("/api/v1/bulletins/%d.docx", b.ID)
		viewer := e.as(t, "viewer")
		r := viewer.get(t, path)
		checkDocx(t, r)
		if again := e.as(t, "township").get(t, path); !bytes.Equal(again.body, r.body) {
			t.Error("two downloads of one bulletin differ")
		}
		if page := viewer.get(t, fmt.Sprintf("/bulletins/%d", b.ID)).String(); !strings.Contains(page, `href="`+path+`"`) {
			t.Error("the bulletin page has no .docx button")
		}
		for _, p := range []string{"/api/v1/bulletins/999999.docx", "/api/v1/bulletins/x.docx", "/api/v1/bulletins/0.docx"} {
			if r := viewer.get(t, p); r.status != http.StatusNotFound {
				t.Errorf("%s: %d, want 404", p, r.status)
			}
		}
		set.add("bulletin_"+engineName(t), r.body)
	})
	if t.Failed() || len(set.docs) == 0 {
		return
	}
	for name, p := range officedoctest.Convert(t, set.docs) {
		if !p.A4() {
			t.Errorf("%s: page %.0f x %.0f", name, p.Width, p.Height)
		}
		// 陵江镇: target 2, one application started, none named: 0%.
		for _, want := range []string{"第1期", "2026年健康细胞创建", "工作进展情况通报", "各乡镇人民政府（街道办事处）", "一、总体进展",
			"共有1个单位启动申报", "目标2个", "二、各乡镇（街道）进展排名", "陵江镇", "合计", "三、整改逾期事项", "无逾期未完成的整改事项",
			"爱国卫生运动委员会办公室", "年", "— 1 —"} {
			if !p.Has(want) {
				t.Errorf("%s: PDF lacks %q:\n%s", name, want, p.Text)
			}
		}
	}
}

// TestSummaryDocx: the summary's .docx for a quarter and a year, 422 naming
// the period for a bad one, 404 for a campaign that is not there; the page
// offers the periods and the download; LibreOffice reads the goals and
// results per township.
func TestSummaryDocx(t *testing.T) {
	var set docxSet
	eachEnv(t, func(t *testing.T, e *env) {
		std, camp := flowSetup(t, e)
		a := &healthcell.Application{CampaignID: camp, StandardID: std.ID, UnitKind: "village", UnitRef: sqltest.Village}
		if err := e.db.CreateApplication(sqltest.System(), a); err != nil {
			t.Fatal(err)
		}
		county, township := e.as(t, "county"), e.as(t, "township")
		base := fmt.Sprintf("/api/v1/campaigns/%d/summary.docx", camp)
		for _, p := range []string{"2026Q3", "2026"} {
			r := county.get(t, base+"?period="+p)
			checkDocx(t, r)
			set.add("summary_"+p+"_"+engineName(t), r.body)
		}
		checkDocx(t, township.get(t, base+"?period=2026q2"))
		for _, p := range []string{"", "2026Q5", "2026-07", "26", "2026Q3x"} {
			r := county.get(t, base+"?period="+p)
			if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.String(), `"period"`) {
				t.Errorf("period %q: %d %s", p, r.status, r)
			}
		}
		if r := county.get(t, "/api/v1/campaigns/999999/summary.docx?period=2026"); r.status != http.StatusNotFound {
			t.Errorf("missing campaign: %d", r.status)
		}
		page := township.get(t, fmt.Sprintf("/campaigns/%d/summary?period=2026Q3", camp))
		if page.status != http.StatusOK {
			t.Fatalf("summary page: %d", page.status)
		}
		for _, want := range []string{`href="` + base + `?period=2026Q3"`, `<option value="2026Q3" selected>`, "2026年第三季度", "陵江镇", "工作总结"} {
			if !strings.Contains(page.String(), want) {
				t.Errorf("summary page lacks %q", want)
			}
		}
		if r := county.get(t, fmt.Sprintf("/campaigns/%d/summary?period=2026Q9", camp)); r.status != http.StatusUnprocessableEntity {
			t.Errorf("page with a bad period: %d", r.status)
		}
		if !strings.Contains(county.get(t, "/campaigns").String(), fmt.Sprintf(`href="/campaigns/%d/summary"`, camp)) {
			t.Error("the campaign list does not link the summary")
		}
	})
	if t.Failed() || len(set.docs) == 0 {
		return
	}
	for name, p := range officedoctest.Convert(t, set.docs) {
		if !p.A4() {
			t.Errorf("%s: page %.0f x %.0f", name, p.Width, p.Height)
		}
		title := "2026年第三季度工作总结"
		if strings.HasPrefix(name, "summary_2026_") {
			title = "2026年度工作总结"
		}
		// 陵江镇: goal 2, nothing named, one application in progress.
		for _, want := range []string{"2026年健康细胞创建", title, "一、目标完成情况", "二、健康指标完成情况", "三、各乡镇（街道）情况", "（一）", "四、下一步工作", "爱国卫生运动委员会办公室"} {
			if !p.Has(want) {
				t.Errorf("%s: PDF lacks %q:\n%s", name, want, p.Text)
			}
		}
		for _, row := range [][]string{{"陵江镇", "2", "0", "0", "0%", "1"}, {"合计", "2", "0", "0", "0%", "1"}, {"健康村", "—", "0", "0", "—", "1"}} {
			if !p.HasRow(row...) {
				t.Errorf("%s: no row %q:\n%s", name, row, p.Layout)
			}
		}
	}
}

// tinyPNG returns a valid 2×2 PNG.
func tinyPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 2, 2))
	img.Set(0, 0, color.RGBA{R: 200, A: 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestDossierZip: the dossier holds the document and each evidence file,
// byte for byte, in its item's folder; it is scoped like the application;
// LibreOffice reads the items, answers, scores, evidence and the result.
func TestDossierZip(t *testing.T) {
	var set docxSet
	eachEnv(t, func(t *testing.T, e *env) {
		std, camp := flowSetup(t, e)
		ctx := sqltest.As("village", healthcell.RoleVillage, sqltest.Village)
		a := &healthcell.Application{CampaignID: camp, StandardID: std.ID, UnitKind: "village", UnitRef: sqltest.Village}
		if err := e.db.CreateApplication(ctx, a); err != nil {
			t.Fatal(err)
		}
		sh := &healthcell.ScoreSheet{StandardID: std.ID, Kind: healthcell.SheetSelf, UnitKind: "village", UnitRef: sqltest.Village, Year: 2026}
		if err := e.db.CreateScoreSheet(ctx, sh); err != nil {
			t.Fatal(err)
		}
		yes, no := true, false
		if err := e.db.SaveAnswer(ctx, sh.ID, &healthcell.Answer{ItemCode: "1", Yes: &yes, Note: "村两委会议记录 <第3号>"}); err != nil {
			t.Fatal(err)
		}
		if err := e.db.SaveAnswer(ctx, sh.ID, &healthcell.Answer{ItemCode: "2", Yes: &no}); err != nil {
			t.Fatal(err)
		}
		photo, pdf := tinyPNG(t), []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
		for _, f := range []struct {
			name string
			data []byte
		}{{"领导小组合影.png", photo}, {"成立文件", pdf}} {
			if _, err := e.db.AddEvidence(ctx, sh.ID, "1", f.name, f.data); err != nil {
				t.Fatal(err)
			}
		}
		path := fmt.Sprintf("/api/v1/applications/%d/dossier.zip", a.ID)
		r := e.as(t, "village").get(t, path)
		if r.status != http.StatusOK || r.header.Get("Content-Type") != "application/zip" {
			t.Fatalf("dossier: %d %q %s", r.status, r.header.Get("Content-Type"), r.body)
		}
		zr, err := zip.NewReader(bytes.NewReader(r.body), int64(len(r.body)))
		if err != nil {
			t.Fatal(err)
		}
		got := map[string][]byte{}
		var names []string
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(rc)
			rc.Close()
			got[f.Name] = b
			names = append(names, f.Name)
		}
		want := []string{"申报材料.docx", "佐证材料/自查/1 成立领导小组/1-领导小组合影.png", "佐证材料/自查/1 成立领导小组/2-成立文件.pdf"}
		if strings.Join(names, "|") != strings.Join(want, "|") {
			t.Fatalf("zip entries %q, want %q", names, want)
		}
		if !bytes.Equal(got[want[1]], photo) || !bytes.Equal(got[want[2]], pdf) {
			t.Error("evidence files differ from the uploads")
		}
		set.add("dossier_"+engineName(t), got[want[0]])
		if !strings.Contains(e.as(t, "village").get(t, fmt.Sprintf("/applications/%d", a.ID)).String(), `href="`+path+`"`) {
			t.Error("the application page has no dossier button")
		}
		if r := e.as(t, "township").get(t, path); r.status != http.StatusOK {
			t.Errorf("township: %d", r.status)
		}
		for _, u := range []string{"unit", "department"} {
			if r := e.as(t, u).get(t, path); r.status != http.StatusNotFound {
				t.Errorf("%s out of scope: %d, want 404", u, r.status)
			}
		}
		if r := e.as(t, "village").get(t, "/api/v1/applications/999999/dossier.zip"); r.status != http.StatusNotFound {
			t.Errorf("missing application: %d", r.status)
		}
	})
	if t.Failed() || len(set.docs) == 0 {
		return
	}
	for name, p := range officedoctest.Convert(t, set.docs) {
		if !p.A4() {
			t.Errorf("%s: page %.0f x %.0f", name, p.Width, p.Height)
		}
		for _, w := range []string{"申报材料", "一、基本情况", "测试健康村标准（第1版）", "2026年健康细胞创建", "二、自查评分表",
			"总分：10分（满分20分）", "结论：合格", "（一）组织管理", "成立领导小组", "说明：村两委会议记录<第3号>",
			"佐证材料：1.佐证材料/自查/1成立领导小组/1-领导小组合影.png2.佐证材料/自查/1成立领导小组/2-成立文件.pdf", "（二）健康环境", "公共厕所整洁", "自查得分汇总"} {
			if !p.Has(w) {
				t.Errorf("%s: PDF lacks %q:\n%s", name, w, p.Text)
			}
		}
		for _, row := range [][]string{{"组织管理", "10", "10"}, {"健康环境", "10", "0"}, {"合计", "20", "10"}} {
			if !p.HasRow(row...) {
				t.Errorf("%s: no row %q:\n%s", name, row, p.Layout)
			}
		}
	}
}
