package web

import (
	"net/http"
	"strconv"

	"github.com/healthcell/healthcell"
)

// missingView is the list of the residents or households that stand
// between a unit and an indicator's target.
type missingView struct {
	Page
	Ind    *healthcell.Indicator
	Div    *healthcell.DivisionView
	Period string
	Rows   *healthcell.MissingRows
	Pager  pager
}

// IndName is the indicator's name in the page's language.
func (v missingView) IndName() string {
	if v.Lang == "en" && v.Ind.En != "" {
		return v.Ind.En
	}
	return v.Ind.Zh
}

// missingQuery reads the code, division and period of a missing list; the
// period defaults to this year.
func (s *Server) missingQuery(r *http.Request) healthcell.MissingQuery {
	v := r.URL.Query()
	q := healthcell.MissingQuery{Code: r.PathValue("code"), Division: v.Get("division"), Period: v.Get("period")}
	if q.Period == "" {
		q.Period = s.thisYear()
	}
	if q.Division == "" {
		q.Division = healthcell.ActorFrom(r.Context()).Scope
	}
	return q
}

// missingPage lists, a page at a time, the residents or households of a
// division that an indicator's denominator counts and its numerator does
// not (GET /indicators/{code}/missing?division=&period=&p=). Out of scope
// or an unknown indicator is ENOTFOUND.
func (s *Server) missingPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := s.missingQuery(r)
	page, offset := offsetOf(r)
	q.Offset, q.Limit = offset, pageSize
	rows, err := s.svc.Indicators.IndicatorMissing(ctx, q)
	if err != nil {
		return err
	}
	d, err := s.svc.Divisions.FindDivision(ctx, q.Division)
	if err != nil {
		return err
	}
	inds, err := s.svc.Indicators.Indicators(ctx)
	if err != nil {
		return err
	}
	v := missingView{Page: s.newPage(r, "indicator.missing.title"), Div: d, Period: q.Period, Rows: rows, Pager: newPager(r, page, rows.Total)}
	for _, ind := range inds {
		if ind.Code == q.Code {
			v.Ind = ind
		}
	}
	if v.Ind == nil {
		return healthcell.Errorf(healthcell.ENOTFOUND, "indicator.unknown")
	}
	return s.render(w, r, http.StatusOK, "indicator_missing", v)
}

// apiIndicatorMissing is the same list as JSON
// (GET /api/v1/indicators/{code}/missing?division=&period=&offset=&limit=).
func (s *Server) apiIndicatorMissing(w http.ResponseWriter, r *http.Request) error {
	q := s.missingQuery(r)
	for _, f := range []struct {
		name string
		dst  *int
	}{{"offset", &q.Offset}, {"limit", &q.Limit}} {
		if x := r.URL.Query().Get(f.name); x != "" {
			n, err := strconv.Atoi(x)
			if err != nil || n < 0 {
				return healthcell.Invalid([]healthcell.FieldError{{Field: f.name, Message: "field.invalid_number", Value: x}})
			}
			*f.dst = n
		}
	}
	rows, err := s.svc.Indicators.IndicatorMissing(r.Context(), q)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rows)
	return nil
}
