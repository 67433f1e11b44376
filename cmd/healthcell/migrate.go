package main

import (
	"context"
	"fmt"

	"github.com/healthcell/healthcell/sqlstore"
)

// runMigrate applies pending migrations and lists the applied ones.
func (m *Main) runMigrate(ctx context.Context, args []string) error {
	fs, dsn := m.flags("migrate")
	if err := fs.Parse(args); err != nil {
		return err
	}
	return m.withDB(ctx, *dsn, func(db *sqlstore.DB) error {
		names, err := db.Migrations(ctx)
		if err != nil {
			return err
		}
		for _, n := range names {
			fmt.Fprintln(m.Stdout, "applied", n)
		}
		return nil
	})
}
