package main

// Browser test of issue 14's phone check: for each demo role, every page of
// the navigation at 360 px, and the pages they lead to that the issue names
// (the dashboard's themes and indicator pages, a bulletin, the to-do queue,
// the plan, a campaign summary, a score sheet), fits the screen without
// sideways scrolling, of the page or of a box inside it, runs without a
// console error (a blocked inline script or handler shows there as a content
// security policy violation), and every link it shows answers 200. On
// PostgreSQL the same requests are replayed (e2e_replay_test.go).

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// e2eConsole collects the console errors of a tab.
type e2eConsole struct {
	mu   sync.Mutex
	errs []string
}

func (c *e2eConsole) add(s string) {
	c.mu.Lock()
	c.errs = append(c.errs, s)
	c.mu.Unlock()
}

// take returns the errors collected since the last take.
func (c *e2eConsole) take() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.errs
	c.errs = nil
	return out
}

// listenConsole starts collecting the tab's console errors, uncaught
// exceptions and error log entries (CSP violations among them).
func (b *e2eBrowser) listenConsole() *e2eConsole {
	b.t.Helper()
	c := &e2eConsole{}
	err := chromedp.Listen(b.ctx, func(ev any) {
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeAssert {
				var parts []string
				for _, a := range e.Args {
					parts = append(parts, strings.Trim(string(a.Value), `"`)+a.Description)
				}
				c.add("console." + string(e.Type) + ": " + strings.Join(parts, " "))
			}
		case *runtime.EventExceptionThrown:
			if d := e.ExceptionDetails; d != nil {
				msg := d.Text
				if d.Exception != nil {
					msg += " " + d.Exception.Description
				}
				c.add("exception: " + msg)
			}
		case *log.EventEntryAdded:
			if e.Entry != nil && e.Entry.Level == log.EntryLevelError {
				c.add(fmt.Sprintf("log (%s): %s %s", e.Entry.Source, e.Entry.Text, e.Entry.URL))
			}
		}
	})
	if err != nil {
		b.fatalf("listen to the console: %v", err)
	}
	return c
}

// e2eRoles are the demo accounts, one per role.
var e2eRoles = []string{"admin", "jiaoyu", "lingjiang", "jinsui", "xuexiao", "zhuanjia", "lingdao"}

// linkStatuses fetches each link with the tab's cookies (the role's
// session), eight at a time from the test rather than from the page, so
// that a failing link leaves no network error in the page's console, and
// returns the links that do not answer 200 with their status (0 when the
// request failed, 401 when it ended on the login page).
func (b *e2eBrowser) linkStatuses(links []string) map[string]int {
	b.t.Helper()
	s := b.session()
	status := make([]int, len(links))
	sem := make(chan struct{}, 8)
	var wg sync.WaitGroup
	for i, l := range links {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			status[i], _ = s.get(b, l)
		}()
	}
	wg.Wait()
	bad := map[string]int{}
	for i, st := range status {
		if st != 200 {
			bad[links[i]] = st
		}
	}
	return bad
}

// checkLinks fetches the links of page (as user) not yet in checked, a
// page's own links (under "/", not the language switch or logging out),
// and reports each that does not answer 200; it adds them to checked.
func (b *e2eBrowser) checkLinks(user, page string, links []string, checked map[string]bool) {
	b.t.Helper()
	var todo []string
	for _, l := range links {
		if !strings.HasPrefix(l, "/") || strings.HasPrefix(l, "/lang") || strings.HasPrefix(l, "/logout") || checked[l] {
			continue
		}
		checked[l] = true
		todo = append(todo, l)
	}
	bad := b.linkStatuses(todo)
	keys := make([]string, 0, len(bad))
	for l := range bad {
		keys = append(keys, l)
	}
	sort.Strings(keys)
	for _, l := range keys {
		b.errorf("%s: on %s the link %s answers %d", user, page, l, bad[l])
	}
}

func TestPhoneNavigationJourney(t *testing.T) {
	e2eEngines(t, func(t *testing.T, dsn string) {
		b := e2eNewBrowserFor(t, dsn, "phone-nav", 15*time.Minute)
		b.narrow()
		console := b.listenConsole()
		kinds := map[string][]string{}
		for _, user := range e2eRoles {
			if user != e2eRoles[0] {
				b.do("log out", chromedp.Evaluate[chromedp.Void](`document.getElementById("logout").click()`))
				b.do("login page", chromedp.WaitVisible(chromedp.ID("username")))
			}
			if st := b.login(user, DemoPassword); st != 200 {
				b.fatalf("login as %s: status %d", user, st)
			}
			console.take()
			nav := e2eEval[[]string](b, "navigation", `Array.from(new Set(Array.from(document.querySelectorAll("header.topbar a[href^='/']"), a => a.getAttribute("href")).filter(h => !h.startsWith("/lang"))))`)
			if len(nav) < 5 {
				b.fatalf("%s: only %d navigation links: %v", user, len(nav), nav)
			}
			checked := map[string]bool{}
			// Beyond the navigation: the pages its pages lead to that
			// issue 14 names (dashboard themes, indicator pages, a
			// bulletin, the plan, a summary, a score sheet).
			pages := append([]string(nil), nav...)
			queued := map[string]bool{}
			budget := map[int]int{} // links followed by rule
			for _, p := range nav {
				queued[p] = true
			}
			for len(pages) > 0 {
				page := pages[0]
				pages = pages[1:]
				if st := b.open(page); st != 200 {
					b.errorf("%s: %s answers %d", user, page, st)
					continue
				}
				b.settle()
				name := user + strings.NewReplacer("/", "-", "?", "-", "=", "-", "&", "-").Replace(page)
				b.checkpoint(name)
				// Nor does anything inside the page scroll sideways: a
				// table becomes cards or keeps its key columns.
				for _, e := range b.innerScrollers() {
					b.errorf("%s: on %s a box scrolls sideways: %s", user, page, e)
				}
				for _, e := range console.take() {
					b.errorf("%s: %s: %s", user, page, e)
				}
				links := e2eEval[[]string](b, "links", `Array.from(new Set(Array.from(document.querySelectorAll("a[href^='/']"), a => a.getAttribute("href")).filter(h => !h.startsWith("/lang") && !h.startsWith("/logout"))))`)
				b.checkLinks(user, page, links, checked)
				if k := phonePageKind(page); k != "" {
					kinds[k] = append(kinds[k], user)
				}
				for _, l := range b.phoneFollow(page, budget) {
					if !queued[l] {
						queued[l] = true
						pages = append(pages, l)
					}
				}
			}
		}
		for _, k := range []string{"theme", "indicator", "bulletin", "queue", "plan", "summary", "sheet"} {
			if len(kinds[k]) == 0 {
				t.Errorf("no role reached a %s page", k)
			}
		}
		t.Logf("pages by kind and role: %v", kinds)
	})
}

// phoneFollows are, by the page they are on (exactly, or every page under
// a page ending in "/"), the links the phone check follows beyond the
// navigation, and how many of each a role follows in all.
var phoneFollows = []struct {
	page, css string
	n         int
}{
	{"/dashboard", "#themes a", 20},
	{"/dashboard", "a.ind-link", 2},
	{"/dashboard", "#dash-plan a", 1},
	{"/dashboard/indicators/", "a.drill", 2},
	{"/applications", "a[href='/campaigns']", 1},
	{"/campaigns", "a.plan-link", 1},
	{"/campaigns", "a.campaign-summary", 1},
	{"/bulletins", "#bulletins a[href^='/bulletins/']", 1},
	{"/sheets", "#sheets a[href^='/sheets/']", 1},
	{"/queue", "#queue-plan-tasks a", 1},
}

// phoneFollow returns the links to follow from page (shown in the
// browser), counting them in budget by rule.
func (b *e2eBrowser) phoneFollow(page string, budget map[int]int) []string {
	b.t.Helper()
	var out []string
	for i, f := range phoneFollows {
		if !phoneRuleOn(f.page, page) {
			continue
		}
		n := f.n - budget[i]
		if n <= 0 {
			continue
		}
		js := fmt.Sprintf(`Array.from(document.querySelectorAll(%s), a => a.getAttribute("href")).filter(h => h && h.startsWith("/") && !/\.[a-z]+$/.test(h.split("?")[0])).slice(0, %d)`, jsQuote(f.css), n)
		for _, h := range e2eEval[[]string](b, "links to follow", js) {
			h, _, _ = strings.Cut(h, "#")
			out = append(out, h)
			budget[i]++
		}
	}
	return out
}

// phoneRuleOn reports whether a phoneFollows rule for rulePage applies on
// page: the same page, or any page under a rulePage ending in "/".
func phoneRuleOn(rulePage, page string) bool {
	return page == rulePage || (strings.HasSuffix(rulePage, "/") && strings.HasPrefix(page, rulePage))
}

// phonePageKind names the kind of page the phone check must reach at
// least once, "" for others.
func phonePageKind(page string) string {
	path, query, _ := strings.Cut(page, "?")
	switch {
	case path == "/dashboard" && strings.Contains(query, "theme="):
		return "theme"
	case strings.HasPrefix(path, "/dashboard/indicators/"):
		return "indicator"
	case strings.HasPrefix(path, "/bulletins/"):
		return "bulletin"
	case path == "/queue":
		return "queue"
	case strings.HasPrefix(path, "/campaigns/") && strings.HasSuffix(path, "/plan"):
		return "plan"
	case strings.HasPrefix(path, "/campaigns/") && strings.HasSuffix(path, "/summary"):
		return "summary"
	case strings.HasPrefix(path, "/sheets/"):
		return "sheet"
	}
	return ""
}

// settle waits until the page shown has loaded. A page that is replaced
// while the wait runs (its execution context destroyed: "Cannot find
// context with specified id") is waited for again, up to three times.
func (b *e2eBrowser) settle() {
	b.t.Helper()
	for try := 1; ; try++ {
		err := chromedp.Do(b.ctx, chromedp.Poll[chromedp.Void](`document.readyState === "complete"`, chromedp.WithPollingTimeout(e2eScaled(30*time.Second))))
		if err == nil {
			return
		}
		if try == 3 || !strings.Contains(err.Error(), "Cannot find context") {
			b.fatalf("settle: %v", err)
		}
	}
}
