package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// workload is what the clients do.
type workload struct {
	cfg        *config
	villages   []string
	households [][]int64 // per village
	stderr     io.Writer
	errLogged  atomic.Int32
	submitMu   sync.Mutex
	submits    stats // quiz submissions (-quiz-submit)
}

// phase runs the readers and writers until the time limit, or until the
// readers have made nReads requests (the writers then stop too) or the
// writers nWrites.
func (w *workload) phase(ctx context.Context, readers, writers []*client, limit time.Duration, nReads, nWrites int) (rs, ws stats) {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	var nextRead, nextWrite atomic.Int64
	start := time.Now()
	var mu sync.Mutex
	var rwg, wwg sync.WaitGroup
	for _, c := range readers {
		rwg.Add(1)
		go func() {
			defer rwg.Done()
			var s, sub stats
			w.stagger(ctx)
			for ctx.Err() == nil {
				i := int(nextRead.Add(1) - 1)
				if i >= nReads {
					break
				}
				p := w.path(i)
				w.request(ctx, c, &s, http.MethodGet, p, nil, http.StatusOK)
				w.maybeSubmit(ctx, c, &sub, p, rand.Float64())
				w.pause(ctx)
			}
			mu.Lock()
			rs.add(&s)
			mu.Unlock()
			w.submitMu.Lock()
			w.submits.add(&sub)
			w.submitMu.Unlock()
		}()
	}
	for k, c := range writers {
		wwg.Add(1)
		go func() {
			defer wwg.Done()
			var s stats
			w.stagger(ctx)
			for ctx.Err() == nil {
				i := int(nextWrite.Add(1) - 1)
				if i >= nWrites {
					break
				}
				w.request(ctx, c, &s, http.MethodPost, "/api/v1/persons", w.person(k, i), http.StatusCreated)
				w.pause(ctx)
			}
			mu.Lock()
			ws.add(&s)
			mu.Unlock()
		}()
	}
	rwg.Wait()
	rs.elapsed = time.Since(start)
	if len(readers) > 0 {
		cancel() // the readers set the length of a mixed run
	}
	wwg.Wait()
	ws.elapsed = time.Since(start)
	slices.Sort(rs.lat)
	slices.Sort(ws.lat)
	return rs, ws
}

// pause waits a think time drawn uniformly from 0.5 to 1.5 times -think, so
// that the clients do not fall into step, or until the run ends.
func (w *workload) pause(ctx context.Context) {
	if w.cfg.think <= 0 {
		return
	}
	w.sleep(ctx, w.cfg.think/2+rand.N(w.cfg.think))
}

// stagger spreads the clients' first requests over one think time.
func (w *workload) stagger(ctx context.Context) {
	if w.cfg.think > 0 {
		w.sleep(ctx, rand.N(w.cfg.think))
	}
}

func (w *workload) sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// request sends one request and records it; a request cut off by the end of
// the run is not counted.
func (w *workload) request(ctx context.Context, c *client, s *stats, method, path string, body []byte, want int) {
	t := time.Now()
	status, b, err := c.do(ctx, method, path, body)
	d := time.Since(t)
	if ctx.Err() != nil {
		return
	}
	s.count++
	if err == nil && status == want {
		s.lat = append(s.lat, d)
		return
	}
	s.errors++
	if s.statuses == nil {
		s.statuses = map[string]int{}
	}
	kind := strconv.Itoa(status)
	if err != nil {
		kind = "transport"
	}
	s.statuses[kind]++
	if w.errLogged.Add(1) <= 5 {
		if err != nil {
			fmt.Fprintf(w.stderr, "hcload: %s %s: %v\n", method, path, err)
		} else {
			fmt.Fprintf(w.stderr, "hcload: %s %s: HTTP %d: %s\n", method, path, status, snippet(b))
		}
	}
}

// path is the i-th read path: the paths in turn, {village} advancing by one
// village each round.
func (w *workload) path(i int) string {
	p := w.cfg.paths[i%len(w.cfg.paths)]
	if len(w.villages) > 0 {
		p = strings.ReplaceAll(p, "{village}", w.villages[(i/len(w.cfg.paths))%len(w.villages)])
	}
	return p
}

// household is where writer k puts its i-th person: each writer keeps to a
// village of its own (writers k and k+len(villages) share one), so that
// writers in different villages can be told apart from writers that
// contend for one village's rows.
func (w *workload) household(k, i int) int64 {
	hs := w.households[k%len(w.households)]
	return hs[i%len(hs)]
}

// person is the body of the i-th write by writer k: a person without an ID
// number (so it can never collide) in one of the households of writer k's
// village.
func (w *workload) person(k, i int) []byte {
	sex := "M"
	if i%2 == 1 {
		sex = "F"
	}
	b, _ := json.Marshal(map[string]any{
		"household_id": w.household(k, i),
		"name":         fmt.Sprintf("压测%d号", i%100000),
		"sex":          sex,
		"birth_date":   fmt.Sprintf("19%02d-%02d-%02d", 40+i%60, 1+i%12, 1+k%28),
		"relation":     "其他",
	})
	return b
}
