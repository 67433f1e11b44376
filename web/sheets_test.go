package web_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// pngPhoto returns a small PNG "photo" of w×h pixels with a gradient in c.
func pngPhoto(t testing.TB, w, h int, c color.RGBA) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{R: c.R, G: uint8(int(c.G) * x / w), B: uint8(int(c.B) * y / h), A: 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// addUser creates an account with the test password.
func (e *env) addUser(t testing.TB, username string, role healthcell.Role, scope string) {
	t.Helper()
	u := &healthcell.User{Username: username, DisplayName: username, Role: role, Scope: scope}
	if err := e.db.CreateUser(sqltest.System(), u, testPassword); err != nil {
		t.Fatalf("create user %s: %v", username, err)
	}
	e.users[username] = u
}

// sheetDoc is a score sheet document with its result.
type sheetDoc struct {
	healthcell.ScoreSheet
	Result struct {
		Max, Base, Bonus, Total float64
		Answered, Required      int
		Complete                bool
		VetoCount               int  `json:"veto_count"`
		VetoMet                 int  `json:"veto_met"`
		VetoPassed              bool `json:"veto_passed"`
		Passed                  bool
		Missing                 []string
		Items                   []struct {
			Code     string
			Score    float64
			Answered bool
			Met      bool
		}
	}
}

// wantResult checks the result of a sheet answer: its total, the number of
// required items answered, the veto rule and completeness.
func wantResult(total float64, answered int, vetoPassed, complete bool) check {
	return func(t *testing.T, e *env, r *response) {
		t.Helper()
		var d sheetDoc
		r.decode(t, &d)
		res := d.Result
		if res.Total != total || res.Answered != answered || res.VetoPassed != vetoPassed || res.Complete != complete {
			t.Errorf("result total %v answered %d veto passed %v complete %v, want %v %d %v %v\n%s",
				res.Total, res.Answered, res.VetoPassed, res.Complete, total, answered, vetoPassed, complete, r.body)
		}
		if res.Max != 100 || res.Required != 27 || res.VetoCount != 1 || len(res.Items) != 27 {
			t.Errorf("result max %v required %d veto items %d items %d, want 100 27 1 27", res.Max, res.Required, res.VetoCount, len(res.Items))
		}
		if len(res.Missing) != res.Required-res.Answered {
			t.Errorf("missing %q with %d of %d answered", res.Missing, res.Answered, res.Required)
		}
	}
}

// wantAnswer checks the stored answer to item (item codes hold dots, which
// jpath would split).
func wantAnswer(item string, f func(a *healthcell.Answer) bool) check {
	return func(t *testing.T, e *env, r *response) {
		t.Helper()
		var d sheetDoc
		r.decode(t, &d)
		a := d.Answers[item]
		if a == nil || !f(a) {
			t.Errorf("answer to %s: %+v\n%s", item, a, r.body)
		}
	}
}

// fullMarks answers every item of the healthy-village standard on sheet
// with full marks as user, attaching photo to the attach items.
func fullMarks(t *testing.T, e *env, c *client, sheet int64, photo []byte) {
	t.Helper()
	std := catalogStandard(t, "healthy-village")
	for _, it := range std.Items {
		path := fmt.Sprintf("/api/v1/sheets/%d/answers/%s", sheet, it.Code)
		var body map[string]any
		switch it.Method {
		case healthcell.MethodYes:
			body = map[string]any{"yes": true}
		case healthcell.MethodNo:
			body = map[string]any{"yes": false}
		case healthcell.MethodGraded:
			best := it.Grades[0]
			for _, g := range it.Grades {
				if g.Points > best.Points {
					best = g
				}
			}
			body = map[string]any{"grade": best.Label}
		case healthcell.MethodEGT:
			body = map[string]any{"value": it.Target}
		case healthcell.MethodELT:
			body = map[string]any{"value": 0}
		case healthcell.MethodCount:
			body = map[string]any{"count": it.MinCount}
		case healthcell.MethodAttach:
			r := c.do(t, "POST", fmt.Sprintf("/api/v1/sheets/%d/evidence/%s", sheet, it.Code), multipartFile(t, "photo-"+it.Code+".png", photo), multipartHeader...)
			if r.status != http.StatusCreated {
				t.Fatalf("attach to %s: %d %s", it.Code, r.status, r.body)
			}
			continue
		}
		if it.DataBound() {
			// The registers of the test county fall short: override with a reason and a photo.
			r := c.do(t, "POST", fmt.Sprintf("/api/v1/sheets/%d/evidence/%s", sheet, it.Code), multipartFile(t, "proof-"+it.Code+".png", photo), multipartHeader...)
			if r.status != http.StatusCreated {
				t.Fatalf("attach to %s: %d %s", it.Code, r.status, r.body)
			}
			body["reason"] = "入户核查结果"
		}
		if r := c.do(t, "PUT", path, body); r.status != http.StatusOK {
			t.Fatalf("answer %s: %d %s", it.Code, r.status, r.body)
		}
	}
}

func TestAPISheets(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.loadStandards(t)
		e.addUser(t, "yunfeng_viewer", healthcell.RoleViewer, sqltest.Township2)
		zh := messages(t)
		sheet := func(standard, kind, unitKind, unitRef string) map[string]any {
			m := map[string]any{"standard": standard, "unit_ref": unitRef}
			if kind != "" {
				m["kind"] = kind
			}
			if unitKind != "" {
				m["unit_kind"] = unitKind
			}
			return m
		}
		var id float64
		school := strconv.FormatInt(e.school.ID, 10)
		run(t, e, []scenario{
			{name: "village officer opens a self-assessment of the own village", user: "village", method: "POST", path: "/api/v1/sheets",
				body: sheet("healthy-village", "self", "village", sqltest.Village), status: 201,
				check: all(wantJSON("standard_code", "healthy-village"), wantJSON("standard_version", 1), wantJSON("kind", "self"),
					wantJSON("unit_kind", "village"), wantJSON("unit_ref", sqltest.Village), wantJSON("unit_name", villageName),
					wantJSON("division", sqltest.Village), wantJSON("year", 2025), wantJSON("version", 1), wantJSON("created_by", "village"),
					func(t *testing.T, e *env, r *response) { id = r.json(t)["id"].(float64) })},
			{name: "opening it again finds the same sheet", user: "village", method: "POST", path: "/api/v1/sheets",
				body: sheet("healthy-village", "self", "", sqltest.Village), status: 201, unchanged: true,
				check: func(t *testing.T, e *env, r *response) {
					if got := r.json(t)["id"]; got != id {
						t.Errorf("id %v, want %v", got, id)
					}
				}},
			{name: "another village is not the officer's", user: "village", method: "POST", path: "/api/v1/sheets",
				body: sheet("healthy-village", "self", "village", sqltest.Village2), status: 422, unchanged: true,
				check: all(wantError(healthcell.EINVALID, "unit_ref"), wantField("unit_ref", "sheet.unit.unknown"))},
			{name: "a village in another township neither", user: "village", method: "POST", path: "/api/v1/sheets",
				body: sheet("healthy-village", "self", "village", villageT2), status: 422, unchanged: true, check: wantField("unit_ref", "sheet.unit.unknown")},
			{name: "village officers only assess themselves", user: "village", method: "POST", path: "/api/v1/sheets",
				body: sheet("healthy-village", "check", "village", sqltest.Village), status: 403, unchanged: true, check: wantError(healthcell.EFORBIDDEN)},
			{name: "unknown standard", user: "village", method: "POST", path: "/api/v1/sheets",
				body: sheet("no-such-standard", "self", "village", sqltest.Village), status: 422, unchanged: true, check: wantError(healthcell.EINVALID, "standard")},
			{name: "a school standard for a village", user: "village", method: "POST", path: "/api/v1/sheets",
				body: sheet("health-promoting-school", "self", "village", sqltest.Village), status: 422, unchanged: true, check: wantField("unit_kind", "sheet.unit_kind.mismatch")},
			{name: "unknown kind", user: "village", method: "POST", path: "/api/v1/sheets",
				body: sheet("healthy-village", "audit", "village", sqltest.Village), status: 422, unchanged: true, check: wantField("kind", "sheet.kind.invalid")},
			{name: "kind is required", user: "village", method: "POST", path: "/api/v1/sheets",
				body: sheet("healthy-village", "", "village", sqltest.Village), status: 422, unchanged: true, check: wantField("kind", "sheet.kind.invalid")},
			{name: "unknown field", user: "village", method: "POST", path: "/api/v1/sheets",
				body: map[string]any{"standard": "healthy-village", "unit_ref": sqltest.Village, "score": 100}, status: 422, unchanged: true, check: wantError(healthcell.EINVALID, "body")},
			{name: "viewer may not open a sheet", user: "viewer", method: "POST", path: "/api/v1/sheets",
				body: sheet("healthy-village", "self", "village", sqltest.Village), status: 403, unchanged: true, check: wantError(healthcell.EFORBIDDEN)},
			{name: "unit contact may not assess the village", user: "unit", method: "POST", path: "/api/v1/sheets",
				body: sheet("healthy-village", "self", "village", sqltest.Village), status: 422, unchanged: true, check: wantField("unit_ref", "sheet.unit.unknown")},
			{name: "unit contact assesses its school", user: "unit", method: "POST", path: "/api/v1/sheets",
				body: sheet("health-promoting-school", "self", "school", school), status: 201,
				check: all(wantJSON("unit_kind", "school"), wantJSON("unit_ref", school), wantJSON("unit_name", "陵江小学"), wantJSON("division", sqltest.Village))},
			{name: "township opens its preliminary check", user: "township", method: "POST", path: "/api/v1/sheets",
				body: sheet("healthy-village", "check", "village", sqltest.Village), status: 201, check: wantJSON("kind", "check")},
		})
		sid := int64(id)
		p := func(format string) string { return fmt.Sprintf(format, sid) }
		photo := pngPhoto(t, 640, 480, color.RGBA{R: 30, G: 160, B: 90})
		var evidenceID int64
		big := append(pngPhoto(t, 8, 8, color.RGBA{R: 200}), bytes.Repeat([]byte{0}, healthcell.MaxEvidenceBytes)...)
		run(t, e, []scenario{
			{name: "officer reads the new sheet", user: "village", path: p("/api/v1/sheets/%d"), status: 200,
				check: all(wantResult(0, 12, false, false), wantJSON("id", id), func(t *testing.T, e *env, r *response) {
					var d sheetDoc
					r.decode(t, &d)
					if len(d.Answers) != 14 || d.Result.Passed || len(d.Result.Missing) != 15 || d.Result.Missing[0] != "1.1" {
						t.Errorf("new sheet %s", r.body)
					}
				})},
			{name: "county viewer reads it", user: "viewer", path: p("/api/v1/sheets/%d"), status: 200, check: wantResult(0, 12, false, false)},
			{name: "viewer of another township does not see it", user: "yunfeng_viewer", path: p("/api/v1/sheets/%d"), status: 404,
				check: all(wantError(healthcell.ENOTFOUND), sameBodyAs("yunfeng_viewer", "/api/v1/sheets/987654", 404))},
			{name: "nor lists it", user: "yunfeng_viewer", path: "/api/v1/sheets", status: 200, check: wantJSON("total", 0)},
			{name: "nor lists the village", user: "yunfeng_viewer", path: "/api/v1/sheets?division=" + sqltest.Village, status: 404, check: wantError(healthcell.ENOTFOUND)},
			{name: "unit contact does not see the village's sheet", user: "unit", path: p("/api/v1/sheets/%d"), status: 404, check: wantError(healthcell.ENOTFOUND)},
			{name: "unit contact lists only its own", user: "unit", path: "/api/v1/sheets", status: 200, check: all(wantJSON("total", 1), wantJSON("items.0.unit_kind", "school"))},
			{name: "officer lists the village's sheets", user: "village", path: "/api/v1/sheets?standard=healthy-village", status: 200, check: wantJSON("total", 2)},
			{name: "filter by kind", user: "county", path: "/api/v1/sheets?kind=self&division=" + sqltest.Village, status: 200, check: all(wantJSON("total", 2), wantJSON("items.0.answers", nil))},
			{name: "bad limit", user: "county", path: "/api/v1/sheets?limit=x", status: 422, check: wantError(healthcell.EINVALID, "limit")},
			{name: "missing sheet", user: "county", path: "/api/v1/sheets/987654", status: 404, check: wantError(healthcell.ENOTFOUND)},

			{name: "yes item", user: "village", method: "PUT", path: p("/api/v1/sheets/%d/answers/1.1"), body: map[string]any{"yes": true, "note": "领导小组文件"}, status: 200,
				check: all(wantResult(3, 13, false, false), wantJSON("version", 2),
					wantAnswer("1.1", func(a *healthcell.Answer) bool {
						return a.Yes != nil && *a.Yes && a.Note == "领导小组文件" && a.ScoredBy == "village"
					}))},
			{name: "veto item answered no: met", user: "village", method: "PUT", path: p("/api/v1/sheets/%d/answers/V1"), body: map[string]any{"yes": false}, status: 200,
				check: all(wantResult(3, 14, true, false), wantJSON("result.veto_met", 1))},
			{name: "veto item answered yes: vetoed", user: "village", method: "PUT", path: p("/api/v1/sheets/%d/answers/V1"), body: map[string]any{"yes": true}, status: 200,
				check: all(wantResult(3, 14, false, false), wantJSON("result.veto_met", 0))},
			{name: "veto item back to no", user: "village", method: "PUT", path: p("/api/v1/sheets/%d/answers/V1"), body: map[string]any{"yes": false}, status: 200, check: wantResult(3, 14, true, false)},
			{name: "indicator half the target scores half", user: "village", method: "PUT", path: p("/api/v1/sheets/%d/answers/2.2"), body: map[string]any{"value": 45}, status: 200, check: wantResult(6, 15, true, false)},
			{name: "graded item", user: "village", method: "PUT", path: p("/api/v1/sheets/%d/answers/3.3"), body: map[string]any{"grade": "B级"}, status: 200, check: wantResult(10, 16, true, false)},
			{name: "a count other than the register's needs a reason and evidence", user: "village", method: "PUT", path: p("/api/v1/sheets/%d/answers/2.6"), body: map[string]any{"count": 6}, status: 422, unchanged: true,
				check: all(wantField("reason", "sheet.override.reason_required"), wantField("evidence", "sheet.override.evidence_required"))},
			{name: "the register's count counts (none recorded)", user: "village", path: p("/api/v1/sheets/%d"), status: 200,
				check: all(wantResult(10, 16, true, false), wantAnswer("2.6", func(a *healthcell.Answer) bool {
					return a.Computed != nil && a.Computed.Value != nil && *a.Computed.Value == 0 && a.Override == nil && *a.Count == 0
				}))},
			{name: "unknown grade", user: "village", method: "PUT", path: p("/api/v1/sheets/%d/answers/3.3"), body: map[string]any{"grade": "S级"}, status: 422, check: wantField("answer", "score.grade.unknown")},
			{name: "negative count", user: "village", method: "PUT", path: p("/api/v1/sheets/%d/answers/2.6"), body: map[string]any{"count": -1}, status: 422, check: wantField("answer", "score.count.invalid")},
			{name: "a percentage of 1e308 is refused, not met", user: "village", method: "PUT", path: p("/api/v1/sheets/%d/answers/2.2"), body: map[string]any{"value": 1e308}, status: 422, unchanged: true,
				check: all(wantField("answer", "score.value.range"), wantJSON("error.fields.0.message", zh["score.value.range"]))},
			{name: "a count above the range is refused", user: "village", method: "PUT", path: p("/api/v1/sheets/%d/answers/2.6"), body: map[string]any{"count": 100001}, status: 422, unchanged: true,
				check: wantField("answer", "score.count.range")},
			{name: "a grade for a yes item", user: "village", method: "PUT", path: p("/api/v1/sheets/%d/answers/1.1"), body: map[string]any{"grade": "好"}, status: 422, check: wantField("answer", "score.answer.kind")},
			{name: "no answer for a yes item", user: "village", method: "PUT", path: p("/api/v1/sheets/%d/answers/5.2"), body: map[string]any{"note": "稍后"}, status: 422, check: wantField("answer", "score.answer.missing")},
			{name: "unknown item", user: "village", method: "PUT", path: p("/api/v1/sheets/%d/answers/9.9"), body: map[string]any{"yes": true}, status: 422, check: wantField("item_code", "sheet.item.unknown")},
			{name: "note too long", user: "village", method: "PUT", path: p("/api/v1/sheets/%d/answers/1.1"), body: map[string]any{"yes": true, "note": strings.Repeat("长", 501)}, status: 422, check: wantField("note", "field.too_long")},
			{name: "viewer may not answer", user: "viewer", method: "PUT", path: p("/api/v1/sheets/%d/answers/1.1"), body: map[string]any{"yes": false}, status: 403, unchanged: true, check: wantError(healthcell.EFORBIDDEN)},
			{name: "viewer of another township: not found", user: "yunfeng_viewer", method: "PUT", path: p("/api/v1/sheets/%d/answers/1.1"), body: map[string]any{"yes": false}, status: 404, unchanged: true, check: wantError(healthcell.ENOTFOUND)},
			{name: "answers were kept", user: "county", path: p("/api/v1/sheets/%d"), status: 200,
				check: all(wantResult(10, 16, true, false), wantAnswer("3.3", func(a *healthcell.Answer) bool { return a.Grade == "B级" }))},

			{name: "a photo for an attach item", user: "village", method: "POST", path: p("/api/v1/sheets/%d/evidence/1.2"), body: multipartFile(t, "IMG_0001.png", photo), header: multipartHeader, status: 201,
				check: all(wantJSON("has_thumb", true), wantJSON("mime", "image/png"), wantJSON("item_code", "1.2"), wantJSON("name", "IMG_0001.png"),
					wantJSON("size", len(photo)), wantJSON("uploaded_by", "village"), wantJSON("sheet_id", id),
					func(t *testing.T, e *env, r *response) { evidenceID = int64(r.json(t)["id"].(float64)) })},
			{name: "the attach item now scores", user: "village", path: p("/api/v1/sheets/%d"), status: 200,
				check: all(wantResult(13, 17, true, false), wantAnswer("1.2", func(a *healthcell.Answer) bool {
					return len(a.Evidence) == 1 && a.Evidence[0].HasThumb && a.Evidence[0].ID == evidenceID
				}))},
			{name: "a text file is refused", user: "village", method: "POST", path: p("/api/v1/sheets/%d/evidence/1.3"), body: multipartFile(t, "notes.jpg", []byte("这不是照片，只是一段文字。\n")), header: multipartHeader, status: 422, unchanged: true,
				check: all(wantError(healthcell.EINVALID, "file"), wantField("file", "evidence.type"), wantJSON("error.fields.0.message", zh["evidence.type"]))},
			{name: "a file over 10 MiB is refused", user: "village", method: "POST", path: p("/api/v1/sheets/%d/evidence/1.3"), body: multipartFile(t, "big.png", big), header: multipartHeader, status: 422, unchanged: true,
				check: all(wantError(healthcell.EINVALID, "file"), wantField("file", "evidence.too_large"))},
			{name: "an empty file is refused", user: "village", method: "POST", path: p("/api/v1/sheets/%d/evidence/1.3"), body: multipartFile(t, "empty.png", nil), header: multipartHeader, status: 422, unchanged: true,
				check: wantField("file", "evidence.empty")},
			{name: "a photo for an unknown item", user: "village", method: "POST", path: p("/api/v1/sheets/%d/evidence/9.9"), body: multipartFile(t, "x.png", photo), header: multipartHeader, status: 422, unchanged: true,
				check: wantField("item_code", "sheet.item.unknown")},
			{name: "viewer may not attach", user: "viewer", method: "POST", path: p("/api/v1/sheets/%d/evidence/1.3"), body: multipartFile(t, "x.png", photo), header: multipartHeader, status: 403, unchanged: true,
				check: wantError(healthcell.EFORBIDDEN)},
			{name: "viewer of another township: not found", user: "yunfeng_viewer", method: "POST", path: p("/api/v1/sheets/%d/evidence/1.3"), body: multipartFile(t, "x.png", photo), header: multipartHeader, status: 404, unchanged: true,
				check: wantError(healthcell.ENOTFOUND)},
		})

		t.Run("evidence files are served in scope only", func(t *testing.T) {
			thumb := fmt.Sprintf("/evidence/%d/thumb", evidenceID)
			file := fmt.Sprintf("/evidence/%d/file", evidenceID)
			for _, user := range []string{"yunfeng_viewer", "unit"} {
				c := e.browser(t, user)
				for _, path := range []string{thumb, file} {
					r := c.get(t, path)
					wantPage(t, r, 404, "出错了")
					if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
						t.Errorf("%s as %s: Content-Type %q", path, user, ct)
					}
				}
			}
			if r := e.anon(t).get(t, thumb); r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/login") {
				t.Errorf("thumb without session: %d %q", r.status, r.header.Get("Location"))
			}
			village := e.browser(t, "village")
			r := village.get(t, thumb)
			if r.status != 200 || r.header.Get("Content-Type") != "image/jpeg" || r.header.Get("X-Content-Type-Options") != "nosniff" {
				t.Fatalf("thumb: %d %q %q", r.status, r.header.Get("Content-Type"), r.header.Get("X-Content-Type-Options"))
			}
			img, err := jpeg.Decode(bytes.NewReader(r.body))
			if err != nil {
				t.Fatalf("thumb is not a JPEG: %v", err)
			}
			if b := img.Bounds(); b.Dx() > 320 || b.Dy() > 320 || b.Dx() < 100 {
				t.Errorf("thumb is %v, want at most 320 px a side", b)
			}
			r = e.browser(t, "viewer").get(t, file)
			if r.status != 200 || r.header.Get("Content-Type") != "image/png" || !bytes.Equal(r.body, photo) {
				t.Errorf("file as the county viewer: %d %q, %d bytes", r.status, r.header.Get("Content-Type"), len(r.body))
			}
			if cd := r.header.Get("Content-Disposition"); cd != fmt.Sprintf(`inline; filename="evidence-%d.png"; filename*=UTF-8''IMG_0001.png`, evidenceID) {
				t.Errorf("Content-Disposition %q", cd)
			}
		})

		t.Run("full marks pass", func(t *testing.T) {
			c := e.as(t, "village")
			fullMarks(t, e, c, sid, photo)
			r := c.get(t, p("/api/v1/sheets/%d"))
			wantResult(100, 27, true, true)(t, e, r)
			var d sheetDoc
			r.decode(t, &d)
			if !d.Result.Passed || len(d.Result.Missing) != 0 {
				t.Errorf("full marks: passed %v missing %q", d.Result.Passed, d.Result.Missing)
			}
			// A vetoed sheet fails whatever its total.
			r = c.do(t, "PUT", p("/api/v1/sheets/%d/answers/V1"), map[string]any{"yes": true})
			wantResult(100, 27, false, true)(t, e, r)
			if jpath(r.json(t), "result.passed") != false {
				t.Errorf("a vetoed sheet passed")
			}
		})
	})
}

// sheetIDFrom reads the sheet id from a redirect to /sheets/{id}.
func sheetIDFrom(t testing.TB, r *response) int64 {
	t.Helper()
	m := regexp.MustCompile(`^/sheets/(\d+)$`).FindStringSubmatch(r.header.Get("Location"))
	if r.status != http.StatusSeeOther || m == nil {
		t.Fatalf("open sheet: %d %q\n%s", r.status, r.header.Get("Location"), r.body)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

// textOf returns the text of the element with id in an HTML page.
func textOf(t testing.TB, body []byte, id string) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<[a-z]+[^>]* id="` + regexp.QuoteMeta(id) + `"[^>]*>(.*?)</`).FindSubmatch(body)
	if m == nil {
		t.Fatalf("no #%s\n%s", id, body)
	}
	return strings.TrimSpace(string(m[1]))
}

func TestSheetPages(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.loadStandards(t)
		e.addUser(t, "yunfeng_viewer", healthcell.RoleViewer, sqltest.Township2)
		zh := messages(t)
		village := e.browser(t, "village")
		hx := []string{"HX-Request", "true"}

		t.Run("the village page offers a self-assessment", func(t *testing.T) {
			r := village.get(t, "/divisions/"+sqltest.Village)
			wantPage(t, r, 200, `id="village-sheets"`, `id="self-healthy-village"`, "健康村自查", `name="unit" value="village:`+sqltest.Village+`"`)
			noRawKeys(t, "village", r.body)
			if r := e.browser(t, "viewer").get(t, "/divisions/"+sqltest.Village); strings.Contains(string(r.body), `id="self-healthy-village"`) {
				t.Errorf("the viewer is offered a self-assessment")
			}
		})

		id := sheetIDFrom(t, village.do(t, "POST", "/sheets", url.Values{"standard": {"healthy-village"}, "unit": {"village:" + sqltest.Village}, "kind": {"self"}}))
		sheetPath := fmt.Sprintf("/sheets/%d", id)

		t.Run("a new sheet", func(t *testing.T) {
			r := village.get(t, sheetPath)
			wantPage(t, r, 200, villageName+" · 自查", `id="file-1.2"`, `id="one-by-one"`, `id="item-V1"`, `<mark class="veto">否决项</mark>`)
			noRawKeys(t, "sheet", r.body)
			if got := textOf(t, r.body, "running-total"); got != "0" {
				t.Errorf("#running-total = %q", got)
			}
			if got := textOf(t, r.body, "sheet-result"); got != zh["sheet.result.incomplete"] {
				t.Errorf("#sheet-result = %q", got)
			}
			if got := textOf(t, r.body, "veto-status"); got != zh["sheet.veto.failed"] {
				t.Errorf("#veto-status = %q", got)
			}
			// Only items computed from the registers are answered on a new sheet,
			// and they show the computed value with its counts and a link to the rows.
			if strings.Contains(string(r.body), `<article class="item answered" id="item-1.1">`) {
				t.Errorf("a new sheet has answered items")
			}
			wantPage(t, r, 200, `<article class="item answered" id="item-3.1">`, `id="computed-3.1"`, `（0 / 2）`, zh["sheet.computed.label"],
				`href="/dashboard/indicators/toilet_rate?division=`+sqltest.Village+`&amp;period=2025"`)
			// The village page now links to it.
			wantPage(t, village.get(t, "/divisions/"+sqltest.Village), 200, `href="`+sheetPath+`"`)
			wantPage(t, village.get(t, "/sheets"), 200, `href="`+sheetPath+`"`)
		})

		t.Run("answers through htmx", func(t *testing.T) {
			r := village.do(t, "POST", sheetPath+"/answers/1.1", url.Values{"yes": {"1"}, "note": {""}}, hx...)
			wantPage(t, r, 200, `<article class="item answered" id="item-1.1">`, `<div id="sheet">`)
			if got := textOf(t, r.body, "running-total"); got != "3" {
				t.Errorf("#running-total after 1.1 = %q, want 3", got)
			}
			r = village.do(t, "POST", sheetPath+"/answers/V1", url.Values{"yes": {"0"}})
			if r.status != http.StatusSeeOther || r.header.Get("Location") != sheetPath+"#item-V1" {
				t.Errorf("answer without htmx: %d %q", r.status, r.header.Get("Location"))
			}
			r = village.get(t, sheetPath)
			if got := textOf(t, r.body, "veto-status"); got != zh["sheet.veto.ok"] {
				t.Errorf("#veto-status after V1 否 = %q", got)
			}
			wantPage(t, r, 200, `<article class="item answered" id="item-V1">`)
			r = village.do(t, "POST", sheetPath+"/answers/2.2", url.Values{"value": {"90%"}}, hx...)
			if got := textOf(t, r.body, "running-total"); got != "9" {
				t.Errorf("#running-total after 2.2 = %q, want 9", got)
			}
		})

		t.Run("a bad answer is shown at its item", func(t *testing.T) {
			r := village.do(t, "POST", sheetPath+"/answers/2.3", url.Values{"value": {"七十"}}, hx...)
			wantPage(t, r, 200, `id="error-2.3"`, zh["standard.number.invalid"])
			r = village.do(t, "POST", sheetPath+"/answers/3.5", url.Values{"note": {"还没看"}})
			wantPage(t, r, 422, `id="error-3.5"`, zh["score.answer.missing"])
			if got := textOf(t, r.body, "running-total"); got != "9" {
				t.Errorf("#running-total after refused answers = %q, want 9", got)
			}
		})

		t.Run("photos", func(t *testing.T) {
			r := village.do(t, "POST", sheetPath+"/evidence/1.3", multipartFile(t, "说明.txt", []byte("not a photo")), multipartHeader...)
			wantPage(t, r, 422, `id="error-1.3"`, zh["evidence.type"])
			for i, c := range []color.RGBA{{R: 200, G: 80, B: 40}, {R: 40, G: 80, B: 200}} {
				r = village.do(t, "POST", sheetPath+"/evidence/1.3", multipartFile(t, fmt.Sprintf("photo%d.png", i), pngPhoto(t, 300, 200, c)), append(multipartHeader, hx...)...)
				wantPage(t, r, 200, `<article class="item answered" id="item-1.3">`)
			}
			thumbs := regexp.MustCompile(`(?s)<article class="item answered" id="item-1.3">.*?</article>`).Find(r.body)
			if n := len(regexp.MustCompile(`<img src="/evidence/\d+/thumb"`).FindAll(thumbs, -1)); n != 2 {
				t.Errorf("item 1.3 shows %d thumbnails, want 2", n)
			}
			if got := textOf(t, r.body, "running-total"); got != "13" {
				t.Errorf("#running-total after the photos = %q, want 13", got)
			}
			// Removing one keeps the other.
			eid := regexp.MustCompile(`/evidence/(\d+)/delete`).FindSubmatch(thumbs)
			if eid == nil {
				t.Fatalf("no delete button:\n%s", thumbs)
			}
			r = village.do(t, "POST", "/evidence/"+string(eid[1])+"/delete", url.Values{}, hx...)
			wantPage(t, r, 200, `<article class="item answered" id="item-1.3">`)
			if r := village.get(t, "/evidence/"+string(eid[1])+"/thumb"); r.status != 404 {
				t.Errorf("removed thumb: %d", r.status)
			}
		})

		t.Run("one item at a time", func(t *testing.T) {
			r := village.get(t, sheetPath+"?item=1.1")
			wantPage(t, r, 200, "第 1 项，共 27 项", `id="next-item"`, `href="`+sheetPath+`?item=1.2"`, `action="`+sheetPath+`/answers/1.1?one=1.1"`)
			if strings.Contains(string(r.body), `id="prev-item"`) || strings.Contains(string(r.body), `id="item-1.2"`) {
				t.Errorf("the first item has a previous link or shows other items")
			}
			r = village.do(t, "POST", sheetPath+"/answers/1.1?one=1.1", url.Values{"yes": {"0"}})
			if r.status != http.StatusSeeOther || r.header.Get("Location") != sheetPath+"?item=1.1#item-1.1" {
				t.Errorf("answer in one-item mode: %d %q", r.status, r.header.Get("Location"))
			}
			r = village.get(t, sheetPath+"?item=V1")
			wantPage(t, r, 200, "第 27 项，共 27 项", `id="prev-item"`)
			if strings.Contains(string(r.body), `id="next-item"`) {
				t.Errorf("the last item has a next link")
			}
		})

		t.Run("print", func(t *testing.T) {
			r := village.get(t, sheetPath+"/print")
			wantPage(t, r, 200, "健康村评价标准评分表", villageName, "<td>1.1</td>", "【否决项】", "评分人", `href="/static/print.css"`)
			noRawKeys(t, "print", r.body)
		})

		t.Run("export to Excel", func(t *testing.T) {
			r := village.get(t, sheetPath+"/export.xlsx")
			if r.status != 200 || r.header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
				t.Fatalf("export: %d %q", r.status, r.header.Get("Content-Type"))
			}
			// Named in Chinese: 评分表, the unit, the standard.
			if name, fallback := downloadName(t, r); name != "评分表-金穗社区-健康村.xlsx" || fallback != fmt.Sprintf("score-sheet-%d.xlsx", id) {
				t.Errorf("file name %q, fallback %q", name, fallback)
			}
			f, err := excelize.OpenReader(bytes.NewReader(r.body))
			if err != nil {
				t.Fatalf("not a workbook: %v", err)
			}
			defer f.Close()
			sheets := f.GetSheetList()
			if len(sheets) == 0 {
				t.Fatal("no sheets")
			}
			rows, err := f.GetRows(sheets[0])
			if err != nil {
				t.Fatal(err)
			}
			var text strings.Builder
			for _, row := range rows {
				text.WriteString(strings.Join(row, "\t") + "\n")
			}
			for _, want := range []string{villageName, "1.1", "V1", "2.2"} {
				if !strings.Contains(text.String(), want) {
					t.Errorf("the workbook does not mention %q:\n%s", want, text.String())
				}
			}
		})

		t.Run("read-only for the county viewer", func(t *testing.T) {
			r := e.browser(t, "viewer").get(t, sheetPath)
			wantPage(t, r, 200, `id="running-total"`)
			if strings.Contains(string(r.body), "hx-post") || strings.Contains(string(r.body), `id="file-1.2"`) {
				t.Errorf("the viewer is offered forms")
			}
			r = e.browser(t, "viewer").do(t, "POST", sheetPath+"/answers/1.1", url.Values{"yes": {"1"}})
			wantPage(t, r, 403, "出错了")
		})

		t.Run("not found for a viewer of another township", func(t *testing.T) {
			other := e.browser(t, "yunfeng_viewer")
			for _, path := range []string{sheetPath, sheetPath + "/print", sheetPath + "/export.xlsx", sheetPath + "?item=1.1"} {
				r := other.get(t, path)
				wantPage(t, r, 404, "出错了")
				if strings.Contains(string(r.body), villageName) {
					t.Errorf("%s: the 404 page names the village", path)
				}
			}
			r := other.do(t, "POST", sheetPath+"/answers/1.1", url.Values{"yes": {"1"}}, hx...)
			wantPage(t, r, 404, "出错了")
			if r := other.get(t, "/sheets"); strings.Contains(string(r.body), `href="`+sheetPath+`"`) {
				t.Errorf("the sheets list of another township shows the sheet")
			}
		})
	})
}
