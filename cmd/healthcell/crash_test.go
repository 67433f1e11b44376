package main

import (
	"bufio"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestKilledDemoBuildLeavesConsistentDatabase kills the program (mainCommand) with
// SIGKILL in the middle of building the county-scale population and checks
// that the database opens, holds all of the population or none of it, and
// that its live counts agree with its rows; then a second run builds it.
func TestKilledDemoBuildLeavesConsistentDatabase(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a county-scale population")
	}
	for _, engine := range sqltest.Engines {
		t.Run(engine, func(t *testing.T) {
			dsn := sqltest.DSN(t, engine)
			cmd := mainCommand("demo", "--scale", "county", "--build-only", "--db", dsn)
			stderr, err := cmd.StderrPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			sc := bufio.NewScanner(stderr)
			for sc.Scan() && !strings.Contains(sc.Text(), "building") {
			}
			time.Sleep(1500 * time.Millisecond) // well inside the population transaction
			cmd.Process.Signal(syscall.SIGKILL)
			cmd.Wait()

			out, _, err := run(t, dsn, "check")
			if err != nil {
				t.Fatalf("check after the kill: %v\n%s", err, out)
			}
			if !strings.HasPrefix(out, "0 households, 0 residents") {
				t.Fatalf("after a kill mid-build the database holds half a population: %s", out)
			}
			// The next run builds a population whole (small, to keep the test quick).
			if _, errs, err := run(t, dsn, "demo", "--scale", "small", "--build-only"); err != nil {
				t.Fatalf("rebuild: %v\n%s", err, errs)
			}
			if out, _, err := run(t, dsn, "check"); err != nil || !strings.Contains(out, "ok") {
				t.Fatalf("check after rebuild: %v\n%s", err, out)
			}
		})
	}
}
