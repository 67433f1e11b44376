package web

import (
	"net/http"
	"strings"

	"github.com/healthcell/healthcell"
)

type searchView struct {
	Page
	Query    string
	Division string
	Inactive bool
	Persons  []*healthcell.Person
	Pager    pager
	Searched bool
}

// searchPage finds residents by name or ID number within the user's scope
// (or a division inside it). With HX-Request it renders only the results.
func (s *Server) searchPage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	v := searchView{Page: s.newPage(r, "search.title"), Query: strings.TrimSpace(q.Get("q")), Division: q.Get("division"), Inactive: q.Get("inactive") != ""}
	if v.Query != "" {
		page, offset := offsetOf(r)
		ps, total, err := s.svc.Persons.FindPersons(r.Context(), healthcell.PersonFilter{Division: v.Division, Query: v.Query, Inactive: v.Inactive, Offset: offset, Limit: pageSize})
		if err != nil {
			return err
		}
		v.Persons, v.Pager, v.Searched = ps, newPager(r, page, total), true
	}
	name := "search"
	if r.Header.Get("HX-Request") == "true" {
		name = "search_results"
	}
	return s.render(w, r, http.StatusOK, name, v)
}
