package sqlstore_test

import (
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestSheetActivityCountsFollowWrites opens a village sheet (caching its
// activity counts), then changes the village's lectures: every reopen
// counts what the register holds now.
func TestSheetActivityCountsFollowWrites(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		newIndWorld(t, db)
		std := shippedStandard(t, db, "healthy-village")
		sys := sqltest.System()
		officer := sqltest.As("cun", healthcell.RoleVillage, sqltest.Village)
		sh := &healthcell.ScoreSheet{StandardID: std.ID, Kind: healthcell.SheetSelf, UnitKind: "village", UnitRef: sqltest.Village, Year: 2025}
		if err := db.CreateScoreSheet(officer, sh); err != nil {
			t.Fatal(err)
		}
		lectures := func() float64 {
			t.Helper()
			got, err := db.FindScoreSheet(officer, sh.ID)
			if err != nil {
				t.Fatal(err)
			}
			c := got.Answers["2.6"].Computed
			if c == nil || c.Value == nil {
				t.Fatalf("lectures: %+v", c)
			}
			return *c.Value
		}
		var e *healthcell.Entry
		steps := []struct {
			name  string
			write func() error
			want  float64
		}{
			{"as built", func() error { return nil }, 2},
			{"read again from the cache", func() error { return nil }, 2},
			{"a lecture added", func() (err error) {
				e, err = db.CreateEntry(sys, healthcell.EntryInput{Register: "activities", VillageCode: sqltest.Village,
					Fields: map[string]string{"kind": "lecture", "activity_date": "2025-04-08", "place": "活动室", "topic": "讲座", "attendance": "2"}})
				return err
			}, 3},
			{"a lecture of another year", func() error {
				_, err := db.CreateEntry(sys, healthcell.EntryInput{Register: "activities", VillageCode: sqltest.Village,
					Fields: map[string]string{"kind": "lecture", "activity_date": "2024-04-08", "place": "活动室", "topic": "讲座", "attendance": "2"}})
				return err
			}, 3},
			{"the added lecture withdrawn", func() error { return db.DeactivateEntry(sys, "activities", e.ID, e.Version) }, 2},
		}
		for _, st := range steps {
			if err := st.write(); err != nil {
				t.Fatalf("%s: %v", st.name, err)
			}
			if got := lectures(); got != st.want {
				t.Errorf("%s: %v lectures, want %v", st.name, got, st.want)
			}
		}
	})
}
