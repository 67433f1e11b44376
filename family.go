package healthcell

import (
	"context"
	"time"
)

// 健康家庭 at scale (issue 12 item 6): a village officer assesses and applies
// for many households at once from the registers, and a township passes
// them in bulk with a random sample checked by hand (抽查).

// MaxFamilyBulk is the most households (or applications) one bulk action takes.
const MaxFamilyBulk = 500

// FamilyItem is one item of the family standard that the registers answer.
type FamilyItem struct {
	Code string `json:"code"`
	Text string `json:"text"`
}

// FamilyHousehold is one household of a village with the family standard's
// items as its registers answer them today, the score they give, and its
// application in the campaign, if any.
type FamilyHousehold struct {
	HouseholdID     int64           `json:"household_id"`
	Number          string          `json:"number"`
	HeadName        string          `json:"head_name"`
	Guide           string          `json:"guide"`    // 家庭健康明白人, from the family register
	Recorded        bool            `json:"recorded"` // the family register has an entry for it
	ResidentMembers int             `json:"resident_members"`
	Uncontracted    int             `json:"uncontracted"` // resident members without a contract in force today
	Items           map[string]bool `json:"items"`        // item code → met by the registers
	Unmet           []string        `json:"unmet"`        // item codes not met, in standard order
	Score           float64         `json:"score"`
	Passed          bool            `json:"passed"` // the self-assessment from the data would pass (veto items included)
	ApplicationID   int64           `json:"application_id,omitempty"`
	State           string          `json:"state,omitempty"`
}

// Eligible reports whether the household can be applied for now from the
// data: contracted, a passing self-assessment, and no application past
// self-assessment.
func (h *FamilyHousehold) Eligible() bool {
	return h.ResidentMembers > 0 && h.Uncontracted == 0 && h.Passed && (h.State == "" || h.State == "self_assessment")
}

// FamilyList is a village's households for the family standard in a campaign.
type FamilyList struct {
	Village    Division           `json:"village"`
	CampaignID int64              `json:"campaign_id"`
	Standard   string             `json:"standard"` // code
	StandardID int64              `json:"standard_id"`
	PassScore  float64            `json:"pass_score"`
	Items      []FamilyItem       `json:"items"`
	Households []*FamilyHousehold `json:"households"`
}

// FamilyApplyResult is what happened to one household of a bulk
// application: applied (OK), or the reason (a message key) and a detail.
type FamilyApplyResult struct {
	HouseholdID   int64  `json:"household_id"`
	Number        string `json:"number"`
	HeadName      string `json:"head_name"`
	ApplicationID int64  `json:"application_id,omitempty"`
	OK            bool   `json:"ok"`
	Reason        string `json:"reason,omitempty"` // message key
	Detail        string `json:"detail,omitempty"` // the items not met, the members not contracted
}

// Sampling batch states.
const (
	BatchSampling = "sampling" // drawn; the sample is being checked by hand
	BatchPassed   = "passed"   // every sampled household passed: all passed the check
	BatchFailed   = "failed"   // a sampled household failed: the batch did not pass
)

// SampleBatch is a township's bulk check of applied households: a random
// sample of Percent % (at least one) drawn with Seed, each checked by hand
// on a township check sheet; the rest follow the sample's result.
type SampleBatch struct {
	ID         int64          `json:"id"`
	CampaignID int64          `json:"campaign_id"`
	Township   string         `json:"township"`
	Percent    int            `json:"percent"`
	Seed       int64          `json:"seed"`
	State      string         `json:"state"`
	Members    []*BatchMember `json:"members"`
	CreatedBy  string         `json:"created_by"`
	CreatedAt  time.Time      `json:"created_at"`
	DecidedBy  string         `json:"decided_by,omitempty"`
	DecidedAt  *time.Time     `json:"decided_at,omitempty"`
	// Redrawn: drawing again from the members with the recorded percent and
	// seed gives exactly the recorded sample (set when read one by one).
	Redrawn bool `json:"redrawn"`
}

// Sampled returns the members drawn in the sample.
func (b *SampleBatch) Sampled() []*BatchMember {
	var out []*BatchMember
	for _, m := range b.Members {
		if m.Sampled {
			out = append(out, m)
		}
	}
	return out
}

// BatchMember is one application of a batch. Check is the township check
// sheet's result for a sampled household: "" none or incomplete, "passed",
// "failed".
type BatchMember struct {
	ApplicationID int64   `json:"application_id"`
	UnitName      string  `json:"unit_name"`
	Division      string  `json:"division"`
	VillageName   string  `json:"village_name"`
	Sampled       bool    `json:"sampled"`
	State         string  `json:"state"`
	CheckSheetID  int64   `json:"check_sheet_id,omitempty"`
	Check         string  `json:"check,omitempty"`
	Score         float64 `json:"score,omitempty"`
}

// FamilyService runs the bulk family workflow inside the caller's scope: a
// village or application outside it is ENOTFOUND.
type FamilyService interface {
	// FamilyHouseholds lists a village's households with the family
	// standard's items answered from the registers, for a campaign (0: the
	// newest). ENOTFOUND for a village outside the caller's scope.
	FamilyHouseholds(ctx context.Context, village string, campaignID int64) (*FamilyList, error)
	// ApplyFamilies creates, for each household, its application and
	// self-assessment filled from the registers and applies; households are
	// independent. It returns one result per household in the order given;
	// EFORBIDDEN for anyone but the village officer, EINVALID for no
	// households or more than 500.
	ApplyFamilies(ctx context.Context, village string, campaignID int64, households []int64) ([]*FamilyApplyResult, error)
	// CreateSampleBatch draws a sample of percent % (at least one) of the
	// applied household applications given, with seed (0: a random seed),
	// and records it. EFORBIDDEN for anyone but a township officer;
	// EINVALID listing each application that is not an applied household of
	// the caller's township or is already in an open batch.
	CreateSampleBatch(ctx context.Context, applications []int64, percent int, seed int64) (*SampleBatch, error)
	// FindSampleBatch returns a batch with each member's state and the
	// check sheet results of the sample; ENOTFOUND outside the scope.
	FindSampleBatch(ctx context.Context, id int64) (*SampleBatch, error)
	// FindSampleBatches lists the batches in the caller's scope, newest first.
	FindSampleBatches(ctx context.Context) ([]*SampleBatch, error)
	// DecideSampleBatch closes a batch by its sample: when every sampled
	// household's township check sheet passes, every household of the batch
	// passes the check in one transaction (all or nothing); when one fails,
	// the batch is recorded as failed and nobody passes. EINVALID when a
	// sampled household has no complete check sheet yet (listed), ECONFLICT
	// for a batch already decided.
	DecideSampleBatch(ctx context.Context, id int64) (*SampleBatch, error)
}
