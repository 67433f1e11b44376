package web

import (
	"net/http"

	"github.com/healthcell/healthcell"
)

// accountView is the page where a user changes their own password.
type accountView struct {
	Page
	Errors formErrors
	Error  string
}

func (s *Server) accountPasswordPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderAccount(w, r, http.StatusOK, nil)
}

func (s *Server) renderAccount(w http.ResponseWriter, r *http.Request, status int, err error) error {
	v := accountView{Page: s.newPage(r, "account.password.title")}
	if err != nil {
		v.Errors = s.formErrors(v.Lang, err)
		v.Error = v.T(healthcell.ErrorMessage(err))
	}
	return s.render(w, r, status, "account", v)
}

// accountPasswordChange changes the caller's own password. Every other
// session of the user ends (middleware.go); this one carries on.
func (s *Server) accountPasswordChange(w http.ResponseWriter, r *http.Request) error {
	pw := r.PostFormValue("password")
	var err error
	if pw != r.PostFormValue("confirm") {
		err = healthcell.Invalid([]healthcell.FieldError{{Field: "confirm", Message: "account.password.mismatch"}})
	} else {
		err = s.svc.Users.ChangeOwnPassword(r.Context(), r.PostFormValue("current_password"), pw)
	}
	if err != nil {
		return s.formFailure(w, r, err, func(status int) error { return s.renderAccount(w, r, status, err) })
	}
	if err := s.keepSession(r); err != nil {
		return err
	}
	s.sessions.Put(r.Context(), "notice", "account.password.changed")
	http.Redirect(w, r, "/account/password", http.StatusSeeOther)
	return nil
}

// keepSession carries the caller's session over their own password change,
// as if they had logged in again: a new token under the new password
// generation.
func (s *Server) keepSession(r *http.Request) error {
	u, err := s.svc.UserByID(r.Context(), userFrom(r.Context()).ID)
	if err != nil {
		return err
	}
	if err := s.sessions.RenewToken(r.Context()); err != nil {
		return err
	}
	s.sessions.Put(r.Context(), "pw_gen", int64(u.PasswordGen))
	return nil
}

// userPasswordReset sets another user's password (user administrators, in
// their scope); that user's sessions end.
func (s *Server) userPasswordReset(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.Users.SetPassword(r.Context(), r.PathValue("username"), r.PostFormValue("password")); err != nil {
		if healthcell.ErrorCode(err) != healthcell.EINVALID {
			return err
		}
		s.sessions.Put(r.Context(), "notice", firstMessage(err))
	} else {
		s.sessions.Put(r.Context(), "notice", "user.password.reset_done")
	}
	http.Redirect(w, r, "/users", http.StatusSeeOther)
	return nil
}
