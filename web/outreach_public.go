package web

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/healthcell/healthcell"
)

// The public outreach pages (issue 15): a county's and a village's health
// knowledge, an article, its pictures. No login, no personal data, no
// JavaScript needed to read; a light layout of their own (public.css, no
// CSS framework) so that a page is a few KB on a weak mobile network.

// publicMaxAge is how long browsers and proxies may keep a public page.
const publicMaxAge = "public, max-age=60"

// publicTTL is how long the server keeps a page's data (division, village
// facts, article list) before reading it again; article writes through
// this server clear it at once.
const publicTTL = 30 * time.Second

// publicData is what a public page of a county or village shows.
type publicData struct {
	Division *healthcell.Division
	Village  *healthcell.PublicVillage // nil for a county
	Articles []*healthcell.Article
}

type publicEntry struct {
	at   time.Time
	data *publicData
}

// publicCache keeps publicData by code, and the rendered knowledge pages by
// code and language, for publicTTL. Only known counties and villages are
// kept, so it cannot grow past them.
type publicCache struct{ m, pages, articles, quiz sync.Map }

func (c *publicCache) clear() {
	c.m.Clear()
	c.pages.Clear()
	c.articles.Clear()
	c.quiz.Clear()
}

// publicArticle is a public article with its body split into blocks.
type publicArticle struct {
	at     time.Time
	a      *healthcell.Article
	blocks []articleBlock
}

// publicArticle returns article id of county while it is public, from the
// cache when fresh (only articles that exist are kept); ENOTFOUND
// otherwise.
func (s *Server) publicArticle(ctx context.Context, county string, id int64) (*publicArticle, error) {
	now := s.now()
	key := county + " " + strconv.FormatInt(id, 10)
	if e, ok := s.public.articles.Load(key); ok && now.Sub(e.(*publicArticle).at) < publicTTL {
		return e.(*publicArticle), nil
	}
	a, err := s.svc.Articles.PublicArticle(ctx, county, id, now)
	if err != nil {
		return nil, err
	}
	pa := &publicArticle{at: now, a: a, blocks: articleBlocks(a.Body)}
	s.public.articles.Store(key, pa)
	return pa, nil
}

// publicData returns the data of the public page of code (a county or a
// village), from the cache when fresh; ENOTFOUND for other codes.
func (s *Server) publicData(ctx context.Context, code string) (*publicData, error) {
	now := s.now()
	if e, ok := s.public.m.Load(code); ok && now.Sub(e.(publicEntry).at) < publicTTL {
		return e.(publicEntry).data, nil
	}
	if s.svc.Articles == nil {
		return nil, healthcell.Errorf(healthcell.ENOTFOUND, "error.not_found")
	}
	d, err := s.svc.Articles.PublicDivision(ctx, code)
	if err != nil {
		return nil, err
	}
	pd := &publicData{Division: d}
	if d.Level == healthcell.LevelVillage {
		if pd.Village, err = s.svc.Articles.PublicVillage(ctx, d.Code, healthcell.CampaignDay(now)); err != nil {
			return nil, err
		}
	}
	if pd.Articles, err = s.svc.Articles.PublicArticles(ctx, healthcell.CountyOf(d.Code), now); err != nil {
		return nil, err
	}
	s.public.m.Store(code, publicEntry{at: now, data: pd})
	return pd, nil
}

// publicBase is the address the public pages are reached at, for QR codes
// and posters: the configured PublicURL, or else the scheme and host of
// the request (https behind a trusted proxy that says so).
func (s *Server) publicBase(r *http.Request) string {
	if s.cfg.PublicURL != "" {
		return strings.TrimRight(s.cfg.PublicURL, "/")
	}
	scheme := "http"
	if r.TLS != nil || s.cfg.TrustProxy && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// quizPath is the path of a village's quiz (served by the quiz pages).
func quizPath(village string) string { return "/public/" + village + "/quiz" }

// articleGroup is the public articles of one category.
type articleGroup struct {
	Code     string
	Name     string
	Articles []articleRow
}

type articleRow struct {
	ID      int64
	Title   string
	Summary string
	Date    string
}

// groupArticles sorts articles into the catalog's categories, in its
// order; empty categories are left out.
func groupArticles(p Page, list []*healthcell.Article) []articleGroup {
	lang := p.Lang
	var out []articleGroup
	for _, c := range p.defs.ArticleCategories {
		g := articleGroup{Code: c.Code, Name: c.Name(lang)}
		for _, a := range list {
			if a.Category == c.Code {
				row := articleRow{ID: a.ID, Title: a.Title, Summary: a.Summary}
				if a.PublishAt != nil {
					row.Date = healthcell.CampaignDay(*a.PublishAt)
				}
				g.Articles = append(g.Articles, row)
			}
		}
		if len(g.Articles) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// activityKindName is the activity register's name of an activity kind.
func activityKindName(p Page, kind string) string {
	lang := p.Lang
	for _, o := range p.defs.Registers.Get("activities").Field("kind").Options {
		if o.Code == kind {
			if lang == "en" {
				return o.En
			}
			return o.Zh
		}
	}
	return kind
}

type publicActivityRow struct {
	healthcell.PublicActivity
	KindName string
}

// publicPage is GET /public/{code}: the knowledge page of a county or a
// village; 404 for any other code.
func (s *Server) publicPage(w http.ResponseWriter, r *http.Request) error {
	code := healthcell.NormalizeCode(r.PathValue("code"))
	pd, err := s.publicData(r.Context(), code)
	if err != nil {
		return err
	}
	p := s.newPage(r, "public.title")
	// The page depends on the data and the language only: rendered once
	// per publicTTL (the data's time is the key's part that expires it).
	key := code + " " + p.Lang
	now := s.now()
	if e, ok := s.public.pages.Load(key); ok && now.Sub(e.(publicPageEntry).at) < publicTTL {
		w.Header().Set("Cache-Control", publicMaxAge)
		return writePage(w, http.StatusOK, e.(publicPageEntry).page)
	}
	v := struct {
		Page
		Division   *healthcell.Division
		Village    *healthcell.PublicVillage
		Groups     []articleGroup
		Activities []publicActivityRow
		Recent     []publicActivityRow
		QuizPath   string
	}{Page: p, Division: pd.Division, Village: pd.Village, Groups: groupArticles(p, pd.Articles)}
	v.Title = pd.Division.Name + " · " + p.T("public.title")
	if pd.Village != nil {
		v.QuizPath = quizPath(code)
		for _, a := range pd.Village.Upcoming {
			v.Activities = append(v.Activities, publicActivityRow{PublicActivity: a, KindName: activityKindName(p, a.Kind)})
		}
		for _, a := range pd.Village.Recent {
			v.Recent = append(v.Recent, publicActivityRow{PublicActivity: a, KindName: activityKindName(p, a.Kind)})
		}
	}
	var buf bytes.Buffer
	if err := s.execute(&buf, "public", "publiclayout", v); err != nil {
		return err
	}
	s.public.pages.Store(key, publicPageEntry{at: now, page: buf.Bytes()})
	w.Header().Set("Cache-Control", publicMaxAge)
	return writePage(w, http.StatusOK, buf.Bytes())
}

type publicPageEntry struct {
	at   time.Time
	page []byte
}

// publicArticlePage is GET /public/{code}/articles/{id}: an article of
// the county of code while it is public; 404 otherwise.
func (s *Server) publicArticlePage(w http.ResponseWriter, r *http.Request) error {
	code := healthcell.NormalizeCode(r.PathValue("code"))
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return healthcell.Errorf(healthcell.ENOTFOUND, "error.not_found.article")
	}
	pd, err := s.publicData(r.Context(), code)
	if err != nil {
		return err
	}
	pa, err := s.publicArticle(r.Context(), healthcell.CountyOf(code), id)
	if err != nil {
		return err
	}
	a := pa.a
	p := s.newPage(r, "public.title")
	p.Title = a.Title
	v := struct {
		Page
		Division *healthcell.Division
		Article  *healthcell.Article
		Category string
		Date     string
		Blocks   []articleBlock
	}{Page: p, Division: pd.Division, Article: a, Blocks: pa.blocks}
	for _, g := range groupArticles(p, []*healthcell.Article{a}) {
		v.Category = g.Name
	}
	if a.PublishAt != nil {
		v.Date = healthcell.CampaignDay(*a.PublishAt)
	}
	w.Header().Set("Cache-Control", publicMaxAge)
	return s.renderRoot(w, r, http.StatusOK, "public_article", "publiclayout", v)
}

// publicImage is GET /public/{county}/images/{id}: a picture of a public
// article, already resized when it was stored.
func (s *Server) publicImage(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || s.svc.Articles == nil {
		return healthcell.Errorf(healthcell.ENOTFOUND, "error.not_found")
	}
	data, mime, err := s.svc.Articles.PublicArticleImage(r.Context(), r.PathValue("code"), id, s.now())
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", mime)
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	_, err = w.Write(data)
	return err
}
