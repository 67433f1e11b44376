package main

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/catalog"
	"github.com/healthcell/healthcell/demo"
	"github.com/healthcell/healthcell/sqlstore"
)

// cityAccount is the demo account of the city scale: the city's patriotic
// health office (the administrator of the whole city), for its dashboards,
// county pages and the titles named above the county. For 广元市 it is the
// demo's own account shi.
func cityAccount(city string) demoAccount {
	return demoAccount{"shi", "市爱卫办管理员（演示）", healthcell.RoleCityAdmin, city + "00000000", ""}
}

// cityCounties returns the county codes (12 digits, in code order) of city
// in divs, the first n of them when n > 0. It returns EINVALID when n is
// negative or larger than the city's counties, ENOTFOUND when it has none.
func cityCounties(divs []healthcell.Division, city string, n int) ([]string, error) {
	var out []string
	for _, d := range divs {
		if d.Level == healthcell.LevelCounty && d.Code[:4] == city {
			out = append(out, d.Code)
		}
	}
	switch {
	case len(out) == 0:
		return nil, healthcell.Errorf(healthcell.ENOTFOUND, "city %s has no counties in the shipped divisions", city)
	case n < 0 || n > len(out):
		return nil, healthcell.Errorf(healthcell.EINVALID, "--counties %d: city %s has %d counties", n, city, len(out))
	case n > 0:
		out = out[:n]
	}
	return out, nil
}

// buildCity builds the city scale: the divisions of the first n counties of
// city (all when n is 0) from the shipped province file, and each county
// filled as the county scale fills the demo county — residents, survey
// responses and registers, each county in its own transactions and only
// where it has none yet, so running it again, or with a larger n, adds only
// what is missing. The demo county (510824, when among them) is built whole
// as `demo --scale county` builds it; every county gets its own seed.
func (m *Main) buildCity(ctx context.Context, db *sqlstore.DB, city string, n int, dsn string) error {
	sys := system(ctx)
	start := time.Now()
	if len(city) != 4 {
		return healthcell.Errorf(healthcell.EINVALID, "--city %q must be a 4-digit city code, e.g. 5108", city)
	}
	divs, err := catalog.Divisions(city)
	if err != nil {
		return err
	}
	counties, err := cityCounties(divs, city, n)
	if err != nil {
		return err
	}
	var keep []healthcell.Division
	for _, d := range divs {
		if d.Level < healthcell.LevelCounty || slices.Contains(counties, d.Code[:6]+"000000") {
			keep = append(keep, d)
		}
	}
	if _, err := db.LoadDivisions(sys, keep); err != nil {
		return err
	}
	if _, err := loadCatalogStandards(sys, db); err != nil {
		return err
	}
	if _, err := loadCatalogQuestionnaires(sys, db, true); err != nil {
		return err
	}
	for i, c := range counties {
		t := time.Now()
		if c[:6] == demoCounty {
			err = m.buildDemo(ctx, db, demo.County, dsn)
		} else {
			err = m.fillCounty(sys, db, c, demoSeed+int64(i)+1)
		}
		if err != nil {
			return fmt.Errorf("county %s: %w", c[:6], err)
		}
		fmt.Fprintf(m.Stderr, "county %d of %d (%s) ready in %.1f s\n", i+1, len(counties), c[:6], time.Since(t).Seconds())
	}
	a := cityAccount(city)
	err = db.CreateUser(sys, &healthcell.User{Username: a.Username, DisplayName: a.Name, Role: a.Role, Scope: a.Scope}, DemoPassword)
	if err != nil && healthcell.ErrorCode(err) != healthcell.ECONFLICT {
		return fmt.Errorf("demo account %s: %w", a.Username, err)
	}
	fmt.Fprintf(m.Stderr, "city %s: %d counties ready in %.1f s on %s\n", city, len(counties), time.Since(start).Seconds(), db.Engine)
	return nil
}

// fillCounty fills one county (a 12-digit code) as the county scale fills
// the demo county, generated from seed: its residents when it has none, the
// questionnaire responses it has none of, and its registers when they are
// empty.
func (m *Main) fillCounty(ctx context.Context, db *sqlstore.DB, code string, seed int64) error {
	county, err := db.FindDivision(ctx, code)
	if err != nil {
		return err
	}
	villages, err := db.FindVillages(ctx, code)
	if err != nil {
		return err
	}
	if county.Households == 0 {
		start, now := time.Now(), db.Now()
		h, p, err := db.LoadPopulation(ctx, func(emit func(*healthcell.Household, []*healthcell.Person) error) error {
			return demo.Population(villages, demo.City, seed, now, emit)
		})
		if err != nil {
			return fmt.Errorf("population: %w", err)
		}
		fmt.Fprintf(m.Stderr, "built %s: %d households and %d residents in %.1f s\n", county.Name, h, p, time.Since(start).Seconds())
	} else {
		fmt.Fprintf(m.Stderr, "reusing %s: %d households, %d residents\n", county.Name, county.Households, county.Persons)
	}
	if err := m.demoSurveys(ctx, db, demo.City, villages, seed); err != nil {
		return err
	}
	return m.demoRegisters(ctx, db, code, seed)
}

// demoNeighbour is the second county of the demo city (广元市): 朝天区,
// with a small population, so that the city has counties to rank and the
// scope between two counties can be seen.
const demoNeighbour = "510812"

// demoCity is the city of the demo county, whose offices name the titles
// named above the county (卫生村).
const demoCity = "510800000000"

// demoNeighbourCounty loads 朝天区 and, once, its small population (a
// different seed from 苍溪县's). It runs before the registers are
// generated, which then cover both counties.
func (m *Main) demoNeighbourCounty(ctx context.Context, db *sqlstore.DB) error {
	divs, err := catalog.Divisions(demoNeighbour)
	if err != nil {
		return err
	}
	if _, err := db.LoadDivisions(ctx, divs); err != nil {
		return err
	}
	county, err := db.FindDivision(ctx, demoNeighbour+"000000")
	if err != nil || county.Households > 0 {
		return err
	}
	villages, err := db.FindVillages(ctx, county.Code)
	if err != nil {
		return err
	}
	start, now := time.Now(), db.Now()
	h, p, err := db.LoadPopulation(ctx, func(emit func(*healthcell.Household, []*healthcell.Person) error) error {
		return demo.Population(villages, demo.Small, demoSeed+1, now, emit)
	})
	if err != nil {
		return fmt.Errorf("demo population of %s: %w", county.Name, err)
	}
	fmt.Fprintf(m.Stderr, "built %s: %d households and %d residents in %.1f s\n", county.Name, h, p, time.Since(start).Seconds())
	return nil
}

// demoFreeVillage returns the first village (not community) of villages
// that has no application yet (not in taken, not skipped), or "" when
// none is left.
func demoFreeVillage(villages []healthcell.Division, taken map[string]bool) string {
	for _, v := range villages {
		if _, kind := demo.VillageStandard(v.Name); kind == "village" && !taken[v.Code] && !demoWorkflowSkip[v.Code] {
			return v.Code
		}
	}
	return ""
}
