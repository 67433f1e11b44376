package healthcell

import (
	"context"
	"time"
)

// MaxNamingBatch is the most recommended units one sampling batch holds.
const MaxNamingBatch = 500

// NamingBatch is a sampling batch (抽查) of the office that names a title
// above the county (a city or province 爱卫会): recommended units of one
// cell type from any of its counties, of which a random sample drawn with
// Seed is assessed on the office's own sheet; the batch is decided by the
// sample. States are those of SampleBatch: BatchSampling, BatchPassed,
// BatchFailed.
type NamingBatch struct {
	ID         int64  `json:"id"`
	Office     string `json:"office"`      // 12-digit code of the naming office's division (510800000000)
	OfficeName string `json:"office_name"` // 广元市
	CellType   string `json:"cell_type"`   // 卫生村
	// The size stated when drawing: a share (Percent, rounded up, at least
	// one) or a number of units (Count); the other is 0.
	Percent int    `json:"percent,omitempty"`
	Count   int    `json:"count,omitempty"`
	Seed    int64  `json:"seed"`
	State   string `json:"state"`
	// Comment is the decision's reason, given when a drawn unit failed
	// (it goes with each failed unit back to its county).
	Comment   string               `json:"comment,omitempty"`
	Members   []*NamingBatchMember `json:"members"`
	CreatedBy string               `json:"created_by"`
	CreatedAt time.Time            `json:"created_at"`
	DecidedBy string               `json:"decided_by,omitempty"`
	DecidedAt *time.Time           `json:"decided_at,omitempty"`
	// Redrawn: drawing again from the members with the recorded size and
	// seed gives exactly the recorded sample (set when read one by one).
	Redrawn bool `json:"redrawn"`
}

// Sampled returns the members drawn in the sample.
func (b *NamingBatch) Sampled() []*NamingBatchMember {
	var out []*NamingBatchMember
	for _, m := range b.Members {
		if m.Sampled {
			out = append(out, m)
		}
	}
	return out
}

// Sample outcomes of a drawn member (NamingBatchMember.Assessment).
const (
	SampleUnassessed = ""       // no complete assessment sheet yet
	SamplePassed     = "passed" // its assessment sheet passes, or it was named on it already
	SampleFailed     = "failed" // its complete sheet fails, or it was returned or failed on its own
)

// NamingBatchMember is one recommended unit of a batch.
type NamingBatchMember struct {
	ApplicationID int64  `json:"application_id"`
	UnitName      string `json:"unit_name"`
	Division      string `json:"division"`
	CountyName    string `json:"county_name"`
	Sampled       bool   `json:"sampled"`
	State         string `json:"state"`
	// For a drawn member: its assessment sheet, the outcome (SamplePassed,
	// SampleFailed, or SampleUnassessed) and the score.
	SheetID    int64   `json:"sheet_id,omitempty"`
	Assessment string  `json:"assessment,omitempty"`
	Score      float64 `json:"score,omitempty"`
}

// NamingBatchRequest draws a batch: the recommended applications, and
// either Percent (1–100; 0 with Count 0: the workflow's default) or Count
// (1 to the number of applications). Seed 0 draws a random seed.
type NamingBatchRequest struct {
	Applications []int64 `json:"applications"`
	Percent      int     `json:"percent,omitempty"`
	Count        int     `json:"count,omitempty"`
	Seed         int64   `json:"seed,omitempty"`
}

// NamingCandidates are the recommended units an office may draw from: the
// cell types waiting with how many units each, and the units of one of
// them, each with its county and the open batch holding it (0: none).
type NamingCandidates struct {
	CellTypes []CellTypeCount    `json:"cell_types"`
	CellType  string             `json:"cell_type"`
	Units     []*NamingCandidate `json:"units"`
	Percent   int                `json:"percent"` // the workflow's default share
}

// CellTypeCount is a cell type and how many units of it wait.
type CellTypeCount struct {
	CellType string `json:"cell_type"`
	Units    int    `json:"units"`
}

// NamingCandidate is a recommended unit.
type NamingCandidate struct {
	ApplicationID int64     `json:"application_id"`
	UnitName      string    `json:"unit_name"`
	Division      string    `json:"division"`
	CountyName    string    `json:"county_name"`
	Since         time.Time `json:"since"` // when it last changed: its recommendation
	OpenBatch     int64     `json:"open_batch,omitempty"`
}

// NamingBatchService runs sampling (抽查) by the office that names a title
// above the county. Who draws and decides is the workflow file's sampling
// roles; the office's assessors read batches. A batch or unit outside the
// caller's scope is ENOTFOUND.
type NamingBatchService interface {
	// NamingCandidates lists the recommended units the caller's office
	// names, of cellType (""; the first cell type waiting). EFORBIDDEN for
	// anyone but an office above the county.
	NamingCandidates(ctx context.Context, cellType string) (*NamingCandidates, error)
	// CreateNamingBatch records a batch of recommended units and the sample
	// drawn from them, audited with its seed. EFORBIDDEN for anyone but
	// the sampling roles of an office above the county; EINVALID listing
	// each unit that is not a recommended unit named by the caller's
	// office, is of another cell type or already in an open batch, or for
	// a bad percent or count.
	CreateNamingBatch(ctx context.Context, req NamingBatchRequest) (*NamingBatch, error)
	// FindNamingBatch returns a batch with each member's state and the
	// assessment of the drawn ones; ENOTFOUND outside the scope.
	FindNamingBatch(ctx context.Context, id int64) (*NamingBatch, error)
	// FindNamingBatches lists the batches in the caller's scope, newest
	// first, with their members (no assessments).
	FindNamingBatches(ctx context.Context) ([]*NamingBatch, error)
	// DecideNamingBatch closes a batch by its sample, in one audited
	// transaction (all or nothing). Every drawn unit assessed and passed:
	// the drawn ones are named on their own sheets, the others with the
	// batch. A drawn unit failed: comment is required; each failed drawn
	// unit is returned to its county with it, each passed one named on
	// its own sheet, and the others stay recommended, out of the batch.
	// EINVALID when a drawn unit is not assessed yet (listed) or the
	// comment is missing; ECONFLICT for a batch already decided;
	// EFORBIDDEN for anyone but the sampling roles.
	DecideNamingBatch(ctx context.Context, id int64, comment string) (*NamingBatch, error)
}
