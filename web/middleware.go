package web

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/healthcell/healthcell"
)

type userKey struct{}

// userFrom returns the logged-in user of the request, or nil.
func userFrom(ctx context.Context) *healthcell.User {
	u, _ := ctx.Value(userKey{}).(*healthcell.User)
	return u
}

// middleware wraps the route table: panics become 500s, every request is
// measured, cross-origin writes are refused (CSRF), sessions are loaded and
// saved, and the logged-in user becomes the actor in the context.
func (s *Server) middleware(mux http.Handler) http.Handler {
	h := s.withUser(recordRoute(mux))
	h = s.sessions.LoadAndSave(h)
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, healthcell.Errorf(healthcell.EFORBIDDEN, "error.cross_origin"))
	}))
	h = cop.Handler(h)
	h = securityHeaders(h)
	h = s.recoverer(h)
	return s.metrics.instrument(h)
}

type sessionKey struct{}

// hasSession reports whether the session was loaded into ctx. Requests
// refused before it is loaded (cross-origin writes) and panics caught outside
// it have none, and scs panics when such a context is used.
func hasSession(ctx context.Context) bool { return ctx.Value(sessionKey{}) != nil }

// withUser puts the session's user and actor into the request context, or,
// for an API request with "Authorization: Bearer", the token's user (401 for
// a bad token). A session whose user is gone or disabled is destroyed.
func (s *Server) withUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := context.WithValue(r.Context(), sessionKey{}, true)
		if secret := bearerToken(r); secret != "" {
			// A personal API token acts as its user; a bad one is 401,
			// never a fall-back to the session.
			if s.svc.Tokens == nil {
				s.fail(w, r, healthcell.Errorf(healthcell.EUNAUTHORIZED, "error.unauthorized"))
				return
			}
			u, err := s.svc.Tokens.UserByToken(ctx, secret)
			switch {
			case err == nil:
				ctx = context.WithValue(ctx, userKey{}, u)
				ctx = context.WithValue(ctx, viaTokenKey{}, true)
				ctx = healthcell.WithActor(ctx, healthcell.ActorOf(u))
				s.log.Info("token request", "username", u.Username, "method", r.Method, "path", r.URL.Path)
			case healthcell.ErrorCode(err) == healthcell.ENOTFOUND:
				s.fail(w, r, healthcell.Errorf(healthcell.EUNAUTHORIZED, "error.unauthorized"))
				return
			default:
				s.fail(w, r, err)
				return
			}
			next.ServeHTTP(w, r.WithContext(ctx))
			return
		}
		if uid := s.sessions.GetInt64(ctx, "uid"); uid != 0 {
			u, err := s.svc.UserByID(ctx, uid)
			switch {
			case err == nil && s.sessions.GetInt64(ctx, "pw_gen") != int64(u.PasswordGen):
				// The password changed since this session logged in.
				s.sessions.Destroy(ctx)
			case err == nil:
				ctx = context.WithValue(ctx, userKey{}, u)
				ctx = healthcell.WithActor(ctx, healthcell.ActorOf(u))
			case healthcell.ErrorCode(err) == healthcell.ENOTFOUND:
				s.sessions.Destroy(ctx)
			default:
				s.fail(w, r, err)
				return
			}
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// recoverer turns a panic into a logged 500 so that none reaches a user.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				s.fail(w, r, fmt.Errorf("panic: %v", v))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'")
		next.ServeHTTP(w, r)
	})
}

// clientIP returns the caller's address for throttling: the remote address,
// or, behind a trusted proxy, the last X-Forwarded-For hop, which the proxy
// added (the earlier hops come from the client and can be forged).
func (s *Server) clientIP(r *http.Request) string {
	if s.cfg.TrustProxy {
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			hops := strings.Split(xff[len(xff)-1], ",")
			if hop := strings.TrimSpace(hops[len(hops)-1]); hop != "" {
				return hop
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// now returns the server's current time.
func (s *Server) now() time.Time { return s.cfg.Now() }

// thisYear returns the current campaign year (Asia/Shanghai) as a period
// code, the default period of every indicator page and API.
func (s *Server) thisYear() string { return strconv.Itoa(healthcell.CampaignYear(s.now())) }
