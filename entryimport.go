package healthcell

import "context"

// EntryRow is one row of a register file, checked for form (dates and ID
// numbers normalised) but not yet against the database: the subject is
// named as people write it — a village by name or code, a resident by ID
// number, a household by its number, a unit by name.
type EntryRow struct {
	Row       int               // the row as Excel shows it (header = 1)
	Village   string            // a village's 12-digit code or its name within the caller's scope
	IDNumber  string            // person registers: the resident's ID number
	Name      string            // person registers: the name the file gives (a mismatch is a warning)
	Household string            // household registers: the household's number (户编号) in the village
	Unit      string            // registers with units: the unit's name, optional
	Fields    map[string]string // the register's fields, as text
}

// Column keys of an entry row's subject, used as FieldError.Field in import
// errors (the register's own fields use their codes).
const (
	EntryColVillage   = "village"
	EntryColIDNumber  = "id_number"
	EntryColName      = "name"
	EntryColHousehold = "household"
	EntryColUnit      = "unit"
)

// EntryImportService stores a register file all or nothing.
type EntryImportService interface {
	// ImportEntries checks every row against the database inside one
	// transaction and, when none has an error, stores them all (with one
	// audit entry). It returns how many were (or with dryRun would be)
	// stored, the warnings, and EINVALID listing every row's errors (with
	// Row and Field set) when any row is wrong; then nothing is stored.
	ImportEntries(ctx context.Context, register string, rows []EntryRow, dryRun bool) (int, []FieldError, error)
}
