package healthcell

import "context"

// ImportedResident is one checked row of a resident import, ready to store:
// the person (normalised, validated, with its village code) and the
// household it belongs to, named by its 户编号 within the village.
type ImportedResident struct {
	Row       int // the file's row, for messages
	Person    Person
	Household string // 户编号
	Group     string // 村民小组
	// Existing is the id of the resident with this ID number, updated
	// instead of created (an import with --update); 0 for a new resident.
	Existing int64
	// Claim is set when only residents the importer may not see hold the
	// ID number: the new resident is stored with it as a claim, settled by
	// the county office in reconciliation (DiffIDClaim), and the importer
	// is told nothing a free number would not tell.
	Claim bool
}

// ResidentLookup is what a resident import needs to know of the database,
// read inside the import's transaction.
type ResidentLookup interface {
	// Villages returns the villages the caller may import into.
	Villages() []Division
	// PersonID returns the id of the resident with a normalised ID number,
	// in any scope, and whether there is one; the id is negative for a
	// resident outside the caller's scope, who may not be updated.
	PersonID(idNumber string) (int64, bool)
}

// ResidentFeed checks a resident file and calls emit for every valid row;
// an error from emit must stop it, and any error it returns rolls back
// everything emitted.
type ResidentFeed func(known ResidentLookup, emit func(*ImportedResident) error) error

// ImportCounts is what a resident import stored.
type ImportCounts struct {
	Persons    int `json:"persons"`    // residents created
	Updated    int `json:"updated"`    // residents updated (--update)
	Households int `json:"households"` // households created
}

// ResidentImportService stores a resident import in one transaction.
type ResidentImportService interface {
	// ImportResidents runs feed inside one transaction and stores every
	// resident it emits, with their households, and one audit entry; with
	// dryRun it rolls back instead. It returns what was (or would be)
	// stored, and the error of feed or of storing, after which nothing is
	// stored.
	ImportResidents(ctx context.Context, dryRun bool, feed ResidentFeed) (ImportCounts, error)
}
