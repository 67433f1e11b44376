package main

import (
	"context"
	"fmt"
)

// runMigrate applies pending migrations and lists the applied ones.
func (m *Main) runMigrate(ctx context.Context, args []string) error {
	fs, dsn := m.flags("migrate")
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := m.open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	names, err := db.Migrations(ctx)
	if err != nil {
		return err
	}
	for _, n := range names {
		fmt.Fprintln(m.Stdout, "applied", n)
	}
	return nil
}
