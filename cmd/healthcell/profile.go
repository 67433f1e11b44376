package main

import (
	"fmt"
	"os"
	"runtime/pprof"
)

// startProfile starts a CPU profile into the file named by the environment
// variable HEALTHCELL_CPUPROFILE, when it is set (for measuring a command,
// e.g. an import). It returns the function that stops the profile, which
// does nothing when none was started; it reports a file it cannot create on
// standard error and runs without a profile.
func startProfile() func() {
	path := os.Getenv("HEALTHCELL_CPUPROFILE")
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "healthcell: cpu profile:", err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		fmt.Fprintln(os.Stderr, "healthcell: cpu profile:", err)
		f.Close()
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}
