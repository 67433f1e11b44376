package catalog_test

import (
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/catalog"
	"github.com/healthcell/healthcell/catalog/standards"
)

// shippedCodes are the shipped indicators and the activity register's kinds.
func shippedCodes(t *testing.T) healthcell.StandardCodes {
	t.Helper()
	inds, err := catalog.Indicators()
	if err != nil {
		t.Fatal(err)
	}
	c := healthcell.StandardCodes{Indicators: map[string]bool{}, Activities: map[string]bool{}}
	for _, ind := range inds {
		c.Indicators[ind.Code] = true
	}
	for _, o := range catalog.MustRegisters().Get("activities").Field("kind").Options {
		c.Activities[o.Code] = true
	}
	return c
}

// TestShippedStandardsNameKnownCodes loads each shipped standard and checks
// every indicator and activity it names against the catalogs.
func TestShippedStandardsNameKnownCodes(t *testing.T) {
	stds, err := standards.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	codes := shippedCodes(t)
	named := 0
	for _, s := range stds {
		for _, it := range s.Items {
			if it.Indicator != "" || it.Activity != "" {
				named++
			}
		}
		for _, fe := range healthcell.ErrorFields(s.CheckCodes(codes)) {
			t.Errorf("%s item %s: %s %q is not defined", s.Code, s.Items[fe.Row-1].Code, fe.Field, fe.Value)
		}
	}
	if named < 50 {
		t.Errorf("the shipped standards name %d codes; expected more (did the items lose them?)", named)
	}
}
