package sqlstore_test

import (
	"context"
	"os"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// BenchmarkIndicators computes indicators on a county built by
// `healthcell demo --scale county --build-only` (registers and responses
// included), named by HEALTHCELL_BENCH_DB (a SQLite file or a postgres://
// URL; the benchmark writes to it):
//
//	HEALTHCELL_BENCH_DB=county.db go test -run '^$' -bench Indicators -benchtime 20x ./sqlstore/
//
// Before each operation a write (a person's row rewritten unchanged, which
// fires the triggers as any edit does) marks one village changed, or the
// epoch moves (every village changed, as after a bulk load).
func BenchmarkIndicators(b *testing.B) {
	dsn := os.Getenv("HEALTHCELL_BENCH_DB")
	if dsn == "" {
		b.Skip("set HEALTHCELL_BENCH_DB to a county database built by `healthcell demo --scale county --build-only`")
	}
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, dsn, sqltest.Definitions(b))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	sys := sqltest.System()
	const village, other = "510824100001", "510824104201"
	period := os.Getenv("HEALTHCELL_BENCH_PERIOD")
	if period == "" {
		period = "2026"
	}
	county := healthcell.IndicatorQuery{Division: sqltest.County, Level: healthcell.LevelNameTownship, WithTotal: true, Period: period}
	one := healthcell.IndicatorQuery{Division: village, Period: period}
	touch := func(b *testing.B, code string) {
		b.Helper()
		if err := db.ExecForTest(ctx, `UPDATE persons SET version = version WHERE id = (SELECT MIN(id) FROM persons WHERE village_code = $1)`, code); err != nil {
			b.Fatal(err)
		}
	}
	bumpEpoch := func(b *testing.B, _ string) {
		b.Helper()
		if err := db.ExecForTest(ctx, `UPDATE data_version SET epoch = epoch + 1 WHERE id = 1`); err != nil {
			b.Fatal(err)
		}
	}
	cases := []struct {
		name  string
		q     healthcell.IndicatorQuery
		write func(*testing.B, string)
		in    string
	}{
		{"county+townships/all villages changed", county, bumpEpoch, ""},
		{"county+townships/one village changed", county, touch, village},
		{"county+townships/unchanged", county, nil, ""},
		{"village/changed", one, touch, village},
		{"village/another village changed", one, touch, other},
		{"village/unchanged", one, nil, ""},
	}
	if _, err := db.IndicatorValues(sys, county); err != nil {
		b.Fatal(err)
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if c.write != nil {
					b.StopTimer()
					c.write(b, c.in)
					b.StartTimer()
				}
				if _, err := db.IndicatorValues(sys, c.q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
