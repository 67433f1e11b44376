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
//	hcload -url http://127.0.0.1:8080 -anon -c 200 -d 30s -paths '/public/{village}'
//
// With -anon the readers send no session (the public pages); -user then
// only lists the villages.
//
// A path may contain {village}, replaced by the villages under the user's
// scope (or -root) in turn, as listed by GET /api/v1/divisions/{code}; the
// path {village} alone is the village page /divisions/{village}.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net/url"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"
)

// maxDuration bounds every run, whatever the flags say.
const maxDuration = 10 * time.Minute

type config struct {
	base       *url.URL
	user       string
	password   string
	clients    int
	requests   int
	duration   time.Duration
	warmup     time.Duration
	paths      []string
	root       string
	writers    int
	writeUser  string
	writes     int
	timeout    time.Duration
	pid        int
	pgCPU      bool
	think      time.Duration
	jsonOut    bool
	anon       bool    // readers without a session (public pages)
	quizSubmit float64 // chance a reader answers the quiz page it read (public.go)
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
	var lister *client
	for i := range readers {
		if cfg.anon {
			readers[i] = anonClient(cfg, tr)
			continue
		}
		if readers[i], err = login(ctx, cfg, tr, cfg.user); err != nil {
			return err
		}
	}
	if cfg.anon {
		if lister, err = login(ctx, cfg, tr, cfg.user); err != nil {
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
		if len(readers) > 0 && !cfg.anon {
			c = readers
		}
		if lister != nil {
			c = []*client{lister}
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
	var households [][]int64
	if cfg.writers > 0 {
		if households, err = listHouseholds(ctx, writers[0], villages); err != nil {
			return err
		}
	}
	w := &workload{cfg: cfg, villages: villages, households: households, stderr: stderr}
	who := cfg.user
	if cfg.anon {
		who = "anonymous"
	}
	fmt.Fprintf(stdout, "hcload: %s, %d readers as %s, %d writers as %s, paths %s, %d villages, limits %d requests / %s, think %s\n",
		cfg.base, cfg.clients, who, cfg.writers, cfg.writeUser, strings.Join(cfg.paths, ","), len(villages), cfg.requests, cfg.duration, cfg.think)

	if cfg.warmup > 0 {
		w.phase(ctx, readers, writers, cfg.warmup, math.MaxInt, math.MaxInt)
		w.submits = stats{}
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
	if cfg.quizSubmit > 0 {
		w.submits.elapsed = rs.elapsed
		slices.Sort(w.submits.lat)
		fmt.Fprintln(stdout, w.submits.line("submit"))
		out["submit"] = w.submits.summary()
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
	fs.BoolVar(&cfg.anon, "anon", false, "readers are anonymous (public pages); -user only lists the villages")
	fs.Float64Var(&cfg.quizSubmit, "quiz-submit", 0, "chance (0–1) that a reader answers a /public/{village}/quiz page it read (0.111: one request in ten a submission); run the server with --public-submit-limit -1")
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
