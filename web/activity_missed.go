package web

import (
	"net/http"
	"strconv"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/frequency"
)

// missedRowLimit bounds the units listed per rule on the page; the API
// lists them all.
const missedRowLimit = 200

type missedView struct {
	Page
	Div    *healthcell.DivisionView
	Year   int
	Years  []int
	Groups []missedGroup
}

// missedGroup is one frequency rule and the units that missed a period.
type missedGroup struct {
	Code, Name, Activity, Source string
	Period                       string // the rule's period, as its key (month …)
	Min                          int
	Pending                      bool // no period of the year has ended yet
	Units                        []missedUnit
	More                         int // units not listed
}

// missedUnit is one village or institution and the periods it missed,
// written for people: "4月（0次）".
type missedUnit struct {
	Name, Link string
	Periods    []string
}

// missedQuery reads division (default the user's scope) and year (default
// this year); a year that is not a number is EINVALID.
func (s *Server) missedQuery(r *http.Request) (string, int, error) {
	division := r.URL.Query().Get("division")
	if division == "" {
		division = healthcell.ActorFrom(r.Context()).Scope
	}
	year := healthcell.CampaignYear(s.cfg.Now())
	if y := r.URL.Query().Get("year"); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil {
			return "", 0, healthcell.Invalid([]healthcell.FieldError{{Field: "year", Message: "frequency.year.invalid", Value: y}})
		}
		year = n
	}
	return division, year, nil
}

// activityMissedPage lists, rule by rule, the villages and institutions
// under a division that held fewer activities than the rule asks in some
// period of a year.
func (s *Server) activityMissedPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	division, year, err := s.missedQuery(r)
	if err != nil {
		return err
	}
	d, err := s.svc.Divisions.FindDivision(ctx, division)
	if err != nil {
		return err
	}
	misses, err := s.svc.Registers.MissedActivities(ctx, d.Code, year)
	if err != nil {
		return err
	}
	rules := s.cfg.Definitions.Frequencies
	v := missedView{Page: s.newPage(r, "frequency.title"), Div: d, Year: year}
	last := healthcell.CampaignYear(s.cfg.Now())
	for y := last; y >= last-4; y-- {
		v.Years = append(v.Years, y)
	}
	today := healthcell.CampaignDay(s.cfg.Now())
	kinds := s.cfg.Definitions.Registers.Get("activities").Field("kind")
	byRule := map[string]*missedGroup{}
	for i := range rules {
		ru := &rules[i]
		g := missedGroup{Code: ru.Code, Name: ru.Name(v.Lang), Period: ru.Period, Min: ru.Min, Source: ru.Source, Activity: ru.Activity,
			Pending: frequency.Spans(ru.Period, year)[0].End >= today}
		if o := kinds.Option(ru.Activity); o != nil {
			g.Activity = o.Label(v.Lang)
		}
		v.Groups = append(v.Groups, g)
	}
	for i := range v.Groups {
		byRule[v.Groups[i].Code] = &v.Groups[i]
	}
	listed := map[string]int{} // rule/division/unit → its index in the group's Units, -1 beyond the limit
	for _, m := range misses {
		g := byRule[m.Rule]
		if g == nil {
			continue
		}
		key := m.Rule + "/" + m.Division + "/" + strconv.FormatInt(m.UnitID, 10)
		i, seen := listed[key]
		if !seen {
			i = -1
			if len(g.Units) < missedRowLimit {
				u := missedUnit{Name: m.DivisionName, Link: "/registers/activities?division=" + m.Division}
				if m.UnitID != 0 {
					u.Name = m.UnitName
				}
				g.Units, i = append(g.Units, u), len(g.Units)
			} else {
				g.More++
			}
			listed[key] = i
		}
		if i >= 0 {
			g.Units[i].Periods = append(g.Units[i].Periods, v.T("frequency.missed_period", map[string]any{"P": periodLabel(v.Page, m.PeriodKind, m.N), "N": m.Count}))
		}
	}
	return s.render(w, r, http.StatusOK, "activity_missed", v)
}

// periodLabel names the n-th period of its kind in a year: 4月, 第2季度,
// 春季学期, 全年.
func periodLabel(p Page, kind string, n int) string {
	switch kind {
	case frequency.Semester:
		if n == 1 {
			return p.T("frequency.semester.spring")
		}
		return p.T("frequency.semester.autumn")
	case frequency.Year:
		return p.T("frequency.whole_year")
	}
	return p.T("frequency.period_n."+kind, map[string]any{"N": n})
}

// apiActivityRules lists the frequency rules.
func (s *Server) apiActivityRules(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, map[string]any{"items": s.cfg.Definitions.Frequencies})
	return nil
}

// apiActivityMissed lists the periods the villages and institutions under
// a division missed in a year: {"division", "year", "items", "total"}.
func (s *Server) apiActivityMissed(w http.ResponseWriter, r *http.Request) error {
	division, year, err := s.missedQuery(r)
	if err != nil {
		return err
	}
	misses, err := s.svc.Registers.MissedActivities(r.Context(), division, year)
	if err != nil {
		return err
	}
	if misses == nil {
		misses = []healthcell.ActivityMiss{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"division": healthcell.NormalizeCode(division), "year": year, "items": misses, "total": len(misses)})
	return nil
}
