package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// checkLoopbackHost accepts loopback IP literals and names that resolve only
// to loopback addresses (localhost).
func checkLoopbackHost(host string) error {
	if ip := net.ParseIP(host); ip != nil {
		if !ip.IsLoopback() {
			return fmt.Errorf("refusing host %s: hcload talks to loopback addresses only", host)
		}
		return nil
	}
	if host != "localhost" {
		return fmt.Errorf("refusing host %q: hcload talks to loopback addresses only (127.0.0.1, ::1, localhost)", host)
	}
	ips, err := net.DefaultResolver.LookupIPAddr(context.Background(), host)
	if err != nil {
		return err
	}
	for _, ip := range ips {
		if !ip.IP.IsLoopback() {
			return fmt.Errorf("refusing host %s: it resolves to %s", host, ip.IP)
		}
	}
	return nil
}

// newTransport returns a keep-alive transport that ignores proxies and
// refuses to connect anywhere but a loopback address.
func newTransport(conns int) *http.Transport {
	d := &net.Dialer{
		Timeout: 5 * time.Second,
		Control: func(network, address string, _ syscall.RawConn) error {
			host, _, err := net.SplitHostPort(address)
			if err != nil {
				return err
			}
			if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
				return fmt.Errorf("refusing to connect to %s: loopback only", address)
			}
			return nil
		},
	}
	return &http.Transport{
		Proxy:       nil,
		DialContext: d.DialContext,
		// The server does not compress; not asking saves a header on
		// both sides and the check for a compressed answer.
		DisableCompression:  true,
		MaxIdleConns:        conns + 4,
		MaxIdleConnsPerHost: conns + 4,
		IdleConnTimeout:     90 * time.Second,
	}
}

// client is one logged-in user agent with its own cookie jar. It is used by
// one goroutine at a time.
type client struct {
	hc    *http.Client
	base  *url.URL
	scope string

	// The load generator shares the machine with the server, so a request
	// costs it as little as it can: the base URL as text, the jar's
	// cookies as one header (asked of the jar again only when an answer
	// sets a cookie), and the answer read into a buffer reused by every
	// request.
	jar    http.CookieJar
	prefix string // base URL as text
	cookie string // Cookie header from the jar
	body   bytes.Buffer
	form   bool // the next body is a urlencoded form, not JSON
}

// anonymous returns a client without a session (-anon readers: the public
// pages).
func anonymous(cfg *config, tr *http.Transport) *client {
	jar, _ := cookiejar.New(nil)
	return &client{base: cfg.base, jar: jar, prefix: cfg.base.String(), hc: &http.Client{
		Transport:     tr,
		Timeout:       cfg.timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

func login(ctx context.Context, cfg *config, tr *http.Transport, user string) (*client, error) {
	c := anonymous(cfg, tr)
	body, _ := json.Marshal(map[string]string{"username": user, "password": cfg.password})
	status, b, err := c.do(ctx, http.MethodPost, "/api/v1/session", body)
	if err != nil {
		return nil, fmt.Errorf("login %s: %w", user, err)
	}
	if status != http.StatusOK {
		// Stop at the first refusal: retrying would only use up the
		// account's few allowed failures.
		return nil, fmt.Errorf("login %s: HTTP %d: %s", user, status, snippet(b))
	}
	var u struct{ Scope string }
	if err := json.Unmarshal(b, &u); err != nil {
		return nil, fmt.Errorf("login %s: %w", user, err)
	}
	c.scope = u.Scope
	return c, nil
}

// do sends one request and reads the whole answer; the answer's bytes are
// valid until the next call.
func (c *client) do(ctx context.Context, method, path string, body []byte) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.prefix+path, rd)
	if err != nil {
		return 0, nil, err
	}
	if body != nil {
		req.Header["Content-Type"] = []string{"application/json"}
		if c.form {
			req.Header["Content-Type"] = []string{"application/x-www-form-urlencoded"}
		}
	}
	req.Header["Accept-Language"] = []string{"zh-CN"}
	if c.cookie != "" {
		req.Header["Cookie"] = []string{c.cookie}
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	if len(resp.Header["Set-Cookie"]) > 0 {
		c.jar.SetCookies(req.URL, resp.Cookies())
		var parts []string
		for _, k := range c.jar.Cookies(req.URL) {
			parts = append(parts, k.String())
		}
		c.cookie = strings.Join(parts, "; ")
	}
	c.body.Reset()
	_, err = c.body.ReadFrom(resp.Body)
	return resp.StatusCode, c.body.Bytes(), err
}

func (c *client) getJSON(ctx context.Context, path string, v any) error {
	status, b, err := c.do(ctx, http.MethodGet, path, nil)
	if err != nil {
		return err
	}
	if status != http.StatusOK {
		return fmt.Errorf("GET %s: HTTP %d: %s", path, status, snippet(b))
	}
	return json.Unmarshal(b, v)
}

type divisionNode struct {
	Code     string `json:"code"`
	Level    int    `json:"level"`
	Children []struct {
		Code  string `json:"code"`
		Level int    `json:"level"`
	} `json:"children"`
}

// listVillages walks GET /api/v1/divisions/{code} down to the villages.
func listVillages(ctx context.Context, c *client, root string) ([]string, error) {
	var d divisionNode
	if err := c.getJSON(ctx, "/api/v1/divisions/"+url.PathEscape(root), &d); err != nil {
		return nil, err
	}
	if d.Level >= 5 {
		return []string{d.Code}, nil
	}
	var out []string
	for _, ch := range d.Children {
		if ch.Level >= 5 {
			out = append(out, ch.Code)
			continue
		}
		vs, err := listVillages(ctx, c, ch.Code)
		if err != nil {
			return nil, err
		}
		out = append(out, vs...)
	}
	return out, nil
}

// listHouseholds returns ids of existing households from up to 50 villages
// spread over the list, one list per village (villages without households
// left out).
func listHouseholds(ctx context.Context, c *client, villages []string) ([][]int64, error) {
	var out [][]int64
	step := max(1, len(villages)/50)
	for i := 0; i < len(villages); i += step {
		var page struct {
			Items []struct {
				ID int64 `json:"id"`
			} `json:"items"`
		}
		if err := c.getJSON(ctx, "/api/v1/households?limit=40&division="+url.QueryEscape(villages[i]), &page); err != nil {
			return nil, err
		}
		var ids []int64
		for _, h := range page.Items {
			ids = append(ids, h.ID)
		}
		if len(ids) > 0 {
			out = append(out, ids)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no households to write into")
	}
	return out, nil
}

func snippet(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}
