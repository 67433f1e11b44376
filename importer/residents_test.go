package importer_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/catalog/imports"
	"github.com/healthcell/healthcell/importer"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
	"github.com/healthcell/healthcell/tablefile"
)

// header is the usual header of test files.
var header = []string{"姓名", "性别", "身份证号", "出生日期", "户编号", "与户主关系", "所属村（社区）", "村民小组", "联系电话"}

// formats are the file forms every case is run in.
var formats = []string{"csv", "csv-bom", "csv-gb18030", "xlsx"}

// numPrefix marks a cell written as a number in .xlsx (and as the number's
// text in CSV, which is what Excel writes).
const numPrefix = "#num:"

// writeFile writes rows (header first) as format into dir and returns the path.
func writeFile(t testing.TB, dir, format string, rows [][]string) string {
	t.Helper()
	if format == "xlsx" {
		f := excelize.NewFile()
		defer f.Close()
		for i, row := range rows {
			for j, c := range row {
				cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
				if n, ok := strings.CutPrefix(c, numPrefix); ok {
					// A number cell, its value written as Excel writes it
					// (5.1082419900304E+17 for an ID typed as a number).
					f.SetCellDefault("Sheet1", cell, n)
				} else if c != "" {
					f.SetCellStr("Sheet1", cell, c)
				}
			}
		}
		path := filepath.Join(dir, "f.xlsx")
		if err := f.SaveAs(path); err != nil {
			t.Fatal(err)
		}
		return path
	}
	var b strings.Builder
	for _, row := range rows {
		for j, c := range row {
			if j > 0 {
				b.WriteByte(',')
			}
			c = strings.TrimPrefix(c, numPrefix)
			if strings.ContainsAny(c, ",\"\n") {
				c = `"` + strings.ReplaceAll(c, `"`, `""`) + `"`
			}
			b.WriteString(c)
		}
		b.WriteString("\r\n")
	}
	data := []byte(b.String())
	switch format {
	case "csv-bom":
		data = append([]byte("\xef\xbb\xbf"), data...)
	case "csv-gb18030":
		var err error
		if data, err = simplifiedchinese.GB18030.NewEncoder().Bytes(data); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, "f.csv")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func residentsTable(t testing.TB) *importer.Table {
	t.Helper()
	tb, err := imports.Table("residents")
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

// run imports the file at path into db as the system.
func run(t testing.TB, db *sqlstore.DB, path string, opt importer.Options) (*importer.Result, error) {
	t.Helper()
	r, err := tablefile.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if opt.Now.IsZero() {
		opt.Now = sqltest.Now
	}
	return importer.ImportResidents(sqltest.System(), db, residentsTable(t), r, opt)
}

// issue is an expected problem: row, column header, message key, warning.
type issue struct {
	row     int
	column  string
	key     string
	warning bool
}

func issuesOf(res *importer.Result) []issue {
	var out []issue
	for _, i := range res.Issues.List {
		out = append(out, issue{i.Row, i.Field, i.Message, i.Warning})
	}
	return out
}

// counts returns the persons, households and audit entries stored.
func counts(t testing.TB, db *sqlstore.DB) [3]int {
	t.Helper()
	var c [3]int
	var err error
	ctx := sqltest.System()
	if _, c[0], err = db.FindPersons(ctx, healthcell.PersonFilter{Division: sqltest.County, Inactive: true, Limit: 1}); err != nil {
		t.Fatal(err)
	}
	if _, c[1], err = db.FindHouseholds(ctx, healthcell.HouseholdFilter{Division: sqltest.County, Limit: 1}); err != nil {
		t.Fatal(err)
	}
	if _, c[2], err = db.FindAudit(ctx, healthcell.AuditFilter{Limit: 1}); err != nil {
		t.Fatal(err)
	}
	return c
}

// exported returns the residents under the county as export rows.
func exported(t testing.TB, db *sqlstore.DB) []string {
	t.Helper()
	var out []string
	err := db.ExportResidents(sqltest.System(), sqltest.County, func(r *healthcell.ImportedResident) error {
		p := r.Person
		out = append(out, strings.Join([]string{p.Name, p.Sex, p.IDNumber, p.BirthDate, r.Household, p.Relation, p.VillageCode, r.Group, p.Phone,
			strconv.FormatBool(p.Registered), strconv.FormatBool(p.Resident)}, "|"))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestImportResidentErrors checks every error of a resident file, on every
// file form and both engines: each names the row as Excel shows it, the
// column as the file spells it, and the value; nothing is stored.
func TestImportResidentErrors(t *testing.T) {
	idM := sqltest.ID(t, "1990-03-04", 1)  // male
	idF := sqltest.ID(t, "1985-07-08", 2)  // female
	idF2 := sqltest.ID(t, "1960-01-02", 4) // female
	badDate := "510824199002300011"        // 30 February
	badDate = badDate[:17] + checkChar(t, badDate[:17])
	cases := []struct {
		name string
		rows [][]string // after the header
		want []issue
	}{
		{"empty name", [][]string{{"", "男", idM, "", "001", "户主", "金穗社区", "", ""}},
			[]issue{{2, "姓名", "field.required", false}}},
		{"bad check character", [][]string{{"张三", "", sqltest.BadCheck(idM), "", "001", "户主", "金穗社区", "", ""}},
			[]issue{{2, "身份证号", "idcard.check", false}}},
		{"impossible birth date in the ID", [][]string{{"张三", "", badDate, "", "001", "户主", "金穗社区", "", ""}},
			[]issue{{2, "身份证号", "idcard.date", false}}},
		{"wrong length", [][]string{{"张三", "", idM[:16], "", "001", "户主", "金穗社区", "", ""}},
			[]issue{{2, "身份证号", "idcard.length", false}}},
		{"empty ID", [][]string{{"张三", "男", "", "1990-03-04", "001", "户主", "金穗社区", "", ""}},
			[]issue{{2, "身份证号", "idcard.empty", false}}},
		{"scientific notation", [][]string{{"张三", "", numPrefix + "5.1082419900304E+17", "", "001", "户主", "金穗社区", "", ""}},
			[]issue{{2, "身份证号", "idcard.scientific", false}}},
		{"sex disagrees with the ID", [][]string{{"张三", "女", idM, "", "001", "户主", "金穗社区", "", ""}},
			[]issue{{2, "性别", "person.sex.mismatch", false}}},
		{"unknown sex", [][]string{{"张三", "未知", idM, "", "001", "户主", "金穗社区", "", ""}},
			[]issue{{2, "性别", "person.sex.invalid", false}}},
		{"birth date disagrees with the ID", [][]string{{"张三", "", idM, "1990-03-05", "001", "户主", "金穗社区", "", ""}},
			[]issue{{2, "出生日期", "person.birth_date.mismatch", false}}},
		{"unreadable date", [][]string{{"张三", "", idM, "三月四日", "001", "户主", "金穗社区", "", ""}},
			[]issue{{2, "出生日期", "import.date.invalid", false}}},
		{"village not in the county", [][]string{{"张三", "", idM, "", "001", "户主", "桃花源村", "", ""}},
			[]issue{{2, "所属村（社区）", "import.village.unknown", false}}},
		{"village code not in the county", [][]string{{"张三", "", idM, "", "001", "户主", "510824100999", "", ""}},
			[]issue{{2, "所属村（社区）", "import.village.unknown", false}}},
		{"ambiguous village name", [][]string{{"张三", "", idM, "", "001", "户主", "凤凰村", "", ""}},
			[]issue{{2, "所属村（社区）", "import.village.ambiguous", false}}},
		{"unknown relation", [][]string{{"张三", "", idM, "", "001", "邻居", "金穗社区", "", ""}},
			[]issue{{2, "与户主关系", "person.relation.invalid", false}}},
		{"no household number", [][]string{{"张三", "", idM, "", "", "户主", "金穗社区", "", ""}},
			[]issue{{2, "户编号", "field.required", false}}},
		{"ID repeated: the later rows are wrong", [][]string{
			{"张三", "", idM, "", "001", "户主", "金穗社区", "", ""},
			{"李四", "", idF, "", "001", "配偶", "金穗社区", "", ""},
			{"", "", "", "", "", "", "", "", ""}, // a blank row still counts in Excel's numbering
			{"张三", "", idM, "", "002", "户主", "金穗社区", "", ""},
			{"张三", "", " " + idM + " ", "", "003", "户主", "金穗社区", "", ""}},
			[]issue{{5, "身份证号", "import.id_number.duplicate", false}, {6, "身份证号", "import.id_number.duplicate", false}}},
		{"two heads in one household", [][]string{
			{"张三", "", idM, "", "001", "户主", "金穗社区", "", ""},
			{"李四", "", idF, "", "001", "户主", "金穗社区", "", ""}},
			[]issue{{3, "与户主关系", "import.household.head_duplicate", false}}},
		{"ID already stored", [][]string{{"王五", "", idF2, "", "009", "户主", "金穗社区", "", ""}},
			[]issue{{2, "身份证号", "import.id_number.exists", false}}},
		{"several errors in several rows, and a warning", [][]string{
			{"", "", idM, "", "001", "户主", "金穗社区", "", "12345"},
			{"李四", "", sqltest.BadCheck(idF), "", "001", "配偶", "无此村", "", ""}},
			[]issue{{2, "姓名", "field.required", false}, {2, "联系电话", "person.phone.invalid", true},
				{3, "身份证号", "idcard.check", false}, {3, "所属村（社区）", "import.village.unknown", false}}},
	}
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		sqltest.LoadDivisions(t, db)
		h := sqltest.Household(t, db, sqltest.Village2, "900")
		sqltest.Person(t, db, h, "王五", idF2, "户主")
		before := counts(t, db)
		for _, tc := range cases {
			for _, format := range formats {
				t.Run(tc.name+"/"+format, func(t *testing.T) {
					rows := append([][]string{header}, tc.rows...)
					path := writeFile(t, t.TempDir(), format, rows)
					res, err := run(t, db, path, importer.Options{})
					if healthcell.ErrorCode(err) != healthcell.EINVALID || healthcell.ErrorMessage(err) != "import.has_errors" {
						t.Fatalf("err = %v, want EINVALID import.has_errors", err)
					}
					if got := issuesOf(res); !reflect.DeepEqual(got, tc.want) {
						t.Errorf("issues:\n got %v\nwant %v", got, tc.want)
					}
					if got := counts(t, db); got != before {
						t.Errorf("stored %v, want %v (nothing)", got, before)
					}
				})
			}
		}
	})
}

// checkChar returns the check character of 17 digits, as a string.
func checkChar(t testing.TB, first17 string) string {
	t.Helper()
	sum := 0
	w := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	for i := range 17 {
		sum += int(first17[i]-'0') * w[i]
	}
	return string("10X98765432"[sum%11])
}

// TestImportResidentNormalisation checks what is cleaned up without being
// an error, on every file form and both engines: full-width characters,
// spaces and tabs, lowercase x, every date form, header synonyms, value
// synonyms, and an invalid phone number (a warning; the resident is stored
// without it).
func TestImportResidentNormalisation(t *testing.T) {
	idX := "11010519491231002X"
	idA := sqltest.ID(t, "1990-03-04", 1)
	idB := sqltest.ID(t, "1985-07-08", 2)
	idC := sqltest.ID(t, "2025-01-02", 3)
	idD := sqltest.ID(t, "2000-02-29", 4)
	idE := sqltest.ID(t, "1970-12-31", 5)
	fullWidth := func(s string) string {
		var b strings.Builder
		for _, r := range s {
			if r >= '!' && r <= '~' {
				r += 0xFEE0
			}
			b.WriteRune(r)
		}
		return b.String()
	}
	rows := [][]string{
		{"公民身份号码", "姓名", "性别", "出生日期", "户号", "与户主的关系", "村（社区）", "组", "手机号", "户籍", "常住", "备注"},
		{strings.ToLower(idX), " 张三\t", "女性", "1949/12/31", "A01", "本人", "金穗社区居民委员会", "1组", "138 1234 5678", "是", "否", "x"},
		{fullWidth(idA), "李四", "男", "1990年3月4日", fullWidth("A01"), "儿子", "510824100001", "", "12345", "否", "是", ""},
		{"\t" + idB + " ", "王五", "", "19850708", "A02", "户主", "红军路社区", "", "", "", "", ""},
		{idC, "赵六", "M", numPrefix + "45659", "A02", "女儿", "红军路社区", "", "", "", "", ""},
		{idD, "钱七", "女", "2000-2-29", "A02", "妻", "红军路社区", "", "", "", "", ""},
		{"'" + idE, "孙八", "", "1970.12.31 00:00:00", "A02", "其他", "红军路社区", "", "", "Y", "N", ""},
	}
	want := []string{
		"张三|F|" + idX + "|1949-12-31|A01|户主|510824100001|1组|13812345678|true|false",
		"李四|M|" + idA + "|1990-03-04|A01|子|510824100001|1组||false|true", // the household's group
		"王五|F|" + idB + "|1985-07-08|A02|户主|510824100002|||true|true",
		"赵六|M|" + idC + "|2025-01-02|A02|女|510824100002|||true|true",
		"钱七|F|" + idD + "|2000-02-29|A02|配偶|510824100002|||true|true",
		"孙八|M|" + idE + "|1970-12-31|A02|其他|510824100002|||true|false",
	}
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		for _, format := range formats {
			t.Run(format, func(t *testing.T) {
				db := sqltest.Open(t, db.Engine)
				sqltest.LoadDivisions(t, db)
				path := writeFile(t, t.TempDir(), format, rows)
				res, err := run(t, db, path, importer.Options{DryRun: true})
				if err != nil {
					t.Fatalf("dry run: %v (%v)", err, issuesOf(res))
				}
				if got := counts(t, db); got[0] != 0 {
					t.Fatalf("a dry run stored %v", got)
				}
				res, err = run(t, db, path, importer.Options{})
				if err != nil {
					t.Fatalf("import: %v (%v)", err, issuesOf(res))
				}
				if want := []issue{{3, "手机号", "person.phone.invalid", true}}; !reflect.DeepEqual(issuesOf(res), want) {
					t.Errorf("issues = %v, want %v", issuesOf(res), want)
				}
				if !reflect.DeepEqual(res.Unknown, []string{"备注"}) {
					t.Errorf("unknown columns = %v", res.Unknown)
				}
				if res.Counts != (healthcell.ImportCounts{Persons: 6, Households: 2}) || res.Rows != 6 {
					t.Errorf("rows %d, counts %+v", res.Rows, res.Counts)
				}
				got := exported(t, db)
				if !reflect.DeepEqual(got, want) {
					t.Errorf("stored:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
				}
				checkHeads(t, db, map[string]string{"A01": "张三", "A02": "王五"})
				// The same file again: every ID is now stored.
				if _, err := run(t, db, path, importer.Options{}); healthcell.ErrorMessage(err) != "import.has_errors" {
					t.Errorf("second import: %v, want import.has_errors", err)
				}
				// With --update the residents are updated, nothing is added.
				res, err = run(t, db, path, importer.Options{Update: true})
				if err != nil || res.Counts != (healthcell.ImportCounts{Updated: 6}) {
					t.Errorf("update: %v %+v", err, res.Counts)
				}
				if got := exported(t, db); !reflect.DeepEqual(got, want) {
					t.Errorf("after update:\n%s", strings.Join(got, "\n"))
				}
			})
		}
	})
}

// checkHeads checks each household's head by name and the live counts.
func checkHeads(t *testing.T, db *sqlstore.DB, want map[string]string) {
	t.Helper()
	hs, _, err := db.FindHouseholds(sqltest.System(), healthcell.HouseholdFilter{Division: sqltest.County, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, h := range hs {
		got[h.Number] = h.HeadName
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("heads = %v, want %v", got, want)
	}
	v, err := db.FindDivision(sqltest.System(), sqltest.County)
	if err != nil {
		t.Fatal(err)
	}
	if v.Households != len(want) {
		t.Errorf("live household count %d, want %d", v.Households, len(want))
	}
}
