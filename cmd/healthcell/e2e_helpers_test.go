package main

// Helpers of the browser end-to-end tests (e2e_test.go): the demo server run
// in-process on SQLite or on a fresh PostgreSQL schema, and a headless
// Chromium driven through chromedp.

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, for the test schema
)

// chromiumPath is the browser the end-to-end tests drive.
const chromiumPath = "/usr/bin/chromium"

// e2eTimeout bounds one test on one engine, server start included.
const e2eTimeout = 60 * time.Second

// phone is the window of the browser: the officers work on their phones.
var phone = struct{ width, height int }{412, 915}

// requireChromium skips the test when Chromium is missing, or fails it when
// HEALTHCELL_REQUIRE_CHROMIUM=1 (CI). It never skips under -short: these
// tests must run in CI.
func requireChromium(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("HEALTHCELL_REQUIRE_CHROMIUM") == "1" {
			t.Fatalf("Chromium is required (HEALTHCELL_REQUIRE_CHROMIUM=1) but %s is missing: %v", chromiumPath, err)
		}
		t.Skipf("Chromium not installed at %s; set HEALTHCELL_REQUIRE_CHROMIUM=1 to fail instead", chromiumPath)
	}
}

// eachEngine runs fn as the subtests "sqlite" and "postgres", each with a
// fresh demo database. The postgres subtest needs HEALTHCELL_TEST_POSTGRES; it
// is skipped without it, or fails when HEALTHCELL_REQUIRE_POSTGRES=1.
func eachEngine(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Helper()
	requireChromium(t)
	t.Run("sqlite", func(t *testing.T) {
		fn(t, filepath.Join(t.TempDir(), "e2e.db"))
	})
	t.Run("postgres", func(t *testing.T) {
		fn(t, postgresSchema(t))
	})
}

// postgresSchema creates a schema of its own for the test, dropped at the
// end, and returns a DSN whose search_path points at it (as sqltest does).
func postgresSchema(t *testing.T) string {
	t.Helper()
	base := os.Getenv("HEALTHCELL_TEST_POSTGRES")
	if base == "" {
		if os.Getenv("HEALTHCELL_REQUIRE_POSTGRES") == "1" {
			t.Fatal("HEALTHCELL_TEST_POSTGRES is not set but PostgreSQL is required (HEALTHCELL_REQUIRE_POSTGRES=1)")
		}
		t.Skip("PostgreSQL not configured: set HEALTHCELL_TEST_POSTGRES")
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		admin.Close()
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// syncBuffer is a buffer that the server's goroutines may write concurrently.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startDemo runs `healthcell demo` in-process on dsn, listening on a free
// port, and returns its base URL. The server stops when the test ends; its
// log is printed when the test failed.
func startDemo(t *testing.T, ctx context.Context, dsn string) string {
	t.Helper()
	var stderr syncBuffer
	ready := make(chan string, 1)
	m := NewMain()
	m.Stdout, m.Stderr = io.Discard, &stderr
	m.Getenv = func(string) string { return "" }
	m.Ready = func(addr string) { ready <- addr }

	runCtx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- m.Run(runCtx, []string{"demo", "--db", dsn, "--scale", "small", "--addr", "127.0.0.1:0"})
	}()
	t.Cleanup(func() {
		stop()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("healthcell demo: %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Errorf("healthcell demo did not stop within 15 s of its context ending")
		}
		if t.Failed() {
			t.Logf("server log:\n%s", stderr.String())
		}
	})
	select {
	case addr := <-ready:
		return "http://" + addr
	case err := <-done:
		done <- err // for the cleanup
		t.Fatalf("healthcell demo ended before serving: %v\n%s", err, stderr.String())
	case <-ctx.Done():
		t.Fatalf("healthcell demo not serving before the deadline: %v\n%s", ctx.Err(), stderr.String())
	}
	return ""
}

// browser is one headless Chromium tab on the demo server.
type browser struct {
	t    *testing.T
	base string
	// ctx is the tab with the test's deadline; every step runs in it.
	ctx context.Context
	// tab is the same tab without the deadline, to inspect a failure after
	// the deadline has passed.
	tab context.Context
	// shots is the directory screenshots go to ("" for none); prefix starts
	// their names.
	shots, prefix string
}

// newBrowser starts Chromium with a fresh profile and a phone-sized window,
// and starts the demo server on dsn; the whole test gets e2eTimeout.
// Screenshots are named after prefix and the engine subtest.
func newBrowser(t *testing.T, dsn, prefix string) *browser {
	t.Helper()
	start := time.Now()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(phone.width, phone.height),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc) // waits for the browser process to exit
	tab, cancelTab := chromedp.NewContext(allocCtx)
	t.Cleanup(cancelTab)
	// The first Do starts the browser and binds it to tab, which has no
	// deadline, so that a timed-out step still leaves the page to inspect.
	if err := chromedp.Do(tab); err != nil {
		t.Fatalf("start %s: %v", chromiumPath, err)
	}
	ctx, cancel := context.WithTimeout(tab, e2eTimeout)
	t.Cleanup(cancel)

	engine := t.Name()[strings.LastIndex(t.Name(), "/")+1:]
	b := &browser{t: t, ctx: ctx, tab: tab, shots: os.Getenv("HEALTHCELL_SCREENSHOTS"), prefix: prefix + "-" + engine}
	b.base = startDemo(t, ctx, dsn)
	t.Cleanup(func() { t.Logf("%s: %.1f s", t.Name(), time.Since(start).Seconds()) })
	return b
}

// fatalf ends the test with the page the browser shows, for diagnosis.
func (b *browser) fatalf(format string, args ...any) {
	b.t.Helper()
	b.t.Fatalf("%s\n%s", fmt.Sprintf(format, args...), b.where())
}

// errorf reports a failed check with the page the browser shows.
func (b *browser) errorf(format string, args ...any) {
	b.t.Helper()
	b.t.Errorf("%s\n%s", fmt.Sprintf(format, args...), b.where())
}

// where describes the current page: its address and the start of its text.
func (b *browser) where() string {
	ctx, cancel := context.WithTimeout(b.tab, 5*time.Second)
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
func (b *browser) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.fatalf("%s: %v", what, err)
	}
}

// load runs actions that cause a page load (a click on a link or a submit
// button, a navigation) and returns the HTTP status of the page loaded.
func (b *browser) load(what string, actions ...chromedp.Action[chromedp.Void]) int64 {
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
func (b *browser) open(path string) int64 {
	b.t.Helper()
	resp, err := chromedp.Run(b.ctx, chromedp.NavigateResponse(b.base+path))
	if err != nil {
		b.fatalf("open %s: %v", path, err)
	}
	return responseStatus(resp)
}

func responseStatus(r *network.Response) int64 {
	if r == nil {
		return 0
	}
	return r.Status
}

// path returns the path and query of the page shown.
func (b *browser) path() string {
	b.t.Helper()
	loc, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		b.fatalf("location: %v", err)
	}
	return strings.TrimPrefix(loc, b.base)
}

// text returns the rendered text of the element with id, waiting for it.
func (b *browser) text(id string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.ID(id), chromedp.NodeVisible))
	if err != nil {
		b.fatalf("text of #%s: %v", id, err)
	}
	return strings.TrimSpace(s)
}

// value returns the value of the form field with id.
func (b *browser) value(id string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Value(chromedp.ID(id)))
	if err != nil {
		b.fatalf("value of #%s: %v", id, err)
	}
	return s
}

// attr returns an attribute of the element with id ("" when it has none).
func (b *browser) attr(id, name string) string {
	b.t.Helper()
	a, err := chromedp.Run(b.ctx, chromedp.AttributeValue(chromedp.ID(id), name))
	if err != nil {
		b.fatalf("attribute %s of #%s: %v", name, id, err)
	}
	return a.Value
}

// eval evaluates a JavaScript expression into a T.
func eval[T any](b *browser, what, js string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		b.fatalf("%s: %v", what, err)
	}
	return v
}

// exists reports whether the page has an element matching a CSS selector.
func (b *browser) exists(css string) bool {
	b.t.Helper()
	return eval[bool](b, "look for "+css, fmt.Sprintf(`document.querySelector(%s) !== null`, jsString(css)))
}

// rows returns the text of the body cells of the table matching css, a
// row a slice.
func (b *browser) rows(css string) [][]string {
	b.t.Helper()
	js := fmt.Sprintf(`Array.from(document.querySelectorAll(%s + " tbody tr"), tr => Array.from(tr.cells, td => td.textContent.trim()))`, jsString(css))
	return eval[[][]string](b, "rows of "+css, js)
}

// fact returns the value of the term dt in the page's fact list (dl.facts),
// "" when there is no such term.
func (b *browser) fact(dt string) string {
	b.t.Helper()
	js := fmt.Sprintf(`(() => {
		const dt = Array.from(document.querySelectorAll("dl.facts dt")).find(d => d.textContent.trim() === %s);
		return dt && dt.nextElementSibling ? dt.nextElementSibling.textContent.trim() : "";
	})()`, jsString(dt))
	return eval[string](b, "fact "+dt, js)
}

// screenshot saves a full-page PNG as <dir>/<prefix>-<name>.png when
// HEALTHCELL_SCREENSHOTS names a directory.
func (b *browser) screenshot(name string) {
	b.t.Helper()
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

// login fills in and submits the login form, and returns the status of the
// page that follows.
func (b *browser) login(username, password string) int64 {
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

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	q, _ := json.Marshal(s)
	return string(q)
}

// zhMessages returns the Simplified Chinese message catalogue of the UI.
func zhMessages(t *testing.T) map[string]string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "web", "i18n", "zh-CN.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]string
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("zh-CN.json: %v", err)
	}
	return m
}
