package sqlstore_test

import (
	"context"
	"os"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/catalog/standards"
	"github.com/healthcell/healthcell/score"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// BenchmarkSheetOpen opens village self-assessment sheets of the shipped
// 健康村 standard — every data-bound item computed from the registers, the
// score, and the evidence flags, as the sheet page does — from 20
// concurrent clients, each operation a different village, on a database
// built by `healthcell demo --build-only` and named by HEALTHCELL_BENCH_DB
// (a SQLite file or a postgres:// URL; the benchmark adds a sheet per
// village). It reports the 50th and 99th percentile latency (the target is
// p99 < 100 ms at county scale):
//
//	healthcell demo --db county.db --scale county --build-only
//	HEALTHCELL_BENCH_DB=county.db go test -run '^$' -bench SheetOpen -benchtime 2000x ./sqlstore/
func BenchmarkSheetOpen(b *testing.B) {
	dsn := os.Getenv("HEALTHCELL_BENCH_DB")
	if dsn == "" {
		b.Skip("set HEALTHCELL_BENCH_DB to a database built by `healthcell demo --build-only`")
	}
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, dsn, sqltest.Definitions(b))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	sys := sqltest.System()
	var std *healthcell.Standard
	all, err := standards.Shipped()
	if err != nil {
		b.Fatal(err)
	}
	for _, s := range all {
		if s.Code == "healthy-village" {
			std = s
		}
	}
	if err := db.CreateStandard(sys, std); err != nil {
		b.Fatal(err)
	}
	vs, err := db.FindVillages(sys, sqltest.County)
	if err != nil || len(vs) == 0 {
		b.Fatalf("villages: %d, %v", len(vs), err)
	}
	year := time.Now().Year()
	sheets := make([]int64, 0, len(vs))
	for _, v := range vs {
		s := &healthcell.ScoreSheet{StandardID: std.ID, Kind: healthcell.SheetSelf, UnitKind: "village", UnitRef: v.Code, Year: year}
		if err := db.CreateScoreSheet(sys, s); err != nil {
			b.Fatal(err)
		}
		sheets = append(sheets, s.ID)
	}
	open := func(id int64) {
		sh, err := db.FindScoreSheet(sys, id)
		if err != nil {
			b.Error(err)
			return
		}
		if res := score.Compute(std, sh); len(res.Items) != len(std.Items) {
			b.Errorf("sheet %d: %d items scored", id, len(res.Items))
		}
		if _, err := db.SheetEvidenceFlags(sys, id); err != nil {
			b.Error(err)
		}
	}
	open(sheets[0]) // the standard and statement caches
	const clients = 20
	var mu sync.Mutex
	var lat []time.Duration
	b.SetParallelism(max(1, clients/runtime.GOMAXPROCS(0)))
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for i := 0; pb.Next(); i++ {
			start := time.Now()
			open(sheets[(i*7919+len(mine))%len(sheets)])
			mine = append(mine, time.Since(start))
		}
		mu.Lock()
		lat = append(lat, mine...)
		mu.Unlock()
	})
	b.StopTimer()
	slices.Sort(lat)
	if len(lat) > 0 {
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	}
}
