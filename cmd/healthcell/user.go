package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/healthcell/healthcell"
)

// runUser manages accounts: add, list, passwd, disable.
func (m *Main) runUser(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("usage: healthcell user add|list|passwd|disable [flags]")
	}
	fs, dsn := m.flags("user " + args[0])
	username := fs.String("username", "", "login name")
	pw := fs.String("password", "", "password (at least 8 characters)")
	role := fs.String("role", "", "county_admin, department, township, village, unit, evaluator or viewer")
	scope := fs.String("scope", "", "division code of the user's scope (6, 9 or 12 digits)")
	name := fs.String("name", "", "display name")
	unit := fs.String("unit", "", "with role unit: the unit's id (healthcell unit list)")
	dept := fs.String("department", "", "with role department: the department, as units name it (e.g. 县教科体局)")
	enable := fs.Bool("enable", false, "with disable: enable the account again")
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
		u := &healthcell.User{Username: *username, DisplayName: *name, Role: healthcell.Role(*role), Scope: *scope, Unit: *unit, Department: *dept}
		if err := db.CreateUser(sys, u, *pw); err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "added %s (%s, scope %s)\n", u.Username, u.Role, u.Scope)
	case "list":
		users, err := db.FindUsers(sys)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "USERNAME\tROLE\tSCOPE\tNAME\tDISABLED")
		for _, u := range users {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%v\n", u.Username, u.Role, u.Scope, u.DisplayName, u.Disabled)
		}
		return tw.Flush()
	case "passwd":
		if err := db.SetPassword(sys, *username, *pw); err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "password of %s changed\n", *username)
	case "disable":
		if err := db.SetDisabled(sys, *username, !*enable); err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "%s disabled=%v\n", *username, !*enable)
	default:
		return fmt.Errorf("unknown user command %q", args[0])
	}
	return nil
}
