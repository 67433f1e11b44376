// Package standardfile reads and writes standards: the YAML text format of
// the shipped catalog, and spreadsheets laid out as standards are printed.
package standardfile
