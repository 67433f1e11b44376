package web

import (
	"net/http"
	"slices"
	"strings"

	"github.com/healthcell/healthcell"
)

type usersView struct {
	Page
	Users  []*healthcell.User
	Roles  []healthcell.Role
	Units  []*healthcell.Unit // for a unit contact's account
	Depts  []string           // the departments the units name, as suggestions
	Form   *healthcell.User
	Errors formErrors
	Error  string
}

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderUsers(w, r, http.StatusOK, &healthcell.User{Scope: userFrom(r.Context()).Scope}, nil)
}

func (s *Server) renderUsers(w http.ResponseWriter, r *http.Request, status int, form *healthcell.User, err error) error {
	users, ferr := s.svc.Users.FindUsers(r.Context())
	if ferr != nil {
		return ferr
	}
	units, uerr := s.svc.Units.FindUnits(r.Context(), "")
	if uerr != nil {
		return uerr
	}
	v := usersView{Page: s.newPage(r, "users.title"), Users: users, Roles: creatableRoles(healthcell.ActorFrom(r.Context())), Units: units, Form: form}
	seen := map[string]bool{}
	for _, u := range units {
		if u.Department != "" && !seen[u.Department] {
			seen[u.Department] = true
			v.Depts = append(v.Depts, u.Department)
		}
	}
	slices.Sort(v.Depts)
	if err != nil {
		v.Errors = s.formErrors(v.Lang, err)
		v.Error = v.T(healthcell.ErrorMessage(err))
	}
	return s.render(w, r, status, "users", v)
}

// creatableRoles are the roles the form offers a user administrator: an
// office above the county creates the roles of its level and below it
// down to the city (never the county's, which see personal data); the
// county office the county's roles.
func creatableRoles(a *healthcell.Actor) []healthcell.Role {
	var out []healthcell.Role
	for _, r := range healthcell.Roles {
		switch {
		case a.System:
		case a.Role.Upper() && (!r.Upper() || r.ScopeLevel() < healthcell.CodeLevel(a.Scope)):
			continue
		case !a.Role.Upper() && r.Upper():
			continue
		}
		out = append(out, r)
	}
	return out
}

func (s *Server) userCreate(w http.ResponseWriter, r *http.Request) error {
	u := &healthcell.User{
		Username:    r.PostFormValue("username"),
		DisplayName: r.PostFormValue("display_name"),
		Role:        healthcell.Role(r.PostFormValue("role")),
		Scope:       r.PostFormValue("scope"),
		Department:  strings.TrimSpace(r.PostFormValue("department")),
		Unit:        r.PostFormValue("unit"),
	}
	if err := s.svc.Users.CreateUser(r.Context(), u, r.PostFormValue("password")); err != nil {
		return s.formFailure(w, r, err, func(status int) error { return s.renderUsers(w, r, status, u, err) })
	}
	s.sessions.Put(r.Context(), "notice", "common.saved")
	http.Redirect(w, r, "/users", http.StatusSeeOther)
	return nil
}

func (s *Server) userDisable(w http.ResponseWriter, r *http.Request) error {
	disabled := r.PostFormValue("disabled") == "true"
	if err := s.svc.Users.SetDisabled(r.Context(), r.PathValue("username"), disabled); err != nil {
		if healthcell.ErrorCode(err) != healthcell.EINVALID {
			return err
		}
		s.sessions.Put(r.Context(), "notice", firstMessage(err))
	} else {
		s.sessions.Put(r.Context(), "notice", "common.saved")
	}
	http.Redirect(w, r, "/users", http.StatusSeeOther)
	return nil
}
