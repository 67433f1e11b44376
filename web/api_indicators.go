package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/healthcell/healthcell"
)

// indicatorQuery reads division, level, period (this year when absent) and
// unit from the query string; EINVALID for a unit that is not a number.
func (s *Server) indicatorQuery(r *http.Request) (healthcell.IndicatorQuery, error) {
	v := r.URL.Query()
	q := healthcell.IndicatorQuery{Division: v.Get("division"), Level: v.Get("level"), Period: v.Get("period"), WithTotal: v.Get("total") == "1"}
	if q.Period == "" {
		q.Period = s.thisYear()
	}
	if u := v.Get("unit"); u != "" {
		id, err := strconv.ParseInt(u, 10, 64)
		if err != nil || id <= 0 {
			return q, healthcell.Invalid([]healthcell.FieldError{{Field: "unit", Message: "field.invalid_number", Value: u}})
		}
		q.Unit = id
	}
	if c := v.Get("codes"); c != "" {
		q.Codes = strings.Split(c, ",")
	}
	return q, nil
}

// apiIndicators lists the definitions the caller sees.
func (s *Server) apiIndicators(w http.ResponseWriter, r *http.Request) error {
	inds, err := s.svc.Indicators.Indicators(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": inds})
	return nil
}

// apiIndicatorValues returns one indicator's values for the division, or
// for each division at level under it, or for a unit.
func (s *Server) apiIndicatorValues(w http.ResponseWriter, r *http.Request) error {
	q, err := s.indicatorQuery(r)
	if err != nil {
		return err
	}
	code := r.PathValue("code")
	q.Codes = []string{code}
	vals, err := s.svc.Indicators.IndicatorValues(r.Context(), q)
	if err != nil {
		return err
	}
	out := vals[code]
	for i := range out {
		out[i].Indicator = ""
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// apiAllIndicatorValues returns every indicator's values (or those named by
// codes) in one response, keyed by code.
func (s *Server) apiAllIndicatorValues(w http.ResponseWriter, r *http.Request) error {
	q, err := s.indicatorQuery(r)
	if err != nil {
		return err
	}
	vals, err := s.svc.Indicators.IndicatorValues(r.Context(), q)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"period": q.Period, "values": vals})
	return nil
}

// apiIndicatorCreate saves a county's own indicator: 201, or 422 with the
// reason a formula is refused.
func (s *Server) apiIndicatorCreate(w http.ResponseWriter, r *http.Request) error {
	var ind healthcell.Indicator
	if err := readJSON(r, &ind); err != nil {
		return err
	}
	if err := s.svc.Indicators.SaveIndicator(r.Context(), &ind); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, &ind)
	return nil
}

// apiCheckupsDue lists the residents whose check-up is due under division.
func (s *Server) apiCheckupsDue(w http.ResponseWriter, r *http.Request) error {
	q, err := s.indicatorQuery(r)
	if err != nil {
		return err
	}
	due, err := s.svc.Indicators.CheckupsDue(r.Context(), q.Division, q.Period)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"period": q.Period, "items": due, "total": len(due)})
	return nil
}
