package main

// The PostgreSQL half of the phone navigation journey: the pages the
// SQLite half shows in the browser (their width and console are the
// browser's and the same on both engines) are fetched from the test with
// the tab's session, each must answer 200, and so must every link on them.
// The pages are found by the same rules (phoneFollows), matched on the
// served HTML by a small CSS selector matcher.

import (
	"bytes"
	"io"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"golang.org/x/net/html"
)

// e2eSession fetches pages of the server with the tab's cookies.
type e2eSession struct {
	base    string
	cookies string
	client  *http.Client
}

// session returns a client with the tab's cookies (the signed-in role's
// session); it fails the test when the tab has none to give.
func (b *e2eBrowser) session() *e2eSession {
	b.t.Helper()
	got, err := chromedp.Call(b.ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{b.base + "/"}})
	if err != nil {
		b.fatalf("the tab's cookies: %v", err)
	}
	var cookies []string
	for _, c := range got.Cookies {
		cookies = append(cookies, c.Name+"="+c.Value)
	}
	return &e2eSession{base: b.base, cookies: strings.Join(cookies, "; "), client: &http.Client{Timeout: e2eScaled(30 * time.Second)}}
}

// get fetches path and returns the status (0 when the request failed, 401
// when it ended on the login page: the session did not go with it) and the
// body.
func (s *e2eSession) get(b *e2eBrowser, path string) (int, []byte) {
	req, err := http.NewRequestWithContext(b.ctx, http.MethodGet, s.base+path, nil)
	if err != nil {
		return 0, nil
	}
	req.Header.Set("Cookie", s.cookies)
	req.Header.Set("Accept-Language", "zh-CN")
	resp, err := s.client.Do(req)
	if err != nil {
		return 0, nil
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, nil
	}
	if resp.Request.URL.Path == "/login" && !strings.HasPrefix(path, "/login") {
		return http.StatusUnauthorized, body
	}
	return resp.StatusCode, body
}

// crawlServed checks, for the role signed in, the pages reached from nav
// by phoneFollows on the served HTML: each answers 200 and every link it
// shows answers 200. It adds the kinds of page reached to kinds.
func (b *e2eBrowser) crawlServed(user string, nav []string, kinds map[string][]string) {
	b.t.Helper()
	s := b.session()
	checked := map[string]bool{}
	queued := map[string]bool{}
	budget := map[int]int{}
	pages := append([]string(nil), nav...)
	for _, p := range nav {
		queued[p] = true
	}
	for len(pages) > 0 {
		page := pages[0]
		pages = pages[1:]
		st, body := s.get(b, page)
		if st != 200 {
			b.errorf("%s: %s answers %d", user, page, st)
			continue
		}
		doc, err := html.Parse(bytes.NewReader(body))
		if err != nil {
			b.errorf("%s: %s: %v", user, page, err)
			continue
		}
		b.checkLinks(user, page, hrefs(doc, "a"), checked)
		if k := phonePageKind(page); k != "" {
			kinds[k] = append(kinds[k], user)
		}
		for i, f := range phoneFollows {
			if !phoneRuleOn(f.page, page) || budget[i] >= f.n {
				continue
			}
			for _, h := range hrefs(doc, f.css) {
				if budget[i] >= f.n {
					break
				}
				if !strings.HasPrefix(h, "/") || phoneFileLink.MatchString(strings.Split(h, "?")[0]) {
					continue
				}
				h, _, _ = strings.Cut(h, "#")
				budget[i]++
				if !queued[h] {
					queued[h] = true
					pages = append(pages, h)
				}
			}
		}
	}
}

// phoneFileLink matches a path that ends in a file extension (a download,
// not a page).
var phoneFileLink = regexp.MustCompile(`\.[a-z]+$`)

// phoneRuleOn reports whether a phoneFollows rule for rulePage applies on
// page: the same page, or any page under a rulePage ending in "/".
func phoneRuleOn(rulePage, page string) bool {
	return page == rulePage || (strings.HasSuffix(rulePage, "/") && strings.HasPrefix(page, rulePage))
}

// hrefs returns, in document order, the href of every element of doc that
// matches css, a selector of the forms phoneFollows uses: compound
// selectors (tag, #id, .class, [attr='v'], [attr^='v']) joined by the
// descendant combinator.
func hrefs(doc *html.Node, css string) []string {
	sel := parseSelector(css)
	var out []string
	for n := range doc.Descendants() {
		if n.Type == html.ElementNode && sel.match(n) {
			if h, ok := attrOf(n, "href"); ok {
				out = append(out, h)
			}
		}
	}
	return out
}

// selector is a descendant chain of compound selectors, outermost first.
type selector []compound

// compound is one compound selector.
type compound struct {
	tag, id string
	classes []string
	attrs   []attrTest
}

// attrTest is [name='value'] (prefix false) or [name^='value'].
type attrTest struct {
	name, value string
	prefix      bool
}

var (
	compoundPart = regexp.MustCompile(`^(?:[a-z0-9]+|#[\w-]+|\.[\w-]+|\[[\w-]+\^?=['"][^'"]*['"]\])`)
	attrPart     = regexp.MustCompile(`^\[([\w-]+)(\^?)=['"]([^'"]*)['"]\]$`)
)

// parseSelector parses css; it panics on a form it does not know, which
// is a mistake in the test's own rules.
func parseSelector(css string) selector {
	var sel selector
	for _, word := range strings.Fields(css) {
		var c compound
		for word != "" {
			part := compoundPart.FindString(word)
			if part == "" {
				panic("selector form not supported: " + css)
			}
			word = word[len(part):]
			switch part[0] {
			case '#':
				c.id = part[1:]
			case '.':
				c.classes = append(c.classes, part[1:])
			case '[':
				m := attrPart.FindStringSubmatch(part)
				c.attrs = append(c.attrs, attrTest{name: m[1], value: m[3], prefix: m[2] == "^"})
			default:
				c.tag = part
			}
		}
		sel = append(sel, c)
	}
	return sel
}

// match reports whether n matches the last compound and has ancestors
// matching the others, in order.
func (s selector) match(n *html.Node) bool {
	if len(s) == 0 || !s[len(s)-1].match(n) {
		return false
	}
	rest := s[:len(s)-1]
	for p := n.Parent; p != nil && len(rest) > 0; p = p.Parent {
		if p.Type == html.ElementNode && rest[len(rest)-1].match(p) {
			rest = rest[:len(rest)-1]
		}
	}
	return len(rest) == 0
}

func (c compound) match(n *html.Node) bool {
	if c.tag != "" && n.Data != c.tag {
		return false
	}
	if c.id != "" {
		if id, _ := attrOf(n, "id"); id != c.id {
			return false
		}
	}
	class, _ := attrOf(n, "class")
	for _, want := range c.classes {
		if !containsWord(class, want) {
			return false
		}
	}
	for _, a := range c.attrs {
		v, ok := attrOf(n, a.name)
		if !ok || (a.prefix && !strings.HasPrefix(v, a.value)) || (!a.prefix && v != a.value) {
			return false
		}
	}
	return true
}

func containsWord(list, word string) bool {
	for _, w := range strings.Fields(list) {
		if w == word {
			return true
		}
	}
	return false
}

// attrOf returns n's attribute name and whether it has it.
func attrOf(n *html.Node, name string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val, true
		}
	}
	return "", false
}
