package sqlstore_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// missLines writes misses as "rule place period=count" lines.
func missLines(ms []healthcell.ActivityMiss) string {
	var b strings.Builder
	for _, m := range ms {
		place := m.Division
		if m.UnitID != 0 {
			place = m.UnitName
		}
		fmt.Fprintf(&b, "%s %s %s=%d\n", m.Rule, place, m.Period, m.Count)
	}
	return b.String()
}

// TestMissedActivities checks the frequency rules against a small ledger
// (expectations computed by hand from catalog/frequencies.yaml).
func TestMissedActivities(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		sqltest.LoadDivisions(t, db)
		sys := sqltest.System()
		school := &healthcell.Unit{Kind: "school", Name: "陵江小学", Division: sqltest.Village, Department: "县教科体局"}
		hospital := &healthcell.Unit{Kind: "hospital", Name: "陵江村卫生室", Division: sqltest.Village, Department: "县卫健局"}
		for _, u := range []*healthcell.Unit{school, hospital} {
			if err := db.CreateUnit(sys, u); err != nil {
				t.Fatal(err)
			}
		}
		act := func(unit int64, kind, date string) *sqlstore.RegisterRow {
			return &sqlstore.RegisterRow{Register: "activities", Village: sqltest.Village, UnitID: unit, Values: []any{kind, date, "活动室", "主题", "卫生院", 30}}
		}
		rows := []*sqlstore.RegisterRow{
			// The village: lectures every ended month but April (one in
			// December 2024 is outside the year).
			act(0, "lecture", "2024-12-30"), act(0, "lecture", "2025-01-10"), act(0, "lecture", "2025-02-03"),
			act(0, "lecture", "2025-05-20"), act(0, "lecture", "2025-07-31"),
			// Boards every month but June.
			act(0, "board", "2025-01-02"), act(0, "board", "2025-02-02"), act(0, "board", "2025-03-02"), act(0, "board", "2025-04-02"),
			act(0, "board", "2025-05-02"), act(0, "board", "2025-07-02"), act(0, "board", "2025-07-20"),
			// A meeting in the first quarter only; no clean-up days, no contest.
			act(0, "meeting", "2025-02-10"),
			// The school: lectures in March and June (they count for the
			// village too), one board in May.
			act(school.ID, "lecture", "2025-03-10"), act(school.ID, "lecture", "2025-06-10"), act(school.ID, "board", "2025-05-05"),
		}
		if _, err := db.LoadRegisters(sys, func(emit func(*sqlstore.RegisterRow) error) error {
			for _, r := range rows {
				if err := emit(r); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		// A lecture in April, withdrawn: it does not count.
		e, err := db.CreateEntry(sys, healthcell.EntryInput{Register: "activities", VillageCode: sqltest.Village,
			Fields: map[string]string{"kind": "lecture", "activity_date": "2025-04-08", "place": "活动室", "topic": "讲座", "attendance": "20"}})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.DeactivateEntry(sys, "activities", e.ID, e.Version); err != nil {
			t.Fatal(err)
		}

		at := func(day string) {
			d, _ := time.ParseInLocation(time.DateTime, day+" 12:00:00", time.FixedZone("CST", 8*3600))
			db.Now = func() time.Time { return d.UTC() }
		}
		at("2025-08-15") // January–July, Q1–Q2 and the spring semester have ended
		got, err := db.MissedActivities(sys, sqltest.Village, 2025)
		if err != nil {
			t.Fatal(err)
		}
		V := sqltest.Village
		want := "village_lecture_monthly " + V + " 2025-04=0\n" +
			"village_board_monthly " + V + " 2025-06=0\n"
		for m := 1; m <= 7; m++ {
			want += fmt.Sprintf("village_cleanup_monthly %s 2025-%02d=0\n", V, m)
		}
		want += "village_meeting_quarterly " + V + " 2025Q2=0\n" +
			"school_board_semester 陵江小学 2025S1=1\n"
		if s := missLines(got); s != want {
			t.Errorf("misses on 2025-08-15\n got:\n%s\nwant:\n%s", s, want)
		}
		if m := got[len(got)-1]; m.Min != 2 || m.Start != "2025-03-01" || m.End != "2025-07-31" || m.PeriodKind != "semester" || m.Activity != "board" || m.N != 1 {
			t.Errorf("the school's miss: %+v", m)
		}

		// The township: Village2 recorded nothing — 7 months of lectures,
		// boards and clean-ups, 2 quarters of meetings.
		got, err = db.MissedActivities(ctxTownship, sqltest.Township, 2025)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, m := range got {
			if m.Division == sqltest.Village2 {
				n++
			}
		}
		if n != 23 {
			t.Errorf("Village2 missed %d periods, want 23", n)
		}

		// After the year and the autumn semester (to 31 January) are over:
		// no contest in 2025, no lecture or board of the school in autumn.
		at("2026-02-10")
		got, err = db.MissedActivities(sys, sqltest.Village, 2025)
		if err != nil {
			t.Fatal(err)
		}
		s := missLines(got)
		for _, line := range []string{"village_contest_yearly " + V + " 2025=0", "school_lecture_semester 陵江小学 2025S2=0", "school_board_semester 陵江小学 2025S2=0"} {
			if !strings.Contains(s, line+"\n") {
				t.Errorf("missing %q in\n%s", line, s)
			}
		}

		// Scope: a unit contact sees its own unit only; another township
		// sees nothing; bad years are refused.
		unitCtx := healthcell.WithActor(context.Background(), &healthcell.Actor{UserID: 9, Username: "school", Role: healthcell.RoleUnit, Scope: sqltest.Village, Unit: fmt.Sprint(school.ID)})
		got, err = db.MissedActivities(unitCtx, sqltest.Village, 2025)
		if err != nil || missLines(got) != "school_lecture_semester 陵江小学 2025S2=0\nschool_board_semester 陵江小学 2025S1=1\nschool_board_semester 陵江小学 2025S2=0\n" {
			t.Errorf("unit contact: %v\n%s", err, missLines(got))
		}
		_, err = db.MissedActivities(ctxTownship2, sqltest.Village, 2025)
		wantCode(t, err, healthcell.ENOTFOUND)
		_, err = db.MissedActivities(ctxVillageA, sqltest.Township, 2025)
		wantCode(t, err, healthcell.ENOTFOUND)
		for _, y := range []int{1999, 2027} {
			_, err = db.MissedActivities(sys, sqltest.Village, y)
			wantInvalid(t, err, "year")
		}
	})
}
