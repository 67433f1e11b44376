package web

import (
	"net/http"
	"strconv"

	"github.com/healthcell/healthcell"
)

// dashView is the indicator dashboard of a division (its own values and,
// above village level, its children's) or of a unit.
type dashView struct {
	Page
	Div       *healthcell.DivisionView
	Unit      *healthcell.Unit
	Period    string
	ChildName string // "city", "county", "township" or "village"; "" for a village or unit
	// Ranking ranks the children by the indicators they meet, for the
	// dashboards above the county (a city ranks its counties).
	Ranking []rankRow
	Cards   []dashCard
	// Theme is the theme shown ("" for the index of all themes); Themes
	// are the dashboard's themes with their cards (dashboard_themes.go).
	Theme  string
	Themes []dashTheme
	// DrillInd makes the drill-down links of the cards open the same
	// indicator's page of the child division, not the child's dashboard.
	DrillInd  bool
	Units     []*healthcell.Unit
	Registers []dashRegister
	// The newest campaign with a plan the user reads, and its progress.
	PlanCampaign *healthcell.Campaign
	PlanProgress *healthcell.PlanProgress
}

// dashCard is one indicator: the division's own value and its children's.
type dashCard struct {
	Ind  *healthcell.Indicator
	Own  healthcell.IndicatorValue
	Rows []healthcell.IndicatorValue
	Bars []dashBar
}

type dashBar struct {
	Code  string   `json:"code"`
	Name  string   `json:"name"`
	Value *float64 `json:"value"`
	Met   *bool    `json:"met"`
}

type dashRegister struct {
	Code, Name string
}

// Name returns the indicator's name in the page's language.
func (v dashView) Name(ind *healthcell.Indicator) string {
	if v.Lang == "en" && ind.En != "" {
		return ind.En
	}
	return ind.Zh
}

// dashboardPage shows every indicator against its target for a division
// and the divisions one level below it (county → townships → villages), or
// for a village its units and registers, or for a unit its own values. The
// indicators are grouped by theme; the index (no theme parameter) shows
// their values, a theme's page (theme=) adds a chart and a table of the
// children for each of its indicators. The caller's scope decides where it
// starts; outside it, or an unknown theme, is 404.
func (s *Server) dashboardPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := healthcell.ActorFrom(ctx)
	qv := r.URL.Query()
	v := dashView{Page: s.newPage(r, "indicator.dash.title"), Period: qv.Get("period"), Theme: qv.Get("theme")}
	if v.Period == "" {
		v.Period = s.thisYear()
	}
	q := healthcell.IndicatorQuery{Division: qv.Get("division"), Period: v.Period}
	if u := qv.Get("unit"); u != "" {
		id, err := strconv.ParseInt(u, 10, 64)
		if err != nil {
			return healthcell.Errorf(healthcell.ENOTFOUND, "error.not_found")
		}
		q.Unit = id
	}
	inds, err := s.svc.Indicators.Indicators(ctx)
	if err != nil {
		return err
	}
	if q.Unit != 0 {
		vals, err := s.svc.Indicators.IndicatorValues(ctx, q)
		if err != nil {
			return err
		}
		for _, ind := range inds {
			if x := vals[ind.Code]; len(x) == 1 {
				if v.Unit == nil {
					units, err := s.svc.Units.FindUnits(ctx, x[0].Division)
					if err != nil {
						return err
					}
					for _, u := range units {
						if u.ID == q.Unit {
							v.Unit = u
						}
					}
				}
				v.Cards = append(v.Cards, dashCard{Ind: ind, Own: x[0]})
			}
		}
		if v.Unit == nil {
			return healthcell.Errorf(healthcell.ENOTFOUND, "error.not_found")
		}
		if v.Div, err = s.svc.Divisions.FindDivision(ctx, v.Unit.Division); err != nil {
			return err
		}
		v.Title = v.Unit.Name
		if err := s.themeDashboard(&v); err != nil {
			return err
		}
		return s.render(w, r, http.StatusOK, "dashboard", v)
	}
	if q.Division == "" {
		q.Division = a.Scope
	}
	if v.Div, err = s.svc.Divisions.FindDivision(ctx, q.Division); err != nil {
		return err
	}
	v.Title = v.Div.Name + " · " + v.T("indicator.dash.title")
	v.ChildName = childLevelName(v.Div.Level)
	q.Division, q.Level, q.WithTotal = v.Div.Code, v.ChildName, v.ChildName != ""
	vals, err := s.svc.Indicators.IndicatorValues(ctx, q)
	if err != nil {
		return err
	}
	for _, ind := range inds {
		x := vals[ind.Code]
		if len(x) == 0 {
			continue
		}
		c := dashCard{Ind: ind, Own: x[0], Rows: x[1:]}
		if v.ChildName == "" {
			c.Rows = nil
		}
		for _, row := range c.Rows {
			c.Bars = append(c.Bars, dashBar{Code: row.Division, Name: row.Name, Value: row.Value, Met: row.Met})
		}
		v.Cards = append(v.Cards, c)
	}
	if err := s.themeDashboard(&v); err != nil {
		return err
	}
	if v.Div.Level < healthcell.LevelCounty && v.Theme == "" {
		v.Ranking = rankChildren(v.Cards)
	}
	if v.Div.Level < healthcell.LevelVillage {
		if v.PlanCampaign, v.PlanProgress, err = s.currentPlan(r); err != nil {
			return err
		}
	}
	if v.Div.Level == healthcell.LevelVillage {
		if v.Units, err = s.svc.Units.FindUnits(ctx, v.Div.Code); err != nil {
			return err
		}
		for _, d := range s.cfg.Definitions.Registers.All() {
			v.Registers = append(v.Registers, dashRegister{Code: d.Code, Name: d.Name(v.Lang)})
		}
	}
	return s.render(w, r, http.StatusOK, "dashboard", v)
}

// themeDashboard groups the view's cards by theme; ENOTFOUND when the
// theme asked for has no indicators here.
func (s *Server) themeDashboard(v *dashView) error {
	themes := s.cfg.Definitions.Themes
	v.Themes = groupThemes(themes, v.Cards, v.Lang, v.T("indicator.theme.other"))
	if v.Theme != "" {
		if !v.hasTheme(v.Theme) {
			return healthcell.Errorf(healthcell.ENOTFOUND, "error.not_found")
		}
		for _, th := range v.Themes {
			if th.Code == v.Theme {
				v.Title = th.Name + " · " + v.Title
			}
		}
	}
	return nil
}

// fnum formats a number for tables: whole numbers without decimals,
// others with up to two.
func fnum(x *float64) string {
	if x == nil {
		return "–"
	}
	if *x == float64(int64(*x)) {
		return strconv.FormatInt(int64(*x), 10)
	}
	return strconv.FormatFloat(*x, 'f', 2, 64)
}
