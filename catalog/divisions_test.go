package catalog

import (
	"testing"

	"github.com/healthcell/healthcell"
)

// TestDivisions reads the shipped divisions at each level and checks the
// counts by level and that every row but the province has its parent.
func TestDivisions(t *testing.T) {
	tests := []struct {
		code  string
		count [6]int // by level, index 0 unused
	}{
		{"51", [6]int{0, 1, 21, 183, 3111, 34412}},
		{"5108", [6]int{0, 1, 1, 7, 0, 0}},      // 广元市: only the county-level rows checked below
		{"510824", [6]int{0, 1, 1, 1, 34, 457}}, // its own file
		{"510104", [6]int{0, 1, 1, 1, 0, 0}},    // 锦江区, from the province file
	}
	for _, tt := range tests {
		divs, err := Divisions(tt.code)
		if err != nil {
			t.Fatalf("Divisions(%s): %v", tt.code, err)
		}
		var got [6]int
		have := map[string]bool{}
		for _, d := range divs {
			got[d.Level]++
			have[d.Code] = true
		}
		for _, d := range divs {
			if d.Level > 1 && !have[d.Parent] {
				t.Errorf("Divisions(%s): %s %s has no parent %s", tt.code, d.Code, d.Name, d.Parent)
			}
			if d.Code[:len(tt.code)] != tt.code && d.Level > len(tt.code)/2 {
				t.Errorf("Divisions(%s): %s is outside", tt.code, d.Code)
			}
		}
		for l := 1; l <= 5; l++ {
			if tt.count[l] != 0 && got[l] != tt.count[l] {
				t.Errorf("Divisions(%s): %d divisions at level %d, want %d", tt.code, got[l], l, tt.count[l])
			}
		}
		if got[5] == 0 {
			t.Errorf("Divisions(%s): no villages", tt.code)
		}
	}
}

// TestDivisionsProvinceMatchesCounty checks that the demo county read from
// the province file is the county's own file, row for row.
func TestDivisionsProvinceMatchesCounty(t *testing.T) {
	own, err := Divisions("510824")
	if err != nil {
		t.Fatal(err)
	}
	prov, err := Divisions("51")
	if err != nil {
		t.Fatal(err)
	}
	var sub []healthcell.Division
	for _, d := range prov {
		if d.Level <= 2 && (d.Code == "510000000000" || d.Code == "510800000000") || len(d.Code) == 12 && d.Code[:6] == "510824" {
			sub = append(sub, d)
		}
	}
	if len(sub) != len(own) {
		t.Fatalf("province file has %d rows of 510824, its own file %d", len(sub), len(own))
	}
	for i := range own {
		if own[i] != sub[i] {
			t.Errorf("row %d: own file %+v, province file %+v", i, own[i], sub[i])
		}
	}
}

// TestDivisionsErrors checks the refused and missing codes.
func TestDivisionsErrors(t *testing.T) {
	tests := map[string]string{
		"5":         healthcell.EINVALID,
		"51082":     healthcell.EINVALID,
		"5108x4":    healthcell.EINVALID,
		"510824100": healthcell.EINVALID,
		"11":        healthcell.ENOTFOUND, // 北京 is not shipped
		"5199":      healthcell.ENOTFOUND, // no such city
		"510899":    healthcell.ENOTFOUND,
	}
	for code, want := range tests {
		_, err := Divisions(code)
		if got := healthcell.ErrorCode(err); got != want {
			t.Errorf("Divisions(%q): %v (code %q), want %s", code, err, got, want)
		}
	}
}
