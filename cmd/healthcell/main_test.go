package main

import (
	"os"
	"os/exec"
	"testing"

	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestMain stops the browser the browser journeys share (e2eNewTab) and
// removes the demo databases they copy from (e2eDemoCopy) once every test
// has run.
//
// With HEALTHCELL_TEST_MAIN=1 the test binary is the program itself
// (mainCommand): the tests that kill a running healthcell start it that way
// instead of linking a binary of their own.
func TestMain(m *testing.M) {
	if os.Getenv("HEALTHCELL_TEST_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	code := m.Run()
	e2eStopChrome()
	sqltest.DropTemplates()
	os.Exit(code)
}

// mainCommand returns a command that runs healthcell with args in a process
// of its own: the test binary, which TestMain makes the program.
func mainCommand(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "HEALTHCELL_TEST_MAIN=1")
	return cmd
}
