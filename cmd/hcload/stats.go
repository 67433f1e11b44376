package main

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// stats are the results of one group of clients.
type stats struct {
	count, errors int
	elapsed       time.Duration
	lat           []time.Duration // successful requests
	statuses      map[string]int  // error kinds
}

func (s *stats) add(o *stats) {
	s.count += o.count
	s.errors += o.errors
	s.lat = append(s.lat, o.lat...)
	for k, v := range o.statuses {
		if s.statuses == nil {
			s.statuses = map[string]int{}
		}
		s.statuses[k] += v
	}
}

// percentile is the nearest-rank percentile of the sorted latencies.
func (s *stats) percentile(p float64) time.Duration {
	if len(s.lat) == 0 {
		return 0
	}
	i := int(math.Ceil(p*float64(len(s.lat)))) - 1
	return s.lat[max(0, min(i, len(s.lat)-1))]
}

func ms(d time.Duration) float64 { return math.Round(float64(d)/1e4) / 100 }

func (s *stats) summary() map[string]any {
	rps := 0.0
	if s.elapsed > 0 {
		rps = math.Round(float64(s.count)/s.elapsed.Seconds()*10) / 10
	}
	m := map[string]any{
		"count": s.count, "errors": s.errors, "elapsed_s": math.Round(s.elapsed.Seconds()*100) / 100, "rps": rps,
		"p50_ms": ms(s.percentile(0.50)), "p90_ms": ms(s.percentile(0.90)), "p99_ms": ms(s.percentile(0.99)), "max_ms": ms(s.percentile(1)),
	}
	if len(s.statuses) > 0 {
		m["error_kinds"] = s.statuses
	}
	return m
}

// line renders the summary as "name key=value …" for scripts.
func (s *stats) line(name string) string {
	m := s.summary()
	var b strings.Builder
	b.WriteString(name)
	for _, k := range []string{"count", "errors", "elapsed_s", "rps", "p50_ms", "p90_ms", "p99_ms", "max_ms"} {
		fmt.Fprintf(&b, " %s=%v", k, m[k])
	}
	if len(s.statuses) > 0 {
		keys := make([]string, 0, len(s.statuses))
		for k := range s.statuses {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			fmt.Fprintf(&b, " err[%s]=%d", k, s.statuses[k])
		}
	}
	return b.String()
}
