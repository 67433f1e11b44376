package score

import (
	"testing"

	"github.com/healthcell/healthcell"
)

func TestCheckOverride(t *testing.T) {
	f := func(x float64) *float64 { return &x }
	n := func(x int) *int { return &x }
	rate := &healthcell.Item{Code: "2.2", Method: healthcell.MethodEGT, Indicator: "knowledge_rate", Target: 90, Points: 6}
	count := &healthcell.Item{Code: "2.6", Method: healthcell.MethodCount, Activity: "lecture", MinCount: 12, Points: 4}
	plain := &healthcell.Item{Code: "2.7", Method: healthcell.MethodEGT, Target: 90, Points: 6}
	computed := &healthcell.Computed{Value: f(50)}
	none := &healthcell.Computed{Missing: "indicator.undefined"}
	tests := []struct {
		name     string
		it       *healthcell.Item
		a        *healthcell.Answer
		c        *healthcell.Computed
		evidence int
		want     []string // fields refused
	}{
		{"same value as computed", rate, &healthcell.Answer{Value: f(50)}, computed, 0, nil},
		{"no value: the computed one counts", rate, &healthcell.Answer{Note: "x"}, computed, 0, nil},
		{"other value without reason or file", rate, &healthcell.Answer{Value: f(95)}, computed, 0, []string{"reason", "evidence"}},
		{"other value with reason, no file", rate, &healthcell.Answer{Value: f(95), Reason: "调查补录"}, computed, 0, []string{"evidence"}},
		{"other value with a blank reason", rate, &healthcell.Answer{Value: f(95), Reason: "  "}, computed, 1, []string{"reason"}},
		{"other value with reason and file", rate, &healthcell.Answer{Value: f(95), Reason: "调查补录"}, computed, 1, nil},
		{"count differing", count, &healthcell.Answer{Count: n(40)}, &healthcell.Computed{Value: f(12)}, 0, []string{"reason", "evidence"}},
		{"count equal", count, &healthcell.Answer{Count: n(12)}, &healthcell.Computed{Value: f(12)}, 0, nil},
		{"no computed value: a plain answer", rate, &healthcell.Answer{Value: f(95)}, none, 0, nil},
		{"not data-bound", plain, &healthcell.Answer{Value: f(95)}, computed, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckOverride(tt.it, tt.a, tt.c, tt.evidence)
			var got []string
			for _, fe := range healthcell.ErrorFields(err) {
				got = append(got, fe.Field)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("refused %v, want %v (%v)", got, tt.want, err)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("refused %v, want %v", got, tt.want)
				}
			}
			if err != nil && healthcell.ErrorCode(err) != healthcell.EINVALID {
				t.Fatalf("code %s", healthcell.ErrorCode(err))
			}
		})
	}
}
