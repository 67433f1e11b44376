package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/locale"
)

// templates holds one parsed set per page and language: the layout and
// partials plus the page's own file, with the translations of constant keys
// filled in (template_inline.go).
type templates struct {
	pages map[string]map[string]*template.Template // language → page → set
	// nav is the layout alone by language, for the "navlinks" block;
	// navLinks holds that block rendered, by language and permissions
	// (Page.NavLinks).
	nav      map[string]*template.Template
	navLinks sync.Map
}

// parseTemplates parses every page under templates/ with the shared layout,
// once for each language; it returns the first parse error so a broken
// template stops start-up.
func parseTemplates(tr *locale.Catalog) (*templates, error) {
	return parseTemplateSets(tr, true)
}

// parseTemplateSets is parseTemplates, with the translations of constant
// keys filled in when inline is set (false only to test that it changes
// nothing).
func parseTemplateSets(tr *locale.Catalog, inline bool) (*templates, error) {
	funcs := templateFuncs()
	layouts, err := fs.Glob(assets, "templates/layout/*.html")
	if err != nil {
		return nil, err
	}
	files, err := fs.Glob(assets, "templates/*.html")
	if err != nil {
		return nil, err
	}
	sources := map[string]string{}
	for _, f := range append(layouts, files...) {
		b, err := fs.ReadFile(assets, f)
		if err != nil {
			return nil, err
		}
		sources[f] = string(b)
	}
	t := &templates{pages: map[string]map[string]*template.Template{}, nav: map[string]*template.Template{}}
	for _, lang := range locale.Languages {
		translate := func(key string) string { return tr.T(lang, key, nil) }
		parse := func(set *template.Template, f string) error {
			src := sources[f]
			if inline {
				src = inlineTranslations(src, translate)
			}
			_, err := set.New(path.Base(f)).Parse(src)
			if err != nil {
				return fmt.Errorf("parse %s: %w", f, err)
			}
			return nil
		}
		base := template.New("base").Funcs(funcs)
		for _, f := range layouts {
			if err := parse(base, f); err != nil {
				return nil, err
			}
		}
		if t.nav[lang], err = base.Clone(); err != nil {
			return nil, err
		}
		pages := map[string]*template.Template{}
		for _, f := range files {
			b, err := base.Clone()
			if err != nil {
				return nil, err
			}
			if err := parse(b, f); err != nil {
				return nil, err
			}
			pages[strings.TrimSuffix(path.Base(f), ".html")] = b
		}
		t.pages[lang] = pages
	}
	return t, nil
}

// templateFuncs are the functions the templates may call.
func templateFuncs() template.FuncMap {
	return template.FuncMap{
		"add":       func(a, b int) int { return a + b },
		"sub":       func(a, b int) int { return a - b },
		"date":      func(t time.Time) string { return t.Local().Format("2006-01-02 15:04") },
		"levelKey":  func(l int) string { return fmt.Sprintf("level.%d", l) },
		"isVillage": func(l int) bool { return l == healthcell.LevelVillage },
		"json":      func(v any) template.JS { return template.JS(mustJSON(v)) },
		"list":      func(v ...any) []any { return v },
		"deref":     func(b *bool) bool { return b != nil && *b },
		"fnum":      fnum,
		"fval":      fval,
		"dict": func(kv ...any) map[string]any {
			m := map[string]any{}
			for i := 0; i+1 < len(kv); i += 2 {
				m[fmt.Sprint(kv[i])] = kv[i+1]
			}
			return m
		},
	}
}

// set returns the parsed templates of page name in lang (the default
// language's when lang is not offered).
func (t *templates) set(lang, name string) (*template.Template, bool) {
	pages, ok := t.pages[lang]
	if !ok {
		pages = t.pages[locale.Default]
	}
	set, ok := pages[name]
	return set, ok
}

// Page is the part of every view that the layout reads.
type Page struct {
	Lang   string
	Title  string
	User   *healthcell.User
	Path   string
	Notice string
	tr     *locale.Catalog
	tmpl   *templates
}

// T translates key into the page's language; an optional map fills named fields.
func (p Page) T(key string, data ...any) string {
	var d any
	if len(data) > 0 {
		d = data[0]
	}
	return p.tr.T(p.Lang, key, d)
}

// NavLinks returns the navigation links that depend only on the language
// and the user's permissions — the layout's "navlinks" block — rendered once
// per combination: the layout is on every page, and its translations, each
// a call through reflection, were a fifth of a village page's time. It
// returns the error of rendering the block.
func (p Page) NavLinks() (template.HTML, error) {
	key := fmt.Sprint(p.Lang, p.SeesPersonal(), p.CanImport(), p.CanManageUsers(), p.IsUnitContact())
	if h, ok := p.tmpl.navLinks.Load(key); ok {
		return h.(template.HTML), nil
	}
	var b strings.Builder
	nav, ok := p.tmpl.nav[p.Lang]
	if !ok {
		nav = p.tmpl.nav[locale.Default]
	}
	if err := nav.ExecuteTemplate(&b, "navlinks", p); err != nil {
		return "", err
	}
	h := template.HTML(b.String())
	p.tmpl.navLinks.Store(key, h)
	return h, nil
}

// lang is the page's language, which chooses the parsed templates (render).
func (p Page) lang() string { return p.Lang }

// Home is the division the user's tree starts at.
func (p Page) Home() string {
	if p.User == nil {
		return ""
	}
	return p.User.Scope
}

// SeesPersonal reports whether the user sees personal data in their scope
// (and so the reconciliation page).
func (p Page) SeesPersonal() bool {
	return p.User != nil && healthcell.ActorOf(p.User).SeesPersonal(p.User.Scope)
}

// IsUnitContact reports whether the user is an institution's contact (a
// school's liaison): they see neither residents, families, registers nor
// questionnaire responses, so the pages hide those links.
func (p Page) IsUnitContact() bool {
	return p.User != nil && p.User.Role == healthcell.RoleUnit
}

// CanManageUsers reports whether the user sees the account pages.
func (p Page) CanManageUsers() bool {
	return p.User != nil && healthcell.ActorOf(p.User).CanManageUsers()
}

// page returns the common view fields for r.
func (s *Server) newPage(r *http.Request, title string) Page {
	p := Page{Lang: langOf(r), User: userFrom(r.Context()), Path: returnPath(r), tr: s.i18n, tmpl: s.tmpl}
	p.Title = p.T(title)
	if hasSession(r.Context()) {
		p.Notice = s.sessions.PopString(r.Context(), "notice")
	}
	return p
}

// render executes the page template name with view into a buffer first, so a
// template error never sends half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, view any) error {
	return s.renderRoot(w, r, status, name, "layout", view)
}

// renderRoot is render with another layout: root is the template executed
// (the public pages' "publiclayout").
func (s *Server) renderRoot(w http.ResponseWriter, r *http.Request, status int, name, root string, view any) error {
	// The layout reads the view's Page by name (.Page.Lang: a field
	// promoted from an embedded struct costs text/template a search).
	l, ok := view.(interface{ lang() string })
	if !ok {
		return fmt.Errorf("render %s: the view does not embed Page", name)
	}
	t, ok := s.tmpl.set(l.lang(), name)
	if !ok {
		return fmt.Errorf("no template %q", name)
	}
	buf := renderBuffers.Get().(*bytes.Buffer)
	defer putRenderBuffer(buf)
	if err := t.ExecuteTemplate(buf, root, view); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	// The whole page is at hand: with its length the response goes out in
	// one piece instead of in chunks.
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, err := buf.WriteTo(w)
	return err
}

// renderBuffers are reused page buffers: a page is 10–30 KB, and growing a
// fresh buffer to that size for every request is garbage for the collector.
var renderBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// putRenderBuffer returns buf to the pool unless a very large page grew it.
func putRenderBuffer(buf *bytes.Buffer) {
	if buf.Cap() > 1<<20 {
		return
	}
	buf.Reset()
	renderBuffers.Put(buf)
}

// formErrors maps field names to translated messages for a form.
type formErrors map[string]string

func (s *Server) formErrors(lang string, err error) formErrors {
	fe := formErrors{}
	for _, f := range healthcell.ErrorFields(err) {
		if _, dup := fe[f.Field]; !dup {
			fe[f.Field] = s.i18n.T(lang, f.Message, nil)
		}
	}
	return fe
}

// TOr translates key, or returns fallback when there is no such message.
func (p Page) TOr(key, fallback string) string {
	if !p.tr.Has(key) {
		return fallback
	}
	return p.T(key)
}

// Covers reports whether code lies in the user's scope (for links).
func (p Page) Covers(code string) bool {
	return p.User != nil && healthcell.Covers(p.User.Scope, code)
}

// returnPath is where the language switch comes back to: the page itself,
// or for a form that was posted, the page the form was on.
func returnPath(r *http.Request) string {
	if r.Method == http.MethodGet {
		return r.URL.RequestURI()
	}
	if ref, err := url.Parse(r.Referer()); err == nil && ref.Host == r.Host {
		if p := localPath(ref.RequestURI()); p != "" {
			return p
		}
	}
	return "/"
}
