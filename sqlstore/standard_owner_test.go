package sqlstore_test

import (
	"context"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/catalog/standards"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// shippedCopy returns a fresh copy of a shipped standard.
func shippedCopy(t *testing.T, code string) *healthcell.Standard {
	t.Helper()
	all, err := standards.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range all {
		if s.Code == code {
			return s
		}
	}
	t.Fatalf("no shipped standard %s", code)
	return nil
}

// TestStandardOwners: the shipped 卫生村 standard is the province's; a
// county cannot load a version of it (EFORBIDDEN, nothing stored) but adds
// its own beside it, seen in its county, its city and province and not in
// its neighbour county; a city loads standards owned by the city; a code
// owned by another county is taken (ECONFLICT), without saying whose.
func TestStandardOwners(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		newTiers(t, db)
		prov := shippedCopy(t, "sanitary-village")
		if err := db.CreateStandard(sqltest.System(), prov); err != nil {
			t.Fatal(err)
		}
		if prov.Owner != sqltest.Province || prov.Version != 1 {
			t.Fatalf("shipped 卫生村: owner %q version %d, want the province's version 1", prov.Owner, prov.Version)
		}

		// A county's version of the province's code is refused.
		mine := shippedCopy(t, "sanitary-village")
		mine.PassScore = 70
		err := db.CreateStandard(ctxCangxi, mine)
		if healthcell.ErrorCode(err) != healthcell.EFORBIDDEN || healthcell.ErrorMessage(err) != "standard.owner.above" {
			t.Fatalf("county loads the province's 卫生村: %v, want EFORBIDDEN standard.owner.above", err)
		}
		if got, err := db.FindStandard(ctxCangxi, "sanitary-village", 0); err != nil || got.Version != 1 || got.PassScore != 80 || got.Owner != sqltest.Province {
			t.Fatalf("after the refusal: %+v, %v; want version 1 unchanged", got, err)
		}

		// Its own standard beside it, and a city's.
		own := shippedCopy(t, "sanitary-village")
		own.Code, own.Name, own.PassScore, own.Owner = "cangxi-sanitary-village", "苍溪县卫生村考核细则", 85, sqltest.Province
		if err := db.CreateStandard(ctxCangxi, own); err != nil {
			t.Fatalf("county's own standard: %v", err)
		}
		if own.Owner != sqltest.County {
			t.Errorf("county's standard owned by %q, want the county (whatever the file says)", own.Owner)
		}
		city := shippedCopy(t, "healthy-village")
		city.Code, city.Name = "guangyuan-village", "广元市健康村评价细则"
		if err := db.CreateStandard(ctxCityAdmin, city); err != nil || city.Owner != sqltest.City {
			t.Fatalf("city's standard: owner %q, %v", city.Owner, err)
		}
		if err := db.CreateStandard(ctxCityEvaluator, shippedCopy(t, "healthy-community")); healthcell.ErrorCode(err) != healthcell.EFORBIDDEN {
			t.Errorf("a city evaluator loads a standard: %v", err)
		}
		// The city's code is above the county's office too.
		again := shippedCopy(t, "healthy-village")
		again.Code = "guangyuan-village"
		if err := db.CreateStandard(ctxCangxi, again); healthcell.ErrorCode(err) != healthcell.EFORBIDDEN {
			t.Errorf("county loads the city's code: %v", err)
		}
		// A neighbour's code is taken, and the neighbour's office cannot
		// replace the county's standard.
		taken := shippedCopy(t, "healthy-village")
		taken.Code = "cangxi-sanitary-village"
		if err := db.CreateStandard(ctxChaotian, taken); healthcell.ErrorCode(err) != healthcell.ECONFLICT || healthcell.ErrorMessage(err) != "standard.code.taken" {
			t.Errorf("neighbour loads the county's code: %v, want ECONFLICT standard.code.taken", err)
		}
		if err := db.CreateStandard(ctxCityAdmin, taken); healthcell.ErrorCode(err) != healthcell.ECONFLICT {
			t.Errorf("city replaces the county's standard: %v", err)
		}
		if got, _ := db.FindStandard(sqltest.System(), "cangxi-sanitary-village", 0); got == nil || got.Version != 1 || got.Name != "苍溪县卫生村考核细则" {
			t.Errorf("the county's standard changed: %+v", got)
		}

		// Who sees which.
		sees := []struct {
			name string
			ctx  context.Context
			code string
			want bool
		}{
			{"county: the province's", ctxCangxi, "sanitary-village", true},
			{"county: its own", ctxCangxi, "cangxi-sanitary-village", true},
			{"county: its city's", ctxCangxi, "guangyuan-village", true},
			{"neighbour: the county's own", ctxChaotian, "cangxi-sanitary-village", false},
			{"neighbour viewer: the county's own", ctxChaotianViewer, "cangxi-sanitary-village", false},
			{"neighbour: the city's", ctxChaotian, "guangyuan-village", true},
			{"city: its county's", ctxCityEvaluator, "cangxi-sanitary-village", true},
			{"another city: the county's", ctxFarCity, "cangxi-sanitary-village", false},
			{"another city: 广元市's", ctxFarCity, "guangyuan-village", false},
			{"another city: the province's", ctxFarCity, "sanitary-village", true},
			{"province: the county's", ctxProvince, "cangxi-sanitary-village", true},
		}
		for _, s := range sees {
			_, err := db.FindStandard(s.ctx, s.code, 0)
			if got := err == nil; got != s.want {
				t.Errorf("%s: FindStandard(%s) = %v, want found %v", s.name, s.code, err, s.want)
			} else if !s.want && healthcell.ErrorCode(err) != healthcell.ENOTFOUND {
				t.Errorf("%s: %v, want ENOTFOUND", s.name, err)
			}
			listed := false
			list, err := db.FindStandards(s.ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range list {
				if x.Code == s.code {
					listed = true
				}
			}
			if listed != s.want {
				t.Errorf("%s: listed %v, want %v", s.name, listed, s.want)
			}
		}

		// A standard of no office (stored before owners) stays everyone's
		// when a county loads its version.
		legacy := shippedCopy(t, "healthy-family")
		if err := db.CreateStandard(sqltest.System(), legacy); err != nil || legacy.Owner != "" {
			t.Fatalf("healthy-family: owner %q, %v", legacy.Owner, err)
		}
		legacy.PassScore = 75
		if err := db.CreateStandard(ctxCangxi, legacy); err != nil || legacy.Version != 2 || legacy.Owner != "" {
			t.Errorf("county's version of a shared standard: version %d owner %q, %v", legacy.Version, legacy.Owner, err)
		}
		if _, err := db.FindStandard(ctxChaotian, "healthy-family", 0); err != nil {
			t.Errorf("the neighbour lost the shared standard: %v", err)
		}
	})
}
