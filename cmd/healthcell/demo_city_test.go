package main

import (
	"strings"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/catalog"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestCityCounties picks a city's counties from the shipped divisions.
func TestCityCounties(t *testing.T) {
	divs, err := catalog.Divisions("5108")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		n         int
		wantCount int
		wantFirst string
		wantErr   string
	}{
		{0, 7, "510802000000", ""},
		{1, 1, "510802000000", ""},
		{7, 7, "510802000000", ""},
		{8, 0, "", healthcell.EINVALID},
		{-1, 0, "", healthcell.EINVALID},
	}
	for _, tt := range tests {
		got, err := cityCounties(divs, "5108", tt.n)
		if healthcell.ErrorCode(err) != tt.wantErr && !(tt.wantErr == "" && err == nil) {
			t.Errorf("n=%d: error %v, want %q", tt.n, err, tt.wantErr)
			continue
		}
		if len(got) != tt.wantCount || tt.wantCount > 0 && got[0] != tt.wantFirst {
			t.Errorf("n=%d: %v, want %d counties from %s", tt.n, got, tt.wantCount, tt.wantFirst)
		}
	}
	if _, err := cityCounties(divs, "5101", 0); healthcell.ErrorCode(err) != healthcell.ENOTFOUND {
		t.Errorf("a city not in the list: %v", err)
	}
}

// TestDemoCityRefusals checks the city scale's refused flags: nothing is
// built for them.
func TestDemoCityRefusals(t *testing.T) {
	dsn := sqltest.DSN(t, "sqlite")
	tests := []struct {
		args    []string
		wantErr string
	}{
		{[]string{"--city", "51"}, "4-digit"},
		{[]string{"--city", "1101"}, "not shipped"},
		{[]string{"--city", "5199"}, "5199"},
		{[]string{"--city", "5108", "--counties", "8"}, "has 7 counties"},
	}
	for _, tt := range tests {
		args := append([]string{"demo", "--build-only", "--scale", "city"}, tt.args...)
		_, _, err := run(t, dsn, args...)
		if err == nil || !strings.Contains(describe(err), tt.wantErr) {
			t.Errorf("%v: %v, want %q", tt.args, err, tt.wantErr)
		}
	}
	out, _, err := run(t, dsn, "divisions", "load", "--county", "510824")
	if err != nil || !strings.Contains(out, "; 494 new or changed") {
		t.Errorf("nothing was to be loaded by the refused builds: %q, %v", out, err)
	}
}
