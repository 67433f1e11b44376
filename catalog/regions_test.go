package catalog

import "testing"

func TestEconomicRegion(t *testing.T) {
	tests := map[string]string{"510824100001": "西", "51": "西", "110105": "东", "420100000000": "中", "710000": "", "5": ""}
	d := MustLoad()
	for code, want := range tests {
		if got := d.EconomicRegion(code); got != want {
			t.Errorf("EconomicRegion(%q) = %q, want %q", code, got, want)
		}
	}
}
