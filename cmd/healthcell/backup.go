package main

import (
	"context"
	"fmt"

	"github.com/healthcell/healthcell/sqlstore"
)

// runBackup copies a SQLite database to a new file while it may be in use.
func (m *Main) runBackup(ctx context.Context, args []string) error {
	fs, dsn := m.flags("backup")
	to := fs.String("to", "", "file to write (must not exist)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *to == "" {
		return fmt.Errorf("usage: healthcell backup [--db DB] --to FILE")
	}
	return m.withDB(ctx, *dsn, func(db *sqlstore.DB) error {
		if err := db.Backup(ctx, *to); err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "backed up to %s\n", *to)
		return nil
	})
}
