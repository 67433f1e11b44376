package web_test

import (
	"bytes"
	"database/sql"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/demo"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
	"github.com/healthcell/healthcell/web"
)

// County-scale benchmarks of whole pages through the server's handler (no
// network): the village page and the county and township tree pages, as the
// county administrator, from 50 concurrent goroutines. They are the profile
// of what cmd/hcload measures over loopback, without the load generator's own
// CPU. Like the storage benchmarks they build the demo county first, so they
// run only with HEALTHCELL_BENCH_COUNTY=1:
//
//	HEALTHCELL_BENCH_COUNTY=1 go test -run '^$' -bench BenchmarkCountyPages/sqlite \
//	  -cpuprofile cpu.out ./web/ && go tool pprof -top web.test cpu.out

// benchClients is the number of concurrent clients of the load target.
const benchClients = 50

func BenchmarkCountyPages(b *testing.B) {
	if os.Getenv("HEALTHCELL_BENCH_COUNTY") != "1" {
		b.Skip("set HEALTHCELL_BENCH_COUNTY=1 to build the county (≈ 780,000 residents) and run the county-scale benchmarks")
	}
	for _, engine := range sqltest.Engines {
		b.Run(engine, func(b *testing.B) {
			db := sqltest.Open(b, engine)
			villages := benchCounty(b, db, engine)
			srv, cookie := benchServer(b, db)
			b.Run("village", func(b *testing.B) {
				benchPages(b, srv, cookie, func(i int) string { return "/divisions/" + villages[i%len(villages)] })
			})
			b.Run("county", func(b *testing.B) {
				benchPages(b, srv, cookie, func(int) string { return "/divisions/" + sqltest.County })
			})
			b.Run("township", func(b *testing.B) {
				benchPages(b, srv, cookie, func(int) string { return "/divisions/" + sqltest.Township })
			})
		})
	}
}

// benchPages requests path(i) from benchClients goroutines and fails on any
// answer but 200.
func benchPages(b *testing.B, srv http.Handler, cookie *http.Cookie, path func(i int) string) {
	b.SetParallelism(max(1, benchClients/runtime.GOMAXPROCS(0)))
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for i := 0; pb.Next(); i++ {
			req := httptest.NewRequest(http.MethodGet, path(i), nil)
			req.AddCookie(cookie)
			w := httptest.NewRecorder()
			srv.ServeHTTP(w, req)
			if w.Code != http.StatusOK {
				b.Errorf("GET %s: %d", req.URL.Path, w.Code)
				return
			}
		}
	})
}

// benchCounty loads the demo county into db and returns its villages.
func benchCounty(b *testing.B, db *sqlstore.DB, engine string) []string {
	b.Helper()
	sys := sqltest.System()
	sqltest.LoadDivisions(b, db)
	vs, err := db.FindVillages(sys, sqltest.County)
	if err != nil {
		b.Fatal(err)
	}
	_, _, err = db.LoadPopulation(sys, func(emit func(*healthcell.Household, []*healthcell.Person) error) error {
		return demo.Population(vs, demo.County, 20251, sqltest.Now, emit)
	})
	if err != nil {
		b.Fatal(err)
	}
	if engine == sqlstore.Postgres {
		// Planner statistics, as autovacuum has them a minute after the load.
		conn, err := sql.Open("pgx", db.DSN)
		if err != nil {
			b.Fatal(err)
		}
		defer conn.Close()
		if _, err := conn.Exec(`ANALYZE divisions, households, persons, village_stats`); err != nil {
			b.Fatal(err)
		}
	}
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.Code
	}
	return out
}

// benchServer wires db into a server as cmd/healthcell does (keep the
// services in step with newServer in cmd/healthcell/serve.go) and logs in as
// the county administrator; it returns the server and the session cookie.
func benchServer(b *testing.B, db *sqlstore.DB) (http.Handler, *http.Cookie) {
	b.Helper()
	u := &healthcell.User{Username: "admin", DisplayName: "县爱卫办管理员", Role: healthcell.RoleCountyAdmin, Scope: sqltest.County}
	if err := db.CreateUser(sqltest.System(), u, "healthcell2025"); err != nil {
		b.Fatal(err)
	}
	// Errors only, on stderr, so that a failing page says why.
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	defs, table := shippedDefinitions(b)
	srv, err := web.New(web.Config{SessionStore: db.Sessions(), Logger: logger, Definitions: defs, ResidentTable: table}, web.Services{
		Divisions: db, Households: db, Persons: db, Users: db, Audit: db, Standards: db, Sheets: db, Units: db, Registers: db, Reconcile: db,
		Questionnaires: db,
		UserByID:       db.UserByID, Villages: db.FindVillages, Ping: db.Ping,
	})
	if err != nil {
		b.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodPost, "/api/v1/session", bytes.NewBufferString(`{"username":"admin","password":"healthcell2025"}`))
	req.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, req)
	if w.Code != http.StatusOK {
		b.Fatalf("login: %d %s", w.Code, w.Body)
	}
	for _, c := range w.Result().Cookies() {
		if c.Name == "healthcell_session" {
			return srv, c
		}
	}
	b.Fatal("login set no session cookie")
	return nil, nil
}
