package main

import (
	"io"
	"strings"
	"testing"
	"time"
)

func TestRefusesOtherHosts(t *testing.T) {
	for _, u := range []string{"http://10.0.0.1:8080", "http://example.com", "http://192.168.1.5", "http://[2001:db8::1]:80", "ftp://127.0.0.1"} {
		if _, err := parseFlags([]string{"-url", u}, io.Discard); err == nil {
			t.Errorf("%s accepted", u)
		}
	}
	for _, u := range []string{"http://127.0.0.1:8080", "http://127.0.0.2:1", "http://[::1]:8080", "http://localhost:8080"} {
		if _, err := parseFlags([]string{"-url", u}, io.Discard); err != nil {
			t.Errorf("%s refused: %v", u, err)
		}
	}
}

func TestFlagBounds(t *testing.T) {
	for _, args := range [][]string{{"-n", "0"}, {"-d", "0s"}, {"-d", "11m"}, {"-c", "0"}, {"-paths", ""}, {"-think", "2m"}, {"extra"}} {
		if _, err := parseFlags(args, io.Discard); err == nil {
			t.Errorf("%q accepted", args)
		}
	}
}

func TestPaths(t *testing.T) {
	cfg, err := parseFlags([]string{"-paths", "{village}, /api/v1/divisions/{village} ,healthz"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	w := &workload{cfg: cfg, villages: []string{"V1", "V2"}}
	var got []string
	for i := range 6 {
		got = append(got, w.path(i))
	}
	want := "/divisions/V1 /api/v1/divisions/V1 /healthz /divisions/V2 /api/v1/divisions/V2 /healthz"
	if strings.Join(got, " ") != want {
		t.Errorf("paths = %q, want %q", got, want)
	}
}

func TestPercentile(t *testing.T) {
	s := &stats{}
	for i := 1; i <= 100; i++ {
		s.lat = append(s.lat, time.Duration(i)*time.Millisecond)
	}
	for p, want := range map[float64]time.Duration{0.5: 50 * time.Millisecond, 0.99: 99 * time.Millisecond, 1: 100 * time.Millisecond} {
		if got := s.percentile(p); got != want {
			t.Errorf("p%v = %v, want %v", p*100, got, want)
		}
	}
	if (&stats{}).percentile(0.99) != 0 {
		t.Error("empty percentile not 0")
	}
}

func TestAnonFlag(t *testing.T) {
	cfg, err := parseFlags([]string{"-anon", "-c", "200", "-paths", "/public/{village}"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.anon || cfg.clients != 200 || cfg.paths[0] != "/public/{village}" {
		t.Errorf("cfg = %+v", cfg)
	}
	if c := anonymous(cfg, newTransport(1)); c.cookie != "" || c.prefix != "http://127.0.0.1:8080" {
		t.Errorf("anonymous client = %+v", c)
	}
}
