package importer_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/demo"
	"github.com/healthcell/healthcell/importer"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
	"github.com/healthcell/healthcell/tablefile"
)

// BenchmarkRegisterImport imports 50,000 check-ups (ten for each resident
// of the small demo population) from CSV, matched by ID number, per
// iteration, on each engine.
func BenchmarkRegisterImport(b *testing.B) {
	for _, engine := range sqltest.Engines {
		b.Run(engine, func(b *testing.B) {
			db := sqltest.Open(b, engine)
			var villages []healthcell.Division
			for _, d := range sqltest.LoadDivisions(b, db) {
				if d.Level == healthcell.LevelVillage {
					villages = append(villages, d)
				}
			}
			var ids []string
			pop := func(emit func(h *healthcell.Household, members []*healthcell.Person) error) error {
				return demo.Population(villages, demo.Small, 1, sqltest.Now, func(h *healthcell.Household, ms []*healthcell.Person) error {
					for _, p := range ms {
						if p.IDNumber != "" && p.Status == "active" {
							ids = append(ids, p.IDNumber)
						}
					}
					return emit(h, ms)
				})
			}
			if _, _, err := db.LoadPopulation(sqltest.System(), sqlstore.Population(pop)); err != nil {
				b.Fatal(err)
			}
			d := db.Registers().Get("checkups")
			var buf bytes.Buffer
			tw, err := tablefile.NewWriter(&buf, "csv", d.Zh, []string{"身份证号", "体检日期", "体检类别", "结果摘要", "体检机构"})
			if err != nil {
				b.Fatal(err)
			}
			rows := 0
			for i := 0; rows < 50000; i++ {
				id := ids[i%len(ids)]
				day := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%150)
				tw.Write([]any{id, day.Format("2006/1/2"), "一般人群体检", fmt.Sprintf("血压 %d/80", 110+i%40), "陵江镇卫生院"})
				rows++
			}
			tw.Close()
			data := buf.Bytes()
			b.ResetTimer()
			for range b.N {
				r, err := tablefile.NewCSV(bytes.NewReader(data))
				if err != nil {
					b.Fatal(err)
				}
				res, err := importer.ImportEntries(sqltest.System(), db, d, r, importer.Options{Now: sqltest.Now})
				if err != nil || res.Entries != rows {
					b.Fatalf("import: %v %d", err, res.Entries)
				}
			}
			b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
