package healthcell

import "context"

// Indicator is an indicator's definition: either a numerator over a
// denominator (each a Measure over one source), or an expression over other
// indicators. The shipped ones are data in catalog/indicators/*.yaml; a
// county may save its own. Formulas are parsed and checked by the indicator
// package.
type Indicator struct {
	Code        string   `json:"code" yaml:"code"`
	Zh          string   `json:"zh" yaml:"zh"`
	En          string   `json:"en" yaml:"en"`
	Unit        string   `json:"unit" yaml:"unit"`           // "%", "ratio" or "count"
	Direction   string   `json:"direction" yaml:"direction"` // "higher" or "lower" is better
	Target      *float64 `json:"target" yaml:"target"`       // nil: no target
	Group       string   `json:"group,omitempty" yaml:"group"`
	Note        string   `json:"note,omitempty" yaml:"note"`
	Population  string   `json:"population,omitempty" yaml:"population"` // whom it counts, in Chinese (shown on the dashboard)
	Numerator   *Measure `json:"numerator,omitempty" yaml:"numerator"`
	Denominator *Measure `json:"denominator,omitempty" yaml:"denominator"` // nil for a count
	Expr        string   `json:"expr,omitempty" yaml:"expr"`               // over other indicators' codes
	County      string   `json:"county,omitempty" yaml:"-"`                // the county that saved it; "" when shipped
}

// Measure is a count or a sum over one source: a register, or one of the
// pseudo-sources residents, households and responses.
type Measure struct {
	From   string   `json:"from" yaml:"from"`
	Count  string   `json:"count,omitempty" yaml:"count"`   // rows, persons or households
	Sum    string   `json:"sum,omitempty" yaml:"sum"`       // a numeric field
	Where  string   `json:"where,omitempty" yaml:"where"`   // a filter expression
	Period string   `json:"period,omitempty" yaml:"period"` // in, overlap, asof, none or a look-back like 2y
	Const  *float64 `json:"const,omitempty" yaml:"const"`   // a constant instead of a source
}

// Indicator units and directions.
const (
	UnitPercent = "%"
	UnitRatio   = "ratio"
	UnitCount   = "count"
	Higher      = "higher"
	Lower       = "lower"
)

// Levels an indicator is computed for below a division.
const (
	LevelNameCity     = "city"   // the cities of a province
	LevelNameCounty   = "county" // the counties of a city or province
	LevelNameTownship = "township"
	LevelNameVillage  = "village"
)

// IndicatorValue is one indicator's value for one division (or unit).
// Numerator and Denominator are nil for an expression; Value is nil when the
// denominator is zero; Met is nil without a target or a value.
type IndicatorValue struct {
	Indicator   string   `json:"indicator,omitempty"`
	Division    string   `json:"division"`
	Name        string   `json:"name"`
	Numerator   *float64 `json:"numerator"`
	Denominator *float64 `json:"denominator"`
	Value       *float64 `json:"value"`
	Target      *float64 `json:"target"`
	Met         *bool    `json:"met"`
}

// IndicatorQuery asks for values: of Codes (all when empty) for Division, or
// for each division at Level ("city", "county", "township", "village") under it, or for Unit
// (an institution's id; only indicators whose sources have unit rows), in
// Period ("2025", "2025Q2", "2025-05").
type IndicatorQuery struct {
	Codes    []string
	Division string
	Level    string
	Period   string
	Unit     int64
	// WithTotal puts the division's own value first in each list when
	// Level is set (summed from the children where that is exact).
	WithTotal bool
}

// DueResident is a resident whose check-up is due or overdue.
type DueResident struct {
	PersonID    int64  `json:"person_id"`
	Name        string `json:"name"`
	Sex         string `json:"sex"`
	BirthDate   string `json:"birth_date"`
	Age         int    `json:"age"`
	VillageCode string `json:"village_code"`
	HouseholdID int64  `json:"household_id"`
	Rule        string `json:"rule"`      // "yearly" or "biennial"
	LastExam    string `json:"last_exam"` // "" when never checked
	DueSince    string `json:"due_since"` // the date from which a check-up counts
	Overdue     bool   `json:"overdue"`   // no check-up within the due window at all
}

// IndicatorService computes indicators from the registers at request time.
type IndicatorService interface {
	// Indicators returns the definitions the caller sees: the shipped ones
	// and its county's own.
	Indicators(ctx context.Context) ([]*Indicator, error)
	// IndicatorValues computes the values asked for, keyed by indicator
	// code, each list in division order. ENOTFOUND for a division or unit
	// outside the caller's scope or an unknown indicator; EINVALID for a bad
	// period or level.
	IndicatorValues(ctx context.Context, q IndicatorQuery) (map[string][]IndicatorValue, error)
	// SaveIndicator checks a county's own indicator and stores it; EINVALID
	// with the reason for a bad formula, EFORBIDDEN for roles other than
	// the county office.
	SaveIndicator(ctx context.Context, ind *Indicator) error
	// CheckupsDue lists the residents of a village (or every village under
	// a division) whose check-up is due in period and not yet done; personal
	// data only in the caller's scope (ENOTFOUND outside it).
	CheckupsDue(ctx context.Context, division, period string) ([]DueResident, error)
	// IndicatorMissing lists a page of the residents or households of a
	// division that an indicator's denominator counts and its numerator
	// does not (who stands between the unit and the target), masked unless
	// the caller owns them. ENOTFOUND for an unknown indicator or a
	// division outside the caller's scope; EINVALID (field code) for an
	// indicator whose rows are not persons or households, or a bad period.
	IndicatorMissing(ctx context.Context, q MissingQuery) (*MissingRows, error)
}

// MissingQuery asks for the rows of Division an indicator's denominator
// counts and its numerator does not, in Period.
type MissingQuery struct {
	Code     string
	Division string
	Period   string
	Offset   int
	Limit    int
}

// MissingRows is a page of those rows and their total: persons when Source
// is "residents", households when it is "households".
type MissingRows struct {
	Source     string       `json:"source"`
	Persons    []*Person    `json:"persons,omitempty"`
	Households []*Household `json:"households,omitempty"`
	Total      int          `json:"total"`
}
