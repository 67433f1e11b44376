package sqlstore

import (
	"fmt"
	"testing"
	"time"

	"github.com/healthcell/healthcell"
)

// TestLookupChargeDistinct: each distinct number costs one token of the
// account once within lookupMemory, whether it comes again in the same
// call or a later one; after lookupMemory it costs again.
func TestLookupChargeDistinct(t *testing.T) {
	t0 := time.Date(2025, 6, 15, 9, 30, 0, 0, time.UTC)
	a := &healthcell.Actor{UserID: 1, Role: healthcell.RoleVillage, Scope: "510824100001"}
	nums := func(from, n int) []string {
		var out []string
		for i := range n {
			out = append(out, fmt.Sprintf("n%d", from+i))
		}
		return out
	}
	type call struct {
		at      time.Duration
		numbers []string
		left    float64 // the account's tokens after the call
	}
	for _, tc := range []struct {
		name  string
		calls []call
	}{
		{"a number twice in one call", []call{{0, []string{"a", "a", "b"}, lookupBudget - 2}}},
		{"the same file again", []call{{0, nums(0, 150), lookupBudget - 150}, {time.Minute, nums(0, 150), lookupBudget - 150}}},
		{"new numbers still count", []call{{0, nums(0, 10), lookupBudget - 10}, {0, nums(5, 10), lookupBudget - 15}}},
		{"remembered for lookupMemory only", []call{{0, nums(0, 150), lookupBudget - 150}, {lookupMemory, nums(0, 150), lookupBudget - 150}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var l lookupLimiter
			for i, c := range tc.calls {
				if err := l.charge(a, c.numbers, t0.Add(c.at)); err != nil {
					t.Fatalf("call %d: %v", i, err)
				}
				if got := l.buckets[a.UserID].tokens; got != c.left {
					t.Errorf("call %d: %v tokens left, want %v", i, got, c.left)
				}
			}
		})
	}
}
