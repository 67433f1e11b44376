package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/healthcell/healthcell/sqlstore/sqltest"
	"github.com/healthcell/healthcell/web"
)

// The public quiz through the server's handler (no network), as cmd/hcload
// drives it for issue 15: anonymous GETs of a village's quiz, and the quiz
// answered (first option of every drawn item). The profile of what the load
// run measures:
//
//	go test -run '^$' -bench BenchmarkPublicQuiz -cpuprofile cpu.out ./web/ &&
//	  go tool pprof -top web.test cpu.out

var firstOption = regexp.MustCompile(`name="(a_[^"]+)" value="([^"]+)"`)

func BenchmarkPublicQuiz(b *testing.B) {
	for _, engine := range sqltest.Engines {
		b.Run(engine, func(b *testing.B) {
			e := publicEnv(b, sqltest.Open(b, engine), func(c *web.Config) { c.PublicSubmitLimit = -1 })
			h := e.srv.Config.Handler
			path := "/public/" + sqltest.Village + "/quiz"
			get := func() *httptest.ResponseRecorder {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
				if w.Code != http.StatusOK {
					b.Fatalf("GET %s: %d", path, w.Code)
				}
				return w
			}
			b.Run("page", func(b *testing.B) {
				b.SetParallelism(max(1, 200/runtime.GOMAXPROCS(0)))
				b.ReportAllocs()
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						get()
					}
				})
			})
			b.Run("submit", func(b *testing.B) {
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					b.StopTimer()
					page := get().Body.String()
					form := url.Values{"items": {drawnRE.FindStringSubmatch(page)[1]}}
					for _, m := range firstOption.FindAllStringSubmatch(page, -1) {
						if form.Get(m[1]) == "" {
							form.Set(m[1], m[2])
						}
					}
					req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
					w := httptest.NewRecorder()
					b.StartTimer()
					h.ServeHTTP(w, req)
					if w.Code != http.StatusSeeOther {
						b.Fatalf("POST %s: %d %s", path, w.Code, w.Body)
					}
				}
			})
		})
	}
}
