package main

import (
	"os"
	"testing"

	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestMain removes the demo databases the browser journeys copy from
// (e2eDemoCopy) once every test has run.
func TestMain(m *testing.M) {
	code := m.Run()
	sqltest.DropTemplates()
	os.Exit(code)
}
