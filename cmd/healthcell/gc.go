package main

import (
	"os"
	"runtime/debug"
)

// serverGCPercent is the garbage collector's target while serving, unless
// the GOGC environment variable sets one. A page allocates about 100 KB
// that dies with the request while the live heap stays small (tens of MB),
// so at Go's default of 100 the collector runs every few hundred pages: at
// county scale a fifth of the server's CPU under load (0.69–0.81 → 0.56–0.59
// ms per village page on SQLite, BENCHMARKS.md), for about 50 MiB more peak
// memory.
const serverGCPercent = 300

// tuneServerGC sets serverGCPercent unless GOGC is set; it returns the
// percentage in force.
func tuneServerGC() int {
	if os.Getenv("GOGC") != "" {
		p := debug.SetGCPercent(100)
		debug.SetGCPercent(p)
		return p
	}
	debug.SetGCPercent(serverGCPercent)
	return serverGCPercent
}
