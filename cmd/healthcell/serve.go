package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/catalog/imports"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/web"
)

// runServe serves the web application until ctx ends.
func (m *Main) runServe(ctx context.Context, args []string) error {
	fs, dsn := m.flags("serve")
	addr := fs.String("addr", ":8080", "listen address")
	secure := fs.Bool("secure-cookies", false, "mark session cookies Secure (serving over TLS or behind a TLS proxy)")
	proxy := fs.Bool("trust-proxy", false, "take client addresses from X-Forwarded-For")
	metricsToken := fs.String("metrics-token", "", "serve /metrics only with \"Authorization: Bearer TOKEN\" (or from --metrics-allow); also HEALTHCELL_METRICS_TOKEN")
	metricsAllow := fs.String("metrics-allow", "", "serve /metrics only to these addresses and CIDR prefixes, comma-separated (or with --metrics-token)")
	publicURL := fs.String("public-url", "", "the address residents reach this server at (e.g. https://jk.example.cn), printed in QR codes and posters; empty: taken from each request")
	submitLimit := fs.Int("public-submit-limit", web.DefaultPublicSubmitLimit, "public quiz and survey answers one address, and one device, may send an hour; -1 for no limit (load tests)")
	replicaDSN := fs.String("db-replica", m.Getenv("HEALTHCELL_DB_REPLICA"), "postgres:// URL of a streaming read replica of --db, read by dashboards, indicators, bulletin lists, public pages and exports (env HEALTHCELL_DB_REPLICA); PostgreSQL only")
	warm := fs.Bool("warm-indicators", true, "compute every village's indicators for this year at start, while serving")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := checkPublicURL(*publicURL); err != nil {
		return err
	}
	metrics := web.MetricsAccess{Token: *metricsToken}
	if metrics.Token == "" {
		metrics.Token = m.Getenv("HEALTHCELL_METRICS_TOKEN")
	}
	allow, err := web.ParseMetricsAllow(*metricsAllow)
	if err != nil {
		return err
	}
	metrics.Allow = allow
	if *replicaDSN != "" && !sqlstore.IsPostgres(*dsn) {
		return fmt.Errorf("--db-replica needs a PostgreSQL --db (postgres://…); SQLite has no read replicas")
	}
	db, err := m.open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if *replicaDSN != "" {
		if err := db.OpenReplica(ctx, *replicaDSN); err != nil {
			return err
		}
	}
	if _, err := loadCatalogQuestionnaires(system(ctx), db, true); err != nil {
		return err
	}
	if *warm {
		go m.warmIndicators(ctx, db)
	}
	return m.serve(ctx, db, *addr, web.Config{SecureCookies: *secure, TrustProxy: *proxy, Metrics: metrics, PublicURL: *publicURL, PublicSubmitLimit: *submitLimit})
}

// warmIndicators computes the indicators of every village for the periods
// of warmPeriods — this year first, so that the first dashboard after a
// start is served from the per-village caches ("indicators computed"), then
// the periods the stage and year summaries ask for ("earlier periods
// computed") — and logs how long each step took.
func (m *Main) warmIndicators(ctx context.Context, db *sqlstore.DB) {
	start := time.Now()
	periods := warmPeriods(healthcell.CampaignDay(start))
	for i, period := range periods {
		if err := db.WarmIndicators(system(ctx), period); err != nil {
			if ctx.Err() == nil {
				m.logger().Error("computing indicators at start", "period", period, "err", err)
			}
			return
		}
		if i == 0 {
			m.logger().Info("indicators computed", "period", period, "took", time.Since(start).Round(time.Millisecond))
		}
	}
	m.logger().Info("earlier periods computed", "periods", strings.Join(periods[1:], ","), "took", time.Since(start).Round(time.Millisecond))
}

// newServer wires the storage services, the definitions and the resident
// table into the web server; an error for a broken definition file.
func (m *Main) newServer(db *sqlstore.DB, cfg web.Config) (*web.Server, error) {
	cfg.SessionStore = db.Sessions()
	cfg.Logger = m.logger()
	var err error
	if cfg.Definitions, err = m.definitions(); err != nil {
		return nil, err
	}
	if cfg.ResidentTable, err = imports.Table("residents"); err != nil {
		return nil, err
	}
	return web.New(cfg, web.Services{
		Divisions: db, Households: db, Persons: db, Users: db, Audit: db, Standards: db, Sheets: db, Units: db, Registers: db, Reconcile: db,
		Questionnaires: db,
		Surveys:        db,
		Applications:   db, Rectifications: db, Bulletins: db, Inspections: db, NamedUnits: db.FindNamedUnits, Families: db, NamingBatches: db, Plans: db,
		UserByID: db.UserByID, DisplayNames: db.DisplayNames, PublicCounties: db.PublicCounties, Villages: db.FindVillages, Ping: db.Ping,
		Indicators: db,
		Residents:  db,
		Summaries:  db, SummaryGoals: web.PlanSummaryGoals(db),
		Tokens: db, Articles: db, Idempotency: db,
		ReplicaStatus: replicaStatus(db),
	})
}

// replicaStatus returns db's replica status function for /metrics, nil
// without a replica.
func replicaStatus(db *sqlstore.DB) func(ctx context.Context) (healthcell.ReplicaStatus, error) {
	if !db.HasReplica() {
		return nil
	}
	return db.ReplicaStatus
}

// serve listens on addr and serves until ctx ends, then shuts down
// gracefully. Expired sessions are swept, and bulletins that a campaign's
// schedule says are due are issued, every hour.
func (m *Main) serve(ctx context.Context, db *sqlstore.DB, addr string, cfg web.Config) error {
	srv, err := m.newServer(db, cfg)
	if err != nil {
		return err
	}
	tuneServerGC()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	go func() {
		t := time.NewTicker(time.Hour)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				db.Sessions().DeleteExpired(ctx)
				// Bulletins on each campaign's schedule (every N days).
				if _, err := db.IssueDueBulletins(system(ctx)); err != nil {
					fmt.Fprintf(m.Stderr, "scheduled bulletins: %v\n", err)
				}
			}
		}
	}()
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	fmt.Fprintf(m.Stdout, "serving on http://%s (database: %s)\n", displayAddr(ln.Addr()), db.Engine)
	if m.Ready != nil {
		m.Ready(ln.Addr().String())
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// checkPublicURL returns an error unless u is empty or an http(s) address
// with a host (and nothing after the path).
func checkPublicURL(u string) error {
	if u == "" {
		return nil
	}
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" || p.RawQuery != "" || p.Fragment != "" {
		return fmt.Errorf("--public-url %q: want an address such as https://jk.example.cn", u)
	}
	return nil
}

// displayAddr shows a wildcard listen address as localhost.
func displayAddr(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil || host == "::" || host == "0.0.0.0" || host == "" {
		return "localhost:" + port
	}
	return a.String()
}
