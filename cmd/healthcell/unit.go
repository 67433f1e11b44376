package main

import (
	"context"
	"fmt"

	"github.com/healthcell/healthcell"
)

// runUnit adds and lists institutional units.
func (m *Main) runUnit(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("usage: healthcell unit add --kind KIND --name NAME --division CODE [--department D] | list [--division CODE]")
	}
	fs, dsn := m.flags("unit " + args[0])
	kind := fs.String("kind", "", "school, hospital, agency or enterprise")
	name := fs.String("name", "", "the unit's name")
	division := fs.String("division", "", "the division code it is in")
	dept := fs.String("department", "", "the county department responsible for it")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	db, err := m.open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	sys := system(ctx)
	switch args[0] {
	case "add":
		u := &healthcell.Unit{Kind: *kind, Name: *name, Division: *division, Department: *dept}
		if err := db.CreateUnit(sys, u); err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "added unit %d: %s (%s, %s)\n", u.ID, u.Name, u.Kind, u.Division)
	case "list":
		units, err := db.FindUnits(sys, *division)
		if err != nil {
			return err
		}
		for _, u := range units {
			fmt.Fprintf(m.Stdout, "%d\t%s\t%s\t%s\t%s\n", u.ID, u.Kind, u.Division, u.Name, u.Department)
		}
	default:
		return fmt.Errorf("unknown unit command %q", args[0])
	}
	return nil
}
