package healthcell

import (
	"math"
	"sort"
	"time"
)

// Forecast states of a goal.
const (
	ForecastReached = "reached" // the target is named already
	ForecastOnPace  = "on_pace" // reached by the end of the goal's year at the pace so far
	ForecastLate    = "late"    // reached, but after the goal's year
	ForecastNever   = "never"   // not at this pace: nothing named yet
)

// Milestone states.
const (
	MilestoneMet     = "met"      // its day has passed with enough named
	MilestoneMissed  = "missed"   // its day has passed short
	MilestoneOnTrack = "on_track" // to come, enough named already
	MilestoneBehind  = "behind"   // to come, not enough named yet
)

// PlanProgress is progress against a plan on one day.
type PlanProgress struct {
	CampaignID int64               `json:"campaign_id"`
	Day        string              `json:"day"` // YYYY-MM-DD, Asia/Shanghai
	Start      string              `json:"start"`
	Rows       []GoalProgress      `json:"rows"`   // each township and kind of unit with a goal this year
	Totals     []GoalProgress      `json:"totals"` // each kind of unit, summed over the townships
	Milestones []MilestoneProgress `json:"milestones"`
	Overdue    []PlanTask          `json:"overdue"` // tasks past their deadline short of 100 %
	Tasks      TaskCounts          `json:"tasks"`
}

// TaskCounts counts a plan's tasks by state.
type TaskCounts struct {
	Done       int `json:"done"`
	InProgress int `json:"in_progress"`
	Overdue    int `json:"overdue"`
	NotStarted int `json:"not_started"`
}

// GoalProgress is one goal's target against the namings.
type GoalProgress struct {
	Standard     string  `json:"standard"`
	CellType     string  `json:"cell_type"`
	Township     string  `json:"township,omitempty"` // "" in the totals
	TownshipName string  `json:"township_name,omitempty"`
	Year         int     `json:"year"`
	Kind         string  `json:"kind"`
	Value        float64 `json:"value"`
	Eligible     int     `json:"eligible"`    // units of the kind there
	Target       int     `json:"target"`      // units to name
	Named        int     `json:"named"`       // named by the day
	InProgress   int     `json:"in_progress"` // applications under way
	Rate         float64 `json:"rate"`        // Named/Target in percent, one decimal
	Forecast     string  `json:"forecast,omitempty"`
	ForecastDay  string  `json:"forecast_day,omitempty"` // when the target is reached at the pace so far
}

// MilestoneProgress is a milestone against the namings by its day.
type MilestoneProgress struct {
	PlanMilestone
	Expected int    `json:"expected"` // units named by the day
	Named    int    `json:"named"`    // named by its day, or by today when it is to come
	State    string `json:"state"`
}

// PlanFacts are the live figures progress is computed from, gathered by
// storage: per standard code and township code, the units of the kind
// (Eligible), the naming days of the campaign's applications (Named) and
// the applications still under way (InProgress).
type PlanFacts struct {
	Townships  map[string]string // code → name, every township of the county
	Eligible   map[string]map[string]int
	Named      map[string]map[string][]string
	InProgress map[string]map[string]int
	Reports    map[string]int // task key → latest percent
}

// Start returns the plan's first day: the earliest phase start, else 1
// January of its year.
func (p *Plan) Start() string {
	start := ""
	for _, ph := range p.Phases {
		if start == "" || ph.Start < start {
			start = ph.Start
		}
	}
	if start == "" {
		start = time.Date(p.Year, 1, 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
	}
	return start
}

// GoalFor returns the goal of standard in township for year: the
// township's own, else the one for every township; nil when none.
func (p *Plan) GoalFor(standard, township string, year int) *PlanGoal {
	var general *PlanGoal
	for i := range p.Goals {
		g := &p.Goals[i]
		if g.Standard != standard || g.Year != year {
			continue
		}
		if g.Township == township {
			return g
		}
		if g.Township == "" {
			general = g
		}
	}
	return general
}

// Units returns how many units a goal asks of eligible ones: the count, or
// the percentage rounded up.
func (g *PlanGoal) Units(eligible int) int {
	if g.Kind == GoalCount {
		return int(g.Value)
	}
	return int(math.Ceil(g.Value*float64(eligible)/100 - 1e-9))
}

// ComputeProgress measures p on day (YYYY-MM-DD) against the facts: for
// every kind of unit with a goal in the plan's year and every township, the
// target, named and under way, the forecast at the pace of namings since
// the plan's start; milestones; and the tasks' states. Pure.
func ComputeProgress(p *Plan, f *PlanFacts, day string) *PlanProgress {
	out := &PlanProgress{CampaignID: p.CampaignID, Day: day, Start: p.Start(),
		Rows: []GoalProgress{}, Totals: []GoalProgress{}, Milestones: []MilestoneProgress{}, Overdue: []PlanTask{}}
	towns := make([]string, 0, len(f.Townships))
	for c := range f.Townships {
		towns = append(towns, c)
	}
	sort.Strings(towns)
	var stds []string
	cell := map[string]string{}
	for _, g := range p.Goals {
		if g.Year != p.Year {
			continue
		}
		if _, ok := cell[g.Standard]; !ok {
			stds = append(stds, g.Standard)
		}
		if cell[g.Standard] == "" {
			cell[g.Standard] = g.CellType
		}
	}
	namedBy := func(std, town, by string) int {
		n := 0
		for _, d := range f.Named[std][town] {
			if d <= by {
				n++
			}
		}
		return n
	}
	for _, std := range stds {
		tot := GoalProgress{Standard: std, CellType: cell[std], Year: p.Year}
		for _, t := range towns {
			g := p.GoalFor(std, t, p.Year)
			if g == nil {
				continue
			}
			r := GoalProgress{Standard: std, CellType: cell[std], Township: t, TownshipName: f.Townships[t], Year: p.Year,
				Kind: g.Kind, Value: g.Value, Eligible: f.Eligible[std][t], InProgress: f.InProgress[std][t]}
			if g.Kind == GoalPercent && r.Eligible == 0 {
				continue // nothing of the kind there (a forest farm has no villages)
			}
			r.Target = g.Units(r.Eligible)
			r.Named = namedBy(std, t, day)
			forecast(&r, out.Start, day)
			out.Rows = append(out.Rows, r)
			tot.Eligible += r.Eligible
			tot.Target += r.Target
			tot.Named += r.Named
			tot.InProgress += r.InProgress
		}
		forecast(&tot, out.Start, day)
		out.Totals = append(out.Totals, tot)
	}
	for _, m := range p.Milestones {
		mp := MilestoneProgress{PlanMilestone: m}
		by := m.Date
		if day < by {
			by = day
		}
		target := 0
		for _, t := range out.Totals {
			if m.Standard == "" || m.Standard == t.Standard {
				target += t.Target
				for _, town := range towns {
					mp.Named += namedBy(t.Standard, town, by)
				}
			}
		}
		mp.Expected = int(math.Ceil(float64(target)*m.Percent/100 - 1e-9))
		switch {
		case day > m.Date && mp.Named >= mp.Expected:
			mp.State = MilestoneMet
		case day > m.Date:
			mp.State = MilestoneMissed
		case mp.Named >= mp.Expected:
			mp.State = MilestoneOnTrack
		default:
			mp.State = MilestoneBehind
		}
		out.Milestones = append(out.Milestones, mp)
	}
	for _, t := range p.Tasks {
		t.Progress = f.Reports[t.Key]
		t.Overdue = t.Progress < 100 && day > t.Deadline
		switch {
		case t.Progress >= 100:
			out.Tasks.Done++
		case t.Overdue:
			out.Tasks.Overdue++
			out.Overdue = append(out.Overdue, t)
		case t.Progress > 0:
			out.Tasks.InProgress++
		default:
			out.Tasks.NotStarted++
		}
	}
	return out
}

// forecast fills r's rate and forecast: linear at the pace of namings from
// start to day (both counted), judged against the end of r's year.
func forecast(r *GoalProgress, start, day string) {
	if r.Target > 0 {
		r.Rate = math.Round(float64(r.Named)/float64(r.Target)*1000) / 10
	}
	if r.Named >= r.Target {
		r.Forecast = ForecastReached
		return
	}
	s, err1 := time.Parse(time.DateOnly, start)
	d, err2 := time.Parse(time.DateOnly, day)
	if err1 != nil || err2 != nil || r.Named == 0 || d.Before(s) {
		r.Forecast = ForecastNever
		return
	}
	elapsed := int(d.Sub(s).Hours()/24) + 1
	perDay := float64(r.Named) / float64(elapsed)
	need := int(math.Ceil(float64(r.Target-r.Named)/perDay - 1e-9))
	when := d.AddDate(0, 0, need)
	r.ForecastDay = when.Format(time.DateOnly)
	if when.Year() > r.Year {
		r.Forecast = ForecastLate
	} else {
		r.Forecast = ForecastOnPace
	}
}
