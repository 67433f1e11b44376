package web

import (
	"net/http"

	"github.com/healthcell/healthcell"
)

type userInput struct {
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
	Role        string `json:"role"`
	Scope       string `json:"scope"`
	Password    string `json:"password"`
}

func (s *Server) apiUsers(w http.ResponseWriter, r *http.Request) error {
	users, err := s.svc.Users.FindUsers(r.Context())
	if err != nil {
		return err
	}
	writeList(w, users, len(users), 0)
	return nil
}

func (s *Server) apiUserCreate(w http.ResponseWriter, r *http.Request) error {
	var in userInput
	if err := readJSON(r, &in); err != nil {
		return err
	}
	u := &healthcell.User{Username: in.Username, DisplayName: in.DisplayName, Role: healthcell.Role(in.Role), Scope: in.Scope}
	if err := s.svc.Users.CreateUser(r.Context(), u, in.Password); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, u)
	return nil
}

func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request) error {
	limit, offset, err := listParams(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	entries, total, err := s.svc.Audit.FindAudit(r.Context(), healthcell.AuditFilter{Entity: q.Get("entity"), EntityID: q.Get("entity_id"), Username: q.Get("user"), Limit: limit, Offset: offset})
	if err != nil {
		return err
	}
	writeList(w, entries, total, offset)
	return nil
}
