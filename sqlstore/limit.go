package sqlstore

import "strconv"

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

// literalLimits are the page sizes whose first literalPages pages get
// their LIMIT and OFFSET written into the SQL text (pageClause): the web
// pages' lists (50: households, persons; 20: a village's score sheets).
var literalLimits = map[int]bool{20: true, 50: true}

// literalPages is how many first pages of a literal limit are written as
// numbers; later pages, rarely asked for, take parameters.
const literalPages = 8

// pageClause returns the LIMIT … OFFSET … clause of a page and the query's
// arguments. For the first pages of the usual sizes the numbers are part of
// the SQL text, and args is returned as it is; otherwise they are
// appended to args as parameters (limitClause).
//
// PostgreSQL plans a prepared statement afresh at every execution while a
// plan for the parameter values looks cheaper than the generic plan, and a
// LIMIT or OFFSET parameter makes the generic plan look expensive (it
// assumes a tenth of the rows): the household list was planned at every
// village page (≈ 0.1–0.2 ms of the server's CPU). With the numbers in the
// text the generic plan is chosen after five executions. The set of texts
// stays small (len(literalLimits) × literalPages per query), so the
// statement caches are not flooded.
func pageClause(args []any, limit, offset int) (string, []any) {
	if literalLimits[limit] && offset%limit == 0 && offset < literalPages*limit {
		return " LIMIT " + strconv.Itoa(limit) + " OFFSET " + strconv.Itoa(offset), args
	}
	n := len(args)
	return limitClause("$"+strconv.Itoa(n+1), "$"+strconv.Itoa(n+2)), append(args, limit, offset)
}
