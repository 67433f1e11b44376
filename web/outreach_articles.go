package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/catalog"
)

// The county office's article editor (issue 15): write, schedule, publish
// and withdraw the health-knowledge articles of the public pages. The
// store refuses every other role (EFORBIDDEN); each write is audited there.

// articleTimeLayout is the form's date and time (an <input type=datetime-local>),
// in the server's time zone.
const articleTimeLayout = "2006-01-02T15:04"

// articleCounty is the county the user writes for: the county above their
// scope; EFORBIDDEN for a user above or outside any county.
func articleCounty(u *healthcell.User) (string, error) {
	if c := healthcell.CountyOf(u.Scope); c != "" {
		return c, nil
	}
	return "", healthcell.Errorf(healthcell.EFORBIDDEN, "error.forbidden")
}

// articleListRow is an article in the editor's list.
type articleListRow struct {
	*healthcell.Article
	State, Category, PublishAt, WithdrawAt string
}

// articlesPage is GET /outreach/articles: the county's articles, any state.
func (s *Server) articlesPage(w http.ResponseWriter, r *http.Request) error {
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
	p := s.newPage(r, "article.list.title")
	now := s.now()
	v := struct {
		Page
		County string
		Rows   []articleListRow
	}{Page: p, County: county}
	for _, a := range list {
		v.Rows = append(v.Rows, articleListRow{Article: a, State: a.State(now), Category: categoryName(p, a.Category),
			PublishAt: formTime(a.PublishAt), WithdrawAt: formTime(a.WithdrawAt)})
	}
	return s.render(w, r, http.StatusOK, "articles", v)
}

// categoryName is a category's name in lang, or its code when unknown.
func categoryName(p Page, code string) string {
	lang := p.Lang
	for _, c := range p.defs.ArticleCategories {
		if c.Code == code {
			return c.Name(lang)
		}
	}
	return code
}

// formTime is t for the form (local time), "" for nil.
func formTime(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.In(time.Local).Format(articleTimeLayout)
}

// articleFormView is the editor's form.
type articleFormView struct {
	Page
	Article    *healthcell.Article
	State      string
	PublishAt  string
	WithdrawAt string
	Categories []catalog.ArticleCategory
	Images     []*healthcell.ArticleImage
	Errors     formErrors
	PublicURL  string
}

// articleForm renders the editor for a (ID 0: a new one) with the fields
// as given and the errors of err.
func (s *Server) articleForm(w http.ResponseWriter, r *http.Request, status int, a *healthcell.Article, publishAt, withdrawAt string, err error) error {
	p := s.newPage(r, "article.new.title")
	if a.ID != 0 {
		p.Title = p.T("article.edit.title")
	}
	cats := s.cfg.Definitions.ArticleCategories
	v := articleFormView{Page: p, Article: a, State: a.State(s.now()), PublishAt: publishAt, WithdrawAt: withdrawAt, Categories: cats,
		Errors: s.formErrors(p.Lang, err), PublicURL: "/public/" + a.County + "/articles/" + strconv.FormatInt(a.ID, 10)}
	if a.ID != 0 {
		imgs, ierr := s.svc.Articles.FindArticleImages(r.Context(), a.ID)
		if ierr != nil {
			return ierr
		}
		v.Images = imgs
	}
	return s.render(w, r, status, "article_form", v)
}

// articleNew is GET /outreach/articles/new.
func (s *Server) articleNew(w http.ResponseWriter, r *http.Request) error {
	if s.svc.Articles == nil {
		return healthcell.Errorf(healthcell.ENOTFOUND, "error.not_found")
	}
	county, err := articleCounty(userFrom(r.Context()))
	if err != nil {
		return err
	}
	// Only the county office writes: refuse the form as the store would.
	if _, err := s.svc.Articles.FindArticles(r.Context(), county); err != nil {
		return err
	}
	return s.articleForm(w, r, http.StatusOK, &healthcell.Article{County: county, Category: "literacy66"}, "", "", nil)
}

// articleEditPage is GET /outreach/articles/{id}.
func (s *Server) articleEditPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if s.svc.Articles == nil {
		return healthcell.Errorf(healthcell.ENOTFOUND, "error.not_found")
	}
	a, err := s.svc.Articles.FindArticle(r.Context(), id)
	if err != nil {
		return err
	}
	return s.articleForm(w, r, http.StatusOK, a, formTime(a.PublishAt), formTime(a.WithdrawAt), nil)
}

// parseFormTime reads a datetime-local field; nil for "", EINVALID naming
// field for anything else that is not a time.
func parseFormTime(field, v string) (*time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, nil
	}
	t, err := time.ParseInLocation(articleTimeLayout, v, time.Local)
	if err != nil {
		if t, err = time.ParseInLocation("2006-01-02", v, time.Local); err != nil {
			return nil, healthcell.Invalid([]healthcell.FieldError{{Field: field, Message: "article.time.invalid", Value: v}})
		}
	}
	return &t, nil
}

// articleSave is POST /outreach/articles/new and /outreach/articles/{id}:
// action "publish" publishes now (unless a publication time is given),
// "save" keeps the times as entered (none: a draft).
func (s *Server) articleSave(w http.ResponseWriter, r *http.Request) error {
	if s.svc.Articles == nil {
		return healthcell.Errorf(healthcell.ENOTFOUND, "error.not_found")
	}
	county, err := articleCounty(userFrom(r.Context()))
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return healthcell.Errorf(healthcell.EINVALID, "error.invalid")
	}
	a := &healthcell.Article{County: county}
	if r.PathValue("id") != "" {
		if a.ID, err = pathID(r); err != nil {
			return err
		}
	}
	f := r.PostForm
	a.Category, a.Title, a.Summary, a.Body = f.Get("category"), f.Get("title"), f.Get("summary"), f.Get("body")
	a.Version, _ = strconv.Atoi(f.Get("version"))
	pubText, wdText := f.Get("publish_at"), f.Get("withdraw_at")
	var fe []healthcell.FieldError
	if a.PublishAt, err = parseFormTime("publish_at", pubText); err != nil {
		fe = append(fe, healthcell.ErrorFields(err)...)
	}
	if a.WithdrawAt, err = parseFormTime("withdraw_at", wdText); err != nil {
		fe = append(fe, healthcell.ErrorFields(err)...)
	}
	if f.Get("action") == "publish" && a.PublishAt == nil {
		now := s.now()
		a.PublishAt = &now
		pubText = formTime(&now)
	}
	err = healthcell.Invalid(fe)
	if err == nil {
		err = s.svc.Articles.SaveArticle(r.Context(), a)
	}
	if healthcell.ErrorCode(err) == healthcell.EINVALID {
		return s.articleForm(w, r, http.StatusUnprocessableEntity, a, pubText, wdText, err)
	}
	if err != nil {
		return err
	}
	s.public.clear()
	s.sessions.Put(r.Context(), "notice", "article.saved")
	http.Redirect(w, r, fmt.Sprintf("/outreach/articles/%d", a.ID), http.StatusSeeOther)
	return nil
}

// articleWithdraw is POST /outreach/articles/{id}/withdraw.
func (s *Server) articleWithdraw(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if s.svc.Articles == nil {
		return healthcell.Errorf(healthcell.ENOTFOUND, "error.not_found")
	}
	if err := s.svc.Articles.WithdrawArticle(r.Context(), id); err != nil {
		return err
	}
	s.public.clear()
	s.sessions.Put(r.Context(), "notice", "article.withdrawn")
	http.Redirect(w, r, fmt.Sprintf("/outreach/articles/%d", id), http.StatusSeeOther)
	return nil
}

// articleImageUpload is POST /outreach/articles/{id}/images: a picture,
// resized; the form then shows the line to paste into the text.
func (s *Server) articleImageUpload(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if s.svc.Articles == nil {
		return healthcell.Errorf(healthcell.ENOTFOUND, "error.not_found")
	}
	data, name, err := readUpload(w, r, "image", healthcell.MaxEvidenceBytes)
	if err == nil {
		_, err = s.svc.Articles.AddArticleImage(r.Context(), id, name, data)
	}
	if healthcell.ErrorCode(err) == healthcell.EINVALID {
		a, ferr := s.svc.Articles.FindArticle(r.Context(), id)
		if ferr != nil {
			return ferr
		}
		return s.articleForm(w, r, http.StatusUnprocessableEntity, a, formTime(a.PublishAt), formTime(a.WithdrawAt), err)
	}
	if err != nil {
		return err
	}
	s.sessions.Put(r.Context(), "notice", "article.image.added")
	http.Redirect(w, r, fmt.Sprintf("/outreach/articles/%d#images", id), http.StatusSeeOther)
	return nil
}
