package sqlstore_test

import (
	"testing"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestCampaignProgress: namings count in the period of their Asia/Shanghai
// day, cumulatively to its last day; households are counted but not listed;
// another county's officer does not see the campaign.
func TestCampaignProgress(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFlow(t, db)
		name := func(kind, ref string, at time.Time) {
			f.at(at)
			a := f.newApp(t, sqltest.System(), kind, ref)
			f.sheet(t, a, healthcell.SheetSelf, true)
			f.sheet(t, a, healthcell.SheetCheck, true)
			f.sheet(t, a, healthcell.SheetEvaluation, true)
			for _, step := range []string{"apply", "pass_check", "evaluate_pass", "name"} {
				a = f.step(t, a, step)
			}
		}
		// 2026-06-30 16:30 UTC is 2026-07-01 00:30 in Shanghai: the third quarter.
		name("village", sqltest.Village, time.Date(2026, 6, 30, 16, 30, 0, 0, time.UTC))
		// 2026-06-30 15:59 UTC is still 2026-06-30 in Shanghai: the second quarter.
		name("school", "", time.Date(2026, 6, 30, 15, 59, 0, 0, time.UTC))
		f.at(time.Date(2026, 7, 2, 0, 0, 0, 0, time.UTC))
		f.newApp(t, sqltest.System(), "village", sqltest.Village2)
		f.newApp(t, sqltest.System(), "village", VillageT2)

		type row struct {
			township, cell             string
			apps, inPeriod, byEnd, now int
		}
		for _, tc := range []struct {
			period string
			rows   []row
			named  []string
		}{
			{"2026Q2", []row{{sqltest.Township, "健康学校", 1, 1, 1, 0}, {sqltest.Township, "健康村", 2, 0, 0, 1}, {sqltest.Township2, "健康村", 1, 0, 0, 1}}, []string{"陵江小学 2026-06-30"}},
			{"2026Q3", []row{{sqltest.Township, "健康学校", 1, 0, 1, 0}, {sqltest.Township, "健康村", 2, 1, 1, 1}, {sqltest.Township2, "健康村", 1, 0, 0, 1}}, nil},
			{"2026", []row{{sqltest.Township, "健康学校", 1, 1, 1, 0}, {sqltest.Township, "健康村", 2, 1, 1, 1}, {sqltest.Township2, "健康村", 1, 0, 0, 1}}, nil},
			{"2025", []row{{sqltest.Township, "健康学校", 1, 0, 0, 0}, {sqltest.Township, "健康村", 2, 0, 0, 1}, {sqltest.Township2, "健康村", 1, 0, 0, 1}}, []string{}},
		} {
			p, err := healthcell.ParseSummaryPeriod(tc.period)
			if err != nil {
				t.Fatal(err)
			}
			got, err := db.CampaignProgress(ctxTownship, f.camp.ID, p)
			if err != nil {
				t.Fatal(err)
			}
			if got.County == "" || len(got.Townships) < 2 || got.Campaign.ID != f.camp.ID {
				t.Fatalf("%s: county %q, %d townships", tc.period, got.County, len(got.Townships))
			}
			var rows []row
			for _, c := range got.Counts {
				rows = append(rows, row{c.Township, c.CellType, c.Applications, c.NamedInPeriod, c.NamedByEnd, c.InProgress})
			}
			if len(rows) != len(tc.rows) {
				t.Fatalf("%s: counts %+v, want %+v", tc.period, rows, tc.rows)
			}
			for i := range rows {
				if rows[i] != tc.rows[i] {
					t.Errorf("%s: row %d = %+v, want %+v", tc.period, i, rows[i], tc.rows[i])
				}
			}
			if tc.named != nil {
				var named []string
				for _, n := range got.Named {
					named = append(named, n.UnitName+" "+n.NamedOn)
				}
				if len(named) != len(tc.named) || (len(named) > 0 && named[0] != tc.named[0]) {
					t.Errorf("%s: named %q, want %q", tc.period, named, tc.named)
				}
			}
		}
		other := sqltest.As("other", healthcell.RoleCountyAdmin, "510802000000")
		_, err := db.CampaignProgress(other, f.camp.ID, healthcell.SummaryPeriod{Year: 2026})
		wantCode(t, err, healthcell.ENOTFOUND)
		_, err = db.CampaignProgress(ctxCounty, 999999, healthcell.SummaryPeriod{Year: 2026})
		wantCode(t, err, healthcell.ENOTFOUND)
	})
}

func TestParseSummaryPeriod(t *testing.T) {
	for _, tc := range []struct {
		in          string
		ok          bool
		first, last string
		label, kind string
	}{
		{"2026", true, "2026-01-01", "2026-12-31", "2026年", "年度总结"},
		{"2026Q1", true, "2026-01-01", "2026-03-31", "2026年第一季度", "阶段总结"},
		{"2026q3", true, "2026-07-01", "2026-09-30", "2026年第三季度", "阶段总结"},
		{"2028Q4", true, "2028-10-01", "2028-12-31", "2028年第四季度", "阶段总结"},
		{"2026Q5", false, "", "", "", ""},
		{"2026-07", false, "", "", "", ""},
		{"1999", false, "", "", "", ""},
		{"", false, "", "", "", ""},
		{" 2026", false, "", "", "", ""},
	} {
		p, err := healthcell.ParseSummaryPeriod(tc.in)
		if !tc.ok {
			wantInvalid(t, err, "period")
			continue
		}
		if err != nil {
			t.Fatalf("%q: %v", tc.in, err)
		}
		if p.First() != tc.first || p.Last() != tc.last || p.Label() != tc.label || p.Kind() != tc.kind {
			t.Errorf("%q: %s %s %s %s", tc.in, p.First(), p.Last(), p.Label(), p.Kind())
		}
	}
}
