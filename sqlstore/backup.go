package sqlstore

import (
	"context"
	"fmt"
	"os"

	"github.com/healthcell/healthcell"
)

// Backup writes a consistent copy of a SQLite database to path with VACUUM
// INTO, safe while the server runs. It returns EINVALID when path exists
// and for PostgreSQL, whose backups are pg_dump's job.
func (db *DB) Backup(ctx context.Context, path string) error {
	if db.Engine != SQLite {
		return healthcell.Errorf(healthcell.EINVALID, "backup of PostgreSQL: use pg_dump")
	}
	if _, err := os.Stat(path); err == nil {
		return healthcell.Errorf(healthcell.EINVALID, "backup target %s already exists", path)
	}
	if _, err := db.w.ExecContext(ctx, `VACUUM INTO $1`, path); err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	return nil
}
