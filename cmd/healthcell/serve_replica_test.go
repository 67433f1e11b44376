package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestServeReplica runs `healthcell serve --db-replica` against a
// streaming replica of the test server: /metrics shows the replica's lag
// and position, and a public page (a route that may read the replica)
// moves the count of reads sent there.
func TestServeReplica(t *testing.T) {
	rep := sqltest.StartReplica(t)
	dsn := sqltest.DSN(t, sqlstore.Postgres)
	if _, stderr, err := run(t, dsn, "divisions", "load", "--county", "510824"); err != nil {
		t.Fatalf("divisions load: %v\n%s", err, stderr)
	}
	rep.CatchUp(t)

	var stderr e2eLog
	ready := make(chan string, 1)
	m := &Main{Stdout: io.Discard, Stderr: &stderr, Getenv: func(string) string { return "" }, Ready: func(addr string) { ready <- addr }}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- m.Run(ctx, []string{"serve", "--db", dsn, "--db-replica", rep.URL(t, dsn), "--addr", "127.0.0.1:0",
			"--metrics-allow", "127.0.0.1", "--warm-indicators=false"})
	}()
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
		if t.Failed() {
			t.Logf("server log:\n%s", stderr.String())
		}
	})
	var base string
	select {
	case addr := <-ready:
		base = "http://" + addr
	case err := <-done:
		done <- err
		t.Fatalf("serve ended before serving: %v\n%s", err, stderr.String())
	case <-time.After(60 * time.Second):
		t.Fatalf("serve not listening after 60 s\n%s", stderr.String())
	}
	get := func(path string) string {
		t.Helper()
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d\n%s", path, resp.StatusCode, b)
		}
		return string(b)
	}
	readsRE := regexp.MustCompile(`(?m)^healthcell_db_replica_reads_total (\d+)$`)
	reads := func(metrics string) int {
		t.Helper()
		m := readsRE.FindStringSubmatch(metrics)
		if m == nil {
			t.Fatalf("no healthcell_db_replica_reads_total in /metrics:\n%s", metrics)
		}
		n, _ := strconv.Atoi(m[1])
		return n
	}
	metrics := get("/metrics")
	for _, want := range []string{"healthcell_db_replica_up 1", "healthcell_db_replica_lag_seconds ", "healthcell_db_replica_bytes_behind "} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	before := reads(metrics)
	if page := get("/public/510824/named"); !strings.Contains(page, "苍溪县") {
		t.Errorf("the public list of named units does not name the county")
	}
	if after := reads(get("/metrics")); after <= before {
		t.Errorf("reads sent to the replica: %d before the public page, %d after", before, after)
	}
}

// TestServeReplicaNeedsPostgres: --db-replica with a SQLite --db is refused
// before the file is created.
func TestServeReplicaNeedsPostgres(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	_, _, err := run(t, path, "serve", "--db-replica", "postgres://u:p@127.0.0.1:1/x", "--addr", "127.0.0.1:0")
	if err == nil || !strings.Contains(err.Error(), "SQLite has no read replicas") {
		t.Fatalf("serve --db-replica on SQLite: %v", err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("the SQLite file was created: %v", err)
	}
}
