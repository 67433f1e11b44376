package main

import (
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

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
