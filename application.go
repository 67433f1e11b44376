package healthcell

import (
	"context"
	"time"
)

// CampaignTimeZone is the time zone of every campaign's dates: deadlines,
// review dates and rectification deadlines are calendar days there.
const CampaignTimeZone = "Asia/Shanghai"

// shanghai is Asia/Shanghai; China has kept UTC+8 without daylight saving
// since 1991, so the fixed zone stands in when the system has no zone data.
var shanghai = func() *time.Location {
	if loc, err := time.LoadLocation(CampaignTimeZone); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*3600)
}()

// CampaignLocation returns the time zone of campaign dates (Asia/Shanghai).
func CampaignLocation() *time.Location { return shanghai }

// CampaignDay returns the calendar day of t in the campaign time zone, as YYYY-MM-DD.
func CampaignDay(t time.Time) string { return t.In(shanghai).Format(time.DateOnly) }

// CampaignYear returns the calendar year of t in the campaign time zone: on
// 31 December at 20:00 UTC it is already the next year in the counties.
func CampaignYear(t time.Time) int { return t.In(shanghai).Year() }

// EndOfDay returns the last instant of the calendar day (YYYY-MM-DD) in the
// campaign time zone, and false when day is not a date.
func EndOfDay(day string) (time.Time, bool) {
	d, err := time.ParseInLocation(time.DateOnly, day, shanghai)
	if err != nil {
		return time.Time{}, false
	}
	return d.AddDate(0, 0, 1).Add(-time.Nanosecond), true
}

// AddYears returns the calendar day years after day (YYYY-MM-DD); 29 February
// becomes 1 March in a year without it. It returns "" for a bad day.
func AddYears(day string, years int) string {
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return ""
	}
	return d.AddDate(years, 0, 0).Format(time.DateOnly)
}

// Campaign is a year's creation campaign of a county: the application
// deadline, how often bulletins are issued and each township's target.
type Campaign struct {
	ID           int64            `json:"id"`
	Division     string           `json:"division"` // the county running it
	Year         int              `json:"year"`
	Name         string           `json:"name"`
	Deadline     string           `json:"deadline"`      // YYYY-MM-DD: applications until the end of this day, Asia/Shanghai
	TimeZone     string           `json:"time_zone"`     // always Asia/Shanghai
	BulletinDays int              `json:"bulletin_days"` // a bulletin every N days (0: on demand only)
	Targets      []CampaignTarget `json:"targets"`
	CreatedAt    time.Time        `json:"created_at"`
}

// CampaignTarget is how many units a township is to have named in the campaign.
type CampaignTarget struct {
	Township string `json:"township"` // 12-digit code
	Target   int    `json:"target"`
}

// DeadlineAt returns the last instant applications are accepted, and the
// zero time when the campaign has no deadline.
func (c *Campaign) DeadlineAt() time.Time {
	t, _ := EndOfDay(c.Deadline)
	return t
}

// Validate checks a campaign; it returns EINVALID with the fields at fault.
func (c *Campaign) Validate() error {
	var fe []FieldError
	if CodeLevel(c.Division) != LevelCounty {
		fe = append(fe, FieldError{Field: "division", Message: "division.code.invalid", Value: c.Division})
	}
	if c.Year < 2000 || c.Year > 2100 {
		fe = append(fe, FieldError{Field: "year", Message: "campaign.year.invalid"})
	}
	if n := len([]rune(c.Name)); n == 0 {
		fe = append(fe, FieldError{Field: "name", Message: "field.required"})
	} else if n > 80 {
		fe = append(fe, FieldError{Field: "name", Message: "field.too_long"})
	}
	if _, ok := EndOfDay(c.Deadline); c.Deadline != "" && !ok {
		fe = append(fe, FieldError{Field: "deadline", Message: "campaign.date.invalid", Value: c.Deadline})
	}
	if c.BulletinDays < 0 || c.BulletinDays > 366 {
		fe = append(fe, FieldError{Field: "bulletin_days", Message: "campaign.bulletin_days.invalid"})
	}
	for i, t := range c.Targets {
		if CodeLevel(t.Township) != LevelTownship || !Covers(c.Division, t.Township) {
			fe = append(fe, FieldError{Field: "targets", Row: i + 1, Message: "division.code.invalid", Value: t.Township})
		}
		if t.Target < 0 {
			fe = append(fe, FieldError{Field: "targets", Row: i + 1, Message: "campaign.target.invalid"})
		}
	}
	return Invalid(fe)
}

// Application is one unit — a village or community, a household, or an
// institution — applying against one standard version in a campaign. Its
// State is a state of the creation workflow (catalog/workflows/creation.yaml).
type Application struct {
	ID              int64  `json:"id"`
	CampaignID      int64  `json:"campaign_id"`
	Year            int    `json:"year"`
	StandardID      int64  `json:"standard_id"`
	StandardCode    string `json:"standard_code"`
	StandardVersion int    `json:"standard_version"`
	StandardName    string `json:"standard_name"`
	CellType        string `json:"cell_type"`
	UnitKind        string `json:"unit_kind"`
	UnitRef         string `json:"unit_ref"` // a division code for villages and communities, an id otherwise
	UnitName        string `json:"unit_name"`
	Division        string `json:"division"`             // where the unit is, for scope
	Department      string `json:"department,omitempty"` // the county department responsible for an institution
	State           string `json:"state"`
	CertificateNo   string `json:"certificate_no,omitempty"`
	NamedOn         string `json:"named_on,omitempty"` // YYYY-MM-DD
	// NamedBy is the division whose 爱卫会 named the unit: its county, or
	// the city or province for a title named above the county.
	NamedBy       string    `json:"named_by,omitempty"`
	NamedByName   string    `json:"named_by_name,omitempty"` // that division's name (广元市)
	ReviewDue     string    `json:"review_due,omitempty"`    // YYYY-MM-DD, from the standard's review_years
	FailedReviews int       `json:"failed_reviews"`
	Version       int       `json:"version"`
	CreatedBy     string    `json:"created_by"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`

	// Filled by FindApplication.
	Sheets         map[string]int64 `json:"sheets,omitempty"` // score sheet id by kind, for the year that counts now
	Timeline       []*Transition    `json:"timeline,omitempty"`
	Rectifications []*Rectification `json:"rectifications,omitempty"`
}

// Transition is one recorded step of an application.
type Transition struct {
	ID            int64     `json:"id"`
	ApplicationID int64     `json:"application_id"`
	At            time.Time `json:"at"`
	Username      string    `json:"username"`
	DisplayName   string    `json:"display_name,omitempty"` // the user's display name, for pages
	Role          Role      `json:"role"`
	Action        string    `json:"action"`
	From          string    `json:"from"`
	To            string    `json:"to"`
	Comment       string    `json:"comment,omitempty"`
	SheetID       int64     `json:"sheet_id,omitempty"`    // the score sheet the step relied on
	SnapshotID    int64     `json:"snapshot_id,omitempty"` // the frozen copy of that sheet the step kept
}

// Rectification states.
const (
	RectOpen     = "open"     // waits for the unit's answer
	RectAnswered = "answered" // answered, waits for the checker
	RectAccepted = "accepted" // closed by the checker
)

// Rectification is one item to fix (整改), from a check of an application
// or from an inspection's finding.
type Rectification struct {
	ID            int64       `json:"id"`
	ApplicationID int64       `json:"application_id,omitempty"`
	InspectionID  int64       `json:"inspection_id,omitempty"`
	UnitKind      string      `json:"unit_kind"`
	UnitRef       string      `json:"unit_ref"`
	UnitName      string      `json:"unit_name"`
	Division      string      `json:"division"`
	ItemCode      string      `json:"item_code,omitempty"` // the standard's item it concerns
	Text          string      `json:"text"`
	Owner         string      `json:"owner"`
	Deadline      string      `json:"deadline"`      // YYYY-MM-DD, Asia/Shanghai
	CheckerLevel  string      `json:"checker_level"` // township or county: who accepts the answer
	State         string      `json:"state"`
	AnswerNote    string      `json:"answer_note,omitempty"`
	AnsweredBy    string      `json:"answered_by,omitempty"`
	AnsweredAt    *time.Time  `json:"answered_at,omitempty"`
	CheckedBy     string      `json:"checked_by,omitempty"`
	CheckNote     string      `json:"check_note,omitempty"`
	Overdue       bool        `json:"overdue"`
	Evidence      []*Evidence `json:"evidence,omitempty"`
	CreatedBy     string      `json:"created_by"`
	CreatedAt     time.Time   `json:"created_at"`
	Version       int         `json:"version"`
}

// RectificationInput is an item given with a return for rectification or
// a failed review.
type RectificationInput struct {
	ItemCode string `json:"item_code"`
	Text     string `json:"text"`
	Owner    string `json:"owner"`
	Deadline string `json:"deadline"` // YYYY-MM-DD
}

// OverdueOn reports whether the item is past its deadline on day
// (YYYY-MM-DD, Asia/Shanghai) without an answer.
func (r *Rectification) OverdueOn(day string) bool {
	return r.State == RectOpen && r.Deadline != "" && day > r.Deadline
}

// TransitionRequest is an action on an application.
type TransitionRequest struct {
	Action         string               `json:"action"`
	Comment        string               `json:"comment"`
	Version        int                  `json:"version,omitempty"` // the version acted on; 0 skips the check
	Rectifications []RectificationInput `json:"rectifications,omitempty"`
}

// ApplicationFilter selects applications.
type ApplicationFilter struct {
	Division   string // everything under it; the caller's scope when empty
	CampaignID int64
	State      string
	UnitKind   string
	Offset     int
	Limit      int
}

// Queue is what waits for a user: applications they can act on, items to
// fix, answers to check, and overdue items in their scope.
type Queue struct {
	Actionable []*Application     `json:"actionable"`
	ToFix      []*Rectification   `json:"to_fix"`
	ToCheck    []*Rectification   `json:"to_check"`
	Overdue    []*Rectification   `json:"overdue"`
	Actions    map[int64][]string `json:"actions"` // application id → actions the user may take now
	// PlanTasks are the overdue tasks of published plans that the caller's
	// department (or township, for 各乡镇人民政府) answers for; every
	// overdue task for the county office.
	PlanTasks []*PlanTaskDue `json:"plan_tasks"`
}

// PlanTaskDue is a plan's task named with its campaign.
type PlanTaskDue struct {
	CampaignID   int64  `json:"campaign_id"`
	CampaignName string `json:"campaign_name"`
	PlanTask
}

// ApplicationService runs the creation workflow inside the caller's scope:
// an application outside it is ENOTFOUND.
type ApplicationService interface {
	// CreateCampaign stores a campaign; EINVALID for bad fields, EFORBIDDEN
	// for anyone but the county office.
	CreateCampaign(ctx context.Context, c *Campaign) error
	// FindCampaigns lists the campaigns of the caller's county, newest first.
	FindCampaigns(ctx context.Context) ([]*Campaign, error)
	// FindCampaign returns ENOTFOUND when there is none in the caller's county.
	FindCampaign(ctx context.Context, id int64) (*Campaign, error)
	// CreateApplication starts an application in the workflow's initial
	// state; EINVALID for an unknown unit, standard or campaign, ECONFLICT
	// when the unit already applies against that standard in that campaign.
	CreateApplication(ctx context.Context, a *Application) error
	// FindApplication returns an application with its timeline and
	// rectification items; ENOTFOUND outside the caller's scope.
	FindApplication(ctx context.Context, id int64) (*Application, error)
	// FindApplications lists applications, newest first, and the total.
	FindApplications(ctx context.Context, f ApplicationFilter) ([]*Application, int, error)
	// Transition takes an action on an application in one audited
	// transaction and returns it in its new state. ECONFLICT when the state
	// changed (a stale version, or an action not possible from the state),
	// EFORBIDDEN for a wrong role or level, EINVALID for a missing comment,
	// a failing guard or bad rectification items.
	Transition(ctx context.Context, id int64, req TransitionRequest) (*Application, error)
	// TransitionMany takes one action on several applications in one
	// transaction: all or nothing; the error lists each refusal with the
	// application's position in Row and its id in Value.
	TransitionMany(ctx context.Context, ids []int64, req TransitionRequest) error
	// AvailableActions lists the actions the caller may take now on an application.
	AvailableActions(ctx context.Context, a *Application) []string
	// Queue returns what waits for the caller.
	Queue(ctx context.Context) (*Queue, error)
}

// RectificationService keeps rectification items (整改) inside the
// caller's scope: an item outside it is ENOTFOUND.
type RectificationService interface {
	// AnswerRectification records the unit's answer; EFORBIDDEN for anyone
	// but the unit's own officer, EINVALID without a note, ECONFLICT for an
	// accepted item or a stale version (0 skips the check).
	AnswerRectification(ctx context.Context, id int64, note string, version int) (*Rectification, error)
	// AddRectificationFile attaches a photo or PDF to the answer.
	AddRectificationFile(ctx context.Context, id int64, name string, data []byte) (*Evidence, error)
	// CheckRectification accepts an answered item or reopens it with a
	// reason; EFORBIDDEN for anyone but its checker, ECONFLICT when it is
	// not answered.
	CheckRectification(ctx context.Context, id int64, accept bool, note string, version int) (*Rectification, error)
	// FindRectifications lists items in scope: state "", "overdue", or a state.
	FindRectifications(ctx context.Context, state string) ([]*Rectification, error)
	// WorkflowFile returns a rectification or inspection file and its bytes.
	WorkflowFile(ctx context.Context, id int64, thumb bool) (*Evidence, []byte, error)
}
