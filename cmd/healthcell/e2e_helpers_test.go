package main

// Helpers of the browser end-to-end tests (e2e_test.go): the demo server run
// in-process on SQLite or on a fresh PostgreSQL schema, and a headless
// Chromium driven through chromedp.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/catalog/standards"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// e2eChromium is the browser the end-to-end tests drive.
const e2eChromium = "/usr/bin/chromium"

// e2eTimeout bounds one test on one engine, browser and server start
// included, on a quiet machine; e2eNewBrowserFor scales it by e2eSlow.
const e2eTimeout = 60 * time.Second

// e2ePhone is the viewport of the browser: the officers work on their phones,
// and the narrowest common ones are 360 px wide.
var e2ePhone = struct{ width, height int }{360, 800}

// e2eSlow is how much longer than on a quiet machine the browser tests may
// take: HEALTHCELL_E2E_SLOW (a number ≥ 1), 3 when unset or unreadable. A
// busy 2-core machine (CI, or other tests running beside) makes Chromium and
// the server several times slower, and a deadline that fails there costs a
// landing; a test that really hangs still ends.
var e2eSlow = func() float64 {
	if f, err := strconv.ParseFloat(os.Getenv("HEALTHCELL_E2E_SLOW"), 64); err == nil && f >= 1 {
		return f
	}
	return 3
}()

// e2eScaled returns d scaled by e2eSlow: every deadline of a browser test
// (the whole test, a polling wait, a server start) goes through it.
func e2eScaled(d time.Duration) time.Duration {
	return time.Duration(float64(d) * e2eSlow)
}

// e2eRequireChromium skips the test when Chromium is missing, or fails it when
// HEALTHCELL_REQUIRE_CHROMIUM=1 (CI). It never skips under -short: these
// tests must run in CI.
func e2eRequireChromium(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(e2eChromium); err != nil {
		if os.Getenv("HEALTHCELL_REQUIRE_CHROMIUM") == "1" {
			t.Fatalf("Chromium is required (HEALTHCELL_REQUIRE_CHROMIUM=1) but %s is missing: %v", e2eChromium, err)
		}
		t.Skipf("Chromium not installed at %s; set HEALTHCELL_REQUIRE_CHROMIUM=1 to fail instead", e2eChromium)
	}
}

// e2eEngines runs fn, a journey in the browser, as the subtest "sqlite" on
// a database holding the small demo county, built as `healthcell demo
// --build-only` builds it, and records the requests it makes; the subtest
// "postgres" replays them on a PostgreSQL copy of the county
// (e2e_replay_test.go), or runs fn there too when
// HEALTHCELL_E2E_BROWSER_POSTGRES=1. The postgres subtest needs
// HEALTHCELL_TEST_POSTGRES; it is skipped without it, or fails when
// HEALTHCELL_REQUIRE_POSTGRES=1.
func e2eEngines(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Helper()
	e2eEnginesHow(t, e2eBrowserOnPostgres(), fn)
}

// e2eEnginesInBrowser is e2eEngines with the PostgreSQL half in the
// browser too, for a journey whose server draws at random (a sample, a
// quiz's questions), which a replay cannot repeat.
func e2eEnginesInBrowser(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Helper()
	e2eEnginesHow(t, true, fn)
}

// e2eEnginesHow runs fn on SQLite, then on PostgreSQL in the browser when
// browser is set, or replayed (not when the SQLite half failed).
func e2eEnginesHow(t *testing.T, browser bool, fn func(t *testing.T, dsn string)) {
	t.Helper()
	e2eRequireChromium(t)
	var rec *e2eRecording
	recorded := t.Run(sqlstore.SQLite, func(t *testing.T) {
		if !browser {
			rec = e2eRecord(t)
		}
		fn(t, e2eDemoCopy(t, sqlstore.SQLite))
	})
	t.Run(sqlstore.Postgres, func(t *testing.T) {
		if !browser && !recorded {
			t.Skip("the SQLite half failed: its requests are not replayed")
		}
		dsn := e2eDemoCopy(t, sqlstore.Postgres)
		if browser {
			fn(t, dsn)
			return
		}
		rec.replay(t, dsn)
	})
}

// e2eDemoCopy returns a fresh copy of the small demo county on engine. The
// demo is built once a test process (and again on a new campaign day, as
// its deadlines and dates count from the day it is built), since building
// it for every journey cost about 5 s each; e2eServe serves the copy.
func e2eDemoCopy(t *testing.T, engine string) string {
	t.Helper()
	return sqltest.Copy(t, engine, "demo "+healthcell.CampaignDay(time.Now()), func(dsn string) error {
		var stderr bytes.Buffer
		m := NewMain()
		m.Stdout, m.Stderr = io.Discard, &stderr
		m.Getenv = func(string) string { return "" }
		if err := m.Run(context.Background(), []string{"demo", "--db", dsn, "--scale", "small", "--build-only"}); err != nil {
			return fmt.Errorf("healthcell demo --build-only: %w\n%s", err, stderr.String())
		}
		return nil
	})
}

// e2eLog collects the server's log, which its goroutines write concurrently.
type e2eLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *e2eLog) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *e2eLog) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// e2eServe runs `healthcell serve` in-process on dsn, a copy of the demo
// county that e2eDemoCopy built, listening on a free port, and returns its
// base URL. (`healthcell demo` on a built county checks every step of the
// build again before it serves, ≈ 1.4 s a test; the demo command itself is
// tested in demo_test.go.) The server stops when the test ends; its log is
// printed when the test failed.
func e2eServe(t *testing.T, ctx context.Context, dsn string) string {
	t.Helper()
	var stderr e2eLog
	ready := make(chan string, 1)
	m := NewMain()
	m.Stdout, m.Stderr = io.Discard, &stderr
	m.Getenv = func(string) string { return "" }
	m.Ready = func(addr string) { ready <- addr }

	runCtx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- m.Run(runCtx, []string{"serve", "--db", dsn, "--addr", "127.0.0.1:0"})
	}()
	t.Cleanup(func() {
		stop()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("healthcell serve: %v", err)
			}
		case <-time.After(e2eScaled(15 * time.Second)):
			t.Errorf("healthcell serve did not stop within %s of its context ending", e2eScaled(15*time.Second))
		}
		if t.Failed() {
			t.Logf("server log:\n%s", stderr.String())
		}
	})
	select {
	case addr := <-ready:
		if rec := e2eRecordingFor(t.Name()); rec != nil {
			return rec.proxy(t, "http://"+addr)
		}
		return "http://" + addr
	case err := <-done:
		done <- err // for the cleanup
		t.Fatalf("healthcell serve ended before serving: %v\n%s", err, stderr.String())
	case <-ctx.Done():
		t.Fatalf("healthcell serve not serving before the deadline: %v\n%s", ctx.Err(), stderr.String())
	}
	return ""
}

// e2eBrowser is one headless Chromium tab on the demo server.
type e2eBrowser struct {
	t    *testing.T
	base string
	// ctx is the tab with the test's deadline; every step runs in it.
	ctx context.Context
	// tab is the same tab with a later deadline, to inspect a failure after
	// a step timed out.
	tab context.Context
	// shots is the directory screenshots go to ("" for none); prefix starts
	// their names.
	shots, prefix string
	// width is the viewport width the pages are checked at.
	width int
}

// desktop switches the browser to a 1280×900 desktop viewport.
func (b *e2eBrowser) desktop() {
	b.t.Helper()
	b.do("desktop viewport", chromedp.EmulateViewport(1280, 900))
	b.width = 1280
}

// e2eNewBrowser opens a tab of the shared Chromium in a browser context of
// its own (as private as a fresh profile) with a phone-sized viewport, and
// starts the server on dsn; the whole test gets e2eTimeout.
// Screenshots are named after prefix and the engine subtest.
func e2eNewBrowser(t *testing.T, dsn, prefix string) *e2eBrowser {
	t.Helper()
	return e2eNewBrowserFor(t, dsn, prefix, e2eTimeout)
}

// e2eNewBrowserFor is e2eNewBrowser with the whole test given timeout on a
// quiet machine (scaled by e2eSlow).
func e2eNewBrowserFor(t *testing.T, dsn, prefix string, timeout time.Duration) *e2eBrowser {
	t.Helper()
	start := time.Now()
	deadline := start.Add(e2eScaled(timeout))
	if rec := e2eRecordingFor(t.Name()); rec != nil {
		rec.mu.Lock()
		rec.timeout = timeout
		rec.mu.Unlock()
	}
	tab := e2eNewTab(t)
	// Chromium keeps a window at least 500 px wide whatever --window-size
	// says, so the page gets the phone's size (and its meta viewport) from
	// device emulation.
	if err := chromedp.Do(tab, chromedp.EmulateViewport(int64(e2ePhone.width), int64(e2ePhone.height), chromedp.EmulateMobile)); err != nil {
		t.Fatalf("emulate a %dx%d phone: %v", e2ePhone.width, e2ePhone.height, err)
	}
	ctx, cancel := context.WithDeadline(tab, deadline)
	t.Cleanup(cancel)

	engine := t.Name()[strings.LastIndex(t.Name(), "/")+1:]
	b := &e2eBrowser{t: t, ctx: ctx, tab: tab, shots: os.Getenv("HEALTHCELL_SCREENSHOTS"), prefix: prefix + "-" + engine, width: e2ePhone.width}
	b.base = e2eServe(t, ctx, dsn)
	t.Cleanup(func() { t.Logf("%s: %.1f s", t.Name(), time.Since(start).Seconds()) })
	return b
}

// fatalf ends the test with the page the browser shows, for diagnosis.
func (b *e2eBrowser) fatalf(format string, args ...any) {
	b.t.Helper()
	b.t.Fatalf("%s\n%s", fmt.Sprintf(format, args...), b.where())
}

// errorf reports a failed check with the page the browser shows.
func (b *e2eBrowser) errorf(format string, args ...any) {
	b.t.Helper()
	b.t.Errorf("%s\n%s", fmt.Sprintf(format, args...), b.where())
}

// where describes the current page: its address and the start of its text.
func (b *e2eBrowser) where() string {
	ctx, cancel := context.WithTimeout(b.tab, e2eScaled(5*time.Second))
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return fmt.Sprintf("(page unavailable: %v)", err)
	}
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
	if err != nil {
		text = fmt.Sprintf("(text unavailable: %v)", err)
	}
	if r := []rune(text); len(r) > 1500 {
		text = string(r[:1500]) + "…"
	}
	return fmt.Sprintf("page %s:\n%s", loc, text)
}

// do runs actions in order; what names the step in a failure.
func (b *e2eBrowser) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.fatalf("%s: %v", what, err)
	}
}

// load runs actions that cause a page load (a click on a link or a submit
// button, a navigation) and returns the HTTP status of the page loaded.
func (b *e2eBrowser) load(what string, actions ...chromedp.Action[chromedp.Void]) int64 {
	b.t.Helper()
	resp, err := chromedp.RunResponse(b.ctx, actions...)
	if err != nil {
		b.fatalf("%s: %v", what, err)
	}
	if resp == nil {
		b.fatalf("%s: no response", what)
	}
	return resp.Status
}

// open navigates to path on the server and returns the status.
func (b *e2eBrowser) open(path string) int64 {
	b.t.Helper()
	resp, err := chromedp.Run(b.ctx, chromedp.NavigateResponse(b.base+path))
	if err != nil {
		b.fatalf("open %s: %v", path, err)
	}
	return e2eStatus(resp)
}

func e2eStatus(r *network.Response) int64 {
	if r == nil {
		return 0
	}
	return r.Status
}

// path returns the path and query of the page shown.
func (b *e2eBrowser) path() string {
	b.t.Helper()
	loc, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		b.fatalf("location: %v", err)
	}
	return strings.TrimPrefix(loc, b.base)
}

// text returns the rendered text of the element with id, waiting for it.
func (b *e2eBrowser) text(id string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.ID(id), chromedp.NodeVisible))
	if err != nil {
		b.fatalf("text of #%s: %v", id, err)
	}
	return strings.TrimSpace(s)
}

// value returns the value of the form field with id.
func (b *e2eBrowser) value(id string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Value(chromedp.ID(id)))
	if err != nil {
		b.fatalf("value of #%s: %v", id, err)
	}
	return s
}

// attr returns an attribute of the element with id ("" when it has none).
func (b *e2eBrowser) attr(id, name string) string {
	b.t.Helper()
	a, err := chromedp.Run(b.ctx, chromedp.AttributeValue(chromedp.ID(id), name))
	if err != nil {
		b.fatalf("attribute %s of #%s: %v", name, id, err)
	}
	return a.Value
}

// e2eEval evaluates a JavaScript expression into a T.
func e2eEval[T any](b *e2eBrowser, what, js string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		b.fatalf("%s: %v", what, err)
	}
	return v
}

// exists reports whether the page has an element matching a CSS selector.
func (b *e2eBrowser) exists(css string) bool {
	b.t.Helper()
	return e2eEval[bool](b, "look for "+css, fmt.Sprintf(`document.querySelector(%s) !== null`, jsQuote(css)))
}

// rows returns the text of the body cells of the table matching css, a
// row a slice.
func (b *e2eBrowser) rows(css string) [][]string {
	b.t.Helper()
	js := fmt.Sprintf(`Array.from(document.querySelectorAll(%s + " tbody tr"), tr => Array.from(tr.cells, td => td.textContent.trim()))`, jsQuote(css))
	return e2eEval[[][]string](b, "rows of "+css, js)
}

// fact returns the value of the term dt in the page's fact list (dl.facts),
// "" when there is no such term.
func (b *e2eBrowser) fact(dt string) string {
	b.t.Helper()
	js := fmt.Sprintf(`(() => {
		const dt = Array.from(document.querySelectorAll("dl.facts dt")).find(d => d.textContent.trim() === %s);
		return dt && dt.nextElementSibling ? dt.nextElementSibling.textContent.trim() : "";
	})()`, jsQuote(dt))
	return e2eEval[string](b, "fact "+dt, js)
}

// checkpoint checks that the page fits the phone's width, and saves a
// full-page PNG as <dir>/<prefix>-<engine>-<name>.png when
// HEALTHCELL_SCREENSHOTS names a directory.
func (b *e2eBrowser) checkpoint(name string) {
	b.t.Helper()
	w := e2eEval[[]int](b, "page width", `[window.innerWidth, document.documentElement.scrollWidth]`)
	if w[0] != b.width {
		b.errorf("%s: the viewport is %d px wide, want %d", name, w[0], b.width)
	}
	if w[1] > w[0] {
		b.errorf("%s: the page is %d px wide and scrolls sideways on a %d px screen", name, w[1], w[0])
	}
	// A table shown as cards fits without scrolling but may cut a value
	// off inside its card: every labelled cell shows all it holds.
	if b.width <= 576 {
		cut := e2eEval[[]string](b, "cards' cells", `Array.from(document.querySelectorAll("table.stack td[data-label], table.stack th[data-label]"))
			.filter(c => c.offsetParent !== null && c.scrollWidth > c.clientWidth + 1)
			.slice(0, 3).map(c => (c.closest("table").id || "table") + ": " + c.getAttribute("data-label") + " " + c.textContent.trim() + " (" + c.scrollWidth + " > " + c.clientWidth + " px)")`)
		for _, c := range cut {
			b.errorf("%s: a card cuts off its cell %s", name, c)
		}
		// Nor does a card stand in a box that scrolls sideways, or reach
		// past the screen's right edge.
		for _, c := range b.cardsOffScreen() {
			b.errorf("%s: %s", name, c)
		}
	}
	if b.shots == "" {
		return
	}
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.fatalf("screenshot %s: %v", name, err)
	}
	if err := os.MkdirAll(b.shots, 0o755); err != nil {
		b.t.Fatal(err)
	}
	file := filepath.Join(b.shots, b.prefix+"-"+name+".png")
	if err := os.WriteFile(file, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot %s", file)
}

// cardsOffScreen describes (up to three of) the labelled cells of the
// tables shown as cards (table.stack) that reach past the right edge of the
// screen or stand in a box that scrolls sideways, where the user sees them
// only after scrolling it.
func (b *e2eBrowser) cardsOffScreen() []string {
	b.t.Helper()
	return e2eEval[[]string](b, "cards off the screen", `(() => {
		const scroller = el => {
			for (let a = el.parentElement; a && a !== document.documentElement; a = a.parentElement) {
				if (a.scrollWidth > a.clientWidth + 1 && getComputedStyle(a).overflowX !== "visible") return a;
			}
			return null;
		};
		const where = c => (c.closest("table").id || "table") + ": " + c.getAttribute("data-label") + " " + c.textContent.trim().slice(0, 40);
		const out = [];
		for (const c of document.querySelectorAll("table.stack td[data-label], table.stack th[data-label]")) {
			if (c.offsetParent === null) continue;
			const r = c.getBoundingClientRect();
			const s = scroller(c);
			if (r.right > window.innerWidth + 0.5) out.push("the cell " + where(c) + " reaches " + Math.round(r.right) + " px, past the " + window.innerWidth + " px screen");
			else if (s) out.push("the cell " + where(c) + " is in a box that scrolls sideways (" + s.tagName.toLowerCase() + "." + s.className + ", " + s.scrollWidth + " > " + s.clientWidth + " px)");
		}
		return out.slice(0, 3);
	})()`)
}

// innerScrollers describes (up to five of) the elements of the page that
// scroll sideways, or cut their content off, inside the page: a table too
// wide for its box, say. Form fields, charts (svg, canvas) and an element
// marked data-scroll-x (scrolling sideways by design, as a long chart) are
// left out.
func (b *e2eBrowser) innerScrollers() []string {
	b.t.Helper()
	return e2eEval[[]string](b, "boxes that scroll sideways", `Array.from(document.querySelectorAll("body *"))
		.filter(e => e.offsetParent !== null && e.clientWidth > 2 && !/^(TEXTAREA|SELECT|INPUT|svg|CANVAS)$/.test(e.tagName) && !e.closest("[data-scroll-x]"))
		.filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== "visible")
		.slice(0, 5)
		.map(e => { const t = e.querySelector("table[id]"); return e.tagName.toLowerCase() + (e.className ? "." + e.className : "") + (t ? " holding table#" + t.id : "") + " (" + e.scrollWidth + " > " + e.clientWidth + " px)"; })`)
}

// login fills in and submits the login form, and returns the status of the
// page that follows.
func (b *e2eBrowser) login(username, password string) int64 {
	b.t.Helper()
	if !strings.HasPrefix(b.path(), "/login") {
		if st := b.open("/login"); st != 200 {
			b.fatalf("GET /login: status %d", st)
		}
	}
	b.do("fill in the login form",
		chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.Clear(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), username),
		chromedp.Clear(chromedp.ID("password")),
		chromedp.SendKeys(chromedp.ID("password"), password),
	)
	return b.load("submit the login form", chromedp.Click(chromedp.ID("login-submit")))
}

// jsQuote quotes s as a JavaScript string literal.
func jsQuote(s string) string {
	q, _ := json.Marshal(s)
	return string(q)
}

// e2eMessages returns the Simplified Chinese message catalogue of the UI.
func e2eMessages(t *testing.T) map[string]string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "locale", "messages", "zh-CN.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]string
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("zh-CN.json: %v", err)
	}
	return m
}

// narrow gives the page a 360 px wide phone screen.
func (b *e2eBrowser) narrow() {
	b.t.Helper()
	b.do("a 360 px phone", chromedp.EmulateViewport(360, 780, chromedp.EmulateMobile))
	b.width = 360
}

// e2eShippedStandard returns the shipped standard with code; it fails the
// test when there is none.
func e2eShippedStandard(t *testing.T, code string) *healthcell.Standard {
	t.Helper()
	all, err := standards.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range all {
		if s.Code == code {
			return s
		}
	}
	t.Fatalf("no shipped %s standard", code)
	return nil
}
