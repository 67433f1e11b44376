package main

import (
	"context"
	"fmt"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/catalog"
	"github.com/healthcell/healthcell/demo"
	"github.com/healthcell/healthcell/sqlstore"
)

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

// demoSanitaryVillage is the village whose 卫生村 application the demo
// leaves evaluated by the county, for the county office to recommend to
// the city: the first village (not community) that has no other
// application.
func demoSanitaryVillage(villages []healthcell.Division, taken map[string]bool) string {
	for _, v := range villages {
		if _, kind := demo.VillageStandard(v.Name); kind == "village" && !taken[v.Code] && !demoWorkflowSkip[v.Code] {
			return v.Code
		}
	}
	return ""
}
