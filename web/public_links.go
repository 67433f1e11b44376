package web

import (
	"context"
	"io/fs"
	"net/http"

	"github.com/healthcell/healthcell"
)

// publicCounties lists the provinces, cities and counties with a public
// list of named units; nil (logged) when the store cannot say or the
// server has no list.
func (s *Server) publicCounties(ctx context.Context) []healthcell.Division {
	if s.svc.PublicCounties == nil {
		return nil
	}
	list, err := s.svc.PublicCounties(ctx)
	if err != nil {
		s.log.Error("public counties", "err", err)
		return nil
	}
	return list
}

// countyName returns the name of the province, city or county with code,
// or "" when it is not one loaded.
func (s *Server) countyName(ctx context.Context, code string) string {
	for _, d := range s.publicCounties(ctx) {
		if d.Code == healthcell.NormalizeCode(code) {
			return d.Name
		}
	}
	return ""
}

// favicon answers /favicon.ico, which browsers ask for on their own, with
// the site's icon (an SVG).
func (s *Server) favicon(w http.ResponseWriter, r *http.Request) {
	b, err := fs.ReadFile(assets, "static/favicon.svg")
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	_, _ = w.Write(b)
}

// notFound answers a path no route has with the 404 page (JSON under
// /api/).
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) error {
	return healthcell.Errorf(healthcell.ENOTFOUND, "error.not_found.page")
}

// loginLinks returns the cities and counties whose public lists of named
// units the login page links to (a province's list is reached by its
// address alone: it would be the longest link of the page).
func (s *Server) loginLinks(ctx context.Context) []healthcell.Division {
	var out []healthcell.Division
	for _, d := range s.publicCounties(ctx) {
		if d.Level >= healthcell.LevelCity {
			out = append(out, d)
		}
	}
	return out
}
