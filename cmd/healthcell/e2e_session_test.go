package main

// The test's own requests to the server with a browser tab's session.

import (
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
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
