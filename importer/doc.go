// Package importer turns tables read by package tablefile into checked
// records, for every register that county staff import from Excel.
//
// The pipeline is generic: a Table (columns, header synonyms and value
// synonyms, read from a file under catalog/imports/) maps a header row to
// columns; a Source yields the non-blank rows after it as Records; each
// register's own check (residents.go for the residents and households
// register) normalises a Record and reports healthcell.FieldErrors with the
// row as Excel shows it, the column header as the file spells it and the
// value; Issues collects them and writes the error report (.xlsx or .csv
// with 行号, 列, 值, 错误). Storing is all or nothing and belongs to the
// caller's store (sqlstore.ImportResidents), fed one valid row at a time.
package importer
