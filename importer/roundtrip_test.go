package importer_test

import (
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/catalog"
	"github.com/healthcell/healthcell/demo"
	"github.com/healthcell/healthcell/importer"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// generated returns n rows of the demo generator, header first.
func generated(t testing.TB, n int) [][]string {
	t.Helper()
	divs, err := catalog.Divisions("510824")
	if err != nil {
		t.Fatal(err)
	}
	var villages []healthcell.Division
	for _, d := range divs {
		if d.Level == healthcell.LevelVillage {
			villages = append(villages, d)
		}
	}
	rows := [][]string{demo.ResidentFileHeader}
	err = demo.ResidentFile(villages, n, func(cells []string) error {
		rows = append(rows, append([]string(nil), cells...))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestImportDemoCounty: on an empty database with the demo county's
// divisions, a file with errors changes nothing, and the corrected file
// gives exactly its residents and households, on both engines and in both
// file forms.
func TestImportDemoCounty(t *testing.T) {
	good := generated(t, 3000)
	bad := make([][]string, len(good))
	for i := range good {
		bad[i] = append([]string(nil), good[i]...)
	}
	bad[10][2] = sqltest.BadCheck(bad[10][2]) // row 11
	bad[500][0] = ""                          // row 501
	bad[2999][6] = "510824999999"             // row 3000
	copy(bad[3000][:4], bad[1][:4])           // row 3001 repeats the person of row 2
	want := []issue{{11, "身份证号", "idcard.check", false}, {501, "姓名", "field.required", false},
		{3000, "所属村（社区）", "import.village.unknown", false}, {3001, "身份证号", "import.id_number.duplicate", false}}
	// What the corrected file holds, as export rows and households.
	var wantRows []string
	households := map[string]bool{}
	for _, r := range good[1:] {
		sex := map[string]string{"男": "M", "女": "F"}[r[1]]
		wantRows = append(wantRows, r[0]+"|"+sex+"|"+r[2]+"|"+r[3]+"|"+r[4]+"|"+r[5]+"|"+r[6]+"|"+r[7]+"|"+r[8]+"|true|true")
		households[r[6]+"/"+r[4]] = true
	}
	sort.Strings(wantRows)
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		for _, format := range []string{"csv", "xlsx"} {
			t.Run(format, func(t *testing.T) {
				db := sqltest.Open(t, db.Engine)
				sqltest.LoadDivisions(t, db)
				before := counts(t, db)
				res, err := run(t, db, writeFile(t, t.TempDir(), format, bad), importer.Options{})
				if healthcell.ErrorMessage(err) != "import.has_errors" {
					t.Fatalf("bad file: %v", err)
				}
				if got := issuesOf(res); !reflect.DeepEqual(got, want) || res.Rows != 3000 {
					t.Errorf("rows %d, issues %v, want %v", res.Rows, got, want)
				}
				if got := counts(t, db); got != before {
					t.Fatalf("the bad file changed %v to %v", before, got)
				}
				res, err = run(t, db, writeFile(t, t.TempDir(), format, good), importer.Options{})
				if err != nil {
					t.Fatal(err)
				}
				if res.Counts.Persons != 3000 || res.Counts.Households != len(households) {
					t.Errorf("counts %+v, want 3000 persons, %d households", res.Counts, len(households))
				}
				got := exported(t, db)
				sort.Strings(got)
				if !reflect.DeepEqual(got, wantRows) {
					t.Errorf("stored rows differ from the file (%d vs %d)", len(got), len(wantRows))
				}
				// Household member counts and head names are kept with them.
				if chk, err := db.Check(sqltest.System()); err != nil || len(chk.Problems) > 0 {
					t.Errorf("check after the import: %v %v", err, chk)
				}
				c := counts(t, db)
				if c[0] != 3000 || c[1] != len(households) || c[2] != before[2]+1 {
					t.Errorf("persons, households, audit entries = %v; want 3000, %d, %d", c, len(households), before[2]+1)
				}
				v, err := db.FindDivision(sqltest.System(), sqltest.County)
				if err != nil || v.Persons != 3000 || v.Households != len(households) {
					t.Errorf("live counts %+v, %v", v.DivisionCounts, err)
				}
			})
		}
	})
}

// TestExportImportRoundTrip: residents exported and imported into an empty
// database are the same residents, in .xlsx and CSV, on both engines.
func TestExportImportRoundTrip(t *testing.T) {
	rows := generated(t, 500)
	rows[3][8] = "0817-5222333" // a landline
	rows[4][9] = "否"
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		sqltest.LoadDivisions(t, db)
		if _, err := run(t, db, writeFile(t, t.TempDir(), "csv", rows), importer.Options{}); err != nil {
			t.Fatal(err)
		}
		want := exported(t, db)
		for _, format := range []string{"csv", "xlsx"} {
			t.Run(format, func(t *testing.T) {
				path := filepath.Join(t.TempDir(), "export."+format)
				f, err := os.Create(path)
				if err != nil {
					t.Fatal(err)
				}
				err = importer.WriteResidents(f, format, residentsTable(t), func(emit func(*healthcell.ImportedResident) error) error {
					return db.ExportResidents(sqltest.System(), sqltest.County, emit)
				})
				if err != nil {
					t.Fatal(err)
				}
				f.Close()
				empty := sqltest.Open(t, db.Engine)
				sqltest.LoadDivisions(t, empty)
				if res, err := run(t, empty, path, importer.Options{}); err != nil {
					t.Fatalf("%v %v", err, issuesOf(res))
				}
				if got := exported(t, empty); !reflect.DeepEqual(got, want) {
					t.Errorf("round trip differs:\n%v\n%v", got[:3], want[:3])
				}
			})
		}
	})
}

// TestImportLarge imports more rows than one batch, so that batches are
// written while the next are read, and the indexes are rebuilt (SQLite);
// the result must be the same as row by row, on both engines.
func TestImportLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("50,000 rows")
	}
	rows := generated(t, 50000)
	households := map[string]bool{}
	for _, r := range rows[1:] {
		households[r[6]+"/"+r[4]] = true
	}
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		sqltest.LoadDivisions(t, db)
		path := writeFile(t, t.TempDir(), "csv", rows)
		res, err := run(t, db, path, importer.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Counts.Persons != 50000 || res.Counts.Households != len(households) {
			t.Errorf("counts %+v", res.Counts)
		}
		v, err := db.FindDivision(sqltest.System(), sqltest.County)
		if err != nil || v.Persons != 50000 || v.Households != len(households) {
			t.Errorf("live counts %+v, %v", v.DivisionCounts, err)
		}
		// Every household has its head: the first member of each is 户主.
		hs, _, err := db.FindHouseholds(sqltest.System(), healthcell.HouseholdFilter{Division: sqltest.County, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range hs {
			if h.HeadID == 0 {
				t.Fatalf("household %s/%s has no head", h.VillageCode, h.Number)
			}
		}
		// Importing again fails on every row, and the indexes still work:
		// a search by name finds residents.
		if _, err := run(t, db, path, importer.Options{}); healthcell.ErrorMessage(err) != "import.has_errors" {
			t.Errorf("again: %v", err)
		}
		ps, n, err := db.FindPersons(sqltest.System(), healthcell.PersonFilter{Division: sqltest.County, Query: rows[1][0], Limit: 5})
		if err != nil || n == 0 || len(ps) == 0 {
			t.Errorf("search by name: %d, %v", n, err)
		}
	})
}
