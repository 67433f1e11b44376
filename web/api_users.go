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
	Department  string `json:"department"`
	Unit        string `json:"unit"`
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
	u := &healthcell.User{Username: in.Username, DisplayName: in.DisplayName, Role: healthcell.Role(in.Role), Scope: in.Scope,
		Department: in.Department, Unit: in.Unit}
	if err := s.svc.Users.CreateUser(r.Context(), u, in.Password); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, u)
	return nil
}

// apiPasswordReset sets the password of an account the caller manages.
func (s *Server) apiPasswordReset(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Password string `json:"password"`
	}
	if err := readJSON(r, &in); err != nil {
		return err
	}
	if err := s.svc.Users.SetPassword(r.Context(), r.PathValue("username"), in.Password); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiPasswordChange changes the caller's own password; the calling session
// carries on under the new password generation.
func (s *Server) apiPasswordChange(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Current  string `json:"current_password"`
		Password string `json:"password"`
	}
	if err := readJSON(r, &in); err != nil {
		return err
	}
	if err := s.svc.Users.ChangeOwnPassword(r.Context(), in.Current, in.Password); err != nil {
		return err
	}
	if err := s.keepSession(r); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
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
