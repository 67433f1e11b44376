package web

import (
	"net/http"
	"slices"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/report"
)

// dueQuery is the check-up due list asked for: the area (a division in the
// caller's scope), the period and the filters, read from the query string
// the page and its exports share.
type dueQuery struct {
	Division string // the area whose list it is
	Period   string
	Village  string // one village under Division, or "" for all
	Age      string // "", child (0–6), adult (7–64) or elder (65 and over)
	Overdue  bool   // only those overdue
}

// dueAgeGroups are the age groups of the filter, in the order offered.
var dueAgeGroups = []string{"child", "adult", "elder"}

// inAgeGroup reports whether age falls in group ("" holds every age).
func inAgeGroup(group string, age int) bool {
	switch group {
	case "child":
		return age <= 6
	case "adult":
		return age >= 7 && age <= 64
	case "elder":
		return age >= 65
	}
	return true
}

// readDueQuery reads the list asked for; the area defaults to the caller's
// scope and the period to this year. It returns EINVALID for an unknown age
// group and a village that is not one under the area's code.
func (s *Server) readDueQuery(r *http.Request) (dueQuery, error) {
	v := r.URL.Query()
	q := dueQuery{Division: v.Get("division"), Period: v.Get("period"), Village: v.Get("village"), Age: v.Get("age"), Overdue: v.Get("overdue") == "1"}
	if q.Division == "" {
		q.Division = healthcell.ActorFrom(r.Context()).Scope
	}
	if q.Period == "" {
		q.Period = s.thisYear()
	}
	var fe []healthcell.FieldError
	if q.Age != "" && !slices.Contains(dueAgeGroups, q.Age) {
		fe = append(fe, healthcell.FieldError{Field: "age", Message: "field.invalid", Value: q.Age})
	}
	if q.Village != "" && (len(q.Village) != 12 || !hasCodePrefix(q.Village, q.Division)) {
		fe = append(fe, healthcell.FieldError{Field: "village", Message: "field.invalid", Value: q.Village})
	}
	if fe != nil {
		return q, healthcell.Invalid(fe)
	}
	return q, nil
}

// hasCodePrefix reports whether the division code lies under area: a code
// under a township shares its first 9 digits, under a county its first 6.
func hasCodePrefix(code, area string) bool {
	n := len(area)
	for n > 0 && area[n-1] == '0' {
		n--
	}
	switch {
	case n <= 6:
		n = 6
	case n <= 9:
		n = 9
	default:
		n = 12
	}
	return len(code) >= n && len(area) >= n && code[:n] == area[:n]
}

// dueRows returns the residents of the list asked for, filtered: the store
// lists a village's (or the area's), the age group and overdue filters
// keep theirs. It returns the store's error.
func (s *Server) dueRows(r *http.Request, q dueQuery) ([]healthcell.DueResident, error) {
	where := q.Division
	if q.Village != "" {
		where = q.Village
	}
	rows, err := s.svc.Indicators.CheckupsDue(r.Context(), where, q.Period)
	if err != nil {
		return nil, err
	}
	return filterDue(rows, q), nil
}

// filterDue keeps the rows of q's age group (and, with Overdue, only the
// overdue ones), in their order.
func filterDue(rows []healthcell.DueResident, q dueQuery) []healthcell.DueResident {
	if q.Age == "" && !q.Overdue {
		return rows
	}
	out := rows[:0:0]
	for _, r := range rows {
		if inAgeGroup(q.Age, r.Age) && (!q.Overdue || r.Overdue) {
			out = append(out, r)
		}
	}
	return out
}

type dueView struct {
	Page
	Div      *healthcell.DivisionView
	Q        dueQuery
	Villages []healthcell.Division
	Names    map[string]string // village names by code
	Ages     []string
	Rows     []healthcell.DueResident
	Total    int
	Pager    pager
}

// villageNames lists the villages under code with their short names by
// code; it returns the store's error.
func (s *Server) villageNames(r *http.Request, code string) ([]healthcell.Division, map[string]string, error) {
	vs, err := s.svc.Villages(r.Context(), code)
	if err != nil {
		return nil, nil, err
	}
	names := make(map[string]string, len(vs))
	for i := range vs {
		names[vs[i].Code] = healthcell.ShortVillageName(vs[i].Name)
	}
	return vs, names, nil
}

// checkupsDuePage lists, a page at a time, the residents whose check-up is
// due under a division, filtered by village, age group and overdue, with
// links to export the list as filtered.
func (s *Server) checkupsDuePage(w http.ResponseWriter, r *http.Request) error {
	q, err := s.readDueQuery(r)
	if err != nil {
		return err
	}
	d, err := s.svc.Divisions.FindDivision(r.Context(), q.Division)
	if err != nil {
		return err
	}
	rows, err := s.dueRows(r, q)
	if err != nil {
		return err
	}
	vs, names, err := s.villageNames(r, d.Code)
	if err != nil {
		return err
	}
	page, offset := offsetOf(r)
	v := dueView{Page: s.newPage(r, "indicator.due.title"), Div: d, Q: q, Villages: vs, Names: names, Ages: dueAgeGroups,
		Total: len(rows), Pager: newPager(r, page, len(rows))}
	if offset < len(rows) {
		v.Rows = rows[offset:min(offset+pageSize, len(rows))]
	}
	if d.Level == healthcell.LevelVillage {
		v.Villages = nil // nothing to choose
	}
	return s.render(w, r, http.StatusOK, "checkups_due", v)
}

// checkupsDueExport sends the due list, filtered as the page is, as .xlsx
// or .csv named in Chinese (体检应检名单-金穗社区-2025.xlsx).
func (s *Server) checkupsDueExport(w http.ResponseWriter, r *http.Request) error {
	format := r.PathValue("format")
	if format != "xlsx" && format != "csv" {
		return healthcell.Errorf(healthcell.ENOTFOUND, "error.not_found")
	}
	q, err := s.readDueQuery(r)
	if err != nil {
		return err
	}
	rows, err := s.dueRows(r, q)
	if err != nil {
		return err
	}
	_, names, err := s.villageNames(r, q.Division)
	if err != nil {
		return err
	}
	p := s.newPage(r, "indicator.due.title")
	l := report.DueLabels{Yes: p.T("indicator.dash.yes"), No: p.T("indicator.dash.no"), Villages: names,
		Sex:  map[string]string{"F": p.T("person.sex.F"), "M": p.T("person.sex.M")},
		Rule: map[string]string{"yearly": p.T("indicator.due.rule_yearly"), "biennial": p.T("indicator.due.rule_biennial")}}
	for _, k := range []string{"village_code", "village", "name", "sex", "birth_date", "age", "rule", "last_exam", "overdue"} {
		l.Header = append(l.Header, p.T("indicator.due."+k))
	}
	area := q.Division
	if q.Village != "" {
		area = q.Village
	}
	where := healthcell.ShortVillageName(s.divisionName(r.Context(), area))
	var parts []string
	if q.Age != "" {
		parts = append(parts, p.T("indicator.due.age_"+q.Age))
	}
	if q.Overdue {
		parts = append(parts, p.T("indicator.due.overdue_only"))
	}
	name := downloadName(format, append([]string{p.Title, where, q.Period}, parts...)...)
	setDownload(w, "checkups-due-"+area+"-"+q.Period+"."+format, name)
	if format == "csv" {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		return report.DueListCSV(w, l, rows)
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	return report.DueListXLSX(w, p.Title, where+" "+p.Title+" "+q.Period, l, rows)
}
