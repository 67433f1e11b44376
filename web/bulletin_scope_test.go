package web_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestBulletinExportScope: the page, .xlsx and .docx of a bulletin list an
// overdue item of another township's village for the county office and the
// viewer, and not for a township or village officer elsewhere or a
// department (a village is not its institution).
func TestBulletinExportScope(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		const other = "510824102001" // 烟峰楼社区, 云峰镇: not the township user's
		std, camp := flowSetup(t, e)
		sys := sqltest.System()
		a := &healthcell.Application{CampaignID: camp, StandardID: std.ID, UnitKind: "village", UnitRef: other}
		if err := e.db.CreateApplication(sys, a); err != nil {
			t.Fatal(err)
		}
		for _, kind := range []string{healthcell.SheetSelf, healthcell.SheetCheck} {
			s := &healthcell.ScoreSheet{StandardID: std.ID, Kind: kind, UnitKind: "village", UnitRef: other, Year: 2026}
			if err := e.db.CreateScoreSheet(sys, s); err != nil {
				t.Fatal(err)
			}
			yes := true
			for _, code := range []string{"1", "2"} {
				if err := e.db.SaveAnswer(sys, s.ID, &healthcell.Answer{ItemCode: code, Yes: &yes}); err != nil {
					t.Fatal(err)
				}
			}
		}
		for _, req := range []healthcell.TransitionRequest{{Action: "apply"}, {Action: "return_for_rectification", Comment: "意见",
			Rectifications: []healthcell.RectificationInput{{ItemCode: "2", Text: "公共厕所未达标", Deadline: healthcell.CampaignDay(time.Now().AddDate(0, 0, 1))}}}} {
			if _, err := e.db.Transition(sys, a.ID, req); err != nil {
				t.Fatalf("%s: %v", req.Action, err)
			}
		}
		now := e.db.Now
		e.db.Now = func() time.Time { return time.Now().AddDate(0, 0, 3) }
		b, err := e.db.IssueBulletin(sys, camp)
		e.db.Now = now // sessions live in the present
		if err != nil || len(b.Overdue) != 1 {
			t.Fatalf("bulletin %+v %v", b, err)
		}
		name := b.Overdue[0].UnitName
		for user, want := range map[string]bool{"county": true, "viewer": true, "township": false, "village": false, "department": false} {
			c := e.as(t, user)
			texts := map[string]string{"page": c.get(t, fmt.Sprintf("/bulletins/%d", b.ID)).String()}
			r := c.get(t, fmt.Sprintf("/bulletins/%d/export.xlsx", b.ID))
			if r.status != http.StatusOK {
				t.Fatalf("%s: xlsx %d", user, r.status)
			}
			if name, fallback := downloadName(t, r); !strings.HasSuffix(name, "工作通报（第1期）.xlsx") || fallback != fmt.Sprintf("bulletin-%d.xlsx", b.ID) {
				t.Errorf("%s: file name %q, fallback %q", user, name, fallback)
			}
			if sheets, _ := readWorkbook(t, r.body); strings.Join(sheets, ",") != "通报,整改逾期,宣传与群众参与" {
				t.Errorf("%s: sheets %q", user, sheets)
			}
			f, err := excelize.OpenReader(bytes.NewReader(r.body))
			if err != nil {
				t.Fatal(err)
			}
			rows, _ := f.GetRows("整改逾期")
			f.Close()
			texts["xlsx"] = fmt.Sprint(rows)
			texts["docx"] = docxText(t, c.get(t, fmt.Sprintf("/api/v1/bulletins/%d.docx", b.ID)).body)
			for kind, text := range texts {
				if got := strings.Contains(text, name) && strings.Contains(text, "公共厕所未达标"); got != want {
					t.Errorf("%s: %s shows %s's overdue item: %v, want %v", user, kind, name, got, want)
				}
			}
		}
	})
}

// docxText is the XML of a .docx's body.
func docxText(t *testing.T, body []byte) string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range z.File {
		if f.Name == "word/document.xml" {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			b, _ := io.ReadAll(rc)
			return string(b)
		}
	}
	t.Fatal("no word/document.xml")
	return ""
}
