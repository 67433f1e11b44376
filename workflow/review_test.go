package workflow_test

import (
	"os"
	"strings"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/workflow"
)

// TestReviewYears: the shipped file reviews named units every three years
// by default, and a review period outside 0 to 20 is refused with its line.
func TestReviewYears(t *testing.T) {
	if m := creation(t); m.ReviewYears != 3 {
		t.Fatalf("shipped review_years = %d, want 3", m.ReviewYears)
	}
	data, err := os.ReadFile("../catalog/workflows/creation.yaml")
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(data), "review_years: 3", "review_years: 50", 1)
	_, err = workflow.Load(strings.NewReader(bad))
	fe := healthcell.ErrorFields(err)
	if len(fe) != 1 || fe[0].Field != "review_years" || fe[0].Message != workflow.MsgReviewYears || fe[0].Row == 0 {
		t.Fatalf("review_years 50: %v", err)
	}
}
