package importer_test

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/importer"
	"github.com/healthcell/healthcell/register"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
	"github.com/healthcell/healthcell/tablefile"
)

// entryWorld is a small county with the same residents in every database:
// two households in village A, one in village B, and a unit.
type entryWorld struct {
	pA, pB, pC *healthcell.Person
	hA         *healthcell.Household
	unit       *healthcell.Unit
}

func newEntryWorld(t *testing.T, db *sqlstore.DB) *entryWorld {
	t.Helper()
	sqltest.LoadDivisions(t, db)
	w := &entryWorld{}
	w.hA = sqltest.Household(t, db, sqltest.Village, "A-001")
	hB := sqltest.Household(t, db, sqltest.Village2, "B-001")
	w.pA = sqltest.Person(t, db, w.hA, "张三", sqltest.ID(t, "1949-12-31", 2), "户主")
	w.pB = sqltest.Person(t, db, w.hA, "李四", sqltest.ID(t, "1975-02-03", 12), "配偶")
	w.pC = sqltest.Person(t, db, hB, "王五", sqltest.ID(t, "1980-04-05", 31), "户主")
	w.unit = &healthcell.Unit{Kind: "school", Name: "陵江小学", Division: sqltest.Village}
	if err := db.CreateUnit(sqltest.System(), w.unit); err != nil {
		t.Fatal(err)
	}
	return w
}

// entryInputs are entries of several registers about the world.
func (w *entryWorld) inputs() []healthcell.EntryInput {
	return []healthcell.EntryInput{
		{Register: "checkups", PersonID: w.pA.ID, Fields: map[string]string{"exam_date": "2025-03-02", "kind": "elderly", "summary": "血压 150/95", "organisation": "陵江镇卫生院"}},
		{Register: "checkups", PersonID: w.pC.ID, Fields: map[string]string{"exam_date": "2025-04-11", "kind": "general"}},
		{Register: "contracts", PersonID: w.pB.ID, Fields: map[string]string{"doctor": "王医生", "team": "一组", "start_date": "2025-01-05", "end_date": "2025-12-31", "priority_group": "chronic"}},
		{Register: "insurance", PersonID: w.pA.ID, Fields: map[string]string{"year": "2025", "scheme": "resident", "paid_date": "2024-11-20"}},
		{Register: "expenses", PersonID: w.pA.ID, Fields: map[string]string{"visit_kind": "inpatient", "visit_date": "2025-02-14", "hospital": "苍溪县人民医院",
			"in_county": "1", "total": "8650.40", "insurance_paid": "6920.32", "assistance": "865.04", "out_of_pocket": "865.04"}},
		{Register: "sanitation", HouseholdID: w.hA.ID, Fields: map[string]string{"toilet": "sanitary", "tap_water": "1", "checked_date": "2025-01-10"}},
		{Register: "activities", VillageCode: sqltest.Village, UnitID: w.unit.ID, Fields: map[string]string{"kind": "lecture", "activity_date": "2025-05-01",
			"place": "村活动室", "topic": "合理膳食", "organiser": "陵江镇卫生院", "attendance": "2"}},
		{Register: "env_inspections", VillageCode: sqltest.Village2, Fields: map[string]string{"inspection_date": "2025-05-20", "sanitation_score": "86.5", "fly": "C", "rodent": "B",
			"refuse_points": "12", "refuse_cleared": "11", "water_samples": "3", "water_passed": "3"}},
		{Register: "village_env", VillageCode: sqltest.Village, Fields: map[string]string{"survey_date": "2025-02-01", "road_km": "12.5", "road_hardened_km": "10.25",
			"built_area_ha": "30", "green_area_ha": "8.4", "surveyor": "村委"}},
		{Register: "school_health", UnitID: w.unit.ID, Fields: map[string]string{"report_date": "2025-01-15", "classes": "20", "health_classes": "18",
			"students_tested": "800", "students_passed": "730"}},
	}
}

// entryValues lists a register's entries in a database as comparable text.
func entryValues(t *testing.T, db *sqlstore.DB, code string) []string {
	t.Helper()
	d := db.Registers().Get(code)
	var out []string
	err := db.EachEntry(sqltest.System(), healthcell.EntryFilter{Register: code}, func(e *healthcell.Entry) error {
		out = append(out, fmt.Sprint(d.Row(e, "zh-CN")...))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// exportTable writes a register's entries as format, as `healthcell export` does.
func exportTable(t *testing.T, db *sqlstore.DB, d *register.Def, format string) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw, err := tablefile.NewWriter(&buf, format, d.Zh, d.Columns("zh-CN"))
	if err != nil {
		t.Fatal(err)
	}
	err = db.EachEntry(sqltest.System(), healthcell.EntryFilter{Register: d.Code}, func(e *healthcell.Entry) error { return tw.Write(d.Row(e, "zh-CN")) })
	if err != nil || tw.Close() != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func openBytes(t *testing.T, data []byte, format string) tablefile.Reader {
	t.Helper()
	if format == "csv" {
		r, err := tablefile.NewCSV(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	r, err := tablefile.NewXLSX(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestRegisterRoundTrip exports every register with entries and imports the
// files into an empty database with the same residents: the same entries.
func TestRegisterRoundTrip(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, src *sqlstore.DB) {
		w := newEntryWorld(t, src)
		for _, in := range w.inputs() {
			if _, err := src.CreateEntry(sqltest.System(), in); err != nil {
				t.Fatalf("%s: %v", in.Register, err)
			}
		}
		for _, format := range []string{"csv", "xlsx"} {
			t.Run(format, func(t *testing.T) {
				dst := sqltest.Open(t, src.Engine)
				newEntryWorld(t, dst)
				for _, d := range src.Registers().All() {
					want := entryValues(t, src, d.Code)
					if len(want) == 0 {
						continue
					}
					data := exportTable(t, src, d, format)
					res, err := importer.ImportEntries(sqltest.System(), dst, d, openBytes(t, data, format), importer.Options{Now: sqltest.Now})
					if err != nil {
						t.Fatalf("%s: %v %+v", d.Code, err, res.Issues.List)
					}
					if res.Entries != len(want) || res.Issues.Warnings != 0 {
						t.Errorf("%s: %d entries, %d warnings", d.Code, res.Entries, res.Issues.Warnings)
					}
					if got := entryValues(t, dst, d.Code); !reflect.DeepEqual(got, want) {
						t.Errorf("%s after the round trip:\n got %q\nwant %q", d.Code, got, want)
					}
				}
			})
		}
	})
}

// TestRegisterImportErrors: every wrong row is reported with its row,
// column and value, and nothing is stored.
func TestRegisterImportErrors(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newEntryWorld(t, db)
		header := []string{"身份证号", "姓名", "参保年度", "险种", "缴费日期"}
		good := func(p *healthcell.Person) []string {
			return []string{p.IDNumber, p.Name, "2025", "城乡居民基本医疗保险", "2024/11/20"}
		}
		for _, tc := range []struct {
			name   string
			row    []string
			col    string
			key    string
			format string
		}{
			{"unknown ID", []string{sqltest.ID(t, "1990-01-01", 55), "无名", "2025", "resident", ""}, "身份证号", "import.entry.unknown_person", "csv"},
			{"bad check character", []string{sqltest.BadCheck(w.pA.IDNumber), "张三", "2025", "resident", ""}, "身份证号", "idcard.check", "csv"},
			{"scientific notation", []string{"5.10824E+17", "张三", "2025", "resident", ""}, "身份证号", "idcard.scientific", "csv"},
			{"bad year", []string{w.pA.IDNumber, "张三", "二〇二五", "resident", ""}, "参保年度", "register.bad_year", "xlsx"},
			{"unknown scheme", []string{w.pA.IDNumber, "张三", "2025", "商业保险", ""}, "险种", "register.bad_option", "xlsx"},
			{"bad date", []string{w.pA.IDNumber, "张三", "2025", "resident", "2024-02-30"}, "缴费日期", "register.bad_date", "csv"},
			{"repeats a row", good(w.pB), "参保年度", "import.entry.duplicate_row", "xlsx"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				rows := [][]string{header, good(w.pB), tc.row}
				path := writeFile(t, t.TempDir(), tc.format, rows)
				r, err := tablefile.Open(path)
				if err != nil {
					t.Fatal(err)
				}
				defer r.Close()
				res, err := importer.ImportEntries(sqltest.System(), db, db.Registers().Get("insurance"), r, importer.Options{Now: sqltest.Now})
				if healthcell.ErrorMessage(err) != "import.has_errors" {
					t.Fatalf("err = %v", err)
				}
				found := false
				for _, is := range res.Issues.List {
					if is.Row == 3 && is.Field == tc.col && is.Message == tc.key {
						found = true
					}
				}
				if !found || res.Issues.Errors != 1 {
					t.Errorf("issues %+v, want one %s on row 3 column %s", res.Issues.List, tc.key, tc.col)
				}
				if got := entryValues(t, db, "insurance"); len(got) != 0 {
					t.Errorf("stored %q", got)
				}
			})
		}
		// A missing required column is an error on the header row.
		path := writeFile(t, t.TempDir(), "csv", [][]string{{"姓名", "参保年度"}, {"张三", "2025"}})
		r, _ := tablefile.Open(path)
		res, err := importer.ImportEntries(sqltest.System(), db, db.Registers().Get("insurance"), r, importer.Options{Now: sqltest.Now})
		r.Close()
		if healthcell.ErrorMessage(err) != "import.has_errors" || len(res.Issues.List) < 2 || res.Issues.List[0].Row != 1 {
			t.Errorf("missing columns: %v %+v", err, res.Issues.List)
		}
		// A name that is not the resident's is only a warning.
		path = writeFile(t, t.TempDir(), "csv", [][]string{header, {w.pA.IDNumber, "张叁", "2025", "resident", ""}})
		r, _ = tablefile.Open(path)
		res, err = importer.ImportEntries(sqltest.System(), db, db.Registers().Get("insurance"), r, importer.Options{Now: sqltest.Now})
		r.Close()
		if err != nil || res.Entries != 1 || res.Issues.Warnings != 1 || !strings.Contains(res.Issues.List[0].Message, "name_differs") {
			t.Errorf("name differs: %v %+v", err, res)
		}
		// A village officer may not import another village's residents.
		path = writeFile(t, t.TempDir(), "csv", [][]string{header, {w.pC.IDNumber, "王五", "2024", "resident", ""}})
		r, _ = tablefile.Open(path)
		res, err = importer.ImportEntries(sqltest.As("v", healthcell.RoleVillage, sqltest.Village), db, db.Registers().Get("insurance"), r, importer.Options{Now: sqltest.Now})
		r.Close()
		if healthcell.ErrorMessage(err) != "import.has_errors" || res.Issues.List[0].Message != "import.entry.unknown_person" {
			t.Errorf("out of scope: %v %+v", err, res.Issues.List)
		}
		// An institution's register needs the unit on every row; a part may
		// not exceed its whole.
		path = writeFile(t, t.TempDir(), "csv", [][]string{{"所属村（社区）", "单位", "填报日期（学期末）", "班级数", "其中开设健康教育课的班级", "体质健康测试人数", "其中达标人数"},
			{sqltest.Village, "陵江小学", "2025-01-15", "20", "18", "800", "730"},
			{sqltest.Village, "", "2025-01-15", "20", "18", "800", "730"},
			{sqltest.Village, "陵江小学", "2025-01-15", "20", "18", "800", "801"}})
		r, _ = tablefile.Open(path)
		res, err = importer.ImportEntries(sqltest.System(), db, db.Registers().Get("school_health"), r, importer.Options{Now: sqltest.Now})
		r.Close()
		var got []string
		for _, is := range res.Issues.List {
			got = append(got, fmt.Sprintf("%d %s %s", is.Row, is.Field, is.Message))
		}
		if healthcell.ErrorMessage(err) != "import.has_errors" || strings.Join(got, "; ") != "3 单位 register.unit_required; 4 其中达标人数 register.more_than_whole" {
			t.Errorf("unit register: %v %q", err, got)
		}
		if got := entryValues(t, db, "school_health"); len(got) != 0 {
			t.Errorf("stored %q", got)
		}
	})
}
