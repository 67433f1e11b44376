package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/healthcell/healthcell"
)

// api adapts an API handler: errors become the JSON error document. A route
// of replicaRoutes may read from a replica.
func (s *Server) api(h handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r = replicaReads(r)
		if err := h(w, r); err != nil {
			s.fail(w, r, err)
		}
	}
}

// apiAuthed refuses API requests without a session with 401.
func (s *Server) apiAuthed(h handlerFunc) handlerFunc { return s.authed(h) }

func (s *Server) apiNotFound(w http.ResponseWriter, r *http.Request) error {
	return healthcell.Errorf(healthcell.ENOTFOUND, "error.not_found")
}

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// apiLogin starts a session: 200 with the user, 401 for bad credentials,
// 429 when throttled.
func (s *Server) apiLogin(w http.ResponseWriter, r *http.Request) error {
	var req loginRequest
	if err := readJSON(r, &req); err != nil {
		return err
	}
	u, err := s.authenticate(r, strings.TrimSpace(req.Username), req.Password)
	if err != nil {
		return err
	}
	if err := s.startSession(r, u); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, u)
	return nil
}

func (s *Server) apiLogout(w http.ResponseWriter, r *http.Request) error {
	if err := s.sessions.Destroy(r.Context()); err != nil {
		return err
	}
	w.Header().Set("Clear-Site-Data", clearSiteData)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, userFrom(r.Context()))
	return nil
}

func (s *Server) apiDivision(w http.ResponseWriter, r *http.Request) error {
	d, err := s.svc.Divisions.FindDivision(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

// listParams reads limit and offset query parameters; EINVALID when they are
// not numbers.
func listParams(r *http.Request) (limit, offset int, err error) {
	q := r.URL.Query()
	var fe []healthcell.FieldError
	if v := q.Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 0 {
			fe = append(fe, healthcell.FieldError{Field: "limit", Message: "field.invalid_number", Value: v})
		}
	}
	if v := q.Get("offset"); v != "" {
		if offset, err = strconv.Atoi(v); err != nil || offset < 0 {
			fe = append(fe, healthcell.FieldError{Field: "offset", Message: "field.invalid_number", Value: v})
		}
	}
	return limit, offset, healthcell.Invalid(fe)
}

type listResponse[T any] struct {
	Items  []T `json:"items"`
	Total  int `json:"total"`
	Offset int `json:"offset"`
}

func writeList[T any](w http.ResponseWriter, items []T, total, offset int) {
	if items == nil {
		items = []T{}
	}
	writeJSON(w, http.StatusOK, listResponse[T]{Items: items, Total: total, Offset: offset})
}
