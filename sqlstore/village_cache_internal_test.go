package sqlstore

import (
	"slices"
	"testing"
)

// TestVillageTemplateValues checks which villages a cached template asks
// its query for, step by step: everything the first time, then only the
// villages whose counter moved, then everything again past the limit.
func TestVillageTemplateValues(t *testing.T) {
	data := map[string][]float64{"v1": {1}, "v2": {2}, "v3": {3}}
	type step struct {
		name     string
		n        map[string]int64
		set      map[string][]float64 // data changes before the step
		wantRun  []string             // nil: the whole range; "-": no query
		wantVals map[string]float64
	}
	steps := []step{
		{name: "cold", n: map[string]int64{}, wantRun: nil, wantVals: map[string]float64{"v1": 1, "v2": 2, "v3": 3}},
		{name: "warm", n: map[string]int64{}, wantRun: []string{"-"}, wantVals: map[string]float64{"v1": 1, "v2": 2, "v3": 3}},
		{name: "v2 written", n: map[string]int64{"v2": 1}, set: map[string][]float64{"v2": {20}}, wantRun: []string{"v2"},
			wantVals: map[string]float64{"v1": 1, "v2": 20, "v3": 3}},
		{name: "v2 unchanged since", n: map[string]int64{"v2": 1}, wantRun: []string{"-"}, wantVals: map[string]float64{"v1": 1, "v2": 20, "v3": 3}},
		{name: "v4 gains rows, v1 loses them", n: map[string]int64{"v1": 1, "v2": 1, "v4": 1}, set: map[string][]float64{"v1": nil, "v4": {4}},
			wantRun: []string{"v1", "v4"}, wantVals: map[string]float64{"v2": 20, "v3": 3, "v4": 4}},
	}
	tm := &villageTemplate{vals: map[string]villageRow{}}
	for _, s := range steps {
		for k, v := range s.set {
			if v == nil {
				delete(data, k)
			} else {
				data[k] = v
			}
		}
		ran := []string{"-"}
		got, err := tm.values(villageVersions{n: s.n}, "v0", "v9", func(villages []string) (map[string][]float64, error) {
			ran = slices.Sorted(slices.Values(villages))
			out := map[string][]float64{}
			for k, v := range data {
				if villages == nil || slices.Contains(villages, k) {
					out[k] = v
				}
			}
			return out, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(ran, s.wantRun) {
			t.Errorf("%s: queried %v, want %v", s.name, ran, s.wantRun)
		}
		flat := map[string]float64{}
		for k, v := range got {
			flat[k] = v[0]
		}
		if len(flat) != len(s.wantVals) {
			t.Errorf("%s: values %v, want %v", s.name, flat, s.wantVals)
		}
		for k, v := range s.wantVals {
			if flat[k] != v {
				t.Errorf("%s: %s = %v, want %v", s.name, k, flat[k], v)
			}
		}
	}
}
