package sqlstore

// limitClause returns " LIMIT … OFFSET …" for the placeholders limit and
// offset (such as "$3" and "$4").
//
// The limit is wrapped in a CAST because SQLite (3.50 and later, with the
// query planner stability guarantee off, as modernc builds it) treats a
// bare parameter as LIMIT as a planning input: binding any value to it marks
// the prepared statement expired, so every execution of a cached statement
// would parse and plan its SQL again (sqlite3Reprepare; measured at a third
// of the household list's cost). An expression is planned as an unknown
// limit instead. PostgreSQL reads the CAST as the parameter's type.
func limitClause(limit, offset string) string {
	return " LIMIT CAST(" + limit + " AS INTEGER) OFFSET " + offset
}
