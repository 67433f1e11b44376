package main

import (
	"os"
	"testing"

	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestMain stops the browser the browser journeys share (e2eNewTab) and
// removes the demo databases they copy from (e2eDemoCopy) once every test
// has run.
func TestMain(m *testing.M) {
	code := m.Run()
	e2eStopChrome()
	sqltest.DropTemplates()
	os.Exit(code)
}
