package web

import (
	"net/http"
	"strings"

	"github.com/healthcell/healthcell"
)

// Personal API tokens: a user creates them under the account
// (/account/tokens, /api/v1/account/tokens), sees each one once, and
// revokes them. A request to /api/v1 with "Authorization: Bearer <token>"
// acts as the token's user (bearerUser, called by withUser).

type viaTokenKey struct{}

// viaToken reports whether the request was authenticated by an API token.
func viaToken(r *http.Request) bool { return r.Context().Value(viaTokenKey{}) != nil }

// tokensView is the page listing the caller's tokens.
type tokensView struct {
	Page
	Tokens []*healthcell.APIToken
	Secret string // the token just created, shown once
	Errors formErrors
	Error  string
}

func (s *Server) tokensPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderTokens(w, r, http.StatusOK, "", nil)
}

func (s *Server) renderTokens(w http.ResponseWriter, r *http.Request, status int, secret string, err error) error {
	if s.svc.Tokens == nil {
		return healthcell.Errorf(healthcell.ENOTFOUND, "error.not_found")
	}
	ts, lerr := s.svc.Tokens.FindTokens(r.Context())
	if lerr != nil {
		return lerr
	}
	v := tokensView{Page: s.newPage(r, "token.title"), Tokens: ts, Secret: secret}
	if err != nil {
		v.Errors = s.formErrors(v.Lang, err)
		v.Error = v.T(healthcell.ErrorMessage(err))
	}
	return s.render(w, r, status, "tokens", v)
}

// tokenCreate makes a token and shows it, once, on the page it answers with.
func (s *Server) tokenCreate(w http.ResponseWriter, r *http.Request) error {
	if s.svc.Tokens == nil {
		return healthcell.Errorf(healthcell.ENOTFOUND, "error.not_found")
	}
	_, secret, err := s.svc.Tokens.CreateToken(r.Context(), r.PostFormValue("name"))
	if err != nil {
		return s.formFailure(w, r, err, func(status int) error { return s.renderTokens(w, r, status, "", err) })
	}
	return s.renderTokens(w, r, http.StatusOK, secret, nil)
}

func (s *Server) tokenRevoke(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if s.svc.Tokens == nil {
		return healthcell.Errorf(healthcell.ENOTFOUND, "error.not_found")
	}
	if err := s.svc.Tokens.RevokeToken(r.Context(), id); err != nil {
		return err
	}
	s.sessions.Put(r.Context(), "notice", "token.revoked")
	http.Redirect(w, r, "/account/tokens", http.StatusSeeOther)
	return nil
}

// tokenInput is the body of POST /api/v1/account/tokens.
type tokenInput struct {
	Name string `json:"name"`
}

// createdToken is a new token with its secret, answered once.
type createdToken struct {
	*healthcell.APIToken
	Token string `json:"token"`
}

func (s *Server) apiTokens(w http.ResponseWriter, r *http.Request) error {
	if s.svc.Tokens == nil {
		return healthcell.Errorf(healthcell.ENOTFOUND, "error.not_found")
	}
	ts, err := s.svc.Tokens.FindTokens(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": ts})
	return nil
}

func (s *Server) apiTokenCreate(w http.ResponseWriter, r *http.Request) error {
	if s.svc.Tokens == nil {
		return healthcell.Errorf(healthcell.ENOTFOUND, "error.not_found")
	}
	if viaToken(r) {
		// A stolen token must not mint others that outlive its revocation.
		return healthcell.Errorf(healthcell.EFORBIDDEN, "error.forbidden")
	}
	var in tokenInput
	if err := readJSON(r, &in); err != nil {
		return err
	}
	t, secret, err := s.svc.Tokens.CreateToken(r.Context(), in.Name)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, createdToken{APIToken: t, Token: secret})
	return nil
}

func (s *Server) apiTokenRevoke(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if s.svc.Tokens == nil {
		return healthcell.Errorf(healthcell.ENOTFOUND, "error.not_found")
	}
	if err := s.svc.Tokens.RevokeToken(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// bearerToken returns the token of an "Authorization: Bearer" header on an
// API request, or "".
func bearerToken(r *http.Request) string {
	if !isAPI(r) {
		return ""
	}
	h := r.Header.Get("Authorization")
	if len(h) < 7 || !strings.EqualFold(h[:7], "bearer ") {
		return ""
	}
	return strings.TrimSpace(h[7:])
}
