package sqlstore_test

import (
	"database/sql"
	"os"
	"testing"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/demo"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// County-scale benchmarks of the storage hot paths, on every engine, over
// the demo county (≈ 250,000 households and 780,000 residents in 457
// villages). Building it takes about half a minute per engine, so they run
// only with HEALTHCELL_BENCH_COUNTY=1:
//
//	HEALTHCELL_BENCH_COUNTY=1 HEALTHCELL_TEST_POSTGRES=postgres://… \
//	  go test -run '^$' -bench BenchmarkCounty -benchtime 2s -count 3 ./sqlstore/
//
// The county is built once per engine per `go test` run: BenchmarkCounty's
// engine sub-benchmark builds it and every hot path is a sub-benchmark of
// it (a benchmark with sub-benchmarks runs once; -count repeats the leaves).

// benchSeed is the demo's seed (cmd/healthcell), so the data is the demo's.
const benchSeed = 20251

// Callers of the benchmarks, as the demo accounts.
var (
	benchCounty   = sqltest.As("admin", healthcell.RoleCountyAdmin, sqltest.County)
	benchTownship = sqltest.As("lingjiang", healthcell.RoleTownship, sqltest.Township)
)

// countyDB is a built county and what the benchmarks pick from.
type countyDB struct {
	db         *sqlstore.DB
	villages   []string // all 457, in code order
	households []int64  // a sample of existing households spread over the county
}

func BenchmarkCounty(b *testing.B) {
	if os.Getenv("HEALTHCELL_BENCH_COUNTY") != "1" {
		b.Skip("set HEALTHCELL_BENCH_COUNTY=1 to build the county (≈ 780,000 residents) and run the county-scale benchmarks")
	}
	for _, engine := range sqltest.Engines {
		b.Run(engine, func(b *testing.B) {
			c := buildCounty(b, engine)
			b.Run("FindDivision/county", func(b *testing.B) {
				benchFindDivision(b, c, sqltest.County, 34)
			})
			b.Run("FindDivision/township", func(b *testing.B) {
				benchFindDivision(b, c, sqltest.Township, 24)
			})
			b.Run("FindHouseholds/village", func(b *testing.B) {
				// The village page: the first page of 50 households of a
				// village, a different village each time.
				for i := 0; b.Loop(); i++ {
					v := c.villages[i%len(c.villages)]
					hs, total, err := c.db.FindHouseholds(benchCounty, healthcell.HouseholdFilter{Division: v, Limit: 50})
					if err != nil || len(hs) == 0 || total == 0 {
						b.Fatalf("households of %s: %d of %d, %v", v, len(hs), total, err)
					}
				}
			})
			// Name search within 陵江镇 (≈ 78,000 residents) as its officer:
			// a full name (王俊杰, the most common one: 70 matches), a
			// surname (王, several thousand) and a name nobody has.
			for _, q := range []struct{ name, query string }{{"name", "王俊杰"}, {"surname", "王"}, {"nomatch", "欧阳不存在"}} {
				b.Run("FindPersons/township-"+q.name, func(b *testing.B) {
					for b.Loop() {
						_, total, err := c.db.FindPersons(benchTownship, healthcell.PersonFilter{Division: sqltest.Township, Query: q.query, Limit: 50})
						if err != nil || (q.name != "nomatch" && total == 0) {
							b.Fatalf("search %s: %d, %v", q.query, total, err)
						}
					}
				})
			}
			b.Run("CreatePerson", func(b *testing.B) {
				// A new member (no ID number) of an existing household as the
				// county administrator, with the village's live counts
				// refreshed and the audit entry written in the transaction.
				for i := 0; b.Loop(); i++ {
					p := &healthcell.Person{HouseholdID: c.households[i%len(c.households)], Name: "压测居民",
						Sex: "F", BirthDate: "1980-05-06", Relation: "其他", Registered: true, Resident: true}
					if err := c.db.CreatePerson(benchCounty, p); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

func benchFindDivision(b *testing.B, c *countyDB, code string, minChildren int) {
	for b.Loop() {
		v, err := c.db.FindDivision(benchCounty, code)
		if err != nil || len(v.Children) < minChildren || v.Persons == 0 {
			b.Fatalf("division %s: %v", code, err)
		}
	}
}

// buildCounty opens a fresh database on engine and loads the demo county as
// `healthcell demo --scale county` does, then updates the planner statistics
// on PostgreSQL (which autovacuum does within a minute of the load).
func buildCounty(b *testing.B, engine string) *countyDB {
	b.Helper()
	db := sqltest.Open(b, engine)
	sys := sqltest.System()
	start := time.Now()
	sqltest.LoadDivisions(b, db)
	vs, err := db.FindVillages(sys, sqltest.County)
	if err != nil {
		b.Fatal(err)
	}
	h, p, err := db.LoadPopulation(sys, func(emit func(*healthcell.Household, []*healthcell.Person) error) error {
		return demo.Population(vs, demo.County, benchSeed, sqltest.Now, emit)
	})
	if err != nil {
		b.Fatal(err)
	}
	if engine == sqlstore.Postgres {
		if err := analyze(db); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("%s: built %d households and %d residents in %d villages in %.1f s", engine, h, p, len(vs), time.Since(start).Seconds())
	c := &countyDB{db: db}
	for _, v := range vs {
		c.villages = append(c.villages, v.Code)
	}
	for i := 0; i < len(vs); i += 9 {
		hs, _, err := db.FindHouseholds(sys, healthcell.HouseholdFilter{Division: vs[i].Code, Limit: 20})
		if err != nil {
			b.Fatal(err)
		}
		for _, h := range hs {
			c.households = append(c.households, h.ID)
		}
	}
	if len(c.households) == 0 {
		b.Fatal("no households")
	}
	return c
}

// analyze updates the planner statistics of the county's tables, through a
// connection of its own to the test's schema (db.DSN names it).
func analyze(db *sqlstore.DB) error {
	conn, err := sql.Open("pgx", db.DSN)
	if err != nil {
		return err
	}
	defer conn.Close()
	_, err = conn.Exec(`ANALYZE divisions, households, persons, village_stats`)
	return err
}
