package sqlstore

import (
	"context"
	"fmt"
)

// A SQLite import in WAL mode writes every page twice: into the WAL during
// the transaction, then into the database file when the WAL is
// checkpointed at the commit; and it finds each page it reads again through
// the WAL's hash index. A million-row import writes ≈ 400 MB that way. With
// a rollback journal, the pages the import adds go straight into the file
// (only the pages that existed before are copied into the journal first),
// which takes a quarter off the CPU and wall time of such an import.
//
// The switch is only possible when no other connection has the file open
// (SQLite then answers SQLITE_BUSY and stays in WAL mode), and while the
// import runs, other connections wait for it, readers included, instead of
// reading the last committed state as WAL lets them. So only a process that
// is the sole user of the file asks for it: the import command sets
// DB.SoleImports; the web server does not.
//
// Atomicity and durability stay those of SQLite's rollback journal:
// a process killed mid-import leaves a hot journal, which the next
// connection to open the file rolls back before anything else (the
// TestKilledImportLeavesNoRows test kills the command in the middle of the
// rows and in the middle of the index rebuild); synchronous is FULL for
// the while, as the SQLite documentation advises for a rollback journal to
// survive a power failure.

// withRollbackJournal runs fn, which must use the writer connection, with
// the database file in rollback-journal mode (journal_mode=DELETE,
// synchronous=FULL) when the switch succeeds at once, and in WAL mode as
// usual when another connection has the file open. WAL mode and the usual
// settings are restored after fn. It returns fn's error, or the error of a
// setting that could not be changed or restored.
func (db *DB) withRollbackJournal(ctx context.Context, fn func() error) error {
	// The process's own idle read connections would keep the file in WAL
	// mode: close them (the pool opens new ones when next needed).
	n := db.r.Stats().MaxOpenConnections
	db.r.SetMaxIdleConns(0)
	db.r.SetMaxIdleConns(n)
	// Every statement here runs on the writer pool's one connection.
	if _, err := db.w.ExecContext(ctx, `PRAGMA busy_timeout = 0`); err != nil {
		return err
	}
	var mode string
	err := db.w.QueryRowContext(ctx, `PRAGMA journal_mode = DELETE`).Scan(&mode)
	if _, rerr := db.w.ExecContext(context.WithoutCancel(ctx), fmt.Sprintf(`PRAGMA busy_timeout = %d`, sqliteBusyTimeout)); rerr != nil {
		return rerr
	}
	if err != nil || mode != "delete" {
		// Someone else has the file open: WAL it is.
		return fn()
	}
	// Restored even when ctx is cancelled (an interrupted import).
	after := context.WithoutCancel(ctx)
	defer func() {
		// An error here is not the import's failure: the next connection
		// to open the file sets WAL mode anyway (sqliteDSN).
		db.w.QueryRowContext(after, `PRAGMA journal_mode = WAL`).Scan(&mode)
	}()
	if _, err := db.w.ExecContext(ctx, `PRAGMA synchronous = FULL`); err != nil {
		return err
	}
	err = fn()
	if _, rerr := db.w.ExecContext(after, `PRAGMA synchronous = NORMAL`); err == nil {
		err = rerr
	}
	return err
}
