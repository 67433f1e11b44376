package catalog

import "testing"

func TestEvidenceRules(t *testing.T) {
	r, err := Evidence()
	if err != nil || r.PhotoDateToleranceDays != 30 {
		t.Fatalf("rules %+v, %v", r, err)
	}
}
