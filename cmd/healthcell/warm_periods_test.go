package main

import (
	"slices"
	"testing"
)

func TestWarmPeriods(t *testing.T) {
	for _, tc := range []struct {
		day  string
		want []string
	}{
		{"2026-01-01", []string{"2026", "2025", "2026Q1"}},
		{"2026-03-31", []string{"2026", "2025", "2026Q1"}},
		{"2026-04-01", []string{"2026", "2025", "2026Q1", "2026Q2"}},
		{"2026-12-05", []string{"2026", "2025", "2026Q1", "2026Q2", "2026Q3", "2026Q4"}},
		{"", nil},
		{"2026-13-01", nil},
		{"abcd-ef-gh", nil},
	} {
		if got := warmPeriods(tc.day); !slices.Equal(got, tc.want) {
			t.Errorf("warmPeriods(%q) = %v, want %v", tc.day, got, tc.want)
		}
	}
}
