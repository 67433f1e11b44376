package main

import (
	"runtime/debug"
	"testing"
)

func TestTuneServerGC(t *testing.T) {
	old := debug.SetGCPercent(100)
	defer debug.SetGCPercent(old)
	cases := []struct {
		name, gogc string
		set        int // what the runtime has from GOGC
		want       int
	}{
		{name: "no GOGC", gogc: "", set: 100, want: serverGCPercent},
		{name: "GOGC kept", gogc: "150", set: 150, want: 150},
		{name: "GOGC off kept", gogc: "off", set: -1, want: -1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("GOGC", tc.gogc)
			debug.SetGCPercent(tc.set)
			if got := tuneServerGC(); got != tc.want {
				t.Errorf("tuneServerGC() = %d, want %d", got, tc.want)
			}
			if got := debug.SetGCPercent(100); got != tc.want {
				t.Errorf("runtime has %d, want %d", got, tc.want)
			}
		})
	}
}
