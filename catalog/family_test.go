package catalog

import (
	"testing"

	"github.com/healthcell/healthcell/catalog/standards"
)

// TestFamilyRules: the shipped rules parse, check, and name only items of
// the family standard, every item of it.
func TestFamilyRules(t *testing.T) {
	f, err := Family()
	if err != nil {
		t.Fatal(err)
	}
	stds, err := standards.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	items := map[string]bool{}
	for _, s := range stds {
		if s.Code == f.Standard {
			for _, it := range s.Items {
				items[it.Code] = true
			}
		}
	}
	if len(items) == 0 {
		t.Fatalf("no standard %q", f.Standard)
	}
	for _, r := range f.Items {
		if !items[r.Item] {
			t.Errorf("item %s is not in %s", r.Item, f.Standard)
		}
		delete(items, r.Item)
	}
	if len(items) > 0 {
		t.Errorf("items without a rule: %v", items)
	}
	if f.SamplePercent != 10 {
		t.Errorf("sample_percent = %d", f.SamplePercent)
	}
}
