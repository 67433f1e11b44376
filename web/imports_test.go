package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// residentCSV returns a resident file with the rows given (header first).
func residentCSV(rows ...string) []byte {
	return []byte("姓名,性别,身份证号,户编号,与户主关系,所属村（社区）,联系电话,备注\n" + strings.Join(rows, "\n") + "\n")
}

func TestAPIImportResidents(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		id1, id2 := sqltest.ID(t, "1990-03-04", 101), sqltest.ID(t, "1992-05-06", 102)
		good := residentCSV("孙一,男,"+id1+",X-1,户主,"+sqltest.Village+",13812345678,", "孙二,女,"+id2+",X-1,配偶,"+sqltest.Village+",123,")
		bad := residentCSV("孙一,女,"+id1+",X-1,户主,"+sqltest.Village+",,", "孙二,,"+sqltest.BadCheck(id2)+",X-1,配偶,桃花源村,,")
		before := e.personCount(t)
		cases := []struct {
			name, user, file string
			body             []byte
			status           int
			want             []string
		}{
			{"viewer may not import", "viewer", "r.csv", good, 403, nil},
			{"no file", "county", "", nil, 422, []string{`"import.file.empty"`}},
			{"another type", "county", "r.pdf", good, 422, []string{`"import.file.type"`}},
			{"a bad file lists its errors and stores nothing", "county", "r.csv", bad, 422,
				[]string{`"row":2`, `"field":"性别"`, `"key":"person.sex.mismatch"`, `"row":3`, `"key":"idcard.check"`, `"key":"import.village.unknown"`, `"value":"桃花源村"`}},
			{"a village user cannot import into another village", "village", "r.csv",
				residentCSV("孙一,男," + id1 + ",X-1,户主," + sqltest.Village2 + ",,"), 422, []string{`"import.village.unknown"`}},
			{"dry run", "county", "r.csv", good, 200, []string{`"dry_run":true`, `"persons":2`}},
			{"county imports", "county", "r.csv", good, 200, []string{`"rows":2`, `"persons":2`, `"households":1`, `"warnings":1`, `"unknown_columns":["备注"]`}},
			{"again: already registered", "county", "r.csv", good, 422, []string{`"import.id_number.exists"`}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				body := []byte("--" + testBoundary + "--\r\n")
				if tc.file != "" {
					body = multipartFile(t, tc.file, tc.body)
				}
				path := "/api/v1/imports/residents"
				if tc.name == "dry run" {
					path += "?dry_run=on"
				}
				r := e.as(t, tc.user).do(t, "POST", path, body, multipartHeader...)
				if r.status != tc.status {
					t.Fatalf("status %d, want %d: %s", r.status, tc.status, r.body)
				}
				for _, w := range tc.want {
					if !strings.Contains(string(r.body), w) {
						t.Errorf("answer lacks %s: %s", w, r.body)
					}
				}
				want := before
				if tc.name == "county imports" || tc.name == "again: already registered" {
					want = before + 2
				}
				if got := e.personCount(t); got != want {
					t.Errorf("persons %d, want %d", got, want)
				}
			})
		}
	})
}

// TestImportPage uploads through the page: a bad file shows its errors and
// offers the report; the corrected file shows the summary; another user
// cannot see the import.
func TestImportPage(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		id1 := sqltest.ID(t, "1990-03-04", 101)
		county := e.as(t, "county")
		if r := county.do(t, "GET", "/imports/residents", nil); r.status != 200 || !strings.Contains(r.String(), `id="import-file"`) {
			t.Fatalf("form: %d", r.status)
		}
		upload := func(data []byte) string {
			r := county.do(t, "POST", "/imports/residents", multipartFile(t, "居民.csv", data), multipartHeader...)
			if r.status != http.StatusSeeOther {
				t.Fatalf("upload: %d %s", r.status, r.body)
			}
			loc := r.header.Get("Location")
			for range 100 {
				page := county.do(t, "GET", loc, nil)
				if !strings.Contains(page.String(), `id="import-running"`) {
					return loc
				}
				time.Sleep(50 * time.Millisecond)
			}
			t.Fatal("the import did not finish")
			return ""
		}
		loc := upload(residentCSV("孙一,男," + sqltest.BadCheck(id1) + ",X-1,户主," + sqltest.Village + ",,"))
		page := county.do(t, "GET", loc, nil).String()
		for _, w := range []string{`id="import-failed"`, "1 行，1 个错误", "身份证号校验位错误", `href="` + loc + `/report/xlsx"`} {
			if !strings.Contains(page, w) {
				t.Errorf("page lacks %s", w)
			}
		}
		rep := county.do(t, "GET", loc+"/report/xlsx", nil)
		if name, _ := downloadName(t, rep); !strings.HasPrefix(name, "导入错误报告-") || !strings.HasSuffix(name, ".xlsx") {
			t.Errorf("report file name %q", name)
		}
		if sheets, rows := readWorkbook(t, rep.body); sheets[0] != "错误报告" || len(rows) < 2 {
			t.Errorf("report sheets %q, %d rows", sheets, len(rows))
		}
		rep = county.do(t, "GET", loc+"/report/csv", nil)
		if rep.status != 200 || !strings.Contains(rep.String(), "行号,列,值,错误") || !strings.Contains(rep.String(), "2,身份证号,") {
			t.Errorf("report: %d %s", rep.status, rep.body)
		}
		if r := e.as(t, "township").do(t, "GET", loc, nil); r.status != 404 {
			t.Errorf("another user sees the import: %d", r.status)
		}
		loc = upload(residentCSV("孙一,男," + id1 + ",X-1,户主," + sqltest.Village + ",,"))
		if page := county.do(t, "GET", loc, nil).String(); !strings.Contains(page, `id="import-done"`) || !strings.Contains(page, "新增居民 1 人") {
			t.Errorf("summary missing:\n%s", page)
		}
		if r := e.as(t, "viewer").do(t, "POST", "/imports/residents", multipartFile(t, "r.csv", residentCSV()), multipartHeader...); r.status != 403 {
			t.Errorf("viewer upload: %d", r.status)
		}
	})
}
