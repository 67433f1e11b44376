package officedoc

import "testing"

func TestCellWidthChars(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want float64
	}{{"", 0}, {"陵江镇", 3}, {"66.7%", 3.4}, {"2026年5月20日", 8.45}, {"5/9", 1.8}} {
		if got := cellWidthChars(tc.in); got < tc.want-1e-9 || got > tc.want+1e-9 {
			t.Errorf("cellWidthChars(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}
