package healthcell

import (
	"context"
	"time"
)

// Kinds of differences that reconciliation finds between the registers and
// the residents.
const (
	DiffUnmatched     = "unmatched"      // an entry's ID number is not an active resident's
	DiffNames         = "names"          // one ID number, different names in different places
	DiffTwoHouseholds = "two_households" // one person (name, sex, birth date) in two active households
	DiffVillage       = "village"        // a resident's entries lie in another village than the resident
	DiffIDClaim       = "id_claim"       // one ID number entered for residents in two places, one of them as a claim
)

// Difference is one thing reconciliation found. Key identifies it across
// runs; Fingerprint summarises the data that make it a difference, so a
// resolution holds only while the data stay as they were when it was made.
type Difference struct {
	Kind        string      `json:"kind"`
	Key         string      `json:"key"`
	Fingerprint string      `json:"fingerprint"`
	Division    string      `json:"division"` // the village it belongs to
	IDNumber    string      `json:"id_number,omitempty"`
	Register    string      `json:"register,omitempty"`
	EntryID     int64       `json:"entry_id,omitempty"`
	PersonID    int64       `json:"person_id,omitempty"`
	Places      []DiffPlace `json:"places"` // where the disagreeing records are
	Resolved    bool        `json:"resolved"`
	Note        string      `json:"note,omitempty"`
	ResolvedBy  string      `json:"resolved_by,omitempty"`
	ResolvedAt  time.Time   `json:"resolved_at,omitempty"`
}

// DiffPlace is one side of a difference: what one register (or the
// residents, Source "residents") holds.
type DiffPlace struct {
	Source      string `json:"source"` // a register code, "residents", or "id_claim" for a resident whose number is a claim
	Village     string `json:"village"`
	VillageName string `json:"village_name"`
	Name        string `json:"name,omitempty"`      // the name recorded there
	IDNumber    string `json:"id_number,omitempty"` // the ID number recorded there
	Household   int64  `json:"household,omitempty"`
	PersonID    int64  `json:"person_id,omitempty"`
	Count       int    `json:"count"` // how many records say so
}

// ReconcileFilter selects differences.
type ReconcileFilter struct {
	Division string // the caller's scope when empty
	Kind     string // every kind when empty
	Resolved bool   // include resolved differences
}

// ReconcileService compares the registers with the residents. It needs the
// right to see personal data in the division (EFORBIDDEN otherwise).
type ReconcileService interface {
	// Reconcile returns the current differences under f.Division.
	Reconcile(ctx context.Context, f ReconcileFilter) ([]*Difference, error)
	// ResolveDifference marks the difference key, as it is now
	// (fingerprint), resolved with a note; it comes back when its data
	// change. ENOTFOUND when there is no such current difference in scope,
	// ECONFLICT when it changed since it was read, EINVALID without a note.
	ResolveDifference(ctx context.Context, key, fingerprint, note string) error
}
