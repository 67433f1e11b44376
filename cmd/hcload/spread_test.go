package main

import "testing"

// TestWritersKeepToOneVillage checks that each writer writes into the
// households of a village of its own, whatever the write counter.
func TestWritersKeepToOneVillage(t *testing.T) {
	w := &workload{households: [][]int64{{1, 2}, {3}, {4, 5, 6}}}
	owner := map[int64]int{}
	for i := range 30 {
		k := i % 3
		h := w.household(k, i)
		if o, ok := owner[h]; ok && o != k {
			t.Fatalf("household %d written by writers %d and %d", h, o, k)
		}
		owner[h] = k
	}
}
