package main

import (
	"context"
	"fmt"
	"time"

	"github.com/healthcell/healthcell/demo"
	"github.com/healthcell/healthcell/sqlstore"
)

// demoRegisters fills every register for the stored population of county
// (a 12-digit code) in one transaction, unless the county's registers
// already have rows. seed fixes the generated rows.
func (m *Main) demoRegisters(ctx context.Context, db *sqlstore.DB, county string, seed int64) error {
	if done, err := db.RegisterRowsExist(ctx, county); err != nil || done {
		return err
	}
	start := time.Now()
	var hs []demo.HouseholdRef
	if err := db.EachHousehold(ctx, county, func(id int64, village, head string) error {
		hs = append(hs, demo.HouseholdRef{ID: id, Village: village, Head: head})
		return nil
	}); err != nil {
		return err
	}
	var ps []demo.Resident
	if err := db.EachResident(ctx, county, func(id, household int64, village, birth string, registered, resident bool) error {
		ps = append(ps, demo.Resident{ID: id, HouseholdID: household, Village: village, Birth: birth, Registered: registered, Resident: resident})
		return nil
	}); err != nil {
		return err
	}
	units, err := db.FindUnits(ctx, county)
	if err != nil {
		return err
	}
	var us []demo.UnitRef
	for _, u := range units {
		us = append(us, demo.UnitRef{ID: u.ID, Kind: u.Kind, Division: u.Division})
	}
	villages, err := db.FindVillages(ctx, county)
	if err != nil {
		return err
	}
	var vs []string
	for _, v := range villages {
		vs = append(vs, v.Code)
	}
	counts, err := db.LoadRegisters(ctx, func(emit func(*sqlstore.RegisterRow) error) error {
		return demo.Registers(hs, ps, us, vs, seed, db.Now(), func(r *demo.Row) error {
			return emit(&sqlstore.RegisterRow{Register: r.Register, Village: r.Village, PersonID: r.PersonID, HouseholdID: r.HouseholdID, UnitID: r.UnitID, Values: r.Values})
		})
	})
	if err != nil {
		return fmt.Errorf("demo registers: %w", err)
	}
	n := 0
	for _, c := range counts {
		n += c
	}
	fmt.Fprintf(m.Stderr, "filled the registers: %d rows in %.1f s\n", n, time.Since(start).Seconds())
	return nil
}
