package healthcell

import (
	"context"
	"time"
)

// Kinds of score sheets, one per step of the creation workflow.
const (
	SheetSelf       = "self"       // 自查: the unit's self-assessment
	SheetCheck      = "check"      // 初验: the township's preliminary check
	SheetEvaluation = "evaluation" // 评估验收: the county's expert evaluation
	// SheetAssessment is 上级考核: the assessment by the city or province of
	// a unit the county recommended for a title named above it.
	SheetAssessment = "assessment"
)

// SheetKinds lists the kinds of score sheets.
var SheetKinds = []string{SheetSelf, SheetCheck, SheetEvaluation, SheetAssessment}

// ScoreSheet is the scoring of one unit against one standard version.
type ScoreSheet struct {
	ID              int64              `json:"id"`
	StandardID      int64              `json:"standard_id"`
	StandardCode    string             `json:"standard_code"`
	StandardVersion int                `json:"standard_version"`
	Kind            string             `json:"kind"`
	UnitKind        string             `json:"unit_kind"`
	UnitRef         string             `json:"unit_ref"` // a division code for villages and communities
	UnitName        string             `json:"unit_name"`
	Division        string             `json:"division"` // where the unit is, for scope
	Year            int                `json:"year"`
	Region          string             `json:"region,omitempty"`    // for standards with regional targets
	Edition         int                `json:"edition"`             // 1, then 2… for each new version of a frozen sheet
	FrozenAt        *time.Time         `json:"frozen_at,omitempty"` // when a step of an application froze it
	Answers         map[string]*Answer `json:"answers"`
	Version         int                `json:"version"`
	CreatedBy       string             `json:"created_by"`
	CreatedAt       time.Time          `json:"created_at"`
	UpdatedAt       time.Time          `json:"updated_at"`
}

// Answer is the score sheet's entry for one item. Which field counts
// depends on the item's method: Yes for yes/no, Grade for graded, Value for
// egt/elt, Count for count; attach items count the evidence.
type Answer struct {
	ItemCode string      `json:"item_code"`
	Yes      *bool       `json:"yes,omitempty"`
	Grade    string      `json:"grade,omitempty"`
	Value    *float64    `json:"value,omitempty"`
	Count    *int        `json:"count,omitempty"`
	Note     string      `json:"note,omitempty"`
	Evidence []*Evidence `json:"evidence,omitempty"`
	ScoredBy string      `json:"scored_by,omitempty"`
	ScoredAt time.Time   `json:"scored_at"`
	// Reason is why an officer's value differs from the computed one
	// (input and storage of an override; read it through Override).
	Reason string `json:"-"`
	// Computed is the value of a data-bound item (one naming an indicator
	// or an activity count) computed from the registers; nil for other items.
	Computed *Computed `json:"computed,omitempty"`
	// Override is the officer's own value of a data-bound item, which the
	// score uses instead of the computed one; nil when the computed value counts.
	Override *Override `json:"override,omitempty"`
}

// Computed is a data-bound item's value computed from the registers for the
// sheet's unit and year. Value is nil when there is none; Missing then says
// why (a message key: the indicator or activity is not defined, the
// denominator is zero, the unit has no such rows).
type Computed struct {
	Source      string    `json:"source"` // "indicator" or "activity"
	Code        string    `json:"code"`   // the indicator code or activity kind
	Value       *float64  `json:"value"`
	Numerator   *float64  `json:"numerator"`
	Denominator *float64  `json:"denominator"`
	AsOf        time.Time `json:"as_of"`
	Period      string    `json:"period"`
	Missing     string    `json:"missing,omitempty"`
	// Lists is "residents" or "households" when the rows the denominator
	// counts and the numerator does not can be listed (IndicatorMissing).
	Lists string `json:"lists,omitempty"`
}

// Override is an officer's value replacing a computed one, with the reason;
// evidence for it is attached to the item.
type Override struct {
	Value  float64 `json:"value"`
	Reason string  `json:"reason"`
}

// Sources of computed values.
const (
	ComputedIndicator = "indicator"
	ComputedActivity  = "activity"
)

// DataBound reports whether an item's value comes from the registers: an
// indicator compared with a target (egt, elt) or a count of activities.
func (it *Item) DataBound() bool {
	switch it.Method {
	case MethodEGT, MethodELT:
		return it.Indicator != ""
	case MethodCount:
		return it.Activity != ""
	}
	return false
}

// Evidence is a file (a photo or a PDF) attached to an item of a score
// sheet, stored once by its content hash.
type Evidence struct {
	ID         int64     `json:"id"`
	SheetID    int64     `json:"sheet_id"`
	ItemCode   string    `json:"item_code"`
	SHA256     string    `json:"sha256"`
	Name       string    `json:"name"`
	MIME       string    `json:"mime"`
	Size       int64     `json:"size"`
	HasThumb   bool      `json:"has_thumb"`
	Division   string    `json:"-"`
	UploadedBy string    `json:"uploaded_by"`
	UploadedAt time.Time `json:"uploaded_at"`
}

// Evidence limits.
const (
	MaxEvidenceBytes = 10 << 20 // 10 MiB
)

// EvidenceTypes are the accepted evidence content types (by sniffing, not by
// what the client claims).
var EvidenceTypes = []string{"image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf"}

// SheetFilter selects score sheets.
type SheetFilter struct {
	Division     string // everything under it; the caller's scope when empty
	StandardCode string
	Kind         string
	Year         int
	Offset       int
	Limit        int
}

// ScoreSheetService keeps score sheets and their evidence inside the
// caller's scope: a sheet outside it is ENOTFOUND.
type ScoreSheetService interface {
	// CreateScoreSheet starts a sheet for a unit against a standard version;
	// EINVALID for an unknown unit or standard, or a standard for another
	// kind of unit; EFORBIDDEN for a role that may not score.
	CreateScoreSheet(ctx context.Context, s *ScoreSheet) error
	// FindScoreSheet returns a sheet with its answers and evidence.
	FindScoreSheet(ctx context.Context, id int64) (*ScoreSheet, error)
	// FindScoreSheets lists sheets without answers, newest first.
	FindScoreSheets(ctx context.Context, f SheetFilter) ([]*ScoreSheet, int, error)
	// SaveAnswer records the answer to one item; EINVALID when it does not
	// fit the item (an unknown grade, a negative count, …).
	SaveAnswer(ctx context.Context, sheetID int64, a *Answer) error
	// AddEvidence stores a file for an item; EINVALID for a file too large or
	// of a type that is neither an image nor a PDF.
	AddEvidence(ctx context.Context, sheetID int64, itemCode, name string, data []byte) (*Evidence, error)
	// EvidenceFile returns the evidence and its bytes (the thumbnail when
	// thumb is set and there is one).
	EvidenceFile(ctx context.Context, id int64, thumb bool) (*Evidence, []byte, error)
	// RemoveEvidence detaches a file from its item.
	RemoveEvidence(ctx context.Context, id int64) error
	// FillScoreSheet saves answers and files of one sheet at once (an
	// override with its photo), all or nothing.
	FillScoreSheet(ctx context.Context, sheetID int64, answers []*Answer, files []SheetFile) error
	// SheetEvidenceFlags lists the flags of a sheet's evidence files.
	SheetEvidenceFlags(ctx context.Context, sheetID int64) ([]EvidenceFlag, error)
	SheetSnapshotService
}

// SheetFile is a file to attach to an item of a score sheet.
type SheetFile struct {
	ItemCode string
	Name     string
	Data     []byte
}

// SheetSnapshot is the exact copy of a score sheet that a step of an
// application relied on (申报, each check): its answers with computed values,
// overrides and evidence list, frozen when the step was taken.
type SheetSnapshot struct {
	ID            int64       `json:"id"`
	SheetID       int64       `json:"sheet_id"`
	ApplicationID int64       `json:"application_id"`
	Action        string      `json:"action"`
	Overrides     int         `json:"overrides"` // data-bound items whose computed value was replaced
	Total         float64     `json:"total"`
	Passed        bool        `json:"passed"`
	Sheet         *ScoreSheet `json:"sheet"`
	CreatedBy     string      `json:"created_by"`
	CreatedAt     time.Time   `json:"created_at"`
}

// EvidenceFlag is a reason for a checker to doubt an evidence file: the
// same bytes (by SHA-256) used for another village, year or activity
// (Reason "evidence.reused", with where in Uses), or a photo taken far from
// the activity's date (Reason "evidence.date_far", with TakenOn).
type EvidenceFlag struct {
	EvidenceID int64         `json:"evidence_id"` // the sheet's evidence (or the entry's file) flagged
	ItemCode   string        `json:"item_code,omitempty"`
	Reason     string        `json:"reason"`
	TakenOn    string        `json:"taken_on,omitempty"`
	Uses       []EvidenceUse `json:"uses,omitempty"`
}

// EvidenceUse is another use of the same file.
type EvidenceUse struct {
	Kind     string `json:"kind"` // "sheet" or "activity"
	ID       int64  `json:"id"`   // the sheet or the activity entry
	Division string `json:"division"`
	Name     string `json:"name"` // the unit or the activity's topic
	Year     int    `json:"year"`
}

// Evidence flag reasons (message keys).
const (
	FlagReused  = "evidence.reused"
	FlagDateFar = "evidence.date_far"
	FlagNoExif  = "evidence.no_date"
)

// SheetSnapshotService reads frozen copies and starts new editions.
type SheetSnapshotService interface {
	// FindSheetSnapshot returns a frozen copy; ENOTFOUND when missing or
	// when the caller may not read its sheet.
	FindSheetSnapshot(ctx context.Context, id int64) (*SheetSnapshot, error)
	// NewSheetEdition copies a frozen sheet's answers and evidence into its
	// next edition, which is the one in use from then on; ECONFLICT
	// "sheet.not_frozen" for a sheet that may still be edited, ECONFLICT
	// "sheet.not_latest" when a newer edition exists.
	NewSheetEdition(ctx context.Context, id int64) (*ScoreSheet, error)
}
