package healthcell

import (
	"context"
	"time"
)

// Plan states: a draft is edited by the county office; a published plan is
// what townships and departments read and what progress is measured against.
const (
	PlanDraft     = "draft"
	PlanPublished = "published"
)

// PlanSectionKeys are the rich-text sections of a plan in the order the
// seeds' 工作方案 write them: 指导思想, 工作目标, 组织领导, 实施步骤, 工作职责,
// 保障措施, 工作要求.
var PlanSectionKeys = []string{"guiding", "goals", "leadership", "steps", "duties", "safeguards", "requirements"}

// PlanPhaseKeys are the phases a plan may have: 准备, 部署启动, 推进实施,
// 验收, 深化提升.
var PlanPhaseKeys = []string{"prepare", "launch", "implement", "accept", "deepen"}

// Plan is a campaign's work plan (工作方案): its sections as text and, as
// data the rest of the system runs on, goals, pilots, phases, the leading
// group, tasks, milestones and budget. A campaign has at most one plan.
type Plan struct {
	CampaignID  int64             `json:"campaign_id"`
	Division    string            `json:"division"` // the county, from the campaign
	Year        int               `json:"year"`     // the campaign's year
	Title       string            `json:"title"`
	State       string            `json:"state"`              // draft or published
	Template    string            `json:"template,omitempty"` // the template it was copied from
	Sections    []PlanSection     `json:"sections"`
	Goals       []PlanGoal        `json:"goals"`
	Pilots      []PlanPilot       `json:"pilots"`
	Phases      []PlanPhase       `json:"phases"`
	Members     []PlanMember      `json:"members"`
	Tasks       []PlanTask        `json:"tasks"`
	Milestones  []PlanMilestone   `json:"milestones"`
	Budget      []PlanBudgetLine  `json:"budget"`
	Version     int               `json:"version"`
	UpdatedBy   string            `json:"updated_by,omitempty"`
	UpdatedAt   time.Time         `json:"updated_at"`
	PublishedAt *time.Time        `json:"published_at,omitempty"`
	Spending    []*PlanSpending   `json:"spending,omitempty"` // filled on read
	Reports     []*PlanTaskReport `json:"reports,omitempty"`  // filled on read, newest first
}

// PlanSection is one section of the plan's text, a safe subset of Markdown
// (paragraphs, "- " list lines, **bold**): it is stored as typed, minus
// control characters, and always escaped when shown.
type PlanSection struct {
	Key   string `json:"key"` // one of PlanSectionKeys
	Title string `json:"title"`
	Body  string `json:"body"`
}

// Goal kinds: a number of units, or a percentage of the eligible units.
const (
	GoalCount   = "count"
	GoalPercent = "percent"
)

// PlanGoal is how many units of one kind (a standard, e.g. healthy-village
// for 健康村) are to be named in a year: in one township, or in each
// township when Township is empty.
type PlanGoal struct {
	Standard string  `json:"standard"`           // standard code
	CellType string  `json:"cell_type"`          // its name as shown, 健康村
	Year     int     `json:"year"`               // the year it is due
	Township string  `json:"township,omitempty"` // 12-digit code; "" for every township
	Kind     string  `json:"kind"`               // count or percent
	Value    float64 `json:"value"`              // units, or percent of eligible units
}

// PlanPilot is a village a township tries the campaign in first (试点).
type PlanPilot struct {
	Township string `json:"township"`
	Village  string `json:"village"` // 12-digit code
}

// PlanPhase is one phase (阶段) with its first and last calendar day in
// Asia/Shanghai. The phase marked EndsApplications sets the campaign's
// application deadline to its last day.
type PlanPhase struct {
	Key              string `json:"key"` // one of PlanPhaseKeys
	Name             string `json:"name"`
	Start            string `json:"start"` // YYYY-MM-DD
	End              string `json:"end"`   // YYYY-MM-DD
	EndsApplications bool   `json:"ends_applications,omitempty"`
	Text             string `json:"text,omitempty"`
}

// PlanMember is a member of the leading group (领导小组) or its office
// (办公室). Phone is personal data: masked for anyone but the county office.
type PlanMember struct {
	Body  string `json:"body"`  // group or office
	Role  string `json:"role"`  // 组长, 副组长, 成员, 主任 …
	Name  string `json:"name"`  //
	Post  string `json:"post"`  // 县政府副县长
	Phone string `json:"phone"` // masked on read outside the county office
}

// PlanTask is a task (重点任务) with its lead department (牵头单位) and
// responsible departments (责任单位). Progress is the latest report's.
type PlanTask struct {
	Key          string   `json:"key"` // T1, T2 …: stable within the plan
	Title        string   `json:"title"`
	Text         string   `json:"text,omitempty"`
	Lead         string   `json:"lead"`
	Responsible  []string `json:"responsible"`
	Deadline     string   `json:"deadline"`                // YYYY-MM-DD
	Indicator    string   `json:"indicator,omitempty"`     // an indicator code
	StandardItem string   `json:"standard_item,omitempty"` // standard code/item code
	Progress     int      `json:"progress"`                // percent, from the latest report (filled on read)
	Overdue      bool     `json:"overdue"`                 // filled on read
}

// TownshipsResponsible names the townships as a whole among a task's
// responsible departments (各乡镇人民政府): any township account reports.
const TownshipsResponsible = "各乡镇人民政府"

// PlanMilestone is the share of the year's goals to be named by a day
// (一季度 15 %).
type PlanMilestone struct {
	Date     string  `json:"date"` // YYYY-MM-DD
	Label    string  `json:"label,omitempty"`
	Percent  float64 `json:"percent"`
	Standard string  `json:"standard,omitempty"` // "" for every goal of the year
}

// PlanBudgetLine is money set aside (经费) with where it comes from and,
// optionally, a subsidy per unit and its condition.
type PlanBudgetLine struct {
	Key         string  `json:"key"` // B1 …
	Item        string  `json:"item"`
	Amount      float64 `json:"amount"` // yuan
	Source      string  `json:"source"`
	UnitSubsidy float64 `json:"unit_subsidy,omitempty"` // yuan per named unit
	Condition   string  `json:"condition,omitempty"`    // 验收不合格则扣除
	Spent       float64 `json:"spent"`                  // filled on read
}

// PlanTaskReport is a progress report on a task, filed by a responsible
// department's account.
type PlanTaskReport struct {
	ID         int64       `json:"id"`
	CampaignID int64       `json:"campaign_id"`
	Task       string      `json:"task"`
	Department string      `json:"department"`
	Note       string      `json:"note"`
	Percent    int         `json:"percent"`
	Files      []*Evidence `json:"files,omitempty"`
	CreatedBy  string      `json:"created_by"`
	CreatedAt  time.Time   `json:"created_at"`
}

// PlanSpending is money spent against a budget line.
type PlanSpending struct {
	ID         int64     `json:"id"`
	CampaignID int64     `json:"campaign_id"`
	Line       string    `json:"line"`
	Amount     float64   `json:"amount"`
	SpentOn    string    `json:"spent_on"` // YYYY-MM-DD
	Note       string    `json:"note"`
	CreatedBy  string    `json:"created_by"`
	CreatedAt  time.Time `json:"created_at"`
}

// PlanService keeps campaign plans inside the caller's scope: the county
// office edits; townships, departments and viewers read (phones masked).
type PlanService interface {
	// FindPlan returns a campaign's plan with its reports and spending;
	// ENOTFOUND when the campaign has none or is out of scope. Townships
	// read only their own goals and pilots.
	FindPlan(ctx context.Context, campaignID int64) (*Plan, error)
	// SavePlan stores a plan (creating it, or replacing the one of
	// p.Version) and moves the campaign's deadline to the phase that ends
	// applications; EFORBIDDEN for anyone but the county office, EINVALID
	// with the fields at fault, ECONFLICT for a stale version.
	SavePlan(ctx context.Context, p *Plan) error
	// ApplyPlanTemplate makes the plan a draft copy of a shipped template
	// (catalog/plans), replacing the plan of version (0: none yet).
	ApplyPlanTemplate(ctx context.Context, campaignID int64, code string, version int) (*Plan, error)
	// CopyPlan makes the plan a draft copy of another campaign's (last
	// year's), its dates moved by the difference of the years.
	CopyPlan(ctx context.Context, campaignID, fromCampaignID int64, version int) (*Plan, error)
	// PublishPlan publishes a draft; ECONFLICT when it is not one.
	PublishPlan(ctx context.Context, campaignID int64, version int) (*Plan, error)
	// ReportTask files a progress report on a task; EFORBIDDEN for an
	// account that is not one of its departments.
	ReportTask(ctx context.Context, r *PlanTaskReport) error
	// AddTaskReportFile attaches a photo or PDF to a report of the caller's.
	AddTaskReportFile(ctx context.Context, reportID int64, name string, data []byte) (*Evidence, error)
	// PlanFile returns a report's file (its thumbnail when thumb and there
	// is one); ENOTFOUND when the caller cannot read the plan.
	PlanFile(ctx context.Context, id int64, thumb bool) (*Evidence, []byte, error)
	// RecordSpending records money spent against a budget line.
	RecordSpending(ctx context.Context, s *PlanSpending) error
	// PlanGaps lists what stands between a village (or a township's
	// villages) and naming: failing or unanswered score-sheet items and
	// family applications under way.
	PlanGaps(ctx context.Context, campaignID int64, division string) (*Gaps, error)
	// GapToRectification turns a failing item of an application into an
	// open rectification item (整改) due on deadline.
	GapToRectification(ctx context.Context, appID int64, item, deadline string) (*Rectification, error)
	// FindPlanProgress is FindPlan and PlanProgress on today at once (the
	// plan page), with the campaign.
	FindPlanProgress(ctx context.Context, campaignID int64) (*Campaign, *Plan, *PlanProgress, error)
	// PlanProgress computes progress against the plan on day (YYYY-MM-DD).
	PlanProgress(ctx context.Context, campaignID int64, day string) (*PlanProgress, error)
}
