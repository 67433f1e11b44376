package indicator

import (
	"testing"

	"github.com/healthcell/healthcell"
)

// TestMissing: only a numerator over a denominator, both counting the same
// residents or households, lists its missing rows.
func TestMissing(t *testing.T) {
	srcs := Sources{Residents: &Source{Code: Residents}, Households: &Source{Code: Households}, "contracts": &Source{Code: "contracts"}}
	one := 1.0
	for _, tc := range []struct {
		name string
		ind  *healthcell.Indicator
		want bool
	}{
		{"residents", &healthcell.Indicator{Numerator: &healthcell.Measure{From: Residents, Where: "resident"}, Denominator: &healthcell.Measure{From: Residents}}, true},
		{"households", &healthcell.Indicator{Numerator: &healthcell.Measure{From: Households}, Denominator: &healthcell.Measure{From: Households}}, true},
		{"a count", &healthcell.Indicator{Numerator: &healthcell.Measure{From: Residents}}, false},
		{"two sources", &healthcell.Indicator{Numerator: &healthcell.Measure{From: "contracts"}, Denominator: &healthcell.Measure{From: Residents}}, false},
		{"a register", &healthcell.Indicator{Numerator: &healthcell.Measure{From: "contracts"}, Denominator: &healthcell.Measure{From: "contracts"}}, false},
		{"a sum", &healthcell.Indicator{Numerator: &healthcell.Measure{From: Residents, Sum: "age"}, Denominator: &healthcell.Measure{From: Residents}}, false},
		{"a constant", &healthcell.Indicator{Numerator: &healthcell.Measure{From: Residents}, Denominator: &healthcell.Measure{Const: &one}}, false},
		{"an expression", &healthcell.Indicator{Expr: "a + b"}, false},
		{"nil", nil, false},
	} {
		if got := Missing(tc.ind, srcs); got != tc.want {
			t.Errorf("%s: Missing = %v, want %v", tc.name, got, tc.want)
		}
	}
}
