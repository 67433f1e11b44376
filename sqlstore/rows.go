package sqlstore

// queryRows is the result of a multi-row query: *sql.Rows, or the pgx rows
// of the PostgreSQL resident import (pgRows).
type queryRows interface {
	Next() bool
	Err() error
	Close() error
}

// eachRow calls fn for each row of rows, the result of a multi-row query,
// and closes them. It returns the first error of fn, or the driver's error
// that ended the rows early (rows.Err) or closing them, so that a result
// cut short — by a dropped connection, say — is an error and never a short
// list. Every multi-row query in this package reads its rows through it
// (scripts/test runs rowserrcheck on the package).
func eachRow[R queryRows](rows R, fn func(R) error) error {
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return rows.Close()
}
