package main

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/healthcell/healthcell/sqlstore"
)

// TestReplayReportsDifferences records an administrator logging in and
// opening the users page, and replays it on copies of the demo county: an
// unchanged one answers alike, one with another user or another password
// is reported with the request that differs.
func TestReplayReportsDifferences(t *testing.T) {
	var rec *e2eRecording
	t.Run("record", func(t *testing.T) {
		rec = e2eRecord(t)
		ctx, cancel := context.WithTimeout(context.Background(), e2eScaled(e2eTimeout))
		defer cancel()
		base := e2eServe(t, ctx, e2eDemoCopy(t, sqlstore.SQLite))
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar, Timeout: e2eScaled(30 * time.Second)}
		resp, err := c.PostForm(base+"/login", url.Values{"username": {"admin"}, "password": {DemoPassword}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		resp, err = c.Get(base + "/users")
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(page), `id="users"`) {
			t.Fatalf("GET /users as admin: status %d\n%.500s", resp.StatusCode, page)
		}
	})
	if t.Failed() {
		return
	}
	for _, tc := range []struct {
		name   string
		change []string // a healthcell command run on the copy first
		want   []string // in the first difference reported; none when nil
	}{
		{"unchanged", nil, nil},
		{"another user", []string{"user", "add", "--username", "replay_extra", "--password", "另一个用户-2026", "--role", "viewer", "--scope", "510824"},
			[]string{"GET /users", "a page of another shape", "table rows", "on SQLite"}},
		{"another password", []string{"user", "passwd", "--username", "admin", "--password", "另一个密码-2026"},
			[]string{"POST /login", "on SQLite"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dsn := e2eDemoCopy(t, sqlstore.SQLite)
			if tc.change != nil {
				m := NewMain()
				m.Stdout, m.Stderr = io.Discard, io.Discard
				m.Getenv = func(string) string { return "" }
				if err := m.Run(context.Background(), append(tc.change, "--db", dsn)); err != nil {
					t.Fatalf("healthcell %v: %v", tc.change, err)
				}
			}
			ctx, cancel := context.WithTimeout(context.Background(), e2eScaled(e2eTimeout))
			defer cancel()
			diffs, sent, err := rec.differences(ctx, e2eServe(t, ctx, dsn), 10, 0)
			if err != nil {
				t.Fatal(err)
			}
			if sent < 3 {
				t.Errorf("replayed %d requests, want the login, its redirect and the users page", sent)
			}
			switch {
			case tc.want == nil && len(diffs) > 0:
				t.Errorf("differences on an unchanged copy: %v", diffs)
			case tc.want != nil && len(diffs) == 0:
				t.Errorf("no difference reported")
			case tc.want != nil:
				for _, w := range tc.want {
					if !strings.Contains(diffs[0], w) {
						t.Errorf("first difference %q does not say %q", diffs[0], w)
					}
				}
			}
		})
	}
}

// TestReplayTokens checks which redirect targets the replay takes for the
// same with another random identifier.
func TestReplayTokens(t *testing.T) {
	const a, b = "239910d3f2388a30470dfc9e", "9fed3ff67e0c6bb59682e239"
	for _, tc := range []struct {
		want, got string
		mapped    bool
	}{
		{"/imports/" + a, "/imports/" + b, true},
		{"/imports/" + a + "?tab=rows", "/imports/" + b + "?tab=rows", false}, // the query is part of the last segment
		{"/public/510824100001/quiz/result/" + a, "/public/510824100001/quiz/result/" + b, true},
		{"/applications/12", "/applications/13", false}, // a numbered row: a difference
		{"/imports/" + a, "/exports/" + b, false},
		{"/imports/" + a, "/imports/" + b + "/rows", false},
		{"/imports/" + a, "/imports/" + a, false},
	} {
		tk := e2eTokens{}
		tk.learn(tc.want, tc.got)
		if mapped := tk.replace(tc.want) == tc.got && tc.want != tc.got; mapped != tc.mapped {
			t.Errorf("learn(%q, %q): mapped %v (%v), want %v", tc.want, tc.got, mapped, tk, tc.mapped)
		}
	}
}
