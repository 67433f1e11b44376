package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
	"github.com/healthcell/healthcell/web"
)

// offlineBenchVillage fills sqltest.Village with households of three
// residents each and returns the residents' ids.
func offlineBenchVillage(b *testing.B, db *sqlstore.DB, households int) []int64 {
	b.Helper()
	sqltest.LoadDivisions(b, db)
	var ids []int64
	for i := range households {
		h := sqltest.Household(b, db, sqltest.Village, fmt.Sprintf("B-%04d", i+1))
		for j, rel := range []string{"户主", "配偶", "子"} {
			birth := fmt.Sprintf("%d-%02d-%02d", 1950+j*20+i%15, 1+i%12, 1+i%28)
			p := sqltest.Person(b, db, h, fmt.Sprintf("居民%d-%d", i+1, j+1), sqltest.ID(b, birth, i%900+1), rel)
			ids = append(ids, p.ID)
		}
	}
	return ids
}

// offlineBenchServer serves db with the village officer logged in.
func offlineBenchServer(b *testing.B, db *sqlstore.DB) (http.Handler, *http.Cookie) {
	b.Helper()
	u := &healthcell.User{Username: "village", DisplayName: "村干部", Role: healthcell.RoleVillage, Scope: sqltest.Village}
	if err := db.CreateUser(sqltest.System(), u, testPassword); err != nil {
		b.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	defs, table := shippedDefinitions(b)
	srv, err := web.New(web.Config{SessionStore: db.Sessions(), Logger: logger, Definitions: defs, ResidentTable: table}, web.Services{
		Divisions: db, Households: db, Persons: db, Users: db, Audit: db, Standards: db, Sheets: db, Units: db, Registers: db, Reconcile: db,
		Questionnaires: db, Applications: db, Rectifications: db, Bulletins: db, Inspections: db, NamedUnits: db.FindNamedUnits, Plans: db,
		UserByID: db.UserByID, Villages: db.FindVillages, Ping: db.Ping, Indicators: db, Residents: db, Idempotency: db,
	})
	if err != nil {
		b.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodPost, "/api/v1/session", bytes.NewBufferString(`{"username":"village","password":"`+testPassword+`"}`))
	req.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, req)
	for _, c := range w.Result().Cookies() {
		if c.Name == "healthcell_session" {
			return srv, c
		}
	}
	b.Fatalf("login: %d %s", w.Code, w.Body)
	return nil, nil
}

// BenchmarkOfflineWorkSet takes a village of 500 households (1,500
// residents) offline: the work set the phone downloads and stores, with
// its size in bytes (json-bytes). The target is < 5 s and < 10 MB.
//
//	go test -run '^$' -bench BenchmarkOfflineWorkSet -benchtime 5x ./web/
func BenchmarkOfflineWorkSet(b *testing.B) {
	for _, engine := range sqltest.Engines {
		b.Run(engine, func(b *testing.B) {
			db := sqltest.Open(b, engine)
			offlineBenchVillage(b, db, 500)
			srv, cookie := offlineBenchServer(b, db)
			size := 0
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, "/api/v1/offline/workset?village="+sqltest.Village, nil)
				req.AddCookie(cookie)
				w := httptest.NewRecorder()
				srv.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("work set: %d %s", w.Code, w.Body)
				}
				size = w.Body.Len()
			}
			b.ReportMetric(float64(size), "json-bytes")
		})
	}
}

// BenchmarkSync200 sends a phone's queue of 200 check-ups in one batch
// (each with its idempotency key). The target is < 10 s on SQLite.
//
//	go test -run '^$' -bench BenchmarkSync200 -benchtime 5x ./web/
func BenchmarkSync200(b *testing.B) {
	for _, engine := range sqltest.Engines {
		b.Run(engine, func(b *testing.B) {
			db := sqltest.Open(b, engine)
			persons := offlineBenchVillage(b, db, 70)
			srv, cookie := offlineBenchServer(b, db)
			round := 0
			for b.Loop() {
				b.StopTimer()
				round++
				items := make([]map[string]any, 200)
				for i := range items {
					items[i] = map[string]any{"key": fmt.Sprintf("r%d-%d", round, i), "method": "POST", "path": "/api/v1/registers/checkups/entries",
						"body": map[string]any{"person": persons[i%len(persons)], "values": map[string]any{
							"exam_date": fmt.Sprintf("2025-%02d-%02d", 1+round%12, 1+i%28), "kind": "general", "summary": "入户体检"}}}
				}
				body, _ := json.Marshal(map[string]any{"items": items})
				req := httptest.NewRequest(http.MethodPost, "/api/v1/sync", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.AddCookie(cookie)
				w := httptest.NewRecorder()
				b.StartTimer()
				srv.ServeHTTP(w, req)
				b.StopTimer()
				var out struct{ Items []struct{ Status int } }
				if w.Code != http.StatusOK || json.Unmarshal(w.Body.Bytes(), &out) != nil || len(out.Items) != 200 {
					b.Fatalf("sync: %d %.300s", w.Code, w.Body)
				}
				for _, it := range out.Items {
					if it.Status != http.StatusCreated {
						b.Fatalf("an item answered %d: %.300s", it.Status, w.Body)
					}
				}
				b.StartTimer()
			}
		})
	}
}
