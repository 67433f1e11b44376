// Command hcload is a small load generator for a healthcell server running on
// this machine. It logs every client in through POST /api/v1/session (each
// client with its own session cookie), then has the readers request a list of
// paths in turn, and optionally has writers create persons through
// POST /api/v1/persons in existing households, until a request count or a
// time limit is reached. It prints the count, errors, throughput and the
// p50/p90/p99/max latency of each group, and the server's memory when given
// its process id.
//
// It talks to loopback addresses only: a URL naming any other host is
// refused, every connection is checked to go to a loopback address, proxies
// from the environment are ignored and redirects are not followed.
//
//	hcload -url http://127.0.0.1:8080 -user admin -c 50 -n 20000 -d 60s -paths '{village}'
//	hcload -url http://127.0.0.1:8080 -c 40 -writers 10 -d 20s -paths '{village}'
//
// A path may contain {village}, replaced by the villages under the user's
// scope (or -root) in turn, as listed by GET /api/v1/divisions/{code}; the
// path {village} alone is the village page /divisions/{village}.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// maxDuration bounds every run, whatever the flags say.
const maxDuration = 10 * time.Minute

type config struct {
	base      *url.URL
	user      string
	password  string
	clients   int
	requests  int
	duration  time.Duration
	warmup    time.Duration
	paths     []string
	root      string
	writers   int
	writeUser string
	writes    int
	timeout   time.Duration
	pid       int
	pgCPU     bool
	think     time.Duration
	jsonOut   bool
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "hcload:", err)
		}
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	tr := newTransport(cfg.clients + cfg.writers)
	defer tr.CloseIdleConnections()

	// Log in, one client at a time: argon2id costs 19 MiB and tens of
	// milliseconds per login, and a burst would inflate the server's peak
	// memory with something this run does not measure.
	readers := make([]*client, cfg.clients)
	for i := range readers {
		if readers[i], err = login(ctx, cfg, tr, cfg.user); err != nil {
			return err
		}
	}
	writers := make([]*client, cfg.writers)
	for i := range writers {
		if writers[i], err = login(ctx, cfg, tr, cfg.writeUser); err != nil {
			return err
		}
	}
	var villages []string
	needVillages := cfg.writers > 0
	for _, p := range cfg.paths {
		needVillages = needVillages || strings.Contains(p, "{village}")
	}
	if needVillages {
		c := writers[0:]
		if len(readers) > 0 {
			c = readers
		}
		root := cfg.root
		if root == "" {
			root = c[0].scope
		}
		if villages, err = listVillages(ctx, c[0], root); err != nil {
			return err
		}
		if len(villages) == 0 {
			return fmt.Errorf("no villages under %s", root)
		}
	}
	var households []int64
	if cfg.writers > 0 {
		if households, err = listHouseholds(ctx, writers[0], villages); err != nil {
			return err
		}
	}
	w := &workload{cfg: cfg, villages: villages, households: households, stderr: stderr}
	fmt.Fprintf(stdout, "hcload: %s, %d readers as %s, %d writers as %s, paths %s, %d villages, limits %d requests / %s, think %s\n",
		cfg.base, cfg.clients, cfg.user, cfg.writers, cfg.writeUser, strings.Join(cfg.paths, ","), len(villages), cfg.requests, cfg.duration, cfg.think)

	if cfg.warmup > 0 {
		w.phase(ctx, readers, writers, cfg.warmup, math.MaxInt, math.MaxInt)
	}
	before := sampleCPU(cfg)
	rs, ws := w.phase(ctx, readers, writers, cfg.duration, cfg.requests, cfg.writes)
	cpu := sampleCPU(cfg).since(before, rs.count+ws.count)
	out := map[string]any{}
	if cfg.clients > 0 {
		fmt.Fprintln(stdout, rs.line("read"))
		out["read"] = rs.summary()
	}
	if cfg.writers > 0 {
		fmt.Fprintln(stdout, ws.line("write"))
		out["write"] = ws.summary()
	}
	fmt.Fprintln(stdout, cpu.line())
	out["cpu"] = cpu.summary()
	if cfg.pid > 0 {
		rss, hwm, err := procMemory(cfg.pid)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "server pid=%d vmrss_mib=%.1f vmhwm_mib=%.1f\n", cfg.pid, rss, hwm)
		out["server"] = map[string]any{"pid": cfg.pid, "vmrss_mib": rss, "vmhwm_mib": hwm}
	}
	if cfg.jsonOut {
		b, _ := json.Marshal(out)
		fmt.Fprintln(stdout, string(b))
	}
	if rs.count+ws.count == 0 {
		return fmt.Errorf("no requests completed")
	}
	return nil
}

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	fs := flag.NewFlagSet("hcload", flag.ContinueOnError)
	fs.SetOutput(stderr)
	base := fs.String("url", "http://127.0.0.1:8080", "server base URL; loopback addresses only")
	cfg := &config{}
	fs.StringVar(&cfg.user, "user", "admin", "account the readers log in as")
	fs.StringVar(&cfg.password, "password", "healthcell2025", "password of the accounts")
	fs.IntVar(&cfg.clients, "c", 50, "concurrent reading clients")
	fs.IntVar(&cfg.requests, "n", 10000, "read requests in all (the run stops at -n or -d, whichever comes first)")
	fs.DurationVar(&cfg.duration, "d", 30*time.Second, "time limit of the measured run (at most 10m)")
	fs.DurationVar(&cfg.warmup, "warmup", 0, "unmeasured run of the same workload before the measured one")
	paths := fs.String("paths", "{village}", "comma-separated paths the readers request in turn; {village} in a path cycles through the villages, and {village} alone is the village page /divisions/{village}")
	fs.StringVar(&cfg.root, "root", "", "division whose villages {village} cycles through (default: the reader's scope)")
	fs.IntVar(&cfg.writers, "writers", 0, "concurrent clients creating persons via POST /api/v1/persons")
	fs.StringVar(&cfg.writeUser, "write-user", "admin", "account the writers log in as")
	fs.IntVar(&cfg.writes, "wn", 100000, "write requests in all")
	fs.DurationVar(&cfg.timeout, "timeout", 30*time.Second, "timeout of one request")
	fs.IntVar(&cfg.pid, "pid", 0, "server process id: report its CPU time per request, and its VmRSS and VmHWM after the run")
	fs.BoolVar(&cfg.pgCPU, "pgcpu", false, "also report the CPU time of the local PostgreSQL processes during the run")
	fs.DurationVar(&cfg.think, "think", 0, "mean pause of each client after each request, drawn from 0.5 to 1.5 times this (0: closed loop, the next request at once)")
	fs.BoolVar(&cfg.jsonOut, "json", false, "also print the results as one JSON line")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	u, err := url.Parse(*base)
	if err != nil {
		return nil, fmt.Errorf("-url: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("-url %q: scheme must be http or https", *base)
	}
	if err := checkLoopbackHost(u.Hostname()); err != nil {
		return nil, err
	}
	u.Path, u.RawQuery, u.Fragment = "", "", ""
	cfg.base = u
	for _, p := range strings.Split(*paths, ",") {
		if p = strings.TrimSpace(p); p != "" {
			if p == "{village}" {
				p = "/divisions/{village}" // the village page
			}
			if !strings.HasPrefix(p, "/") {
				p = "/" + p
			}
			cfg.paths = append(cfg.paths, p)
		}
	}
	switch {
	case cfg.clients < 0 || cfg.writers < 0 || cfg.clients+cfg.writers == 0:
		return nil, fmt.Errorf("need at least one client (-c) or writer (-writers)")
	case cfg.clients > 0 && len(cfg.paths) == 0:
		return nil, fmt.Errorf("-paths is empty")
	case cfg.requests <= 0 || cfg.writes <= 0:
		return nil, fmt.Errorf("-n and -wn must be positive")
	case cfg.duration <= 0 || cfg.duration > maxDuration:
		return nil, fmt.Errorf("-d must be between 0 and %s", maxDuration)
	case cfg.think < 0 || cfg.think > time.Minute:
		return nil, fmt.Errorf("-think must be between 0 and 1m")
	case cfg.warmup < 0 || cfg.warmup > maxDuration:
		return nil, fmt.Errorf("-warmup must be between 0 and %s", maxDuration)
	}
	return cfg, nil
}

// checkLoopbackHost accepts loopback IP literals and names that resolve only
// to loopback addresses (localhost).
func checkLoopbackHost(host string) error {
	if ip := net.ParseIP(host); ip != nil {
		if !ip.IsLoopback() {
			return fmt.Errorf("refusing host %s: hcload talks to loopback addresses only", host)
		}
		return nil
	}
	if host != "localhost" {
		return fmt.Errorf("refusing host %q: hcload talks to loopback addresses only (127.0.0.1, ::1, localhost)", host)
	}
	ips, err := net.DefaultResolver.LookupIPAddr(context.Background(), host)
	if err != nil {
		return err
	}
	for _, ip := range ips {
		if !ip.IP.IsLoopback() {
			return fmt.Errorf("refusing host %s: it resolves to %s", host, ip.IP)
		}
	}
	return nil
}

// newTransport returns a keep-alive transport that ignores proxies and
// refuses to connect anywhere but a loopback address.
func newTransport(conns int) *http.Transport {
	d := &net.Dialer{
		Timeout: 5 * time.Second,
		Control: func(network, address string, _ syscall.RawConn) error {
			host, _, err := net.SplitHostPort(address)
			if err != nil {
				return err
			}
			if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
				return fmt.Errorf("refusing to connect to %s: loopback only", address)
			}
			return nil
		},
	}
	return &http.Transport{
		Proxy:               nil,
		DialContext:         d.DialContext,
		MaxIdleConns:        conns + 4,
		MaxIdleConnsPerHost: conns + 4,
		IdleConnTimeout:     90 * time.Second,
	}
}

// client is one logged-in user agent with its own cookie jar.
type client struct {
	hc    *http.Client
	base  *url.URL
	scope string
}

func login(ctx context.Context, cfg *config, tr *http.Transport, user string) (*client, error) {
	jar, _ := cookiejar.New(nil)
	c := &client{base: cfg.base, hc: &http.Client{
		Transport:     tr,
		Jar:           jar,
		Timeout:       cfg.timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
	body, _ := json.Marshal(map[string]string{"username": user, "password": cfg.password})
	status, b, err := c.do(ctx, http.MethodPost, "/api/v1/session", body)
	if err != nil {
		return nil, fmt.Errorf("login %s: %w", user, err)
	}
	if status != http.StatusOK {
		// Stop at the first refusal: retrying would only use up the
		// account's few allowed failures.
		return nil, fmt.Errorf("login %s: HTTP %d: %s", user, status, snippet(b))
	}
	var u struct{ Scope string }
	if err := json.Unmarshal(b, &u); err != nil {
		return nil, fmt.Errorf("login %s: %w", user, err)
	}
	c.scope = u.Scope
	return c, nil
}

// do sends one request and reads the whole answer.
func (c *client) do(ctx context.Context, method, path string, body []byte) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base.String()+path, rd)
	if err != nil {
		return 0, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept-Language", "zh-CN")
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

func (c *client) getJSON(ctx context.Context, path string, v any) error {
	status, b, err := c.do(ctx, http.MethodGet, path, nil)
	if err != nil {
		return err
	}
	if status != http.StatusOK {
		return fmt.Errorf("GET %s: HTTP %d: %s", path, status, snippet(b))
	}
	return json.Unmarshal(b, v)
}

type divisionNode struct {
	Code     string `json:"code"`
	Level    int    `json:"level"`
	Children []struct {
		Code  string `json:"code"`
		Level int    `json:"level"`
	} `json:"children"`
}

// listVillages walks GET /api/v1/divisions/{code} down to the villages.
func listVillages(ctx context.Context, c *client, root string) ([]string, error) {
	var d divisionNode
	if err := c.getJSON(ctx, "/api/v1/divisions/"+url.PathEscape(root), &d); err != nil {
		return nil, err
	}
	if d.Level >= 5 {
		return []string{d.Code}, nil
	}
	var out []string
	for _, ch := range d.Children {
		if ch.Level >= 5 {
			out = append(out, ch.Code)
			continue
		}
		vs, err := listVillages(ctx, c, ch.Code)
		if err != nil {
			return nil, err
		}
		out = append(out, vs...)
	}
	return out, nil
}

// listHouseholds returns ids of existing households from up to 50 villages
// spread over the list.
func listHouseholds(ctx context.Context, c *client, villages []string) ([]int64, error) {
	var out []int64
	step := max(1, len(villages)/50)
	for i := 0; i < len(villages); i += step {
		var page struct {
			Items []struct {
				ID int64 `json:"id"`
			} `json:"items"`
		}
		if err := c.getJSON(ctx, "/api/v1/households?limit=40&division="+url.QueryEscape(villages[i]), &page); err != nil {
			return nil, err
		}
		for _, h := range page.Items {
			out = append(out, h.ID)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no households to write into")
	}
	return out, nil
}

// workload is what the clients do.
type workload struct {
	cfg        *config
	villages   []string
	households []int64
	stderr     io.Writer
	errLogged  atomic.Int32
}

// stats are the results of one group of clients.
type stats struct {
	count, errors int
	elapsed       time.Duration
	lat           []time.Duration // successful requests
	statuses      map[string]int  // error kinds
}

func (s *stats) add(o *stats) {
	s.count += o.count
	s.errors += o.errors
	s.lat = append(s.lat, o.lat...)
	for k, v := range o.statuses {
		if s.statuses == nil {
			s.statuses = map[string]int{}
		}
		s.statuses[k] += v
	}
}

// percentile is the nearest-rank percentile of the sorted latencies.
func (s *stats) percentile(p float64) time.Duration {
	if len(s.lat) == 0 {
		return 0
	}
	i := int(math.Ceil(p*float64(len(s.lat)))) - 1
	return s.lat[max(0, min(i, len(s.lat)-1))]
}

func ms(d time.Duration) float64 { return math.Round(float64(d)/1e4) / 100 }

func (s *stats) summary() map[string]any {
	rps := 0.0
	if s.elapsed > 0 {
		rps = math.Round(float64(s.count)/s.elapsed.Seconds()*10) / 10
	}
	m := map[string]any{
		"count": s.count, "errors": s.errors, "elapsed_s": math.Round(s.elapsed.Seconds()*100) / 100, "rps": rps,
		"p50_ms": ms(s.percentile(0.50)), "p90_ms": ms(s.percentile(0.90)), "p99_ms": ms(s.percentile(0.99)), "max_ms": ms(s.percentile(1)),
	}
	if len(s.statuses) > 0 {
		m["error_kinds"] = s.statuses
	}
	return m
}

// line renders the summary as "name key=value …" for scripts.
func (s *stats) line(name string) string {
	m := s.summary()
	var b strings.Builder
	b.WriteString(name)
	for _, k := range []string{"count", "errors", "elapsed_s", "rps", "p50_ms", "p90_ms", "p99_ms", "max_ms"} {
		fmt.Fprintf(&b, " %s=%v", k, m[k])
	}
	if len(s.statuses) > 0 {
		keys := make([]string, 0, len(s.statuses))
		for k := range s.statuses {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			fmt.Fprintf(&b, " err[%s]=%d", k, s.statuses[k])
		}
	}
	return b.String()
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
			var s stats
			w.stagger(ctx)
			for ctx.Err() == nil {
				i := int(nextRead.Add(1) - 1)
				if i >= nReads {
					break
				}
				w.request(ctx, c, &s, http.MethodGet, w.path(i), nil, http.StatusOK)
				w.pause(ctx)
			}
			mu.Lock()
			rs.add(&s)
			mu.Unlock()
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

// person is the body of the i-th write by writer k: a person without an ID
// number (so it can never collide) in one of the sampled households.
func (w *workload) person(k, i int) []byte {
	sex := "M"
	if i%2 == 1 {
		sex = "F"
	}
	b, _ := json.Marshal(map[string]any{
		"household_id": w.households[i%len(w.households)],
		"name":         fmt.Sprintf("压测%d号", i%100000),
		"sex":          sex,
		"birth_date":   fmt.Sprintf("19%02d-%02d-%02d", 40+i%60, 1+i%12, 1+k%28),
		"relation":     "其他",
	})
	return b
}

func snippet(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// procMemory reads VmRSS and VmHWM (MiB) of a process from /proc.
func procMemory(pid int) (rss, hwm float64, err error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseFloat(f[1], 64)
		switch f[0] {
		case "VmRSS:":
			rss = math.Round(kb/1024*10) / 10
		case "VmHWM:":
			hwm = math.Round(kb/1024*10) / 10
		}
	}
	return rss, hwm, nil
}

// cpuSample is the CPU time (seconds) used so far by the server, the local
// PostgreSQL processes, this program and the whole machine.
type cpuSample struct {
	at                       time.Time
	server, postgres, hcload float64
	busy, idle               float64
	ok                       bool // the server's /proc entry was readable
}

// cpuUsage is the CPU time used during the run.
type cpuUsage struct {
	cfg                      *config
	wall                     float64
	server, postgres, hcload float64
	busy, idle, others       float64
	perRequest               float64 // server (+ PostgreSQL) CPU milliseconds per request
	requests                 int
}

var clockTick = 100.0 // USER_HZ; 100 on every Linux architecture Go supports

func sampleCPU(cfg *config) cpuSample {
	s := cpuSample{at: time.Now()}
	if cfg.pid > 0 {
		s.server, s.ok = procCPU(cfg.pid)
	}
	if cfg.pgCPU {
		s.postgres = postgresCPU()
	}
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		s.hcload = float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
	}
	if b, err := os.ReadFile("/proc/stat"); err == nil {
		line, _, _ := strings.Cut(string(b), "\n")
		f := strings.Fields(line)
		for i := 1; i < len(f); i++ {
			v, _ := strconv.ParseFloat(f[i], 64)
			switch i {
			case 4, 5: // idle, iowait
				s.idle += v / clockTick
			case 1, 2, 3, 6, 7, 8: // user, nice, system, irq, softirq, steal
				s.busy += v / clockTick
			}
		}
	}
	return s
}

func (s cpuSample) since(b cpuSample, requests int) cpuUsage {
	u := cpuUsage{wall: s.at.Sub(b.at).Seconds(), server: s.server - b.server, postgres: s.postgres - b.postgres,
		hcload: s.hcload - b.hcload, busy: s.busy - b.busy, idle: s.idle - b.idle, requests: requests}
	u.others = max(0, u.busy-u.server-u.postgres-u.hcload)
	if requests > 0 && s.ok {
		u.perRequest = (u.server + u.postgres) * 1000 / float64(requests)
	}
	return u
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

func (u cpuUsage) summary() map[string]any {
	return map[string]any{"wall_s": round2(u.wall), "server_s": round2(u.server), "postgres_s": round2(u.postgres),
		"hcload_s": round2(u.hcload), "others_s": round2(u.others), "machine_busy_s": round2(u.busy), "machine_idle_s": round2(u.idle),
		"server_ms_per_req": round2(u.perRequest)}
}

// line renders the CPU use; others_s is what the rest of the machine used,
// which makes the latencies of a shared machine worse than they would be.
func (u cpuUsage) line() string {
	m := u.summary()
	var b strings.Builder
	b.WriteString("cpu")
	for _, k := range []string{"wall_s", "server_s", "postgres_s", "hcload_s", "others_s", "machine_busy_s", "machine_idle_s", "server_ms_per_req"} {
		fmt.Fprintf(&b, " %s=%v", k, m[k])
	}
	return b.String()
}

// procCPU returns the user+system CPU seconds of a process.
func procCPU(pid int) (float64, bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, false
	}
	// The command name may contain spaces; the fields after it are fixed.
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0, false
	}
	ut, _ := strconv.ParseFloat(f[11], 64)
	st, _ := strconv.ParseFloat(f[12], 64)
	return (ut + st) / clockTick, true
}

// postgresCPU sums the CPU seconds of the processes named postgres (the
// server and its backends; a backend that exits during the run takes its
// time with it, but the server's pool keeps its connections).
func postgresCPU() float64 {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return 0
	}
	var sum float64
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		comm, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
		if err != nil || strings.TrimSpace(string(comm)) != "postgres" {
			continue
		}
		if v, ok := procCPU(pid); ok {
			sum += v
		}
	}
	return sum
}
