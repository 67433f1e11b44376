package healthcell

import (
	"context"
	"time"
)

// Inspection is a supervision visit (督查) to a unit: when, by whom, what
// was found, with photos. Each finding is a Rectification the unit answers
// and the inspecting level accepts, tracked like those of a check.
type Inspection struct {
	ID           int64            `json:"id"`
	UnitKind     string           `json:"unit_kind"`
	UnitRef      string           `json:"unit_ref"`
	UnitName     string           `json:"unit_name"`
	Division     string           `json:"division"`
	Department   string           `json:"department,omitempty"`
	StandardCode string           `json:"standard_code,omitempty"` // findings may name its items
	InspectedOn  string           `json:"inspected_on"`            // YYYY-MM-DD
	Inspectors   string           `json:"inspectors"`
	Summary      string           `json:"summary,omitempty"`
	CreatedBy    string           `json:"created_by"`
	CreatedAt    time.Time        `json:"created_at"`
	Findings     []*Rectification `json:"findings"`
	Photos       []*Evidence      `json:"photos"`
}

// InspectionService keeps inspections inside the caller's scope.
type InspectionService interface {
	// CreateInspection records an inspection and turns each finding into a
	// rectification item checked at the inspector's level, in one audited
	// transaction. EFORBIDDEN for roles that do not inspect (village, unit,
	// viewer, evaluator), EINVALID for bad fields or a unit out of scope.
	CreateInspection(ctx context.Context, in *Inspection, findings []RectificationInput) error
	// AddInspectionPhoto attaches a photo or PDF to an inspection.
	AddInspectionPhoto(ctx context.Context, id int64, name string, data []byte) (*Evidence, error)
	// FindInspection returns an inspection with its findings and photos.
	FindInspection(ctx context.Context, id int64) (*Inspection, error)
	// FindInspections lists inspections in scope, newest first (at most 200).
	FindInspections(ctx context.Context) ([]*Inspection, error)
}
