package sqlstore_test

import (
	"reflect"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/catalog/standards"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestCreateStandardUnknownCodes: a standard naming an indicator or an
// activity that does not exist is refused with the item and field, and
// nothing is stored; a county's own indicator is a known code.
func TestCreateStandardUnknownCodes(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		sqltest.LoadDivisions(t, db)
		std := villageStandard()
		std.Items[3].Indicator = "poor_contract_rate"
		std.Items[4].Activity = "lectures"
		n := auditCount(t, db)
		err := db.CreateStandard(ctxCounty, std)
		want := []healthcell.FieldError{
			{Row: 4, Field: "indicator", Message: "standard.indicator.unknown", Value: "poor_contract_rate"},
			{Row: 5, Field: "activity", Message: "standard.activity.unknown", Value: "lectures"},
		}
		if healthcell.ErrorCode(err) != healthcell.EINVALID || !reflect.DeepEqual(healthcell.ErrorFields(err), want) {
			t.Fatalf("err = %v, fields %+v", err, healthcell.ErrorFields(err))
		}
		if _, err := db.FindStandard(ctxCounty, std.Code, 0); healthcell.ErrorCode(err) != healthcell.ENOTFOUND {
			t.Errorf("a refused standard was stored: %v", err)
		}
		if auditCount(t, db) != n {
			t.Error("a refused standard was audited")
		}

		target := 100.0
		own := &healthcell.Indicator{Code: "poor_contract_rate", Zh: "贫困人口签约率", Unit: "%", Direction: "higher", Target: &target,
			Numerator:   &healthcell.Measure{From: "residents", Count: "persons", Where: "has(poverty, asof, status = 'registered') and has(contracts, overlap)"},
			Denominator: &healthcell.Measure{From: "residents", Count: "persons", Where: "has(poverty, asof, status = 'registered')"}}
		if err := db.SaveIndicator(ctxCounty, own); err != nil {
			t.Fatal(err)
		}
		std.Items[4].Activity = "consultation"
		if err := db.CreateStandard(ctxCounty, std); err != nil {
			t.Fatalf("with the county's own indicator and a known activity: %v", err)
		}
	})
}

// TestShippedStandardsLoad loads every shipped standard through
// CreateStandard, which checks each code it names.
func TestShippedStandardsLoad(t *testing.T) {
	stds, err := standards.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		for _, s := range stds {
			c := *s
			if err := db.CreateStandard(sqltest.System(), &c); err != nil {
				t.Errorf("%s: %v %+v", s.Code, err, healthcell.ErrorFields(err))
			}
		}
	})
}
