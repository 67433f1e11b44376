// Package frequency holds the frequency rules of activities as data
// (catalog/frequencies.yaml): 每月一次讲座, 每学期两次, 每月一期宣传栏. A rule
// names a kind of the activity register, a period (month, semester,
// quarter or year), the minimum number of activities in each period and
// the units it applies to (every village, or institutions of one kind).
// The package parses rules, lists the periods of a year and finds the
// periods a unit missed from its monthly counts. It is pure: counting the
// activities is the storage's work.
package frequency

import (
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"

	"gopkg.in/yaml.v3"
)

// Periods a rule counts in.
const (
	Month    = "month"
	Semester = "semester" // spring Mar–Jul, autumn Sep–Jan of the next year
	Quarter  = "quarter"
	Year     = "year"
)

// Village is the Applies value of rules for every village (and community).
const Village = "village"

// UnitKinds are the kinds of institutions a rule may apply to (the
// domain's InstitutionKinds).
var UnitKinds = []string{"school", "hospital", "agency", "enterprise"}

// Rule is one frequency rule.
type Rule struct {
	Code     string `yaml:"code" json:"code"`
	Zh       string `yaml:"zh" json:"zh"`
	En       string `yaml:"en" json:"en"`
	Activity string `yaml:"activity" json:"activity"` // a kind of the activity register
	Period   string `yaml:"period" json:"period"`
	Min      int    `yaml:"min" json:"min"`         // at least this many in every period
	Applies  string `yaml:"applies" json:"applies"` // "village" or a unit kind
	Source   string `yaml:"source" json:"source,omitempty"`
}

// Name returns the rule's name in lang ("en" or Chinese otherwise).
func (r *Rule) Name(lang string) string {
	if lang == "en" && r.En != "" {
		return r.En
	}
	return r.Zh
}

// Span is one period of a year: its code (2025-03, 2025Q2, 2025S1 for the
// spring semester, 2025S2 for the autumn one, 2025), its number within
// the year (month 1–12, quarter 1–4, semester 1–2, 1 for the year) and its
// first and last days as YYYY-MM-DD.
type Span struct {
	Code       string `json:"code"`
	N          int    `json:"n"`
	Start, End string
}

var codeRE = regexp.MustCompile(`^[a-z][a-z0-9_]{1,40}$`)

// Parse reads a list of rules and checks each against the activity kinds
// known. It returns an error naming the first problem and the rule: an
// unknown key, a bad or repeated code, a missing name, an unknown activity,
// period or unit kind, a minimum below 1.
func Parse(r io.Reader, activities map[string]bool) ([]Rule, error) {
	dec := yaml.NewDecoder(r)
	dec.KnownFields(true)
	var rules []Rule
	if err := dec.Decode(&rules); err != nil {
		return nil, fmt.Errorf("frequency rules: %w", err)
	}
	seen := map[string]bool{}
	for i := range rules {
		if err := rules[i].check(activities); err != nil {
			return nil, fmt.Errorf("frequency rule %d (%s): %w", i+1, rules[i].Code, err)
		}
		if seen[rules[i].Code] {
			return nil, fmt.Errorf("frequency rule %d: code %q used twice", i+1, rules[i].Code)
		}
		seen[rules[i].Code] = true
	}
	return rules, nil
}

func (r *Rule) check(activities map[string]bool) error {
	switch {
	case !codeRE.MatchString(r.Code):
		return fmt.Errorf("bad code %q", r.Code)
	case r.Zh == "" || r.En == "":
		return fmt.Errorf("zh and en names are required")
	case !activities[r.Activity]:
		return fmt.Errorf("activity %q is not a kind of the activity register", r.Activity)
	case !slices.Contains([]string{Month, Semester, Quarter, Year}, r.Period):
		return fmt.Errorf("period %q is not month, semester, quarter or year", r.Period)
	case r.Min < 1:
		return fmt.Errorf("min must be at least 1")
	case r.Applies != Village && !slices.Contains(UnitKinds, r.Applies):
		return fmt.Errorf("applies %q is not village or a unit kind", r.Applies)
	}
	return nil
}

// Spans returns the periods of year for period, in order; nil for an
// unknown period. The autumn semester of year ends in January of the next.
func Spans(period string, year int) []Span {
	y := strconv.Itoa(year)
	day := func(yr, m, d int) string { return fmt.Sprintf("%04d-%02d-%02d", yr, m, d) }
	last := func(yr, m int) string { return day(yr, m, daysIn(yr, m)) }
	var out []Span
	switch period {
	case Month:
		for m := 1; m <= 12; m++ {
			out = append(out, Span{Code: fmt.Sprintf("%s-%02d", y, m), N: m, Start: day(year, m, 1), End: last(year, m)})
		}
	case Quarter:
		for q := 1; q <= 4; q++ {
			out = append(out, Span{Code: fmt.Sprintf("%sQ%d", y, q), N: q, Start: day(year, 3*q-2, 1), End: last(year, 3*q)})
		}
	case Semester:
		out = []Span{{Code: y + "S1", N: 1, Start: day(year, 3, 1), End: last(year, 7)},
			{Code: y + "S2", N: 2, Start: day(year, 9, 1), End: last(year+1, 1)}}
	case Year:
		out = []Span{{Code: y, N: 1, Start: day(year, 1, 1), End: day(year, 12, 31)}}
	}
	return out
}

func daysIn(year, month int) int {
	switch month {
	case 4, 6, 9, 11:
		return 30
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	}
	return 31
}

// Window returns the first and last days (YYYY-MM-DD) any period of year
// may cover: 1 January to 31 January of the next year.
func Window(year int) (string, string) {
	return fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-01-31", year+1)
}

// Miss is a period in which a unit recorded fewer activities than its rule
// asks.
type Miss struct {
	Span  Span
	Count int
}

// Missed returns the periods of year, ended before today (YYYY-MM-DD), in
// which monthly (activities counted by month, "YYYY-MM" → count) holds fewer
// than r.Min activities, with how many it holds. Periods still running or
// to come are not judged.
func (r *Rule) Missed(year int, today string, monthly map[string]int) []Miss {
	var out []Miss
	for _, s := range Spans(r.Period, year) {
		if s.End >= today {
			continue
		}
		n := 0
		for m, c := range monthly {
			if m >= s.Start[:7] && m <= s.End[:7] {
				n += c
			}
		}
		if n < r.Min {
			out = append(out, Miss{Span: s, Count: n})
		}
	}
	return out
}
