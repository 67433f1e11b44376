package main

// Browser end-to-end test of the resident import: a village officer
// uploads a file with errors, sees them and the report link, then uploads
// the corrected file and sees the summary.

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/healthcell/healthcell/idcard"
)

func TestE2EImportResidents(t *testing.T) {
	e2eEngines(t, func(t *testing.T, dsn string) {
		b := e2eNewBrowser(t, dsn, "import")
		if st := b.login("jinsui", DemoPassword); st != 200 {
			b.fatalf("login: %d", st)
		}
		// ID numbers of another region, so as not to meet the demo's.
		id := func(birth string, seq int) string {
			d, _ := time.Parse("2006-01-02", birth)
			return idcard.Generate("110105", d, seq)
		}
		dir := t.TempDir()
		head := "姓名,性别,身份证号,出生日期,户编号,与户主关系,所属村（社区）,村民小组,联系电话\n"
		good := head +
			"导入甲,男," + id("1970-01-02", 11) + ",1970/1/2,IMP-1,户主,金穗社区,1组,13812345678\n" +
			"导入乙,女," + id("1972-03-04", 12) + ",1972年3月4日,IMP-1,配偶,金穗社区,1组,\n" +
			"导入丙,男," + id("2001-05-06", 13) + ",,IMP-1,子,金穗社区,1组,\n"
		wrong := id("1972-03-04", 12)
		if wrong[17] == '0' {
			wrong = wrong[:17] + "1"
		} else {
			wrong = wrong[:17] + "0"
		}
		bad := strings.Replace(good, id("1972-03-04", 12), wrong, 1)
		bad = strings.Replace(bad, "导入丙,男", "导入丙,女", 1)
		bad = strings.Replace(bad, "IMP-1,户主,金穗社区", "IMP-1,户主,红军路社区", 1) // not the officer's village
		write := func(name, text string) string {
			p := filepath.Join(dir, name)
			if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			return p
		}
		upload := func(file string) {
			if st := b.open("/imports/residents"); st != 200 {
				b.fatalf("GET /imports/residents: %d", st)
			}
			b.do("choose "+filepath.Base(file), chromedp.SetUploadFiles(chromedp.ID("import-file"), []string{file}))
			b.load("upload", chromedp.Click(chromedp.ID("import-submit")))
		}
		if st := b.open("/imports/residents"); st != 200 {
			b.fatalf("GET /imports/residents: %d", st)
		}
		b.checkpoint("1-form")

		upload(write("居民-有错.csv", bad))
		b.do("the import ends with errors", chromedp.WaitVisible(chromedp.ID("import-failed")))
		if got := b.text("import-failed"); !strings.Contains(got, "3 行，3 个错误") {
			b.errorf("failure says %q", got)
		}
		rows := b.rows("#import-issues")
		want := [][]string{{"2", "所属村（社区）", "红军路社区"}, {"3", "身份证号"}, {"4", "性别", "女"}}
		if len(rows) != len(want) {
			b.fatalf("issues %v", rows)
		}
		for i, w := range want {
			for j, c := range w {
				if rows[i][j] != c {
					b.errorf("issue %d: %v, want %v", i, rows[i], w)
				}
			}
		}
		if href := b.attr("import-report", "href"); !strings.HasSuffix(href, "/report/xlsx") {
			b.errorf("report link %q", href)
		}
		b.checkpoint("2-errors")

		upload(write("居民.csv", good))
		b.do("the import ends", chromedp.WaitVisible(chromedp.ID("import-done")))
		if got := b.text("import-done"); !strings.Contains(got, "新增居民 3 人") || !strings.Contains(got, "新增住户 1 户") {
			b.errorf("summary %q", got)
		}
		b.checkpoint("3-done")
		if st := b.open("/search?q=导入"); st != 200 {
			b.fatalf("search: %d", st)
		}
	})
}
