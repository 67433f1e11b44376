package main

import (
	"context"
	"fmt"

	"github.com/healthcell/healthcell/sqlstore"
)

// runCheck verifies the database and exits 1 when it finds a problem.
func (m *Main) runCheck(ctx context.Context, args []string) error {
	fs, dsn := m.flags("check")
	if err := fs.Parse(args); err != nil {
		return err
	}
	return m.withDB(ctx, *dsn, func(db *sqlstore.DB) error {
		r, err := db.Check(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "%d households, %d residents\n", r.Households, r.Persons)
		for _, p := range r.Problems {
			fmt.Fprintln(m.Stdout, "problem:", p)
		}
		if len(r.Problems) > 0 {
			return fmt.Errorf("%d problems found", len(r.Problems))
		}
		fmt.Fprintln(m.Stdout, "ok")
		return nil
	})
}
