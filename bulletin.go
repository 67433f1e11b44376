package healthcell

import (
	"context"
	"time"
)

// Bulletin is a progress bulletin (通报) of a campaign as computed when it
// was issued; it is stored whole and never recomputed. A bulletin above the
// county (a city's, ranking its counties; a province's, ranking its
// cities) belongs to no campaign: it covers every campaign of its Year in
// its Division (bulletin_upper.go).
type Bulletin struct {
	ID           int64            `json:"id"`
	CampaignID   int64            `json:"campaign_id"`   // 0 above the county
	CampaignName string           `json:"campaign_name"` // "" above the county
	Division     string           `json:"division"`      // the county, or the city or province
	Year         int              `json:"year,omitempty"`
	Number       int              `json:"number"` // 第 N 期, per campaign (per division and year above the county)
	IssuedOn     string           `json:"issued_on"`
	IssuedBy     string           `json:"issued_by"`
	IssuedAt     time.Time        `json:"issued_at"`
	Scheduled    bool             `json:"scheduled"` // issued by the campaign's schedule rather than on demand
	Rows         []BulletinRow    `json:"rows"`      // townships (counties, cities above the county), ranked
	Total        BulletinRow      `json:"total"`
	Overdue      []*Rectification `json:"overdue"` // overdue rectification items, at most 100
	// PlanBased is set when the targets are the campaign plan's goals
	// (summed over the kinds of unit) rather than the campaign's targets.
	PlanBased    bool           `json:"plan_based,omitempty"`
	OverdueTasks []*PlanTaskDue `json:"overdue_tasks,omitempty"` // the plan's tasks past their deadline
	// Reach is the outreach reach (宣传覆盖) of the campaign's year: the
	// indicators of the catalog's bulletin themes by township; nil in
	// bulletins issued before it existed or without such indicators.
	Reach *BulletinReach `json:"reach,omitempty"`
}

// BulletinReach is a table of indicator values by township, in the
// ranking's order, with the county's total.
type BulletinReach struct {
	Title   string             `json:"title"`  // the theme's name
	Period  string             `json:"period"` // "2026"
	Columns []BulletinColumn   `json:"columns"`
	Rows    []BulletinReachRow `json:"rows"`
	Total   BulletinReachRow   `json:"total"`
}

// BulletinColumn is one indicator of a reach table.
type BulletinColumn struct {
	Code string `json:"code"`
	Name string `json:"name"` // in Chinese, as issued
	Unit string `json:"unit"` // Indicator.Unit
}

// BulletinReachRow is one township's values, by column; nil where the
// indicator has no value (no participant).
type BulletinReachRow struct {
	Township string     `json:"township"`
	Name     string     `json:"name"`
	Values   []*float64 `json:"values"`
}

// BulletinRow is one township's progress in a bulletin: one county's in a
// city's bulletin, one city's in a province's.
type BulletinRow struct {
	Rank         int     `json:"rank"`
	Township     string  `json:"township"` // the row's division: a township, or a county or city above the county
	Name         string  `json:"name"`
	Target       int     `json:"target"`
	Applications int     `json:"applications"` // applications started
	Applied      int     `json:"applied"`      // past self-assessment
	Named        int     `json:"named"`        // named (including those under review)
	Rate         float64 `json:"rate"`         // Named / Target in percent, 0 without a target
	Rectifying   int     `json:"rectifying"`   // applications returned for rectification
	Overdue      int     `json:"overdue"`      // overdue rectification items
	// IndicatorsMet of IndicatorsTargeted: the indicators with a target
	// and a value in the campaign's year that meet it.
	IndicatorsMet      int `json:"indicators_met"`
	IndicatorsTargeted int `json:"indicators_targeted"`
	// Overrides counts the items whose computed value an officer replaced,
	// in the latest frozen sheet of each application.
	Overrides int `json:"overrides"`
}

// BulletinService issues and keeps bulletins.
type BulletinService interface {
	// IssueBulletin computes and stores the next bulletin of a campaign;
	// EFORBIDDEN for anyone but the county office, ENOTFOUND for a
	// campaign out of scope.
	IssueBulletin(ctx context.Context, campaignID int64) (*Bulletin, error)
	// IssueUpperBulletin computes and stores the next bulletin of a city
	// or province (division) for the campaigns of year in it, ranking its
	// counties (a province's: its cities) as a county's bulletin ranks its
	// townships; EFORBIDDEN for anyone but that division's office
	// (Actor.UpperBulletinDivision) and the system, EINVALID
	// (bulletin.year.none) when no campaign of year lies in it.
	IssueUpperBulletin(ctx context.Context, division string, year int) (*Bulletin, error)
	// FindBulletins lists a campaign's bulletins (0: every campaign in
	// scope, and the bulletins above the county of the caller's city or
	// province), newest first, without their rows.
	FindBulletins(ctx context.Context, campaignID int64) ([]*Bulletin, error)
	// FindBulletin returns a stored bulletin narrowed to what the caller
	// may read (overdue items of units in its scope, household heads'
	// names only where it sees personal data); ENOTFOUND out of scope.
	FindBulletin(ctx context.Context, id int64) (*Bulletin, error)
}

// UpperBulletinDivision returns the city or province whose bulletins above
// the county the actor issues: its own, for the administrator of a city or
// province office (the office that owns standards there); "" for anyone
// else, the system included (which names the division itself).
func (a *Actor) UpperBulletinDivision() string {
	if o := a.StandardOwner(); CodeLevel(o) == LevelCity || CodeLevel(o) == LevelProvince {
		return o
	}
	return ""
}
