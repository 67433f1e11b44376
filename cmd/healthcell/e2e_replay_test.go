package main

// The PostgreSQL half of a browser journey. The browser's side of a
// journey (layout at 360 px, scripts, clicks) is the same on both engines;
// what differs is the store behind the server. So the SQLite half runs in
// Chromium through a recording proxy, and the PostgreSQL half sends every
// request it recorded (the browser's and the test's own, in the order the
// server received them) to a server on a PostgreSQL copy of the same demo
// county, and checks that each is answered as on SQLite: the same status,
// the same redirect, and for a page the same shape (its element ids and
// its number of table rows and form fields). Drawing every page a second
// time took about a quarter of the suite's time (issue 14, item 12).
// HEALTHCELL_E2E_BROWSER_POSTGRES=1 runs the PostgreSQL half in the browser
// too, to debug a difference the replay reports.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// e2eExchange is one request the server received in a journey's recorded
// half, and its answer.
type e2eExchange struct {
	method string
	// target is the path and query.
	target string
	header http.Header
	body   []byte
	// status is 0 when no answer came (the journey ended first).
	status int
	answer e2eAnswer
}

// e2eAnswer is what the replay compares of an answer.
type e2eAnswer struct {
	// location is a redirect's target, without the server's origin.
	location string
	// cookies are the cookies the answer sets, by name.
	cookies map[string]string
	// shape sums up a page (e2eShape); nil for other answers.
	shape *e2eShape
}

// e2eRecording is the requests of one journey's recorded half, in the
// order the server received them.
type e2eRecording struct {
	mu sync.Mutex
	// base is the origin the browser and the test used (the proxy's).
	base      string
	exchanges []*e2eExchange
	// timeout is the recorded journey's own bound on a quiet machine
	// (e2eNewBrowserFor's); the replay is given as long.
	timeout time.Duration
}

// e2eRecordings are the recordings of the journeys' SQLite halves that are
// running, by test name; e2eServe puts a recording proxy in front of the
// server of a test listed here.
var e2eRecordings = struct {
	mu sync.Mutex
	m  map[string]*e2eRecording
}{m: map[string]*e2eRecording{}}

// e2eRecordingFor returns the recording of the test named name, nil when it
// is not recorded.
func e2eRecordingFor(name string) *e2eRecording {
	e2eRecordings.mu.Lock()
	defer e2eRecordings.mu.Unlock()
	return e2eRecordings.m[name]
}

// e2eRecord registers a recording for t, dropped when t ends.
func e2eRecord(t *testing.T) *e2eRecording {
	rec := &e2eRecording{}
	e2eRecordings.mu.Lock()
	e2eRecordings.m[t.Name()] = rec
	e2eRecordings.mu.Unlock()
	t.Cleanup(func() {
		e2eRecordings.mu.Lock()
		delete(e2eRecordings.m, t.Name())
		e2eRecordings.mu.Unlock()
	})
	return rec
}

// e2eBrowserOnPostgres reports whether HEALTHCELL_E2E_BROWSER_POSTGRES=1
// asks for the PostgreSQL halves in the browser rather than replayed.
func e2eBrowserOnPostgres() bool { return os.Getenv("HEALTHCELL_E2E_BROWSER_POSTGRES") == "1" }

type e2eExchangeKey struct{}

// proxy starts a reverse proxy to the server at server that records every
// request but the static files' (the same on every engine) into rec, and
// returns its origin; it stops when the test ends. A second server in one
// recorded test fails it: the replay serves one.
func (rec *e2eRecording) proxy(t *testing.T, server string) string {
	t.Helper()
	target, err := url.Parse(server)
	if err != nil {
		t.Fatalf("server address %q: %v", server, err)
	}
	rec.mu.Lock()
	served := rec.base != ""
	rec.mu.Unlock()
	if served {
		t.Fatalf("a recorded journey serves once; %s serves a second time", t.Name())
	}
	rp := httputil.NewSingleHostReverseProxy(target)
	// The test checks links eight at a time; the default transport keeps
	// two idle connections and would open a new one for most of them.
	transport := &http.Transport{MaxIdleConnsPerHost: 16}
	rp.Transport = transport
	direct := rp.Director
	rp.Director = func(r *http.Request) {
		direct(r)
		r.Header["X-Forwarded-For"] = nil // the server sees the browser's address, as without the proxy
	}
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	rp.ModifyResponse = func(resp *http.Response) error {
		x, _ := resp.Request.Context().Value(e2eExchangeKey{}).(*e2eExchange)
		if x == nil {
			return nil
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		resp.Body = io.NopCloser(bytes.NewReader(body))
		a := e2eAnswerOf(resp, body, base)
		rec.mu.Lock()
		x.status, x.answer = resp.StatusCode, a
		rec.mu.Unlock()
		return nil
	}
	rp.ErrorHandler = func(w http.ResponseWriter, _ *http.Request, _ error) { w.WriteHeader(http.StatusBadGateway) }
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/static/") {
			rp.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		x := &e2eExchange{method: r.Method, target: r.URL.RequestURI(), header: r.Header.Clone(), body: body}
		rec.mu.Lock()
		rec.exchanges = append(rec.exchanges, x)
		rec.mu.Unlock()
		rp.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), e2eExchangeKey{}, x)))
	})
	rec.mu.Lock()
	rec.base = base
	rec.mu.Unlock()
	srv.Start()
	t.Cleanup(func() {
		srv.CloseClientConnections()
		srv.Close()
		transport.CloseIdleConnections()
	})
	return base
}

// e2eAnswerOf sums up resp, whose body is body, from the server whose
// origin the client used is base.
func e2eAnswerOf(resp *http.Response, body []byte, base string) e2eAnswer {
	a := e2eAnswer{location: strings.TrimPrefix(resp.Header.Get("Location"), base), cookies: map[string]string{}}
	for _, c := range resp.Cookies() {
		a.cookies[c.Name] = c.Value
	}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		a.shape = e2eShapeOf(body)
	}
	return a
}

// e2eShape sums up a page: the ids of its elements and its numbers of
// table rows and form fields, what differs when a store finds other rows,
// and not with the time of day.
type e2eShape struct {
	rows, fields int
	// ids are sorted.
	ids []string
}

// e2eShapeOf returns the shape of page, read as HTML tokens (a tree is
// not needed, and building one cost the recording proxy more).
func e2eShapeOf(page []byte) *e2eShape {
	s := &e2eShape{}
	z := html.NewTokenizer(bytes.NewReader(page))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		name, more := z.TagName()
		switch string(name) {
		case "tr":
			s.rows++
		case "input", "select", "textarea":
			s.fields++
		}
		for more {
			var k, v []byte
			k, v, more = z.TagAttr()
			if string(k) == "id" {
				s.ids = append(s.ids, string(v))
			}
		}
	}
	slices.Sort(s.ids)
	return s
}

// diff describes how s differs from want, "" when it does not.
func (s *e2eShape) diff(want *e2eShape) string {
	var d []string
	if s.rows != want.rows {
		d = append(d, fmt.Sprintf("%d table rows, on SQLite %d", s.rows, want.rows))
	}
	if s.fields != want.fields {
		d = append(d, fmt.Sprintf("%d form fields, on SQLite %d", s.fields, want.fields))
	}
	if only := e2eMinus(s.ids, want.ids); len(only) > 0 {
		d = append(d, fmt.Sprintf("ids not on SQLite: %s", strings.Join(only, " ")))
	}
	if only := e2eMinus(want.ids, s.ids); len(only) > 0 {
		d = append(d, fmt.Sprintf("ids missing: %s", strings.Join(only, " ")))
	}
	return strings.Join(d, "; ")
}

// e2eMinus returns the sorted a without the elements of the sorted b (as
// multisets), at most ten.
func e2eMinus(a, b []string) []string {
	var out []string
	for i, j := 0, 0; i < len(a) && len(out) < 10; i++ {
		for j < len(b) && b[j] < a[i] {
			j++
		}
		if j < len(b) && b[j] == a[i] {
			j++
			continue
		}
		out = append(out, a[i])
	}
	return out
}

// e2eReplayHeaders are the request headers the replay does not send as
// recorded: the connection's own, the cookies (sent as mapped), and the
// conditional ones (the replay wants the whole answer).
var e2eReplayHeaders = []string{"Host", "Content-Length", "Connection", "Accept-Encoding", "Cookie", "If-None-Match", "If-Modified-Since"}

// replay sends the recorded requests to a server on dsn, in order, and
// fails t for each answered otherwise than when recorded (differences,
// a GET asked again for up to two seconds scaled by e2eSlow).
func (rec *e2eRecording) replay(t *testing.T, dsn string) {
	t.Helper()
	rec.mu.Lock()
	timeout := max(rec.timeout, e2eTimeout)
	rec.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), e2eScaled(timeout))
	defer cancel()
	diffs, sent, err := rec.differences(ctx, e2eServe(t, ctx, dsn), 10, e2eScaled(2*time.Second))
	for _, d := range diffs {
		t.Error(d)
	}
	if err != nil {
		t.Fatal(err)
	}
	if sent == 0 {
		t.Fatalf("nothing to replay: the SQLite half recorded no request")
	}
	t.Logf("replayed %d requests of the SQLite half on PostgreSQL", sent)
}

// differences sends the recorded requests to the server at base, in
// order, and returns how each answered otherwise than when recorded
// differs, up to limit, and how many it sent. A GET answered otherwise is
// asked again for up to retry, in case the recorded half waited for work
// the server finishes in the background; a GET followed by the same GET
// (a page polled until something shows) is left out, only the last of
// them compared. The error is a request that failed.
func (rec *e2eRecording) differences(ctx context.Context, base string, limit int, retry time.Duration) (diffs []string, sent int, err error) {
	client := &http.Client{
		Timeout:       e2eScaled(30 * time.Second),
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	cookies := map[string]string{} // recorded "name=value" → replayed value
	tokens := e2eTokens{}
	rec.mu.Lock()
	exchanges, from := slices.Clone(rec.exchanges), rec.base
	rec.mu.Unlock()
	for i, x := range exchanges {
		if x.status == 0 || x.status == http.StatusBadGateway {
			continue // not answered before the journey ended
		}
		if x.method == http.MethodGet && i+1 < len(exchanges) && exchanges[i+1].method == http.MethodGet &&
			exchanges[i+1].target == x.target && exchanges[i+1].header.Get("Cookie") == x.header.Get("Cookie") {
			continue
		}
		var status int
		var got e2eAnswer
		d := ""
		until := time.Now().Add(retry)
		for {
			status, got, err = e2eSend(ctx, client, from, base, x, cookies, tokens)
			if err != nil {
				return diffs, sent, fmt.Errorf("replay %d of %d, %s %s: %w", i+1, len(exchanges), x.method, x.target, err)
			}
			want := x.answer
			tokens.learn(want.location, got.location)
			want.location = tokens.replace(want.location)
			if d = e2eSameAnswer(x.status, want, status, got); d == "" || x.method != http.MethodGet || time.Now().After(until) {
				break
			}
			time.Sleep(200 * time.Millisecond)
		}
		sent++
		for name, v := range x.answer.cookies {
			if nv, ok := got.cookies[name]; ok {
				cookies[name+"="+v] = nv
			}
		}
		if d != "" {
			diffs = append(diffs, fmt.Sprintf("replay %d of %d, %s %s: %s", i+1, len(exchanges), x.method, x.target, d))
			if len(diffs) == limit {
				return diffs, sent, fmt.Errorf("stopped after %d differences", limit)
			}
		}
	}
	return diffs, sent, nil
}

// e2eTokens maps the random identifiers the server made in the recorded
// half (an import's, a quiz result's) to the ones it made in the replay.
type e2eTokens map[string]string

// e2eToken matches a random identifier: 16 or more hexadecimal digits.
var e2eToken = regexp.MustCompile(`^[0-9a-f]{16,}$`)

// learn maps the segments of the recorded redirect target want that
// differ from the replayed one got when both are random identifiers and
// the rest of the path is the same.
func (tk e2eTokens) learn(want, got string) {
	w, g := strings.Split(want, "/"), strings.Split(got, "/")
	if want == got || len(w) != len(g) {
		return
	}
	pairs := map[string]string{}
	for i := range w {
		if w[i] == g[i] {
			continue
		}
		if !e2eToken.MatchString(w[i]) || !e2eToken.MatchString(g[i]) {
			return
		}
		pairs[w[i]] = g[i]
	}
	maps.Copy(tk, pairs)
}

// replace returns s with the recorded identifiers replaced by the replayed.
func (tk e2eTokens) replace(s string) string {
	for old, n := range tk {
		s = strings.ReplaceAll(s, old, n)
	}
	return s
}

// e2eSend sends x, recorded from a client of the server at from, to the
// server at base with the origin, cookies and identifiers mapped, and
// returns the status and answer; an error when the request fails.
func e2eSend(ctx context.Context, client *http.Client, from, base string, x *e2eExchange, cookies map[string]string, tokens e2eTokens) (int, e2eAnswer, error) {
	body := []byte(tokens.replace(strings.ReplaceAll(string(x.body), from, base)))
	req, err := http.NewRequestWithContext(ctx, x.method, base+tokens.replace(x.target), bytes.NewReader(body))
	if err != nil {
		return 0, e2eAnswer{}, err
	}
	for k, vs := range x.header {
		if slices.Contains(e2eReplayHeaders, k) {
			continue
		}
		for _, v := range vs {
			req.Header.Add(k, tokens.replace(strings.ReplaceAll(v, from, base)))
		}
	}
	var jar []string
	for _, c := range strings.Split(x.header.Get("Cookie"), ";") {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		if v, ok := cookies[c]; ok {
			name, _, _ := strings.Cut(c, "=")
			c = name + "=" + v
		}
		jar = append(jar, c)
	}
	if len(jar) > 0 {
		req.Header.Set("Cookie", strings.Join(jar, "; "))
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, e2eAnswer{}, err
	}
	defer resp.Body.Close()
	page, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, e2eAnswer{}, err
	}
	return resp.StatusCode, e2eAnswerOf(resp, page, base), nil
}

// e2eSameAnswer describes how the replayed answer (status, got) differs
// from the recorded one (wantStatus, want), "" when it does not. A
// recorded 304 (the browser had the page) counts as 200.
func e2eSameAnswer(wantStatus int, want e2eAnswer, status int, got e2eAnswer) string {
	if wantStatus == http.StatusNotModified {
		wantStatus = http.StatusOK
	}
	switch {
	case status != wantStatus:
		return fmt.Sprintf("status %d, on SQLite %d", status, wantStatus)
	case got.location != want.location:
		return fmt.Sprintf("redirect to %q, on SQLite to %q", got.location, want.location)
	case want.shape != nil && got.shape == nil:
		return "not a page"
	case want.shape != nil:
		if d := got.shape.diff(want.shape); d != "" {
			return "a page of another shape: " + d
		}
	}
	return ""
}
