package healthcell

import (
	"context"
	"time"
)

// Entry is one row of a register (台账): a check-up, a contract, an
// insurance year, an expense, an activity… Which register it belongs to and
// what its fields mean are data (catalog/registers); Values holds the
// register's own fields, typed as the register package describes.
type Entry struct {
	ID          int64          `json:"id"`
	Register    string         `json:"register"`
	VillageCode string         `json:"village_code"`
	VillageName string         `json:"village_name,omitempty"`
	PersonID    int64          `json:"person_id,omitempty"`
	PersonName  string         `json:"person_name,omitempty"`
	IDNumber    string         `json:"id_number,omitempty"` // the person's, masked when Masked
	HouseholdID int64          `json:"household_id,omitempty"`
	Household   string         `json:"household,omitempty"` // the household's number (户编号)
	UnitID      int64          `json:"unit_id,omitempty"`
	UnitName    string         `json:"unit_name,omitempty"`
	Values      map[string]any `json:"values"`
	Active      bool           `json:"active"`
	Version     int            `json:"version"`
	CreatedBy   string         `json:"created_by"`
	CreatedAt   time.Time      `json:"created_at"`
	UpdatedAt   time.Time      `json:"updated_at"`
	Masked      bool           `json:"masked,omitempty"`
}

// EntryFilter selects entries of one register.
type EntryFilter struct {
	Register    string // required: the register's code
	Division    string // 2–12 digit code; everything under it (the caller's scope when empty)
	PersonID    int64
	HouseholdID int64
	UnitID      int64
	From, To    string // the period field between these dates (YYYY-MM-DD), inclusive, when set
	Inactive    bool   // include deactivated entries
	Offset      int
	Limit       int
}

// EntryInput is what a form, a file row or an API call gives for an entry:
// the subject and the register's fields as text, parsed by the register's
// definition.
type EntryInput struct {
	Register    string            `json:"-"`
	VillageCode string            `json:"village,omitempty"`   // for village registers
	PersonID    int64             `json:"person,omitempty"`    // for person registers
	HouseholdID int64             `json:"household,omitempty"` // for household registers
	UnitID      int64             `json:"unit,omitempty"`      // optional, registers with units
	Fields      map[string]string `json:"values"`
	Version     int               `json:"version,omitempty"` // on update: the version read
}

// RegisterService keeps the registers inside the caller's scope. Entries of
// registers that hold personal data (health, money) are found only by callers
// who see personal data in the entry's village: for anyone else they do not
// exist (ENOTFOUND), and listing them is EFORBIDDEN.
type RegisterService interface {
	EntryFileService
	EntryImportService
	ActivityFrequencyService
	// FindEntry returns ENOTFOUND when there is none in the caller's scope.
	FindEntry(ctx context.Context, register string, id int64) (*Entry, error)
	// FindEntries returns a page of entries, newest period first, and the total.
	FindEntries(ctx context.Context, f EntryFilter) ([]*Entry, int, error)
	// EachEntry calls fn with every entry f selects, without paging (for
	// exports), and returns fn's first error.
	EachEntry(ctx context.Context, f EntryFilter, fn func(*Entry) error) error
	// CreateEntry stores a new entry; EINVALID lists every bad field, a
	// subject outside the caller's scope is a field error too.
	CreateEntry(ctx context.Context, in EntryInput) (*Entry, error)
	// UpdateEntry changes an entry's fields (not its subject) when in.Version
	// is current; ECONFLICT otherwise.
	UpdateEntry(ctx context.Context, id int64, in EntryInput) (*Entry, error)
	// DeactivateEntry marks an entry as withdrawn (it stays in the history)
	// when version is current; ECONFLICT otherwise.
	DeactivateEntry(ctx context.Context, register string, id int64, version int) error
}

// EntryFile is a file attached to a register entry: an activity's photos or
// sign-in sheet, an inspection's report.
type EntryFile struct {
	ID         int64     `json:"id"`
	Register   string    `json:"register"`
	EntryID    int64     `json:"entry_id"`
	SHA256     string    `json:"sha256"`
	Name       string    `json:"name"`
	MIME       string    `json:"mime"`
	Size       int64     `json:"size"`
	HasThumb   bool      `json:"has_thumb"`
	Division   string    `json:"-"`
	UploadedBy string    `json:"uploaded_by"`
	UploadedAt time.Time `json:"uploaded_at"`
	// TakenOn is the date a JPEG photo says it was taken (EXIF), "" when none.
	TakenOn string `json:"taken_on,omitempty"`
	// Flags of an activity's photo: taken far from the activity's date, or
	// used elsewhere (see EvidenceFlag).
	Flags []EvidenceFlag `json:"flags,omitempty"`
}

// EntryFileService keeps the files of register entries, with the entry's
// scope: a file of an entry the caller may not read does not exist.
type EntryFileService interface {
	// EntryFiles lists an entry's files; ENOTFOUND when the entry is not readable.
	EntryFiles(ctx context.Context, register string, entryID int64) ([]*EntryFile, error)
	// AddEntryFile attaches a photo or PDF (at most MaxEvidenceBytes) to an
	// entry of a register that takes files; EINVALID for a bad file,
	// ENOTFOUND for an entry the caller may not change.
	AddEntryFile(ctx context.Context, register string, entryID int64, name string, data []byte) (*EntryFile, error)
	// EntryFileData returns a file and its bytes (the thumbnail when thumb
	// is set and one exists); ENOTFOUND when its entry is not readable.
	EntryFileData(ctx context.Context, id int64, thumb bool) (*EntryFile, []byte, error)
	// RemoveEntryFile detaches a file; ENOTFOUND when its entry is not the
	// caller's to change.
	RemoveEntryFile(ctx context.Context, id int64) error
}
