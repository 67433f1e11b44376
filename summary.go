package healthcell

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// SummaryPeriod is the period of a campaign summary: a whole year (年度总结)
// or one quarter of it (阶段总结), in Asia/Shanghai days.
type SummaryPeriod struct {
	Year    int
	Quarter int // 1–4; 0 for the whole year
}

var summaryPeriodRE = regexp.MustCompile(`^(\d{4})(?:Q([1-4]))?$`)

// ParseSummaryPeriod reads "2026" or "2026Q3" (q in either case). It returns
// EINVALID with the field period for anything else or a year outside
// 2000–2100.
func ParseSummaryPeriod(s string) (SummaryPeriod, error) {
	m := summaryPeriodRE.FindStringSubmatch(upperQ(s))
	if m == nil {
		return SummaryPeriod{}, Invalid([]FieldError{{Field: "period", Message: "summary.period.invalid", Value: s}})
	}
	y, _ := strconv.Atoi(m[1])
	q, _ := strconv.Atoi(m[2])
	if y < 2000 || y > 2100 {
		return SummaryPeriod{}, Invalid([]FieldError{{Field: "period", Message: "summary.period.invalid", Value: s}})
	}
	return SummaryPeriod{Year: y, Quarter: q}, nil
}

func upperQ(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c == 'q' {
			b[i] = 'Q'
		}
	}
	return string(b)
}

// String returns the period as ParseSummaryPeriod reads it: 2026, 2026Q3.
func (p SummaryPeriod) String() string {
	if p.Quarter == 0 {
		return strconv.Itoa(p.Year)
	}
	return fmt.Sprintf("%dQ%d", p.Year, p.Quarter)
}

// First returns the first day of the period, YYYY-MM-DD.
func (p SummaryPeriod) First() string {
	m := 1
	if p.Quarter > 0 {
		m = 3*p.Quarter - 2
	}
	return time.Date(p.Year, time.Month(m), 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
}

// Last returns the last day of the period, YYYY-MM-DD.
func (p SummaryPeriod) Last() string {
	if p.Quarter == 0 {
		return fmt.Sprintf("%d-12-31", p.Year)
	}
	return time.Date(p.Year, time.Month(3*p.Quarter+1), 0, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
}

var quarterNames = [5]string{"", "第一季度", "第二季度", "第三季度", "第四季度"}

// Label returns the period in Chinese: 2026年, 2026年第三季度.
func (p SummaryPeriod) Label() string {
	return strconv.Itoa(p.Year) + "年" + quarterNames[p.Quarter]
}

// Kind returns the kind of summary: 年度总结 for a year, 阶段总结 for a quarter.
func (p SummaryPeriod) Kind() string {
	if p.Quarter == 0 {
		return "年度总结"
	}
	return "阶段总结"
}

// CampaignProgress is what a campaign's applications show for a period:
// the counts per township and cell type, and the units (other than
// households) named in the period.
type CampaignProgress struct {
	Campaign  *Campaign
	County    string // the county's name
	Period    SummaryPeriod
	Townships []TownshipName  // every township of the county, in code order
	Counts    []ProgressCount // per township and cell type, in that order
	Named     []NamedInPeriod // named in the period, by township, day and name
}

// TownshipName is a township's code and name.
type TownshipName struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// ProgressCount is one township's applications of one cell type (健康村,
// 健康家庭 …): how many were named within the period, how many by its last
// day, and how many are not named today.
type ProgressCount struct {
	Township      string `json:"township"`
	CellType      string `json:"cell_type"`
	Applications  int    `json:"applications"`
	NamedInPeriod int    `json:"named_in_period"`
	NamedByEnd    int    `json:"named_by_end"`
	InProgress    int    `json:"in_progress"`
}

// NamedInPeriod is a unit named within the period.
type NamedInPeriod struct {
	Township string `json:"township"`
	CellType string `json:"cell_type"`
	UnitName string `json:"unit_name"`
	NamedOn  string `json:"named_on"`
}

// SummaryService counts a campaign's progress for its summaries.
type SummaryService interface {
	// CampaignProgress returns the counts of a campaign for a period;
	// ENOTFOUND for a campaign outside the caller's county.
	CampaignProgress(ctx context.Context, campaignID int64, p SummaryPeriod) (*CampaignProgress, error)
}
