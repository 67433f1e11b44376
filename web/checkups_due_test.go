package web_test

import (
	"bytes"
	"fmt"
	"mime"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// downloadName returns the UTF-8 file name of a download (filename*, as
// mime decodes RFC 5987) and its ASCII fallback, failing the test when the
// header does not parse.
func downloadName(t testing.TB, r *response) (name, fallback string) {
	t.Helper()
	cd := r.header.Get("Content-Disposition")
	_, params, err := mime.ParseMediaType(cd)
	if err != nil {
		t.Fatalf("Content-Disposition %q: %v", cd, err)
	}
	i := strings.Index(cd, `filename="`)
	if i < 0 {
		t.Fatalf("Content-Disposition %q: no ASCII filename", cd)
	}
	fallback = cd[i+len(`filename="`):]
	fallback = fallback[:strings.IndexByte(fallback, '"')]
	for _, c := range fallback {
		if c >= 0x7f {
			t.Errorf("fallback %q is not ASCII", fallback)
		}
	}
	if !strings.Contains(cd, "filename*=UTF-8''") {
		t.Errorf("Content-Disposition %q: no filename*", cd)
	}
	return params["filename"], fallback
}

// readWorkbook returns the sheet names of an .xlsx body and the rows of
// its first sheet.
func readWorkbook(t testing.TB, body []byte) ([]string, [][]string) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("open workbook: %v", err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	rows, err := f.GetRows(sheets[0])
	if err != nil {
		t.Fatal(err)
	}
	return sheets, rows
}

// TestCheckupsDueFilters: the due list filters by village, age group and
// overdue, pages 50 at a time instead of stopping, and exports the list as
// filtered, named in Chinese, with 男/女, 每年/每两年 and village names.
func TestCheckupsDueFilters(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		// 60 more adults in 金穗社区, never checked: two pages of them.
		for i := range 60 {
			sqltest.Person(t, e.db, e.hA2, fmt.Sprintf("居民%02d", i), sqltest.ID(t, "1980-01-01", 100+i), "其他")
		}
		tw := e.as(t, "township")
		base := "/checkups/due?division=" + sqltest.Township + "&period=2025"
		for _, tc := range []struct {
			query     string
			want, not []string
			rows      int
			count     string
		}{
			{"", []string{"张三", "李四", "居民00", `id="due-village"`}, nil, 50, "共 63 人"},
			{"&age=elder", []string{"张三"}, []string{"李四", "王五", "居民00"}, 1, "共 1 人"},
			{"&age=adult", []string{"李四"}, []string{"张三"}, 50, "共 62 人"},
			{"&village=" + sqltest.Village2, []string{"王五"}, []string{"张三", "居民00"}, 1, "共 1 人"},
			{"&age=child", []string{`id="due-none"`}, []string{"张三"}, 0, "共 0 人"},
			{"&age=adult&p=2", []string{"居民", "王五"}, nil, 12, "共 62 人"},
		} {
			r := tw.get(t, base+tc.query)
			body := r.String()
			if r.status != 200 {
				t.Fatalf("%s: %d", tc.query, r.status)
			}
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("%s: %q missing", tc.query, w)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(body, w) {
					t.Errorf("%s: %q shown", tc.query, w)
				}
			}
			if n := strings.Count(body, `<a href="/persons/`); n != tc.rows {
				t.Errorf("%s: %d rows, want %d", tc.query, n, tc.rows)
			}
			if !strings.Contains(body, tc.count) {
				t.Errorf("%s: count %q missing", tc.query, tc.count)
			}
		}
		// The page's export links carry its filters.
		if body := tw.get(t, base+"&village="+sqltest.Village+"&age=elder&overdue=1").String(); !strings.Contains(body,
			`href="/checkups/due/export/xlsx?division=`+sqltest.Township+`&amp;period=2025&amp;village=`+sqltest.Village+`&amp;age=elder&amp;overdue=1"`) {
			t.Errorf("export link without the filters:\n%s", body)
		}
		if r := tw.get(t, base+"&p=2"); !strings.Contains(r.String(), "2 / 2 (63)") {
			t.Errorf("no pager on page 2")
		}
		// Every overdue row, only: nobody has had a check-up.
		if r := tw.get(t, base+"&overdue=1"); !strings.Contains(r.String(), "共 63 人") || !strings.Contains(r.String(), `id="due-overdue" data-autosubmit checked`) {
			t.Errorf("overdue filter")
		}
		// Bad filters are refused, not ignored.
		for _, q := range []string{"&age=old", "&village=510824102001", "&village=abc"} {
			if r := tw.get(t, base+q); r.status != http.StatusUnprocessableEntity {
				t.Errorf("%s: %d, want 422", q, r.status)
			}
		}

		// The export holds the list as filtered: all of it, not a page.
		r := tw.get(t, "/checkups/due/export/xlsx?division="+sqltest.Township+"&period=2025&village="+sqltest.Village+"&age=adult")
		if r.status != 200 {
			t.Fatalf("export: %d %s", r.status, r.body)
		}
		name, fallback := downloadName(t, r)
		if name != "体检应检名单-金穗社区-2025-7—64 岁.xlsx" || fallback != "checkups-due-"+sqltest.Village+"-2025.xlsx" {
			t.Errorf("file name %q, fallback %q", name, fallback)
		}
		sheets, rows := readWorkbook(t, r.body)
		if len(sheets) != 1 || sheets[0] != "体检应检名单" {
			t.Errorf("sheets %q", sheets)
		}
		if len(rows) != 2+61 {
			t.Fatalf("%d rows, want 63", len(rows))
		}
		if got := strings.Join(rows[1], ","); got != "村（社区）代码,村（社区）,姓名,性别,出生日期,年龄,周期,上次体检,已逾期" {
			t.Errorf("header %s", got)
		}
		for _, row := range rows[2:] {
			if row[0] != sqltest.Village || row[1] != "金穗社区" || (row[3] != "男" && row[3] != "女") || row[6] != "每两年" || row[8] != "是" {
				t.Errorf("row %q", row)
			}
		}
		r = tw.get(t, "/checkups/due/export/csv?division="+sqltest.Township+"&period=2025&age=elder")
		if name, _ := downloadName(t, r); name != "体检应检名单-陵江镇-2025-65 岁及以上.csv" {
			t.Errorf("csv name %q", name)
		}
		if body := r.String(); !strings.Contains(body, "张三") || !strings.Contains(body, ",每年,") || strings.Contains(body, "李四") || strings.Contains(body, ",F,") || strings.Contains(body, "yearly") {
			t.Errorf("csv:\n%s", body)
		}
	})
}

// TestRegisterExportNames: a register's export is named for the register
// and the area, its sheet for the register, with village names next to the
// codes.
func TestRegisterExportNames(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		r := e.as(t, "village").get(t, "/registers/checkups/export/xlsx")
		if r.status != 200 {
			t.Fatalf("export: %d %s", r.status, r.body)
		}
		name, fallback := downloadName(t, r)
		sheets, rows := readWorkbook(t, r.body)
		if !strings.HasSuffix(name, "-金穗社区.xlsx") || fallback != "checkups.xlsx" || len(sheets) != 1 || name != sheets[0]+"-金穗社区.xlsx" {
			t.Errorf("file %q (fallback %q), sheets %q", name, fallback, sheets)
		}
		if len(rows) == 0 || rows[0][0] != "区划代码" || rows[0][1] != "所属村（社区）" {
			t.Errorf("header %q", rows)
		}
	})
}
