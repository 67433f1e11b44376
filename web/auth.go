package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/locale"
)

type loginView struct {
	Page
	Username string
	Next     string
	Error    string
	Counties []healthcell.Division // whose named units the page links to (cities and counties)
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) error {
	if userFrom(r.Context()) != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return nil
	}
	return s.render(w, r, http.StatusOK, "login", loginView{Page: s.newPage(r, "login.title"), Next: localPath(r.URL.Query().Get("next")), Counties: s.loginLinks(r.Context())})
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	username := strings.TrimSpace(r.PostFormValue("username"))
	u, err := s.authenticate(r, username, r.PostFormValue("password"))
	if err != nil {
		code := healthcell.ErrorCode(err)
		if code != healthcell.EUNAUTHORIZED && code != healthcell.ETHROTTLED {
			return err
		}
		v := loginView{Page: s.newPage(r, "login.title"), Username: username, Next: localPath(r.PostFormValue("next")), Counties: s.loginLinks(r.Context())}
		v.Error = v.T(healthcell.ErrorMessage(err))
		return s.render(w, r, statusOf[code], "login", v)
	}
	if err := s.startSession(r, u); err != nil {
		return err
	}
	next := localPath(r.PostFormValue("next"))
	if next == "" {
		next = "/"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// authenticate checks credentials under the login throttle. It returns
// ETHROTTLED when the account from this address, the account from anywhere
// or the address has failed too often (see throttle.go), and
// EUNAUTHORIZED for bad credentials.
func (s *Server) authenticate(r *http.Request, username, password string) (*healthcell.User, error) {
	addr := s.clientIP(r)
	if !s.throttle.allowed(username, addr) {
		return nil, healthcell.Errorf(healthcell.ETHROTTLED, "login.throttled")
	}
	u, err := s.svc.Users.Authenticate(r.Context(), username, password)
	if err != nil {
		if healthcell.ErrorCode(err) == healthcell.EUNAUTHORIZED {
			s.throttle.failed(username, addr)
			s.log.Info("login failed", "username", username, "addr", addr)
		}
		return nil, err
	}
	s.throttle.succeeded(username, addr)
	return u, nil
}

// startSession renews the session token (against fixation) and stores the user.
func (s *Server) startSession(r *http.Request, u *healthcell.User) error {
	if err := s.sessions.RenewToken(r.Context()); err != nil {
		return err
	}
	s.sessions.Put(r.Context(), "uid", u.ID)
	s.sessions.Put(r.Context(), "login_at", time.Now().Unix())
	s.sessions.Put(r.Context(), "pw_gen", int64(u.PasswordGen))
	return nil
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if err := s.sessions.Destroy(r.Context()); err != nil {
		return err
	}
	w.Header().Set("Clear-Site-Data", clearSiteData)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

// setLang stores the chosen language in a cookie and goes back.
func (s *Server) setLang(w http.ResponseWriter, r *http.Request) error {
	if l := locale.Supported(r.URL.Query().Get("to")); l != "" {
		http.SetCookie(w, &http.Cookie{Name: "lang", Value: l, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode, HttpOnly: true, Secure: s.cfg.SecureCookies})
	}
	back := localPath(r.URL.Query().Get("back"))
	if back == "" {
		back = "/"
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}

// home sends the user to the top of their scope.
func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	u := userFrom(r.Context())
	if u == nil {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, "/divisions/"+u.Scope, http.StatusSeeOther)
	return nil
}

// localPath returns p when it is a path on this site, "" otherwise (no open
// redirects).
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") {
		return ""
	}
	if u, err := url.Parse(p); err != nil || u.Host != "" || u.Scheme != "" {
		return ""
	}
	return p
}
