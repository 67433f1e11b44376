package web_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

func TestAPIRegisters(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		village := e.as(t, "village")
		r := village.get(t, "/api/v1/registers")
		if r.status != 200 || !strings.Contains(r.String(), `"code":"checkups"`) {
			t.Fatalf("registers: %d %s", r.status, r.body)
		}
		checkup := func(person *healthcell.Person, date string) map[string]any {
			return map[string]any{"person": person.ID, "values": map[string]any{"exam_date": date, "kind": "elderly", "summary": "血压偏高"}}
		}
		r = village.do(t, "POST", "/api/v1/registers/checkups/entries", checkup(e.pA, "2025-03-02"))
		if r.status != http.StatusCreated {
			t.Fatalf("create: %d %s", r.status, r.body)
		}
		var ent healthcell.Entry
		r.decode(t, &ent)
		entry := fmt.Sprintf("/api/v1/registers/checkups/entries/%d", ent.ID)
		if ent.PersonName != "张三" || ent.Values["kind"] != "elderly" || r.header.Get("Location") != entry {
			t.Errorf("created %+v at %s", ent, r.header.Get("Location"))
		}
		run(t, e, []scenario{
			{name: "village lists its check-ups", user: "village", path: "/api/v1/registers/checkups/entries", status: 200, check: wantJSON("total", 1)},
			{name: "township lists them too", user: "township", path: "/api/v1/registers/checkups/entries?division=" + sqltest.Village, status: 200, check: wantJSON("total", 1)},
			{name: "viewer may not list health data", user: "viewer", path: "/api/v1/registers/checkups/entries", status: 403, check: wantError(healthcell.EFORBIDDEN)},
			{name: "viewer may not read one either", user: "viewer", path: entry, status: 404, check: wantError(healthcell.ENOTFOUND)},
			{name: "viewer lists activities", user: "viewer", path: "/api/v1/registers/activities/entries", status: 200, check: wantJSON("total", 0)},
			{name: "unknown register", user: "village", path: "/api/v1/registers/nope/entries", status: 404, check: wantError(healthcell.ENOTFOUND)},
			{name: "bad date filter", user: "village", path: "/api/v1/registers/checkups/entries?from=2025-02-30", status: 422, check: wantField("from", "register.bad_date")},
			{name: "bad values are 422 and store nothing", user: "village", method: "POST", path: "/api/v1/registers/checkups/entries",
				body: map[string]any{"person": e.pA.ID, "values": map[string]any{"exam_date": "2025-02-30", "kind": "x"}}, status: 422, unchanged: true,
				check: all(wantField("exam_date", "register.bad_date"), wantField("kind", "register.bad_option"))},
			{name: "another village's resident is 422", user: "village", method: "POST", path: "/api/v1/registers/checkups/entries",
				body: checkup(e.pB, "2025-03-02"), status: 422, unchanged: true, check: wantField("person", "person.not_found")},
			{name: "viewer may not write", user: "viewer", method: "POST", path: "/api/v1/registers/checkups/entries",
				body: checkup(e.pA, "2025-03-02"), status: 403, unchanged: true, check: wantError(healthcell.EFORBIDDEN)},
			{name: "an unknown key in values is 422 and stores nothing", user: "village", method: "POST", path: "/api/v1/registers/checkups/entries",
				body:   map[string]any{"person": e.pA.ID, "values": map[string]any{"exam_date": "2025-03-02", "kind": "elderly", "surgeon": "王医生"}},
				status: 422, unchanged: true, check: all(wantField("surgeon", "register.unknown_field"), wantEntries("checkups", 1))},
			{name: "a NUL inside a value is 422 and stores nothing", user: "village", method: "POST", path: "/api/v1/registers/checkups/entries",
				body:   map[string]any{"person": e.pA.ID, "values": map[string]any{"exam_date": "2025-03-02", "kind": "elderly", "summary": "血压\x00偏高"}},
				status: 422, unchanged: true, check: all(wantField("summary", "text.control"), wantEntries("checkups", 1))},
			{name: "a control character inside a value is 422 and stores nothing", user: "village", method: "POST", path: "/api/v1/registers/checkups/entries",
				body:   map[string]any{"person": e.pA.ID, "values": map[string]any{"exam_date": "2025-03-02", "kind": "elderly", "organisation": "卫生院\x1b[2J"}},
				status: 422, unchanged: true, check: all(wantField("organisation", "text.control"), wantEntries("checkups", 1))},
			{name: "an update with a NUL is 422 and changes nothing", user: "village", method: "PUT", path: entry,
				body:   map[string]any{"values": map[string]any{"exam_date": "2025-03-03", "kind": "elderly", "summary": "\x00"}, "version": 1},
				status: 422, unchanged: true, check: all(wantField("summary", "text.control"), wantEntries("checkups", 1))},
			{name: "stale update is 409", user: "village", method: "PUT", path: entry,
				body: map[string]any{"values": map[string]any{"exam_date": "2025-03-03", "kind": "elderly"}, "version": 7}, status: 409, check: wantError(healthcell.ECONFLICT)},
			{name: "update", user: "township", method: "PUT", path: entry,
				body: map[string]any{"values": map[string]any{"exam_date": "2025-03-03", "kind": "general"}, "version": 1}, status: 200,
				check: all(wantJSON("version", 2), wantJSON("values.kind", "general"))},
			{name: "withdraw needs the version", user: "village", method: "DELETE", path: entry, status: 422, check: wantField("version", "field.required")},
			{name: "withdraw", user: "village", method: "DELETE", path: entry + "?version=2", status: 204},
			{name: "gone from the list", user: "village", path: "/api/v1/registers/checkups/entries", status: 200, check: wantJSON("total", 0)},
			{name: "an activity with numbers as JSON numbers", user: "village", method: "POST", path: "/api/v1/registers/activities/entries",
				body:   map[string]any{"village": sqltest.Village, "values": map[string]any{"kind": "健康讲座", "activity_date": "2025-05-01", "place": "村活动室", "topic": "合理膳食", "attendance": 1}},
				status: 201, check: wantJSON("values.attendance", 1)},
			{name: "attendance above the village's population is 422", user: "village", method: "POST", path: "/api/v1/registers/activities/entries",
				body:   map[string]any{"village": sqltest.Village, "values": map[string]any{"kind": "健康讲座", "activity_date": "2025-05-01", "place": "村活动室", "topic": "合理膳食", "attendance": 4200}},
				status: 422, unchanged: true, check: wantField("attendance", "register.above_population")},
		})
	})
}

func TestRegisterPages(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		village := e.as(t, "village")
		r := village.get(t, "/registers")
		if r.status != 200 || !strings.Contains(r.String(), "健康体检") || !strings.Contains(r.String(), "家庭医生签约") {
			t.Fatalf("index: %d", r.status)
		}
		r = village.get(t, fmt.Sprintf("/persons/%d", e.pA.ID))
		if !strings.Contains(r.String(), `id="add-checkups"`) {
			t.Errorf("person page has no link to add a check-up")
		}
		form := url.Values{"person": {fmt.Sprint(e.pA.ID)}, "exam_date": {"2025-03-02"}, "kind": {"elderly"}, "summary": {"一切正常"}}
		bad := url.Values{"person": {fmt.Sprint(e.pA.ID)}, "exam_date": {"2025-13-02"}, "kind": {"elderly"}}
		r = village.do(t, "POST", "/registers/checkups/new", bad)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.String(), "日期无效") {
			t.Errorf("bad form: %d", r.status)
		}
		r = village.do(t, "POST", "/registers/checkups/new", form)
		if r.status != http.StatusSeeOther {
			t.Fatalf("create via form: %d %s", r.status, r.body)
		}
		r = village.get(t, r.header.Get("Location"))
		if r.status != http.StatusOK || !strings.Contains(r.String(), "已保存") || !strings.Contains(r.String(), "一切正常") {
			t.Fatalf("create via form: %d %s", r.status, r.body)
		}
		r = village.get(t, "/registers/checkups")
		if !strings.Contains(r.String(), "张三") || !strings.Contains(r.String(), "老年人健康体检") {
			t.Errorf("list does not show the entry: %s", r.body)
		}
		if r := e.as(t, "viewer").get(t, "/registers/checkups"); r.status != http.StatusForbidden {
			t.Errorf("viewer list: %d", r.status)
		}
		if r := e.as(t, "viewer").get(t, "/registers"); strings.Contains(r.String(), "健康体检") || !strings.Contains(r.String(), "健康活动台账") {
			t.Errorf("viewer index shows personal registers or hides the others")
		}
	})
}

func TestReconcilePages(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		county := e.as(t, "county")
		// A check-up recorded for 李四, who is then renamed.
		r := county.do(t, "POST", "/api/v1/registers/checkups/entries", map[string]any{"person": e.pA2.ID, "values": map[string]any{"exam_date": "2025-03-02", "kind": "general"}})
		if r.status != http.StatusCreated {
			t.Fatalf("create: %d %s", r.status, r.body)
		}
		r = county.do(t, "PUT", "/api/v1/persons/{pA2}", map[string]any{"name": "李思", "id_number": e.pA2.IDNumber, "relation": "配偶", "version": 1})
		if r.status != http.StatusOK {
			t.Fatalf("rename: %d %s", r.status, r.body)
		}
		r = county.get(t, "/api/v1/reconcile")
		var list struct {
			Items []healthcell.Difference `json:"items"`
			Total int                     `json:"total"`
		}
		r.decode(t, &list)
		if r.status != 200 || list.Total != 1 || list.Items[0].Kind != healthcell.DiffNames {
			t.Fatalf("reconcile: %d %s", r.status, r.body)
		}
		d := list.Items[0]
		run(t, e, []scenario{
			{name: "viewer may not reconcile", user: "viewer", path: "/api/v1/reconcile", status: 403, check: wantError(healthcell.EFORBIDDEN)},
			{name: "village sees it", user: "village", path: "/api/v1/reconcile", status: 200, check: wantJSON("total", 1)},
			{name: "township asks out of scope", user: "township", path: "/api/v1/reconcile?division=" + villageT2[:9] + "000", status: 404},
			{name: "no note", user: "village", method: "POST", path: "/api/v1/reconcile/resolutions",
				body: map[string]any{"key": d.Key, "fingerprint": d.Fingerprint, "note": ""}, status: 422, check: wantField("note", "reconcile.note_required")},
			{name: "stale fingerprint", user: "village", method: "POST", path: "/api/v1/reconcile/resolutions",
				body: map[string]any{"key": d.Key, "fingerprint": "x", "note": "已核实"}, status: 409, check: wantError(healthcell.ECONFLICT)},
			{name: "page lists it", user: "village", path: "/reconcile", status: 200, check: func(t *testing.T, e *env, r *response) {
				if !strings.Contains(r.String(), "同一身份证号姓名不一致") || !strings.Contains(r.String(), "李思") {
					t.Errorf("page: %s", r.body)
				}
			}},
			{name: "resolve on the page", user: "village", method: "POST", path: "/reconcile/resolve",
				body: url.Values{"key": {d.Key}, "fingerprint": {d.Fingerprint}, "note": {"身份证上为李思"}}, status: 303},
			{name: "gone from the list", user: "village", path: "/api/v1/reconcile", status: 200, check: wantJSON("total", 0)},
			{name: "listed with resolved", user: "village", path: "/api/v1/reconcile?resolved=true", status: 200,
				check: all(wantJSON("total", 1), wantJSON("items.0.resolved", true), wantJSON("items.0.note", "身份证上为李思"))},
		})
	})
}

func TestRegisterExport(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		village := e.as(t, "village")
		for _, d := range []string{"2025-03-02", "2025-04-09"} {
			r := village.do(t, "POST", "/api/v1/registers/checkups/entries", map[string]any{"person": e.pA.ID, "values": map[string]any{"exam_date": d, "kind": "elderly", "summary": "正常"}})
			if r.status != http.StatusCreated {
				t.Fatalf("create: %d %s", r.status, r.body)
			}
		}
		r := village.get(t, "/registers/checkups/export/csv?from=2025-04-01")
		body := strings.TrimPrefix(r.String(), "\uFEFF")
		lines := strings.Split(strings.ReplaceAll(strings.TrimSpace(body), "\r\n", "\n"), "\n")
		if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") || len(lines) != 2 {
			t.Fatalf("csv: %d %q", r.status, body)
		}
		if lines[0] != "区划代码,所属村（社区）,姓名,身份证号,体检日期,体检类别,结果摘要,体检机构" ||
			!strings.HasPrefix(lines[1], sqltest.Village+",") || !strings.Contains(lines[1], e.pA.IDNumber+",2025-04-09,老年人健康体检,正常,") {
			t.Errorf("csv lines %q", lines)
		}
		r = village.get(t, "/api/v1/registers/checkups/export?format=xlsx")
		f, err := excelize.OpenReader(bytes.NewReader(r.body))
		if err != nil {
			t.Fatalf("xlsx: %d %v", r.status, err)
		}
		rows, _ := f.GetRows("健康体检")
		if len(rows) != 3 || rows[1][3] != e.pA.IDNumber {
			t.Errorf("xlsx rows %v", rows)
		}
		run(t, e, []scenario{
			{name: "viewer may not export health data", user: "viewer", path: "/api/v1/registers/checkups/export", status: 403, check: wantError(healthcell.EFORBIDDEN)},
			{name: "bad format", user: "village", path: "/api/v1/registers/checkups/export?format=pdf", status: 422, check: wantField("format", "field.invalid")},
			{name: "out of scope", user: "township", path: "/api/v1/registers/checkups/export?division=" + villageT2, status: 404},
		})
	})
}

func TestRegisterImportWeb(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		good := "身份证号,姓名,参保年度,险种\n" + e.pA.IDNumber + ",张三,2025,城乡居民基本医疗保险\n" + e.pA2.IDNumber + ",李四,2025,职工基本医疗保险\n"
		bad := "身份证号,姓名,参保年度,险种\n" + e.pA.IDNumber + ",张三,2025,商业保险\n" + e.pB.IDNumber + ",王五,2025,resident\n"
		run(t, e, []scenario{
			{name: "viewer may not import", user: "viewer", method: "POST", path: "/api/v1/registers/insurance/import",
				body: func(e *env) any { return multipartFile(t, "参保.csv", []byte(good)) }, header: multipartHeader, status: 403, unchanged: true},
			{name: "errors by row, nothing stored", user: "village", method: "POST", path: "/api/v1/registers/insurance/import",
				body: func(e *env) any { return multipartFile(t, "参保.csv", []byte(bad)) }, header: multipartHeader, status: 422, unchanged: true,
				check: func(t *testing.T, e *env, r *response) {
					fs, _ := jpath(r.json(t), "error.fields").([]any)
					if len(fs) != 2 || jpath(fs[0], "row") != float64(2) || jpath(fs[0], "field") != "险种" ||
						jpath(fs[1], "row") != float64(3) || jpath(fs[1], "key") != "import.entry.unknown_person" {
						t.Errorf("fields %v", fs)
					}
				}},
			{name: "a good file", user: "village", method: "POST", path: "/api/v1/registers/insurance/import",
				body: func(e *env) any { return multipartFile(t, "参保.csv", []byte(good)) }, header: multipartHeader, status: 200,
				check: all(wantJSON("entries", 2), wantJSON("rows", 2))},
			{name: "listed", user: "village", path: "/api/v1/registers/insurance/entries", status: 200, check: wantJSON("total", 2)},
			{name: "the form", user: "village", path: "/registers/insurance/import", status: 200, check: func(t *testing.T, e *env, r *response) {
				if !strings.Contains(r.String(), `action="/registers/insurance/import"`) || !strings.Contains(r.String(), "参保年度") {
					t.Errorf("form: %s", r.body)
				}
			}},
		})
		// The page runs the import in the background and shows its outcome.
		village := e.as(t, "village")
		r := village.do(t, "POST", "/registers/checkups/import", multipartFile(t, "体检.csv",
			[]byte("身份证号,体检日期,体检类别\n"+e.pA.IDNumber+",2025年3月2日,老年人健康体检\n")), multipartHeader...)
		if r.status != http.StatusSeeOther {
			t.Fatalf("start: %d %s", r.status, r.body)
		}
		job := r.header.Get("Location")
		for i := 0; i < 100; i++ {
			r = village.get(t, job)
			if strings.Contains(r.String(), `id="import-done"`) {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		if !strings.Contains(r.String(), "导入 1 条台账记录") {
			t.Errorf("job page: %s", r.body)
		}
	})
}

// wantEntries checks that register holds n active entries.
func wantEntries(register string, n int) check {
	return func(t *testing.T, e *env, r *response) {
		t.Helper()
		if got := e.entryCount(t, register); got != n {
			t.Errorf("%s holds %d entries, want %d", register, got, n)
		}
	}
}
