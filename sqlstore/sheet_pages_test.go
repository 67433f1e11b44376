package sqlstore_test

import (
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestScoreSheetPages checks the rows and the total of every kind of page
// of a sheet list: a short first page (which is not counted), a full one,
// later pages, an empty one past the end, and filters.
func TestScoreSheetPages(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		sqltest.LoadDivisions(t, db)
		std := villageStandard()
		if err := db.CreateStandard(sqltest.System(), std); err != nil {
			t.Fatal(err)
		}
		officer := sqltest.As("cun", healthcell.RoleVillage, sqltest.Village)
		for year := 2021; year <= 2025; year++ {
			sh := &healthcell.ScoreSheet{StandardCode: std.Code, Kind: healthcell.SheetSelf, UnitKind: "village", UnitRef: sqltest.Village, Year: year}
			if err := db.CreateScoreSheet(officer, sh); err != nil {
				t.Fatal(err)
			}
		}
		cases := []struct {
			name        string
			f           healthcell.SheetFilter
			rows, total int
		}{
			{name: "short first page", f: healthcell.SheetFilter{Division: sqltest.Village, Limit: 10}, rows: 5, total: 5},
			{name: "full first page", f: healthcell.SheetFilter{Division: sqltest.Village, Limit: 5}, rows: 5, total: 5},
			{name: "first of three pages", f: healthcell.SheetFilter{Division: sqltest.Village, Limit: 2}, rows: 2, total: 5},
			{name: "last, short page", f: healthcell.SheetFilter{Division: sqltest.Village, Limit: 2, Offset: 4}, rows: 1, total: 5},
			{name: "past the end", f: healthcell.SheetFilter{Division: sqltest.Village, Limit: 2, Offset: 6}, rows: 0, total: 5},
			{name: "one year", f: healthcell.SheetFilter{Division: sqltest.Village, Year: 2023, Limit: 1}, rows: 1, total: 1},
			{name: "one year, past the end", f: healthcell.SheetFilter{Division: sqltest.Village, Year: 2023, Limit: 1, Offset: 1}, rows: 0, total: 1},
			{name: "another village", f: healthcell.SheetFilter{Division: sqltest.Village2}, rows: 0, total: 0},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				list, total, err := db.FindScoreSheets(sqltest.System(), tc.f)
				if err != nil {
					t.Fatal(err)
				}
				if len(list) != tc.rows || total != tc.total {
					t.Errorf("%d rows of %d, want %d of %d", len(list), total, tc.rows, tc.total)
				}
			})
		}
	})
}
