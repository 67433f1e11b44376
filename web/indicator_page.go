package web

import (
	"net/http"
	"sort"
	"strings"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/indicator"
)

// indView is one indicator's own page for a division: its value, its
// definition, and above village level its chart and table by child
// division, each child a link to the same page one level down.
type indView struct {
	dashView
	Card dashCard
	// ThemeCode and ThemeName are the indicator's theme on the dashboard.
	ThemeCode, ThemeName string
	// Sources are the names of the registers (or residents, households,
	// questionnaire responses) the indicator counts from.
	Sources []string
	// Formula is an expression indicator's formula, other indicators named.
	Formula string
	// MissingLink lists who stands between the division and the target;
	// "" when the indicator has no such list or the user may not read it.
	MissingLink string
}

// indicatorPage shows one indicator for a division and period
// (GET /dashboard/indicators/{code}?division=&period=): its value against
// its target, its definition in words and its sources, and above village
// level the chart and table of the children. An unknown indicator, or a
// division outside the caller's scope, is ENOTFOUND as on the dashboard.
func (s *Server) indicatorPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := healthcell.ActorFrom(ctx)
	qv := r.URL.Query()
	v := indView{dashView: dashView{Page: s.newPage(r, "indicator.dash.title"), Period: qv.Get("period"), DrillInd: true}}
	if v.Period == "" {
		v.Period = s.thisYear()
	}
	code := r.PathValue("code")
	inds, err := s.svc.Indicators.Indicators(ctx)
	if err != nil {
		return err
	}
	var ind *healthcell.Indicator
	for _, x := range inds {
		if x.Code == code {
			ind = x
		}
	}
	if ind == nil {
		return healthcell.Errorf(healthcell.ENOTFOUND, "indicator.unknown")
	}
	division := qv.Get("division")
	if division == "" {
		division = a.Scope
	}
	if v.Div, err = s.svc.Divisions.FindDivision(ctx, division); err != nil {
		return err
	}
	v.ChildName = childLevelName(v.Div.Level)
	q := healthcell.IndicatorQuery{Codes: []string{code}, Division: v.Div.Code, Period: v.Period, Level: v.ChildName, WithTotal: v.ChildName != ""}
	vals, err := s.svc.Indicators.IndicatorValues(ctx, q)
	if err != nil {
		return err
	}
	x := vals[code]
	if len(x) == 0 {
		return healthcell.Errorf(healthcell.ENOTFOUND, "indicator.unknown")
	}
	v.Card = dashCard{Ind: ind, Own: x[0]}
	if v.ChildName != "" {
		v.Card.Rows = x[1:]
		for _, row := range v.Card.Rows {
			v.Card.Bars = append(v.Card.Bars, dashBar{Code: row.Division, Name: row.Name, Value: row.Value, Met: row.Met})
		}
	}
	v.Cards = []dashCard{v.Card}
	v.Title = v.Name(ind) + " · " + v.Div.Name
	themes := s.cfg.Definitions.Themes
	for _, th := range groupThemes(themes, v.Cards, v.Lang, v.T("indicator.theme.other")) {
		v.ThemeCode, v.ThemeName = th.Code, th.Name
	}
	if v.Sources, err = indicatorSources(v.Page, ind); err != nil {
		return err
	}
	if ind.Expr != "" {
		v.Formula = exprInWords(v.dashView, ind.Expr, inds)
	}
	if v.Div.Level == healthcell.LevelVillage && a.CanReadPersons(v.Div.Code) {
		if indicator.Missing(ind, indicator.NewSources(s.cfg.Definitions.Registers)) {
			v.MissingLink = "/indicators/" + code + "/missing?division=" + v.Div.Code + "&period=" + v.Period
		}
	}
	return s.render(w, r, http.StatusOK, "indicator", v)
}

// indicatorSources names the sources of an indicator's numerator and
// denominator in the page's language: a register's name, or residents,
// households or questionnaire responses; an error when the registers
// cannot be read.
func indicatorSources(p Page, ind *healthcell.Indicator) ([]string, error) {
	regs := p.defs.Registers
	var out []string
	seen := map[string]bool{}
	for _, m := range []*healthcell.Measure{ind.Numerator, ind.Denominator} {
		if m == nil || m.From == "" || seen[m.From] {
			continue
		}
		seen[m.From] = true
		name := p.TOr("indicator.source."+m.From, "")
		if name == "" {
			if d := regs.Get(m.From); d != nil {
				name = d.Name(p.Lang)
			}
		}
		if name != "" {
			out = append(out, name)
		}
	}
	return out, nil
}

// exprInWords is an expression indicator's formula with the indicators it
// uses named instead of coded.
func exprInWords(v dashView, expr string, inds []*healthcell.Indicator) string {
	sorted := append([]*healthcell.Indicator(nil), inds...)
	sort.Slice(sorted, func(i, j int) bool { return len(sorted[i].Code) > len(sorted[j].Code) })
	var pairs []string
	for _, ind := range sorted {
		if strings.Contains(expr, ind.Code) {
			pairs = append(pairs, ind.Code, "「"+v.Name(ind)+"」")
		}
	}
	return strings.NewReplacer(pairs...).Replace(expr)
}

// Fmt formats a value as the dashboard's tables do, with "%" for a
// percentage; "–" for none.
func (v indView) Fmt(x *float64, unit string) string {
	if x == nil || unit != healthcell.UnitPercent {
		return fnum(x)
	}
	return fnum(x) + "%"
}

// Dash is the page as a dashboard view, for the card partial.
func (v indView) Dash() dashView { return v.dashView }
