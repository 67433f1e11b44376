package locale

import "testing"

// TestPlainTexts checks that remembered texts are those of their language
// and key, and that data and missing keys are not remembered wrongly.
func TestPlainTexts(t *testing.T) {
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		lang, key string
		data      any
		want      string
	}{
		{"zh-CN", "nav.tree", nil, "行政区划"},
		{"en", "nav.tree", nil, "Divisions"},
		{"fr", "nav.tree", nil, "行政区划"},
		{"zh-CN", "division.self_assess", map[string]any{"Name": "健康村"}, "健康村自查"},
		{"zh-CN", "division.self_assess", map[string]any{"Name": "卫生村"}, "卫生村自查"},
		{"en", "division.self_assess", map[string]any{"Name": "Healthy village"}, "Healthy village self-assessment"},
		{"zh-CN", "no.such.key", nil, "no.such.key"},
	}
	for round := range 2 { // the second round reads what the first remembered
		for _, tc := range cases {
			if got := c.T(tc.lang, tc.key, tc.data); got != tc.want {
				t.Errorf("round %d: T(%s, %s, %v) = %q, want %q", round, tc.lang, tc.key, tc.data, got, tc.want)
			}
		}
	}
	if _, ok := c.plain.Load(plainKey{"zh-CN", "no.such.key"}); ok {
		t.Error("a missing key was remembered")
	}
	if _, ok := c.plain.Load(plainKey{"fr", "nav.tree"}); ok {
		t.Error("an unoffered language was remembered under its own name")
	}
}
