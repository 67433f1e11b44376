package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/catalog/standards"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
	"github.com/healthcell/healthcell/standardfile"
)

// testBoundary separates the parts of the multipart bodies the tests send,
// so that the Content-Type header can be written before the body.
const testBoundary = "healthcell-test-boundary-7d3f"

// multipartHeader is the Content-Type of a body built by multipartFile.
var multipartHeader = []string{"Content-Type", "multipart/form-data; boundary=" + testBoundary}

// multipartFile returns a multipart/form-data body with one file field
// "file" named name.
func multipartFile(t testing.TB, name string, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if err := mw.SetBoundary(testBoundary); err != nil {
		t.Fatal(err)
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, name))
	h.Set("Content-Type", "application/octet-stream")
	w, err := mw.CreatePart(h)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// catalogStandard returns a copy of a shipped standard.
func catalogStandard(t testing.TB, code string) *healthcell.Standard {
	t.Helper()
	all, err := standards.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range all {
		if s.Code == code {
			return s
		}
	}
	t.Fatalf("no shipped standard %s", code)
	return nil
}

// loadStandards loads the shipped standards as the command line does, and
// returns how many there are.
func (e *env) loadStandards(t testing.TB) int {
	t.Helper()
	all, err := standards.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range all {
		if err := e.db.CreateStandard(sqltest.System(), s); err != nil {
			t.Fatalf("load standard %s: %v", s.Code, err)
		}
	}
	return len(all)
}

// xlsxOf writes s as a workbook.
func xlsxOf(t testing.TB, s *healthcell.Standard) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := standardfile.WriteXLSX(&buf, s); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// badStandardCSV is a standard table with one good item and six bad ones;
// badRows lists the rows (as a spreadsheet shows them) with the column and
// message key that must be reported for each, and nothing else.
func badStandardCSV() (csv []byte, badRows []fieldAtRow) {
	lines := []string{
		"标准名称,测试用村标准",
		"标准编号,bad-village",
		"创建类型,健康村",
		"适用对象,村",
		"合格分数,5",
		"",
		"一级指标,编号,评分内容,分值,评分方法,关联指标,目标值",
		"组织管理,1.1,成立领导小组,5,是,,",
	}
	add := func(line, field, key string) {
		lines = append(lines, line)
		badRows = append(badRows, fieldAtRow{Row: len(lines), Field: field, Key: key})
	}
	add("组织管理,1.2,分值漏填的一项,,是,,", "分值", "standard.points.missing")
	add("组织管理,1.3,分值写成汉字的一项,五分,是,,", "分值", "standard.number.invalid")
	add("组织管理,1.1,编号重复的一项,3,是,,", "编号", "standard.item.duplicate")
	add("健康环境,2.1,评分方法写错的一项,4,打分,,", "评分方法", "standard.method.unknown")
	add("健康环境,2.2,缺关联指标的达标项,4,达标,,90", "关联指标", "standard.indicator.missing")
	add("健康环境,2.3,关联指标代码写错的一项,4,达标,greening_rates,90", "关联指标", "standard.indicator.unknown")
	return []byte("\ufeff" + strings.Join(lines, "\r\n") + "\r\n"), badRows
}

// fieldAtRow is one expected problem of an uploaded standard.
type fieldAtRow struct {
	Row   int    `json:"row"`
	Field string `json:"field"`
	Key   string `json:"key"`
}

// wantRowErrors checks that a 422 lists exactly the problems want, each with
// a Chinese message.
func wantRowErrors(want []fieldAtRow) check {
	return func(t *testing.T, e *env, r *response) {
		t.Helper()
		wantError(healthcell.EINVALID)(t, e, r)
		var doc struct {
			Error struct {
				Fields []struct {
					fieldAtRow
					Message string `json:"message"`
					Value   string `json:"value"`
				} `json:"fields"`
			} `json:"error"`
		}
		r.decode(t, &doc)
		var got []fieldAtRow
		for _, f := range doc.Error.Fields {
			got = append(got, f.fieldAtRow)
			if !hasHan(f.Message) || f.Message == f.Key {
				t.Errorf("row %d %s: message %q is not a Chinese sentence", f.Row, f.Field, f.Message)
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("field errors\n got %+v\nwant %+v\n%s", got, want, r.body)
		}
	}
}

// standardsList returns the body of GET /api/v1/standards as the county.
func (e *env) standardsList(t testing.TB) string {
	t.Helper()
	r := e.as(t, "county").get(t, "/api/v1/standards")
	if r.status != http.StatusOK {
		t.Fatalf("list standards: %d %s", r.status, r.body)
	}
	return string(r.body)
}

func TestAPIStandards(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		shipped := e.loadStandards(t)
		std := catalogStandard(t, "healthy-village")
		std.Code, std.Name = "cangxi-village", "苍溪县健康村评价标准（本县）"
		v1 := xlsxOf(t, std)
		std.PassScore = 85
		std.Items[0].Text += "（修订）"
		v2 := xlsxOf(t, std)
		var y bytes.Buffer
		if err := standardfile.WriteYAML(&y, std); err != nil {
			t.Fatal(err)
		}
		badCSV, badRows := badStandardCSV()

		var firstID float64
		var listAfterLoads string
		unchangedList := func(t *testing.T, e *env, r *response) {
			t.Helper()
			if got := e.standardsList(t); got != listAfterLoads {
				t.Errorf("a refused upload changed the standards:\nbefore %s\nafter  %s", listAfterLoads, got)
			}
		}
		run(t, e, []scenario{
			{name: "everyone reads the shipped standards", user: "village", path: "/api/v1/standards", status: 200,
				check: func(t *testing.T, e *env, r *response) {
					var l struct {
						Items []healthcell.Standard
						Total int
					}
					r.decode(t, &l)
					if l.Total != shipped || len(l.Items) != shipped {
						t.Errorf("%d standards listed (total %d), want %d", len(l.Items), l.Total, shipped)
					}
					for _, s := range l.Items {
						if s.Version != 1 || s.Items != nil || s.TotalPoints <= 0 {
							t.Errorf("listed %+v", s)
						}
					}
				}},
			{name: "one standard with its items", user: "unit", path: "/api/v1/standards/healthy-village", status: 200,
				check: all(wantJSON("code", "healthy-village"), wantJSON("version", 1), wantJSON("items.0.code", "1.1"),
					func(t *testing.T, e *env, r *response) {
						var s healthcell.Standard
						r.decode(t, &s)
						if v := s.Item("V1"); v == nil || !v.Veto || v.Method != healthcell.MethodNo {
							t.Errorf("V1 = %+v", v)
						}
					})},
			{name: "unknown standard", user: "village", path: "/api/v1/standards/no-such-standard", status: 404, check: wantError(healthcell.ENOTFOUND)},
			{name: "unknown version", user: "village", path: "/api/v1/standards/healthy-village?version=9", status: 404, check: wantError(healthcell.ENOTFOUND)},

			{name: "county loads a workbook", user: "county", method: "POST", path: "/api/v1/standards", body: multipartFile(t, "本县健康村标准.xlsx", v1), header: multipartHeader, status: 201,
				check: all(wantJSON("code", "cangxi-village"), wantJSON("version", 1), wantJSON("total_points", 100),
					func(t *testing.T, e *env, r *response) { firstID = r.json(t)["id"].(float64) })},
			{name: "the same workbook again stores nothing", user: "county", method: "POST", path: "/api/v1/standards", body: multipartFile(t, "again.xlsx", v1), header: multipartHeader, status: 201, unchanged: true,
				check: all(wantJSON("version", 1), func(t *testing.T, e *env, r *response) {
					if id := r.json(t)["id"]; id != firstID {
						t.Errorf("id %v, want the first load's %v", id, firstID)
					}
				})},
			{name: "a changed workbook is version 2", user: "county", method: "POST", path: "/api/v1/standards", body: multipartFile(t, "本县健康村标准-修订.xlsx", v2), header: multipartHeader, status: 201,
				check: all(wantJSON("code", "cangxi-village"), wantJSON("version", 2))},
			{name: "the same standard as YAML is the same version", user: "county", method: "POST", path: "/api/v1/standards", body: multipartFile(t, "cangxi-village.yaml", y.Bytes()), header: multipartHeader, status: 201, unchanged: true,
				check: wantJSON("version", 2)},
			{name: "latest version", user: "village", path: "/api/v1/standards/cangxi-village", status: 200,
				check: all(wantJSON("version", 2), wantJSON("pass_score", 85), wantJSON("created_by", "county"))},
			{name: "first version is kept", user: "village", path: "/api/v1/standards/cangxi-village?version=1", status: 200,
				check: all(wantJSON("version", 1), wantJSON("pass_score", 80))},
			{name: "listed once, at its latest version", user: "county", path: "/api/v1/standards", status: 200,
				check: func(t *testing.T, e *env, r *response) {
					listAfterLoads = string(r.body)
					n := 0
					for _, it := range r.json(t)["items"].([]any) {
						if jpath(it, "code") == "cangxi-village" {
							n++
							if jpath(it, "version") != float64(2) {
								t.Errorf("listed %v", it)
							}
						}
					}
					if n != 1 || jpath(r.json(t), "total") != float64(shipped+1) {
						t.Errorf("cangxi-village listed %d times, total %v", n, jpath(r.json(t), "total"))
					}
				}},

			{name: "a CSV with five bad rows lists each once with its row", user: "county", method: "POST", path: "/api/v1/standards", body: multipartFile(t, "有错的标准.csv", badCSV), header: multipartHeader,
				status: 422, unchanged: true, check: all(wantRowErrors(badRows), unchangedList)},
			{name: "a file of another type", user: "county", method: "POST", path: "/api/v1/standards", body: multipartFile(t, "standard.pdf", []byte("%PDF-1.4")), header: multipartHeader,
				status: 422, unchanged: true, check: all(wantField("file", "standard.file.type"), unchangedList)},
			{name: "no file", user: "county", method: "POST", path: "/api/v1/standards", body: []byte("--" + testBoundary + "--\r\n"), header: multipartHeader,
				status: 422, unchanged: true, check: all(wantField("file", "standard.file.empty"), unchangedList)},
			{name: "a broken workbook", user: "county", method: "POST", path: "/api/v1/standards", body: multipartFile(t, "broken.xlsx", v1[:len(v1)/2]), header: multipartHeader,
				status: 422, unchanged: true, check: all(wantField("file", "standard.file.unreadable"), unchangedList)},
			{name: "viewer may not load", user: "viewer", method: "POST", path: "/api/v1/standards", body: multipartFile(t, "viewer.xlsx", v2), header: multipartHeader,
				status: 403, unchanged: true, check: all(wantError(healthcell.EFORBIDDEN), unchangedList)},
			{name: "township may not load", user: "township", method: "POST", path: "/api/v1/standards", body: multipartFile(t, "township.csv", badCSV), header: multipartHeader,
				status: 403, unchanged: true, check: all(wantError(healthcell.EFORBIDDEN), unchangedList)},
			{name: "cross-site load is refused", user: "county", method: "POST", path: "/api/v1/standards", body: multipartFile(t, "csrf.xlsx", v2), header: append([]string{"Sec-Fetch-Site", "cross-site", "Origin", "http://evil.example"}, multipartHeader...),
				status: 403, unchanged: true, check: all(wantError(healthcell.EFORBIDDEN), unchangedList)},
		})
	})
}

// standardRows returns the rows of the #standards table: name, cell type, code, version, total.
func standardRows(t testing.TB, body []byte) [][]string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<table class="striped stack" id="standards">.*?<tbody>(.*?)</tbody>`).FindSubmatch(body)
	if m == nil {
		t.Fatalf("no #standards table\n%s", body)
	}
	var out [][]string
	tags := regexp.MustCompile(`<[^>]*>`)
	for _, tr := range regexp.MustCompile(`(?s)<tr>(.*?)</tr>`).FindAllSubmatch(m[1], -1) {
		var row []string
		for _, td := range regexp.MustCompile(`(?s)<td[^>]*>(.*?)</td>`).FindAllSubmatch(tr[1], -1) {
			row = append(row, strings.TrimSpace(tags.ReplaceAllString(string(td[1]), "")))
		}
		out = append(out, row)
	}
	return out
}

// sameStandard compares a standard read back from a file with the stored one.
func sameStandard(t testing.TB, what string, got, want *healthcell.Standard) {
	t.Helper()
	w := *want
	w.ID, w.Version, w.CreatedAt, w.CreatedBy = 0, 0, time.Time{}, ""
	g := *got
	g.ID, g.Version, g.CreatedAt, g.CreatedBy = 0, 0, time.Time{}, ""
	if reflect.DeepEqual(g, w) {
		return
	}
	gj, _ := json.Marshal(g)
	wj, _ := json.Marshal(w)
	if string(gj) == string(wj) {
		return // nil and empty slices
	}
	t.Errorf("%s does not read back as the stored standard", what)
	if len(g.Items) != len(w.Items) {
		t.Errorf("%d items, want %d", len(g.Items), len(w.Items))
		return
	}
	for i := range g.Items {
		a, _ := json.Marshal(g.Items[i])
		b, _ := json.Marshal(w.Items[i])
		if string(a) != string(b) {
			t.Errorf("item %d:\n got %s\nwant %s", i+1, a, b)
		}
	}
	g.Items, w.Items = nil, nil
	if gj, wj := mustMarshal(g), mustMarshal(w); gj != wj {
		t.Errorf("fields:\n got %s\nwant %s", gj, wj)
	}
}

func mustMarshal(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestStandardPages(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		shipped := e.loadStandards(t)
		county := e.browser(t, "county")
		village := e.browser(t, "village")

		t.Run("the list shows every shipped standard", func(t *testing.T) {
			r := village.get(t, "/standards")
			wantPage(t, r, 200, `href="/standards/healthy-village"`, `href="/standards/healthy-enterprise"`, "健康村")
			noRawKeys(t, "standards", r.body)
			rows := standardRows(t, r.body)
			if len(rows) != shipped || shipped != 8 {
				t.Errorf("%d standards listed, want the %d shipped (8)", len(rows), shipped)
			}
			// Codes (healthy-village) are for the county's files: a
			// village officer sees names only.
			for _, row := range rows {
				if len(row) != 6 || row[0] == "" || row[2] == "" || row[3] == "" || row[4] != "1" || strings.Contains(strings.Join(row, " "), "healthy-") {
					t.Errorf("row %q", row)
				}
			}
			for _, row := range standardRows(t, county.get(t, "/standards").body) {
				if len(row) != 7 || row[5] != "1" {
					t.Errorf("county row %q", row)
				}
			}
			if strings.Contains(string(r.body), `id="upload"`) {
				t.Errorf("the village officer is offered the upload form")
			}
			if !strings.Contains(string(county.get(t, "/standards").body), `id="standard-file"`) {
				t.Errorf("the county has no upload form")
			}
		})

		t.Run("a standard shows its veto and bonus items", func(t *testing.T) {
			r := village.get(t, "/standards/healthy-enterprise")
			wantPage(t, r, 200, `<mark class="veto">否决项</mark>`, `<mark class="bonus">加分项</mark>`, `id="standard-name"`,
				`href="/standards/healthy-enterprise/export/xlsx?version=1"`)
			noRawKeys(t, "standard", r.body)
			want := catalogStandard(t, "healthy-enterprise")
			nVeto, nBonus := 0, 0
			for _, it := range want.Items {
				if it.Veto {
					nVeto++
				}
				if it.Bonus {
					nBonus++
				}
			}
			if got := strings.Count(string(r.body), `<mark class="veto">`); got != nVeto {
				t.Errorf("%d veto marks, want %d", got, nVeto)
			}
			if got := strings.Count(string(r.body), `<mark class="bonus">`); got != nBonus {
				t.Errorf("%d bonus marks, want %d", got, nBonus)
			}
		})

		t.Run("unknown standard is a 404 page", func(t *testing.T) {
			wantPage(t, village.get(t, "/standards/no-such-standard"), 404, "出错了")
			wantPage(t, village.get(t, "/standards/healthy-village/export/pdf"), 404, "出错了")
		})

		for _, code := range []string{"healthy-village", "healthy-enterprise", "health-promoting-school"} {
			stored, err := e.db.FindStandard(sqltest.System(), code, 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range []struct{ format, ctype string }{
				{"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
				{"csv", "text/csv; charset=utf-8"},
				{"yaml", "application/yaml; charset=utf-8"},
			} {
				t.Run("export "+code+" as "+f.format, func(t *testing.T) {
					r := village.get(t, "/standards/"+code+"/export/"+f.format+"?version=1")
					if r.status != 200 || r.header.Get("Content-Type") != f.ctype {
						t.Fatalf("status %d, Content-Type %q\n%.300s", r.status, r.header.Get("Content-Type"), r.body)
					}
					name, fallback := downloadName(t, r)
					if !strings.HasPrefix(name, "健康") || !strings.HasSuffix(name, "（第1版）."+f.format) || fallback != code+"-v1."+f.format {
						t.Errorf("file name %q, fallback %q", name, fallback)
					}
					var got *healthcell.Standard
					if f.format == "yaml" {
						got, err = standardfile.ParseYAML(bytes.NewReader(r.body))
					} else {
						got, err = standardfile.ParseSheet(bytes.NewReader(r.body), name)
					}
					if err != nil {
						t.Fatalf("read back: %v %v", err, healthcell.ErrorFields(err))
					}
					sameStandard(t, name, got, stored)
				})
			}
		}

		t.Run("a bad upload through the form lists the rows in Chinese", func(t *testing.T) {
			csv, bad := badStandardCSV()
			before := e.standardsList(t)
			r := county.do(t, "POST", "/standards", multipartFile(t, "有错的标准.csv", csv), multipartHeader...)
			wantPage(t, r, 422, `id="upload-errors"`, "填写的内容有误，请按提示修改")
			noRawKeys(t, "standards upload", r.body)
			zh := messages(t)
			for _, b := range bad {
				line := fmt.Sprintf("第 %d 行 【%s】%s", b.Row, b.Field, zh[b.Key])
				if n := strings.Count(string(r.body), line); n != 1 {
					t.Errorf("the page shows %q %d times", line, n)
				}
			}
			if n := strings.Count(string(r.body), "<li>第 "); n != len(bad) {
				t.Errorf("%d row errors shown, want %d", n, len(bad))
			}
			if got := len(standardRows(t, r.body)); got != shipped {
				t.Errorf("the page lists %d standards after the refused upload, want %d", got, shipped)
			}
			if e.standardsList(t) != before {
				t.Errorf("the refused upload stored something")
			}
		})

		t.Run("a good upload through the form goes to the new standard", func(t *testing.T) {
			std := catalogStandard(t, "healthy-community")
			std.Code = "cangxi-community"
			r := county.do(t, "POST", "/standards", multipartFile(t, "社区.xlsx", xlsxOf(t, std)), multipartHeader...)
			if r.status != http.StatusSeeOther || r.header.Get("Location") != "/standards/cangxi-community?version=1" {
				t.Fatalf("upload: %d %q\n%s", r.status, r.header.Get("Location"), r.body)
			}
			wantPage(t, county.get(t, "/standards/cangxi-community?version=1"), 200, std.Name, "标准已导入")
		})

		t.Run("viewer may not upload through the form", func(t *testing.T) {
			std := catalogStandard(t, "healthy-family")
			std.Code = "viewer-family"
			r := e.browser(t, "viewer").do(t, "POST", "/standards", multipartFile(t, "family.xlsx", xlsxOf(t, std)), multipartHeader...)
			wantPage(t, r, 403, "出错了")
			if _, err := e.db.FindStandard(sqltest.System(), "viewer-family", 0); healthcell.ErrorCode(err) != healthcell.ENOTFOUND {
				t.Errorf("the viewer's standard was stored: %v", err)
			}
		})
	})
}

// messages returns the Simplified Chinese message catalogue.
func messages(t testing.TB) map[string]string {
	t.Helper()
	raw, err := os.ReadFile("../locale/messages/zh-CN.json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]string
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}
