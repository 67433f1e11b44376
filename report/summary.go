package report

import (
	"sort"
	"time"

	"github.com/healthcell/healthcell"
)

// SummaryGoal is one goal a summary measures against: how many units of a
// cell type (健康村, 健康家庭 …) a township is to have named. CellType ""
// counts the units of every type together, as a campaign's target per
// township does. Plans with goals per kind of unit give one goal per
// township and cell type.
type SummaryGoal struct {
	Township string // 12-digit code
	CellType string // "" for every type
	Target   int
}

// GoalsFromTargets returns a campaign's targets per township as goals of
// every cell type.
func GoalsFromTargets(c *healthcell.Campaign) []SummaryGoal {
	out := make([]SummaryGoal, 0, len(c.Targets))
	for _, t := range c.Targets {
		out = append(out, SummaryGoal{Township: t.Township, Target: t.Target})
	}
	return out
}

// IndicatorResult is one indicator of the county in the period against its
// target; Value, Target and Met are nil when unknown.
type IndicatorResult struct {
	Name      string
	Unit      string // "%", "ratio" or "count"
	Direction string // "higher" or "lower"
	Value     *float64
	Target    *float64
	Met       *bool
}

// SummaryInput is what a stage or year-end summary is written from.
type SummaryInput struct {
	Progress       *healthcell.CampaignProgress
	Goals          []SummaryGoal
	Indicators     []IndicatorResult
	IndicatorPlace string    // whose indicators: the county's name, or the caller's township
	Date           time.Time // the date of the document
}

// Summary is a summary computed from its input: the townships with their
// goals and results, and the county's total.
type Summary struct {
	In        SummaryInput
	Townships []TownshipSummary
	Total     KindSummary // against the goals: the townships' totals summed
	All       KindSummary // every unit of every type, goal or not
}

// TownshipSummary is one township's goals and results, in total and per
// cell type.
type TownshipSummary struct {
	Code, Name string
	Total      KindSummary
	Kinds      []KindSummary // per cell type with a goal or an application, by name
	Named      []healthcell.NamedInPeriod
}

// KindSummary is a goal against results: units named in the period, named
// by its last day, and not named today. Rate is NamedByEnd / Goal in
// percent to one decimal, 0 without a goal.
type KindSummary struct {
	CellType      string
	Goal          int
	HasGoal       bool
	Applications  int
	NamedInPeriod int
	NamedByEnd    int
	InProgress    int
	Rate          float64
}

func (k *KindSummary) add(c healthcell.ProgressCount) {
	k.Applications += c.Applications
	k.NamedInPeriod += c.NamedInPeriod
	k.NamedByEnd += c.NamedByEnd
	k.InProgress += c.InProgress
}

func (k *KindSummary) rate() {
	k.Rate = 0
	if k.Goal > 0 {
		k.Rate = float64(int(float64(k.NamedByEnd)/float64(k.Goal)*1000+0.5)) / 10
	}
}

// Summarize computes the summary: every township of the county in code
// order, its goal (the sum of its goals) against its units named, and per
// cell type the goals of that type against the units of that type. When all
// of a township's goals name a cell type, its total counts the units of
// those types only (a school named where only villages are asked for does
// not fill the goal); otherwise every unit counts.
func Summarize(in SummaryInput) *Summary {
	s := &Summary{In: in}
	p := in.Progress
	index := map[string]int{}
	for _, t := range p.Townships {
		index[t.Code] = len(s.Townships)
		s.Townships = append(s.Townships, TownshipSummary{Code: t.Code, Name: t.Name})
	}
	kinds := make([]map[string]*KindSummary, len(s.Townships))
	kind := func(i int, cell string) *KindSummary {
		if kinds[i] == nil {
			kinds[i] = map[string]*KindSummary{}
		}
		k := kinds[i][cell]
		if k == nil {
			k = &KindSummary{CellType: cell}
			kinds[i][cell] = k
		}
		return k
	}
	for _, g := range in.Goals {
		i, ok := index[g.Township]
		if !ok {
			continue
		}
		s.Townships[i].Total.Goal += g.Target
		s.Townships[i].Total.HasGoal = true
		if g.CellType != "" {
			k := kind(i, g.CellType)
			k.Goal += g.Target
			k.HasGoal = true
		}
	}
	// A township whose goals all name a cell type is measured on those
	// types only; one with a goal of every type (or none) on all of them.
	allTypes := make([]bool, len(s.Townships))
	for i := range allTypes {
		allTypes[i] = true
	}
	for _, g := range in.Goals {
		if i, ok := index[g.Township]; ok && g.CellType != "" {
			allTypes[i] = false
		}
	}
	for _, g := range in.Goals {
		if i, ok := index[g.Township]; ok && g.CellType == "" {
			allTypes[i] = true
		}
	}
	for _, c := range p.Counts {
		i, ok := index[c.Township]
		if !ok {
			continue
		}
		k := kind(i, c.CellType)
		k.add(c)
		s.All.add(c)
		if allTypes[i] || k.HasGoal {
			s.Townships[i].Total.add(c)
		}
	}
	for _, n := range p.Named {
		if i, ok := index[n.Township]; ok {
			s.Townships[i].Named = append(s.Townships[i].Named, n)
		}
	}
	for i := range s.Townships {
		t := &s.Townships[i]
		for _, k := range kinds[i] {
			k.rate()
			t.Kinds = append(t.Kinds, *k)
		}
		sort.Slice(t.Kinds, func(a, b int) bool { return t.Kinds[a].CellType < t.Kinds[b].CellType })
		t.Total.rate()
		s.Total.Goal += t.Total.Goal
		s.Total.HasGoal = s.Total.HasGoal || t.Total.HasGoal
		s.Total.Applications += t.Total.Applications
		s.Total.NamedInPeriod += t.Total.NamedInPeriod
		s.Total.NamedByEnd += t.Total.NamedByEnd
		s.Total.InProgress += t.Total.InProgress
	}
	s.Total.rate()
	return s
}

// ValueText returns the value in its unit (87.5%, 0.93, 12), — when unknown.
func (r IndicatorResult) ValueText() string { return indicatorValue(r.Value, r.Unit) }

// TargetText returns the target with its direction (≥90.0%), — without one.
func (r IndicatorResult) TargetText() string { return indicatorTarget(r) }

// MetState returns "met", "unmet", or "" without a target or a value.
func (r IndicatorResult) MetState() string {
	switch {
	case r.Met == nil:
		return ""
	case *r.Met:
		return "met"
	}
	return "unmet"
}
