package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/healthcell/healthcell"
)

// The JSON side of issue 15: the county office's articles (behind a login)
// and the public page data (none).

// articleRequest is the body of POST /api/v1/articles and PUT
// /api/v1/articles/{id}; times are RFC 3339, absent for none.
type articleRequest struct {
	Category   string     `json:"category"`
	Title      string     `json:"title"`
	Summary    string     `json:"summary"`
	Body       string     `json:"body"`
	PublishAt  *time.Time `json:"publish_at"`
	WithdrawAt *time.Time `json:"withdraw_at"`
	Version    int        `json:"version"`
}

// apiArticles is GET /api/v1/articles: the caller's county's articles.
func (s *Server) apiArticles(w http.ResponseWriter, r *http.Request) error {
	if s.svc.Articles == nil {
		return healthcell.Errorf(healthcell.ENOTFOUND, "error.not_found")
	}
	county, err := articleCounty(userFrom(r.Context()))
	if err != nil {
		return err
	}
	list, err := s.svc.Articles.FindArticles(r.Context(), county)
	if err != nil {
		return err
	}
	if list == nil {
		list = []*healthcell.Article{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"articles": list})
	return nil
}

// apiArticle is GET /api/v1/articles/{id}.
func (s *Server) apiArticle(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil || s.svc.Articles == nil {
		return healthcell.Errorf(healthcell.ENOTFOUND, "error.not_found")
	}
	a, err := s.svc.Articles.FindArticle(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}

// apiArticleSave is POST /api/v1/articles (201) and PUT /api/v1/articles/{id}.
func (s *Server) apiArticleSave(w http.ResponseWriter, r *http.Request) error {
	if s.svc.Articles == nil {
		return healthcell.Errorf(healthcell.ENOTFOUND, "error.not_found")
	}
	county, err := articleCounty(userFrom(r.Context()))
	if err != nil {
		return err
	}
	var req articleRequest
	if err := readJSON(r, &req); err != nil {
		return err
	}
	a := &healthcell.Article{County: county, Category: req.Category, Title: req.Title, Summary: req.Summary, Body: req.Body,
		PublishAt: req.PublishAt, WithdrawAt: req.WithdrawAt, Version: req.Version}
	status := http.StatusCreated
	if r.PathValue("id") != "" {
		if a.ID, err = pathID(r); err != nil {
			return err
		}
		status = http.StatusOK
	}
	if err := s.svc.Articles.SaveArticle(r.Context(), a); err != nil {
		return err
	}
	s.public.clear()
	writeJSON(w, status, a)
	return nil
}

// apiArticleWithdraw is POST /api/v1/articles/{id}/withdraw.
func (s *Server) apiArticleWithdraw(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil || s.svc.Articles == nil {
		return healthcell.Errorf(healthcell.ENOTFOUND, "error.not_found")
	}
	if err := s.svc.Articles.WithdrawArticle(r.Context(), id); err != nil {
		return err
	}
	s.public.clear()
	a, err := s.svc.Articles.FindArticle(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}

// publicJSON is the document of GET /api/v1/public/{code}.
type publicJSON struct {
	Division *healthcell.Division      `json:"division"`
	Village  *healthcell.PublicVillage `json:"village,omitempty"`
	Articles []publicArticleJSON       `json:"articles"`
	QuizURL  string                    `json:"quiz_url,omitempty"`
	QRPNG    string                    `json:"qr_png,omitempty"`
	QRSVG    string                    `json:"qr_svg,omitempty"`
	Poster   string                    `json:"poster,omitempty"`
}

type publicArticleJSON struct {
	ID        int64      `json:"id"`
	Category  string     `json:"category"`
	Title     string     `json:"title"`
	Summary   string     `json:"summary,omitempty"`
	PublishAt *time.Time `json:"publish_at"`
	URL       string     `json:"url"`
}

// apiPublic is GET /api/v1/public/{code}: what the public page of a county
// or village shows, no login.
func (s *Server) apiPublic(w http.ResponseWriter, r *http.Request) error {
	code := healthcell.NormalizeCode(r.PathValue("code"))
	pd, err := s.publicData(r.Context(), code)
	if err != nil {
		return err
	}
	doc := publicJSON{Division: pd.Division, Village: pd.Village, Articles: []publicArticleJSON{}}
	base := s.publicBase(r)
	for _, a := range pd.Articles {
		doc.Articles = append(doc.Articles, publicArticleJSON{ID: a.ID, Category: a.Category, Title: a.Title, Summary: a.Summary, PublishAt: a.PublishAt,
			URL: base + "/public/" + code + "/articles/" + strconv.FormatInt(a.ID, 10)})
	}
	if pd.Village != nil {
		doc.QuizURL = base + quizPath(code)
		doc.QRPNG, doc.QRSVG, doc.Poster = base+"/public/"+code+"/qr.png", base+"/public/"+code+"/qr.svg", base+"/public/"+code+"/poster"
	}
	w.Header().Set("Cache-Control", publicMaxAge)
	writeJSON(w, http.StatusOK, doc)
	return nil
}

// apiPublicArticle is GET /api/v1/public/{code}/articles/{id}: a public
// article with its Markdown body, no login.
func (s *Server) apiPublicArticle(w http.ResponseWriter, r *http.Request) error {
	code := healthcell.NormalizeCode(r.PathValue("code"))
	id, err := pathID(r)
	if err != nil || s.svc.Articles == nil {
		return healthcell.Errorf(healthcell.ENOTFOUND, "error.not_found")
	}
	if _, err := s.publicData(r.Context(), code); err != nil {
		return err
	}
	a, err := s.svc.Articles.PublicArticle(r.Context(), healthcell.CountyOf(code), id, s.now())
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", publicMaxAge)
	writeJSON(w, http.StatusOK, a)
	return nil
}
