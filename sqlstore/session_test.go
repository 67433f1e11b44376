package sqlstore_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// The session store is what the web server gives scs.
var (
	_ scs.Store    = (*sqlstore.SessionStore)(nil)
	_ scs.CtxStore = (*sqlstore.SessionStore)(nil)
)

func TestSessions(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		s := db.Sessions()
		ctx := context.Background()
		now := sqltest.Now
		cst := time.FixedZone("CST", 8*3600)
		cases := []struct {
			name   string
			setup  func(t *testing.T) // before the lookup
			token  string
			want   []byte // nil: not found
			wantOK bool
		}{
			{name: "committed", token: "a",
				setup: func(t *testing.T) { must(t, s.CommitCtx(ctx, "a", []byte("alpha"), now.Add(time.Hour))) },
				want:  []byte("alpha"), wantOK: true},
			{name: "binary data", token: "bin",
				setup: func(t *testing.T) { must(t, s.CommitCtx(ctx, "bin", []byte{0, 1, 2, 255, 0}, now.Add(time.Hour))) },
				want:  []byte{0, 1, 2, 255, 0}, wantOK: true},
			{name: "commit replaces data and expiry", token: "a",
				setup: func(t *testing.T) { must(t, s.CommitCtx(ctx, "a", []byte("alpha2"), now.Add(2*time.Hour))) },
				want:  []byte("alpha2"), wantOK: true},
			{name: "expiry in another time zone", token: "cst",
				setup: func(t *testing.T) { must(t, s.CommitCtx(ctx, "cst", []byte("c"), now.Add(time.Minute).In(cst))) },
				want:  []byte("c"), wantOK: true},
			{name: "expires in a millisecond", token: "ms",
				setup: func(t *testing.T) { must(t, s.CommitCtx(ctx, "ms", []byte("m"), now.Add(time.Millisecond))) },
				want:  []byte("m"), wantOK: true},
			{name: "expired", token: "old",
				setup: func(t *testing.T) { must(t, s.CommitCtx(ctx, "old", []byte("o"), now.Add(-time.Second))) }},
			{name: "expired in another time zone", token: "oldcst",
				setup: func(t *testing.T) { must(t, s.CommitCtx(ctx, "oldcst", []byte("o"), now.Add(-time.Minute).In(cst))) }},
			{name: "expires exactly now", token: "now",
				setup: func(t *testing.T) { must(t, s.CommitCtx(ctx, "now", []byte("n"), now)) }},
			{name: "renewing an expired session", token: "old",
				setup: func(t *testing.T) { must(t, s.CommitCtx(ctx, "old", []byte("o2"), now.Add(time.Hour))) },
				want:  []byte("o2"), wantOK: true},
			{name: "unknown token", token: "nope"},
			{name: "deleted", token: "a",
				setup: func(t *testing.T) { must(t, s.DeleteCtx(ctx, "a")) }},
			{name: "deleting an unknown token", token: "nope",
				setup: func(t *testing.T) { must(t, s.DeleteCtx(ctx, "nope")) }},
			{name: "scs.Store methods", token: "plain",
				setup: func(t *testing.T) {
					must(t, s.Commit("plain", []byte("p"), now.Add(time.Hour)))
					if b, ok, err := s.Find("plain"); err != nil || !ok || string(b) != "p" {
						t.Fatalf("Find: %q %v %v", b, ok, err)
					}
					must(t, s.Commit("plain", []byte("p2"), now.Add(time.Hour)))
				},
				want: []byte("p2"), wantOK: true},
			{name: "scs.Store delete", token: "plain",
				setup: func(t *testing.T) { must(t, s.Delete("plain")) }},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				if tc.setup != nil {
					tc.setup(t)
				}
				b, ok, err := s.FindCtx(ctx, tc.token)
				if err != nil {
					t.Fatal(err)
				}
				if ok != tc.wantOK || !bytes.Equal(b, tc.want) {
					t.Errorf("got %q %v, want %q %v", b, ok, tc.want, tc.wantOK)
				}
			})
		}
	})
}

func TestDeleteExpiredSessions(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		s := db.Sessions()
		ctx := context.Background()
		now := sqltest.Now
		sessions := map[string]time.Time{
			"live1":  now.Add(time.Second),
			"live2":  now.Add(24 * time.Hour),
			"live3":  now.Add(time.Hour).In(time.FixedZone("CST", 8*3600)),
			"dead1":  now.Add(-time.Second),
			"dead2":  now.Add(-30 * 24 * time.Hour),
			"dead3":  now,
			"dead4":  now.Add(-time.Hour).In(time.FixedZone("CST", 8*3600)),
			"later1": now.Add(90 * time.Minute),
		}
		for token, exp := range sessions {
			must(t, s.CommitCtx(ctx, token, []byte(token), exp))
		}
		steps := []struct {
			name    string
			at      time.Time
			deleted int64
			live    []string
			gone    []string
		}{
			{name: "now", at: now, deleted: 4,
				live: []string{"live1", "live2", "live3", "later1"}, gone: []string{"dead1", "dead2", "dead3", "dead4"}},
			{name: "again, nothing to do", at: now, deleted: 0, live: []string{"live1", "live2", "live3", "later1"}},
			{name: "an hour later", at: now.Add(time.Hour), deleted: 2,
				live: []string{"live2", "later1"}, gone: []string{"live1", "live3"}},
			{name: "two days later", at: now.Add(48 * time.Hour), deleted: 2, gone: []string{"live2", "later1"}},
		}
		for _, st := range steps {
			t.Run(st.name, func(t *testing.T) {
				db.Now = func() time.Time { return st.at }
				n, err := s.DeleteExpired(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if n != st.deleted {
					t.Errorf("deleted %d, want %d", n, st.deleted)
				}
				for _, token := range st.live {
					if b, ok, err := s.FindCtx(ctx, token); err != nil || !ok || string(b) != token {
						t.Errorf("%s: %q %v %v", token, b, ok, err)
					}
				}
				// Gone for good: not even a clock set back finds them.
				db.Now = func() time.Time { return now.Add(-365 * 24 * time.Hour) }
				for _, token := range st.gone {
					if _, ok, err := s.FindCtx(ctx, token); err != nil || ok {
						t.Errorf("%s still stored (%v)", token, err)
					}
				}
			})
		}
	})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestSessionCache: what this process writes or deletes is what it reads
// next, at once, cached or not; an expired session is not served from the
// cache.
func TestSessionCache(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		s, ctx := db.Sessions(), context.Background()
		exp := sqltest.Now.Add(time.Hour)
		must(t, s.CommitCtx(ctx, "tok", []byte("one"), exp))
		for _, step := range []struct {
			name string
			do   func()
			want string // "" for not found
		}{
			{"written", func() {}, "one"},
			{"read again (cached)", func() {}, "one"},
			{"rewritten", func() { must(t, s.CommitCtx(ctx, "tok", []byte("two"), exp)) }, "two"},
			{"expired by the clock", func() { db.Now = func() time.Time { return exp.Add(time.Second) } }, ""},
			{"clock back", func() { db.Now = func() time.Time { return sqltest.Now } }, "two"},
			{"deleted", func() { must(t, s.DeleteCtx(ctx, "tok")) }, ""},
		} {
			step.do()
			b, ok, err := s.FindCtx(ctx, "tok")
			if err != nil || ok != (step.want != "") || string(b) != step.want {
				t.Errorf("%s: %q %v %v, want %q", step.name, b, ok, err, step.want)
			}
		}
	})
}
