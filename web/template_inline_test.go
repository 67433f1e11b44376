package web

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"path"
	"testing"
	"text/template/parse"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/locale"
)

// TestInlinedTranslations renders pages with the translations of constant
// keys filled in at parse time and with every {{.T "key"}} called as
// written, in every language, and checks that they are the same bytes.
func TestInlinedTranslations(t *testing.T) {
	s, err := New(shippedConfig(t), Services{})
	if err != nil {
		t.Fatal(err)
	}
	plain, err := parseTemplateSets(s.i18n, false)
	if err != nil {
		t.Fatal(err)
	}
	inlined := s.tmpl
	user := &healthcell.User{ID: 1, Username: "admin", DisplayName: "县爱卫办<管理员>", Role: healthcell.RoleCountyAdmin, Scope: "510824000000"}
	village := &healthcell.DivisionView{
		DivisionNode: healthcell.DivisionNode{Division: healthcell.Division{Code: "510824100001", Name: "金穗社区居民委员会", Level: healthcell.LevelVillage, Parent: "510824100000"}},
		Ancestors: []healthcell.Division{{Code: "510000000000", Name: "四川省", Level: 1}, {Code: "510800000000", Name: "广元市", Level: 2},
			{Code: "510824000000", Name: "苍溪县", Level: 3}, {Code: "510824100000", Name: "陵江镇", Level: 4}},
	}
	village.Households, village.Persons = 798, 2458
	county := &healthcell.DivisionView{
		DivisionNode: healthcell.DivisionNode{Division: healthcell.Division{Code: "510824000000", Name: "苍溪县", Level: 3, Parent: "510800000000"}},
		Children: []healthcell.DivisionNode{{Division: healthcell.Division{Code: "510824100000", Name: "陵江镇", Level: 4}},
			{Division: healthcell.Division{Code: "510824101000", Name: "云峰镇", Level: 4}}},
	}
	var hs []*healthcell.Household
	for i := range pageSize {
		hs = append(hs, &healthcell.Household{ID: int64(1000 + i), Number: fmt.Sprintf("%04d", i+1), Group: fmt.Sprintf("%d组", i%9+1), HeadName: "张三丰", Members: 3})
	}
	sheets := []*healthcell.ScoreSheet{{ID: 7, UnitName: "金穗社区", StandardCode: "healthy-village", Kind: healthcell.SheetSelf, Year: 2025}}
	for _, lang := range locale.Languages {
		r := httptest.NewRequest("GET", "/divisions/510824100001?page=2", nil)
		r.AddCookie(&http.Cookie{Name: "lang", Value: lang})
		r = r.WithContext(context.WithValue(r.Context(), userKey{}, user))
		views := map[string]struct {
			name string
			view any
		}{
			"village": {"division", func() any {
				v := divisionView{Page: s.newPage(r, "nav.tree"), Div: village, Households: hs, HouseholdRows: householdRows(hs),
					Pager: newPager(r, 2, 798), CanWrite: true, CanScore: true, Sheets: sheets,
					Standards: []selfAssessment{{Code: "healthy-village", Label: "健康村自查"}}}
				v.Notice = "saved"
				for _, an := range village.Ancestors {
					v.Crumbs = append(v.Crumbs, crumb{Code: an.Code, Name: an.Name, Link: v.Covers(an.Code)})
				}
				v.CrumbItems = crumbItems(v.Crumbs)
				return v
			}()},
			"empty village": {"division", divisionView{Page: s.newPage(r, "nav.tree"), Div: village}},
			"county": {"division", divisionView{Page: s.newPage(r, "nav.tree"), Div: county, ChildRows: childRows(county.Children, func(string) bool { return true }),
				Chart: []chartBar{{"陵江镇", 10}, {"云峰镇", 20}}}},
			"login": {"login", loginView{Page: s.newPage(r, "login.title"), Username: "x"}},
		}
		for name, c := range views {
			var got, want bytes.Buffer
			s.tmpl = inlined
			if err := s.render(httptest.NewRecorder(), r, 200, c.name, c.view); err != nil {
				t.Fatal(err)
			}
			if err := renderWith(inlined, &got, lang, c.name, c.view); err != nil {
				t.Fatal(err)
			}
			if err := renderWith(plain, &want, lang, c.name, c.view); err != nil {
				t.Fatal(err)
			}
			if got.String() != want.String() {
				t.Errorf("%s, %s: inlined page differs:\n%s\n---- want ----\n%s", lang, name, got.String(), want.String())
			}
			if got.Len() < 500 {
				t.Errorf("%s, %s: page too short: %s", lang, name, got.String())
			}
		}
	}
}

func renderWith(t *templates, b *bytes.Buffer, lang, name string, view any) error {
	set, ok := t.set(lang, name)
	if !ok {
		return fmt.Errorf("no template %s", name)
	}
	return set.ExecuteTemplate(b, "layout", view)
}

// TestInlineTranslationsContext checks where a translation becomes text and
// where a string constant.
func TestInlineTranslationsContext(t *testing.T) {
	tr := func(key string) string { return "<" + key + "> & 'x'+" }
	for _, c := range []struct{ in, want string }{
		{`<p>{{.T "a"}}</p>`, `<p>&lt;a&gt; &amp; &#39;x&#39;&#43;</p>`},
		{`<p title="{{.T "a"}}">{{$.T "b"}}</p>`, `<p title="{{"<a> & 'x'+"}}">&lt;b&gt; &amp; &#39;x&#39;&#43;</p>`},
		{`<script>var x = "{{.T "a"}}"</script>{{.Page.T "b"}}`, `<script>var x = "{{"<a> & 'x'+"}}"</script>&lt;b&gt; &amp; &#39;x&#39;&#43;`},
		{`<!-- {{.T "a"}} -->`, `<!-- {{"<a> & 'x'+"}} -->`},
		{`{{.T "a" (dict "N" 1)}} {{.T .Key}}`, `{{.T "a" (dict "N" 1)}} {{.T .Key}}`},
		{`<a href="/x?{{if .X}}{{.T "a"}}{{end}}">`, `<a href="/x?{{if .X}}{{"<a> & 'x'+"}}{{end}}">`},
	} {
		if got := inlineTranslations(c.in, tr); got != c.want {
			t.Errorf("inlineTranslations(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestTranslationSitesInText checks, for every template file, that each
// translation inlineTranslations writes as text is one html/template escapes
// as HTML text: the files are parsed as written, escaped by html/template
// (executing each template once, with no data), and the escaping functions
// it gave each {{.T "key"}} action are compared with the site's context.
func TestTranslationSitesInText(t *testing.T) {
	layouts, err := fs.Glob(assets, "templates/layout/*.html")
	if err != nil {
		t.Fatal(err)
	}
	files, err := fs.Glob(assets, "templates/*.html")
	if err != nil {
		t.Fatal(err)
	}
	textEscapers := map[string]bool{"_html_template_htmlescaper": true, "_html_template_rcdataescaper": true}
	inText := map[string]bool{} // file:offset → the site is written as text
	sources := map[string]string{}
	for _, f := range append(layouts, files...) {
		b, err := fs.ReadFile(assets, f)
		if err != nil {
			t.Fatal(err)
		}
		sources[f] = string(b)
		for _, site := range translationSites(string(b)) {
			inText[fmt.Sprintf("%s:%d", path.Base(f), site.start+len("{{"))] = site.inText // a node's Pos is after the delimiter
		}
	}
	checked := 0
	for _, f := range files {
		set := template.New("base").Funcs(templateFuncs())
		for _, l := range append(layouts, f) {
			if _, err := set.New(path.Base(l)).Parse(sources[l]); err != nil {
				t.Fatal(err)
			}
		}
		for _, tt := range set.Templates() {
			_ = tt.Execute(io.Discard, nil) // escapes it; executing without data fails
		}
		for _, tt := range set.Templates() {
			if tt.Tree == nil {
				continue
			}
			walkActions(tt.Tree.Root, func(a *parse.ActionNode) {
				key := fmt.Sprintf("%s:%d", tt.Tree.ParseName, a.Pos)
				text, ok := inText[key]
				if !ok || !text {
					return
				}
				checked++
				last := a.Pipe.Cmds[len(a.Pipe.Cmds)-1].String()
				if !textEscapers[last] {
					t.Errorf("%s (%s): inlined as text, but html/template escapes it with %s", key, a, last)
				}
			})
		}
	}
	t.Logf("checked %d", checked)
	if checked < 100 {
		t.Errorf("checked only %d translations written as text", checked)
	}
}

// walkActions calls fn for every action under n.
func walkActions(n parse.Node, fn func(*parse.ActionNode)) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n != nil {
			for _, c := range n.Nodes {
				walkActions(c, fn)
			}
		}
	case *parse.ActionNode:
		fn(n)
	case *parse.IfNode:
		walkActions(n.List, fn)
		walkActions(n.ElseList, fn)
	case *parse.RangeNode:
		walkActions(n.List, fn)
		walkActions(n.ElseList, fn)
	case *parse.WithNode:
		walkActions(n.List, fn)
		walkActions(n.ElseList, fn)
	}
}
