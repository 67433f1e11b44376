package healthcell

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Scoring methods of a standard's items.
const (
	MethodYes    = "yes"    // full marks when the answer is yes
	MethodNo     = "no"     // full marks when the answer is no
	MethodGraded = "graded" // the points of the chosen grade
	MethodEGT    = "egt"    // an indicator value: full at or above the target, proportional below
	MethodELT    = "elt"    // an indicator value: full at or below the target, proportional above
	MethodCount  = "count"  // at least N recorded activities of a kind in the period
	MethodAttach = "attach" // full marks when the required evidence is attached
)

// Methods lists every scoring method.
var Methods = []string{MethodYes, MethodNo, MethodGraded, MethodEGT, MethodELT, MethodCount, MethodAttach}

// Unit kinds a standard applies to.
var UnitKinds = []string{"village", "community", "household", "school", "hospital", "agency", "enterprise", "township"}

// Standard is one version of a creation or evaluation standard (创建标准 /
// 评价标准): sections and items with points and scoring rules, veto and
// bonus items, the pass rule and optional levels. A version never changes
// once stored; loading a changed standard with the same code makes a new one.
type Standard struct {
	ID       int64  `json:"id"`
	Code     string `json:"code"`
	Version  int    `json:"version"`
	Name     string `json:"name"`
	CellType string `json:"cell_type"` // 健康村, 健康社区, 健康家庭, 健康促进学校, …
	UnitKind string `json:"unit_kind"` // one of UnitKinds
	Issuer   string `json:"issuer"`
	// Owner is the division whose 爱卫会 owns the standard (a province,
	// city or county, 12 digits; see standard_owner.go): only that body
	// loads new versions of its code, and the standard applies in that
	// division. "" for a standard stored before owners existed, which
	// applies everywhere.
	Owner       string    `json:"owner,omitempty"`
	Source      string    `json:"source"` // the document it follows
	Notes       string    `json:"notes,omitempty"`
	TotalPoints float64   `json:"total_points"` // declared total of the non-bonus items
	PassScore   float64   `json:"pass_score"`
	VetoMinRate float64   `json:"veto_min_rate,omitempty"` // 0..1; 0: every veto item must be met in full
	ReviewYears int       `json:"review_years,omitempty"`  // a named unit is reviewed every N years
	Regions     []string  `json:"regions,omitempty"`       // e.g. 东 中 西, when targets differ by region
	Levels      []Level   `json:"levels,omitempty"`        // ascending minimum totals
	Items       []Item    `json:"items"`
	CreatedAt   time.Time `json:"created_at"`
	CreatedBy   string    `json:"created_by,omitempty"`
}

// Level is a grade of a passed standard, such as 铜 / 银 / 金, reached at Min points.
type Level struct {
	Name string  `json:"name"`
	Min  float64 `json:"min"`
}

// Item is one scored line of a standard, under a first-level section
// (一级指标) and an optional second-level one (二级指标).
type Item struct {
	Code       string             `json:"code"`
	Section    string             `json:"section"`
	Subsection string             `json:"subsection,omitempty"`
	Text       string             `json:"text"`
	Points     float64            `json:"points"`
	Method     string             `json:"method"`
	Veto       bool               `json:"veto,omitempty"`
	Bonus      bool               `json:"bonus,omitempty"`
	Grades     []Grade            `json:"grades,omitempty"`    // graded
	Indicator  string             `json:"indicator,omitempty"` // egt, elt
	Target     float64            `json:"target,omitempty"`    // egt, elt
	Targets    map[string]float64 `json:"targets,omitempty"`   // egt, elt: per region
	Activity   string             `json:"activity,omitempty"`  // count: the kind of activity
	MinCount   int                `json:"min_count,omitempty"` // count
	Evidence   string             `json:"evidence,omitempty"`  // what proof is expected
	Default    bool               `json:"default,omitempty"`   // a number chosen by us, not from the source document
}

// Grade is one level of a graded item.
type Grade struct {
	Label  string  `json:"label"`
	Points float64 `json:"points"`
}

// TargetFor returns the item's target for region (its own target when the
// item has none for that region).
func (it *Item) TargetFor(region string) float64 {
	if t, ok := it.Targets[region]; ok {
		return t
	}
	return it.Target
}

// ItemMax returns the sum of points of the non-bonus items.
func (s *Standard) ItemMax() float64 {
	var sum float64
	for _, it := range s.Items {
		if !it.Bonus {
			sum += it.Points
		}
	}
	return sum
}

// Item returns the item with code, or nil.
func (s *Standard) Item(code string) *Item {
	for i := range s.Items {
		if s.Items[i].Code == code {
			return &s.Items[i]
		}
	}
	return nil
}

// Sections returns the first-level section names in the order they appear.
func (s *Standard) Sections() []string {
	var out []string
	seen := map[string]bool{}
	for _, it := range s.Items {
		if !seen[it.Section] {
			seen[it.Section] = true
			out = append(out, it.Section)
		}
	}
	return out
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Validate checks a standard; it returns EINVALID listing every problem, each
// with the 1-based item number in Row (0 for the standard's own fields).
func (s *Standard) Validate() error {
	var fe []FieldError
	add := func(row int, field, msg, value string) {
		fe = append(fe, FieldError{Row: row, Field: field, Message: msg, Value: value})
	}
	s.Code = strings.TrimSpace(s.Code)
	if s.Code == "" {
		add(0, "code", "field.required", "")
	} else if len(s.Code) > 60 || strings.ContainsAny(s.Code, " /\\?#%") {
		add(0, "code", "standard.code.invalid", s.Code)
	}
	if s.Owner != "" && !OwnerLevel(CodeLevel(s.Owner)) {
		add(0, "owner", "standard.owner.invalid", s.Owner)
	}
	if strings.TrimSpace(s.Name) == "" {
		add(0, "name", "field.required", "")
	}
	if strings.TrimSpace(s.CellType) == "" {
		add(0, "cell_type", "field.required", "")
	}
	if !containsString(UnitKinds, s.UnitKind) {
		add(0, "unit_kind", "standard.unit_kind.invalid", s.UnitKind)
	}
	if s.PassScore < 0 {
		add(0, "pass_score", "standard.points.negative", fmt.Sprint(s.PassScore))
	}
	if s.VetoMinRate < 0 || s.VetoMinRate > 1 {
		add(0, "veto_min_rate", "standard.veto_rate.invalid", fmt.Sprint(s.VetoMinRate))
	}
	for i := 1; i < len(s.Levels); i++ {
		if s.Levels[i].Min <= s.Levels[i-1].Min {
			add(0, "levels", "standard.levels.order", s.Levels[i].Name)
		}
	}
	if len(s.Items) == 0 {
		add(0, "items", "standard.items.empty", "")
	}
	seen := map[string]int{}
	for i := range s.Items {
		it := &s.Items[i]
		row := i + 1
		if it.Code == "" {
			add(row, "code", "field.required", "")
		} else if prev, dup := seen[it.Code]; dup {
			add(row, "code", "standard.item.duplicate", fmt.Sprintf("%s (%d)", it.Code, prev))
		} else {
			seen[it.Code] = row
		}
		if strings.TrimSpace(it.Section) == "" {
			add(row, "section", "field.required", "")
		}
		if strings.TrimSpace(it.Text) == "" {
			add(row, "text", "field.required", "")
		}
		if it.Points < 0 {
			add(row, "points", "standard.points.negative", fmt.Sprint(it.Points))
		}
		if !containsString(Methods, it.Method) {
			add(row, "method", "standard.method.unknown", it.Method)
			continue
		}
		switch it.Method {
		case MethodGraded:
			if len(it.Grades) == 0 {
				add(row, "grades", "standard.grades.missing", "")
			}
			for _, g := range it.Grades {
				if g.Points < 0 || g.Points > it.Points {
					add(row, "grades", "standard.grades.points", fmt.Sprintf("%s=%v", g.Label, g.Points))
				}
			}
		case MethodEGT, MethodELT:
			if strings.TrimSpace(it.Indicator) == "" {
				add(row, "indicator", "standard.indicator.missing", "")
			}
			if it.Target <= 0 && len(it.Targets) == 0 {
				add(row, "target", "standard.target.missing", "")
			}
			for r := range it.Targets {
				if !containsString(s.Regions, r) {
					add(row, "targets", "standard.region.unknown", r)
				}
			}
		case MethodCount:
			if strings.TrimSpace(it.Activity) == "" {
				add(row, "activity", "standard.activity.missing", "")
			}
			if it.MinCount <= 0 {
				add(row, "min_count", "standard.min_count.missing", "")
			}
		}
	}
	if len(fe) == 0 && s.TotalPoints > 0 && s.ItemMax() != s.TotalPoints {
		add(0, "total_points", "standard.total.mismatch", fmt.Sprintf("%v ≠ %v", s.ItemMax(), s.TotalPoints))
	}
	if len(fe) == 0 && s.PassScore > s.ItemMax() {
		add(0, "pass_score", "standard.pass.too_high", fmt.Sprint(s.PassScore))
	}
	return Invalid(fe)
}

// StandardService stores and reads standards. Reading is open to every
// logged-in user for the standards that apply in its scope (SeesStandard);
// storing to the administrators of a county, city or province office, each
// for the standards its own office owns, and to the system.
type StandardService interface {
	// CreateStandard validates s, checks the indicators and activities it
	// names (CheckCodes against StandardCodes), and stores it as the next
	// version of its code (version 1 for a new code). Loading a standard
	// identical to the latest version stores nothing and returns that
	// version. The new version is owned by the caller's office
	// (Actor.StandardOwner; the system keeps s.Owner). EINVALID for a bad
	// standard or an unknown code (nothing is stored), EFORBIDDEN for the
	// wrong role or a code owned by an office above the caller's
	// (standard.owner.above), ECONFLICT for a code owned by another
	// county or city (standard.code.taken).
	CreateStandard(ctx context.Context, s *Standard) error
	// FindStandard returns one version; version 0 means the latest. ENOTFOUND
	// when there is none, or it does not apply in the caller's scope.
	FindStandard(ctx context.Context, code string, version int) (*Standard, error)
	// FindStandardByID returns a version by id; ENOTFOUND when there is none.
	FindStandardByID(ctx context.Context, id int64) (*Standard, error)
	// FindStandards lists the latest version of every standard that applies
	// in the caller's scope, without items.
	FindStandards(ctx context.Context) ([]*Standard, error)
	// StandardCodes returns the codes a standard may name: the indicators
	// the caller sees and the kinds of the activity register; an error only
	// when they cannot be read.
	StandardCodes(ctx context.Context) (StandardCodes, error)
}
