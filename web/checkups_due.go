package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/report"
)

type dueView struct {
	Page
	Div    *healthcell.DivisionView
	Period string
	Rows   []healthcell.DueResident
	More   int
}

// dueLimit bounds the rows shown on the page; the export has them all.
const dueLimit = 500

func (s *Server) dueQuery(r *http.Request) (division, period string) {
	division, period = r.URL.Query().Get("division"), r.URL.Query().Get("period")
	if period == "" {
		period = strconv.Itoa(s.cfg.Now().Year())
	}
	return division, period
}

// checkupsDuePage lists the residents whose check-up is due under a
// division, with links to export the list.
func (s *Server) checkupsDuePage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	division, period := s.dueQuery(r)
	if division == "" {
		division = healthcell.ActorFrom(ctx).Scope
	}
	d, err := s.svc.Divisions.FindDivision(ctx, division)
	if err != nil {
		return err
	}
	rows, err := s.svc.Indicators.CheckupsDue(ctx, d.Code, period)
	if err != nil {
		return err
	}
	v := dueView{Page: s.newPage(r, "indicator.due.title"), Div: d, Period: period, Rows: rows}
	if len(rows) > dueLimit {
		v.Rows, v.More = rows[:dueLimit], len(rows)-dueLimit
	}
	return s.render(w, r, http.StatusOK, "checkups_due", v)
}

// checkupsDueExport sends the due list as .xlsx or .csv.
func (s *Server) checkupsDueExport(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	division, period := s.dueQuery(r)
	format := r.PathValue("format")
	if format != "xlsx" && format != "csv" {
		return healthcell.Errorf(healthcell.ENOTFOUND, "error.not_found")
	}
	rows, err := s.svc.Indicators.CheckupsDue(ctx, division, period)
	if err != nil {
		return err
	}
	p := s.newPage(r, "indicator.due.title")
	var h report.DueHeader
	for i, k := range []string{"village", "name", "sex", "birth_date", "age", "rule", "last_exam", "overdue"} {
		h[i] = p.T("indicator.due." + k)
	}
	yes, no := p.T("indicator.dash.yes"), p.T("indicator.dash.no")
	name := fmt.Sprintf("checkups-due-%s-%s.%s", division, period, format)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	if format == "csv" {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		return report.DueListCSV(w, h, rows, yes, no)
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	return report.DueListXLSX(w, p.Title+" "+period, h, rows, yes, no)
}
