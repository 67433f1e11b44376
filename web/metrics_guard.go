package web

import (
	"crypto/subtle"
	"fmt"

	"net/http"
	"net/netip"
	"strings"
)

// MetricsAccess restricts GET /metrics. With neither a token nor an address
// list, anyone may read it (as before); with either, a request needs the
// token ("Authorization: Bearer <token>") or a client address in the list
// (behind a trusted proxy, the address the proxy saw). Others get 404, as if
// there were no metrics.
type MetricsAccess struct {
	Token string
	Allow []netip.Prefix
}

// ParseMetricsAllow reads a comma-separated list of addresses and CIDR
// prefixes (127.0.0.1, 10.0.0.0/8, ::1); it returns an error naming the
// first entry that is neither.
func ParseMetricsAllow(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("metrics address %q: neither an address nor a CIDR prefix", f)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}

// open reports whether nothing restricts the metrics.
func (m MetricsAccess) open() bool { return m.Token == "" && len(m.Allow) == 0 }

// metricsGuard serves next only to requests that MetricsAccess admits.
func (s *Server) metricsGuard(next http.Handler) http.Handler {
	acc := s.cfg.Metrics
	if acc.open() {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if acc.Token != "" {
			h := r.Header.Get("Authorization")
			if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") &&
				subtle.ConstantTimeCompare([]byte(strings.TrimSpace(h[7:])), []byte(acc.Token)) == 1 {
				next.ServeHTTP(w, r)
				return
			}
		}
		if ip, err := netip.ParseAddr(s.clientIP(r)); err == nil {
			ip = ip.Unmap()
			for _, p := range acc.Allow {
				if p.Contains(ip) {
					next.ServeHTTP(w, r)
					return
				}
			}
		}
		http.NotFound(w, r)
	})
}
