package sqlstore_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// BenchmarkFamilyBatch500 times a township passing 500 applied families in
// bulk by a sample (issue 12: < 5 s): DecideSampleBatch of a batch of 500
// applications whose 50 sampled households (10 %) have passing check
// sheets. Building the households, the applications (inserted applied), the
// batch and the 50 sheets is not timed. Run one operation a sample:
//
//	go test -run '^$' -bench FamilyBatch500 -benchtime 1x -count 5 ./sqlstore/
func BenchmarkFamilyBatch500(b *testing.B) {
	for _, engine := range sqltest.Engines {
		b.Run(engine, func(b *testing.B) {
			db := sqltest.Open(b, engine)
			w := newFamWorld(b, db)
			ctx := context.Background()
			for i := range b.N {
				b.StopTimer()
				prefix := fmt.Sprintf("B%d-", i)
				for k := range healthcell.MaxFamilyBulk {
					sqltest.Household(b, db, sqltest.Village, fmt.Sprintf("%s%03d", prefix, k))
				}
				if err := db.ExecForTest(ctx, `INSERT INTO applications (campaign_id, year, standard_id, unit_kind, unit_ref, unit_name, division,
					department, state, version, created_by, created_at, updated_at)
					SELECT $1, 2026, $2, 'household', CAST(id AS TEXT), number, village_code, '', 'applied', 1, 'bench', $3, $3
					FROM households WHERE number LIKE $4`, w.camp.ID, w.std.ID, flowNow, prefix+"%"); err != nil {
					b.Fatal(err)
				}
				apps, total, err := db.FindApplications(ctxTownship, healthcell.ApplicationFilter{State: "applied", UnitKind: "household", Limit: healthcell.MaxFamilyBulk})
				if err != nil || total != healthcell.MaxFamilyBulk {
					b.Fatalf("%d applied: %v", total, err)
				}
				ids := make([]int64, len(apps))
				for k, a := range apps {
					ids[k] = a.ID
				}
				batch, err := db.CreateSampleBatch(ctxTownship, ids, 10, int64(i+1))
				if err != nil {
					b.Fatal(err)
				}
				for _, m := range batch.Sampled() {
					w.checkSheet(b, m.ApplicationID, true)
				}
				b.StartTimer()
				got, err := db.DecideSampleBatch(ctxTownship, batch.ID)
				b.StopTimer()
				if err != nil || got.State != healthcell.BatchPassed {
					b.Fatalf("decide: %v", err)
				}
				for _, m := range got.Members {
					if m.State != "checked" {
						b.Fatalf("application %d %s", m.ApplicationID, m.State)
					}
				}
			}
		})
	}
}

// BenchmarkApplyFamilies200 times a village officer applying for 200
// eligible households in one action (application, self-assessment from the
// registers and 申报 for each). Building them is not timed.
//
//	go test -run '^$' -bench ApplyFamilies200 -benchtime 1x -count 3 ./sqlstore/
func BenchmarkApplyFamilies200(b *testing.B) {
	for _, engine := range sqltest.Engines {
		b.Run(engine, func(b *testing.B) {
			db := sqltest.Open(b, engine)
			w := newFamWorld(b, db)
			for i := range b.N {
				b.StopTimer()
				var hs []int64
				for k := range 200 {
					hs = append(hs, w.add(b, sqltest.Village, fmt.Sprintf("P%d-%03d", i, k), famGood).ID)
				}
				w.load(b)
				b.StartTimer()
				res, err := db.ApplyFamilies(ctxVillageA, sqltest.Village, w.camp.ID, hs)
				b.StopTimer()
				if err != nil {
					b.Fatal(err)
				}
				for _, r := range res {
					if !r.OK {
						b.Fatalf("%+v", r)
					}
				}
			}
		})
	}
}
