package web_test

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"math"
	"net/http"
	"os"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/idcard"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
	"github.com/healthcell/healthcell/web"
)

// ---------------------------------------------------------------------------
// Scenario tables.

// check inspects an answer.
type check func(t *testing.T, e *env, r *response)

// scenario is one HTTP request and what must come back.
type scenario struct {
	name   string
	user   string // "" for no session
	method string // GET when empty
	path   string // with {hA}, {pA}... placeholders
	body   any    // JSON value, raw string, url.Values, or func(*env) any
	header []string
	status int
	alt    int // another acceptable status, when the policy allows either
	// unchanged asserts that the stored state is the same before and after.
	unchanged bool
	check     check
}

// run runs the scenarios in order as subtests, reusing one logged-in client
// per user.
func run(t *testing.T, e *env, scs []scenario) {
	t.Helper()
	clients := map[string]*client{}
	for _, sc := range scs {
		t.Run(sc.name, func(t *testing.T) {
			c, ok := clients[sc.user]
			if !ok {
				c = e.as(t, sc.user)
				clients[sc.user] = c
			}
			body := sc.body
			if f, ok := body.(func(*env) any); ok {
				body = f(e)
			}
			method := sc.method
			if method == "" {
				method = "GET"
			}
			var before string
			if sc.unchanged {
				before = e.state(t)
			}
			r := c.do(t, method, sc.path, body, sc.header...)
			if r.status != sc.status && (sc.alt == 0 || r.status != sc.alt) {
				want := strconv.Itoa(sc.status)
				if sc.alt != 0 {
					want += " or " + strconv.Itoa(sc.alt)
				}
				t.Fatalf("%s %s as %q: status %d, want %s\n%s", method, e.expand(sc.path), sc.user, r.status, want, r.body)
			}
			if sc.unchanged {
				if after := e.state(t); after != before {
					t.Errorf("state changed:\nbefore %s\nafter  %s", before, after)
				}
			}
			if sc.check != nil {
				sc.check(t, e, r)
			}
		})
	}
}

// state is a snapshot of everything stored that a write could change:
// persons, households, accounts and the size of the audit log.
func (e *env) state(t testing.TB) string {
	t.Helper()
	ctx := sqltest.System()
	ps, _, err := e.db.FindPersons(ctx, healthcell.PersonFilter{Division: sqltest.County, Inactive: true, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	hs, _, err := e.db.FindHouseholds(ctx, healthcell.HouseholdFilter{Division: sqltest.County, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	us, err := e.db.FindUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, audits, err := e.db.FindAudit(ctx, healthcell.AuditFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(map[string]any{"persons": ps, "households": hs, "users": us, "audit": audits})
	return string(b)
}

// all combines checks.
func all(cs ...check) check {
	return func(t *testing.T, e *env, r *response) {
		t.Helper()
		for _, c := range cs {
			c(t, e, r)
		}
	}
}

// jpath returns the value at a dotted path of a decoded JSON document
// (numeric segments index arrays), or nil.
func jpath(v any, path string) any {
	if path == "" {
		return v
	}
	for _, seg := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[seg]
		case []any:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

// wantJSON checks the value at path (numbers compare as float64).
func wantJSON(path string, want any) check {
	return func(t *testing.T, e *env, r *response) {
		t.Helper()
		got := jpath(r.json(t), path)
		if n, ok := want.(int); ok {
			want = float64(n)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %#v, want %#v\n%s", path, got, want, r.body)
		}
	}
}

// wantError checks the error document: its code, and when fields are given,
// exactly the set of fields at fault.
func wantError(code string, fields ...string) check {
	return func(t *testing.T, e *env, r *response) {
		t.Helper()
		if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("Content-Type = %q, want JSON", ct)
		}
		m := r.json(t)
		if got := jpath(m, "error.code"); got != code {
			t.Errorf("error.code = %v, want %s\n%s", got, code, r.body)
		}
		if msg, _ := jpath(m, "error.message").(string); msg == "" {
			t.Errorf("error.message is empty")
		}
		if fields == nil {
			return
		}
		var got []string
		fs, _ := jpath(m, "error.fields").([]any)
		for _, f := range fs {
			got = append(got, fmt.Sprint(jpath(f, "field")))
		}
		sort.Strings(got)
		want := slices.Clone(fields)
		sort.Strings(want)
		if !slices.Equal(got, want) {
			t.Errorf("error fields = %q, want %q\n%s", got, want, r.body)
		}
	}
}

// wantField checks the first field error on field: its key, and that its
// message is Chinese text (not the key), and that no value is echoed for
// personal fields.
func wantField(field, key string) check {
	return func(t *testing.T, e *env, r *response) {
		t.Helper()
		fs, _ := jpath(r.json(t), "error.fields").([]any)
		for _, f := range fs {
			if jpath(f, "field") != field {
				continue
			}
			if got := jpath(f, "key"); got != key {
				t.Errorf("fields[%s].key = %v, want %s", field, got, key)
			}
			msg, _ := jpath(f, "message").(string)
			if msg == key || !hasHan(msg) {
				t.Errorf("fields[%s].message = %q, want a Chinese sentence", field, msg)
			}
			if (field == "id_number" || field == "phone") && jpath(f, "value") != nil {
				t.Errorf("fields[%s].value = %v: personal values must not be echoed", field, jpath(f, "value"))
			}
			return
		}
		t.Errorf("no field error on %s\n%s", field, r.body)
	}
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// denied checks a refusal for a role that may not write: 403, or 422 on
// field (the record it names is not writable), or 404.
func denied(field string) check {
	return func(t *testing.T, e *env, r *response) {
		t.Helper()
		switch r.status {
		case http.StatusForbidden:
			wantError(healthcell.EFORBIDDEN)(t, e, r)
		case http.StatusNotFound:
			wantError(healthcell.ENOTFOUND)(t, e, r)
		default:
			wantError(healthcell.EINVALID, field)(t, e, r)
		}
	}
}

// wantNames checks the names of a list's items, in order, and its total.
func wantNames(names ...string) check {
	return func(t *testing.T, e *env, r *response) {
		t.Helper()
		m := r.json(t)
		items, ok := m["items"].([]any)
		if !ok {
			t.Fatalf("items is not an array\n%s", r.body)
		}
		got := []string{}
		for _, it := range items {
			got = append(got, fmt.Sprint(jpath(it, "name")))
		}
		if !slices.Equal(got, names) {
			t.Errorf("names = %q, want %q", got, names)
		}
		if total := jpath(m, "total"); total != float64(len(names)) {
			t.Errorf("total = %v, want %d", total, len(names))
		}
	}
}

// wantMasked checks every person in the answer (a list or one person):
// masked personal fields, or full ones.
func wantMasked(masked bool) check {
	return func(t *testing.T, e *env, r *response) {
		t.Helper()
		m := r.json(t)
		persons := []any{m}
		if items, ok := m["items"].([]any); ok {
			persons = items
			if len(items) == 0 {
				t.Fatalf("no persons to check")
			}
		}
		for _, p := range persons {
			id, _ := jpath(p, "id_number").(string)
			phone, _ := jpath(p, "phone").(string)
			gotMasked := jpath(p, "masked") == true
			if masked {
				if !gotMasked || !strings.Contains(id, "*") || !strings.Contains(phone, "*") || len(id) != 18 {
					t.Errorf("person %v: id_number %q phone %q masked %v, want masked", jpath(p, "name"), id, phone, gotMasked)
				}
			} else if gotMasked || strings.Contains(id, "*") || strings.Contains(phone, "*") {
				t.Errorf("person %v: id_number %q phone %q masked %v, want in full", jpath(p, "name"), id, phone, gotMasked)
			}
		}
		if masked {
			for _, p := range []*healthcell.Person{e.pA, e.pA2, e.pB, e.pC} {
				if strings.Contains(string(r.body), p.IDNumber) || strings.Contains(string(r.body), "13812345678") {
					t.Errorf("masked answer contains a full ID number or phone:\n%s", r.body)
				}
			}
		}
	}
}

// sameBodyAs checks that the answer is byte for byte the answer to another
// request by the same kind of user.
func sameBodyAs(user, path string, status int) check {
	return func(t *testing.T, e *env, r *response) {
		t.Helper()
		other := e.as(t, user).get(t, path)
		if other.status != status {
			t.Fatalf("reference %s: status %d, want %d", path, other.status, status)
		}
		if string(other.body) != string(r.body) {
			t.Errorf("body differs from %s:\n got %s\nwant %s", e.expand(path), r.body, other.body)
		}
	}
}

// child returns the child of a division document with code.
func child(t *testing.T, m map[string]any, code string) map[string]any {
	t.Helper()
	cs, _ := m["children"].([]any)
	for _, c := range cs {
		if cm, ok := c.(map[string]any); ok && cm["code"] == code {
			return cm
		}
	}
	t.Fatalf("no child %s", code)
	return nil
}

// counts reads the households and persons counts of a division as user.
func counts(t *testing.T, c *client, code string) (households, persons int) {
	t.Helper()
	r := c.get(t, "/api/v1/divisions/"+code)
	if r.status != http.StatusOK {
		t.Fatalf("division %s: %d %s", code, r.status, r.body)
	}
	m := r.json(t)
	return int(m["households"].(float64)), int(m["persons"].(float64))
}

// ---------------------------------------------------------------------------
// Session.

func TestAPISession(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		t.Run("good login sets a secure session cookie", func(t *testing.T) {
			c := e.anon(t)
			r := c.do(t, "POST", "/api/v1/session", map[string]string{"username": " county ", "password": testPassword})
			if r.status != http.StatusOK {
				t.Fatalf("status %d: %s", r.status, r.body)
			}
			var ck *http.Cookie
			for _, x := range (&http.Response{Header: r.header}).Cookies() {
				if x.Name == "healthcell_session" {
					ck = x
				}
			}
			if ck == nil || ck.Value == "" {
				t.Fatalf("no healthcell_session cookie in %q", r.header.Values("Set-Cookie"))
			}
			if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" {
				t.Errorf("cookie %q: want HttpOnly, SameSite=Lax, Path=/", r.header.Get("Set-Cookie"))
			}
			m := r.json(t)
			if m["username"] != "county" || m["role"] != "county_admin" {
				t.Errorf("body = %s", r.body)
			}
			if strings.Contains(string(r.body), "password") || strings.Contains(string(r.body), "argon2") {
				t.Errorf("login answer leaks the password hash: %s", r.body)
			}
			me := c.get(t, "/api/v1/me")
			if me.status != http.StatusOK || me.json(t)["username"] != "county" {
				t.Errorf("me: %d %s", me.status, me.body)
			}

			// Logging out ends the session on the server: the old cookie no longer works.
			token := c.cookie("healthcell_session")
			if out := c.do(t, "DELETE", "/api/v1/session", nil); out.status != http.StatusNoContent {
				t.Fatalf("logout: %d %s", out.status, out.body)
			}
			if r := c.get(t, "/api/v1/me"); r.status != http.StatusUnauthorized {
				t.Errorf("me after logout: %d", r.status)
			}
			stale := e.anon(t)
			r = stale.get(t, "/api/v1/me", "Cookie", "healthcell_session="+token)
			if r.status != http.StatusUnauthorized {
				t.Errorf("me with the logged-out token: %d %s", r.status, r.body)
			}
		})

		t.Run("bad password and unknown user answer alike", func(t *testing.T) {
			c := e.anon(t)
			bad := c.do(t, "POST", "/api/v1/session", map[string]string{"username": "village", "password": "wrong-password"})
			if bad.status != http.StatusUnauthorized {
				t.Fatalf("bad password: %d %s", bad.status, bad.body)
			}
			wantError(healthcell.EUNAUTHORIZED)(t, e, bad)
			unknown := c.do(t, "POST", "/api/v1/session", map[string]string{"username": "nobody", "password": "wrong-password"})
			if unknown.status != http.StatusUnauthorized {
				t.Fatalf("unknown user: %d %s", unknown.status, unknown.body)
			}
			if string(bad.body) != string(unknown.body) {
				t.Errorf("bodies differ:\n%s\n%s", bad.body, unknown.body)
			}
			if c.cookie("healthcell_session") != "" {
				t.Errorf("a failed login set a session cookie")
			}
			if r := c.get(t, "/api/v1/me"); r.status != http.StatusUnauthorized {
				t.Errorf("me after failed login: %d", r.status)
			}
		})

		t.Run("disabled account answers like a bad password", func(t *testing.T) {
			if err := e.db.SetDisabled(sqltest.System(), "department", true); err != nil {
				t.Fatal(err)
			}
			c := e.anon(t)
			r := c.do(t, "POST", "/api/v1/session", map[string]string{"username": "department", "password": testPassword})
			if r.status != http.StatusUnauthorized {
				t.Fatalf("disabled: %d %s", r.status, r.body)
			}
			wantError(healthcell.EUNAUTHORIZED)(t, e, r)
		})

		t.Run("disabling a user ends its session", func(t *testing.T) {
			c := e.as(t, "evaluator")
			if err := e.db.SetDisabled(sqltest.System(), "evaluator", true); err != nil {
				t.Fatal(err)
			}
			if r := c.get(t, "/api/v1/me"); r.status != http.StatusUnauthorized {
				t.Errorf("me after disable: %d %s", r.status, r.body)
			}
		})

		t.Run("sixth failure for one account is throttled", func(t *testing.T) {
			c := e.anon(t)
			for i := 1; i <= 5; i++ {
				r := c.do(t, "POST", "/api/v1/session", map[string]string{"username": "lockme", "password": "wrong-" + strconv.Itoa(i)})
				if r.status != http.StatusUnauthorized {
					t.Fatalf("failure %d: %d %s", i, r.status, r.body)
				}
			}
			r := c.do(t, "POST", "/api/v1/session", map[string]string{"username": "lockme", "password": "wrong-6"})
			if r.status != http.StatusTooManyRequests {
				t.Fatalf("6th failure: %d %s", r.status, r.body)
			}
			wantError(healthcell.ETHROTTLED)(t, e, r)
			// Even the right password is refused while the account is throttled.
			r = c.do(t, "POST", "/api/v1/session", map[string]string{"username": "lockme", "password": testPassword})
			if r.status != http.StatusTooManyRequests {
				t.Errorf("right password while throttled: %d %s", r.status, r.body)
			}
			// Other accounts from the same address still log in.
			e.as(t, "viewer")
		})

		run(t, e, []scenario{
			{name: "login malformed JSON", method: "POST", path: "/api/v1/session", body: `{"username":`, status: 422, check: wantError(healthcell.EINVALID, "body")},
			{name: "login unknown field", method: "POST", path: "/api/v1/session", body: `{"username":"county","password":"x","admin":true}`, status: 422, check: wantError(healthcell.EINVALID, "body")},
			{name: "me without session", path: "/api/v1/me", status: 401, check: wantError(healthcell.EUNAUTHORIZED)},
			{name: "me as township", user: "township", path: "/api/v1/me", status: 200, check: all(wantJSON("username", "township"), wantJSON("role", "township"), wantJSON("scope", sqltest.Township))},
			{name: "logout without session", method: "DELETE", path: "/api/v1/session", status: 204},
		})
	})
}

// ---------------------------------------------------------------------------
// Reads: divisions, persons, households, users.

func TestAPIRead(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		countyView := func(t *testing.T, e *env, r *response) {
			m := r.json(t)
			if cs, _ := m["children"].([]any); len(cs) != 34 {
				t.Errorf("%d children, want 34", len(cs))
			}
			if m["name"] != "苍溪县" || m["level"] != float64(3) || m["households"] != float64(4) || m["persons"] != float64(4) {
				t.Errorf("county = %v %v households %v persons %v", m["name"], m["level"], m["households"], m["persons"])
			}
			var anc []string
			for _, a := range m["ancestors"].([]any) {
				anc = append(anc, fmt.Sprint(jpath(a, "name")))
			}
			if !slices.Equal(anc, []string{"四川省", "广元市"}) {
				t.Errorf("ancestors = %q", anc)
			}
			if c := child(t, m, sqltest.Township); c["name"] != "陵江镇" || c["households"] != float64(3) || c["persons"] != float64(3) {
				t.Errorf("陵江镇 = %v", c)
			}
			if c := child(t, m, sqltest.Township2); c["households"] != float64(1) || c["persons"] != float64(1) {
				t.Errorf("云峰镇 = %v", c)
			}
			if c := child(t, m, "510824104000"); c["households"] != float64(0) || c["persons"] != float64(0) {
				t.Errorf("empty township = %v", c)
			}
		}
		run(t, e, []scenario{
			// Divisions.
			{name: "county admin reads county with 34 townships and counts", user: "county", path: "/api/v1/divisions/510824000000", status: 200, check: countyView},
			{name: "county by 6-digit prefix", user: "county", path: "/api/v1/divisions/510824", status: 200, check: wantJSON("code", sqltest.County)},
			{name: "viewer reads county counts", user: "viewer", path: "/api/v1/divisions/510824000000", status: 200, check: countyView},
			{name: "unit reads county counts", user: "unit", path: "/api/v1/divisions/510824000000", status: 200, check: wantJSON("persons", 4)},
			{name: "village officer: county is 404", user: "village", path: "/api/v1/divisions/510824000000", status: 404,
				check: all(wantError(healthcell.ENOTFOUND), sameBodyAs("village", "/api/v1/divisions/510824100999", 404))},
			{name: "village officer: own township is 404", user: "village", path: "/api/v1/divisions/510824100000", status: 404, check: wantError(healthcell.ENOTFOUND)},
			{name: "village officer: neighbour village is 404", user: "village", path: "/api/v1/divisions/510824100002", status: 404, check: wantError(healthcell.ENOTFOUND)},
			{name: "village officer: own village", user: "village", path: "/api/v1/divisions/510824100001", status: 200,
				check: all(wantJSON("name", villageName), wantJSON("level", 5), wantJSON("households", 2), wantJSON("persons", 2), wantJSON("children", []any{}), wantJSON("ancestors.2.name", "苍溪县"))},
			{name: "township officer: own township", user: "township", path: "/api/v1/divisions/510824100000", status: 200,
				check: func(t *testing.T, e *env, r *response) {
					m := r.json(t)
					if c := child(t, m, sqltest.Village); c["households"] != float64(2) || c["persons"] != float64(2) {
						t.Errorf("village = %v", c)
					}
					if c := child(t, m, sqltest.Village2); c["households"] != float64(1) || c["persons"] != float64(1) {
						t.Errorf("village2 = %v", c)
					}
				}},
			{name: "township officer: other township is 404", user: "township", path: "/api/v1/divisions/510824102000", status: 404, check: wantError(healthcell.ENOTFOUND)},
			{name: "unknown division is 404", user: "county", path: "/api/v1/divisions/510824100999", status: 404, check: wantError(healthcell.ENOTFOUND)},
			{name: "malformed division code is 404", user: "county", path: "/api/v1/divisions/51x824", status: 404, check: wantError(healthcell.ENOTFOUND)},
			{name: "division without session is 401", path: "/api/v1/divisions/510824000000", status: 401, check: wantError(healthcell.EUNAUTHORIZED)},

			// Persons: lists and searches.
			{name: "county lists a village", user: "county", path: "/api/v1/persons?division=510824100001", status: 200, check: all(wantNames("张三", "李四"), wantMasked(false))},
			{name: "county name search", user: "county", path: "/api/v1/persons?division=510824000000&q=张", status: 200, check: all(wantNames("张三"), wantMasked(false))},
			{name: "county name search inside a village", user: "county", path: "/api/v1/persons?division=510824100002&q=张", status: 200, check: wantNames()},
			{name: "county ID-prefix search", user: "county", path: "/api/v1/persons?division=510824000000&q=5108241980", status: 200, check: wantNames("王五")},
			{name: "county ID-prefix search with spaces", user: "county", path: "/api/v1/persons?q=510824%201990", status: 200, check: wantNames("赵六")},
			{name: "county short digit query is a name search", user: "county", path: "/api/v1/persons?q=510", status: 200, check: wantNames()},
			{name: "county search matches LIKE metacharacters literally", user: "county", path: "/api/v1/persons?q=%25", status: 200, check: wantNames()},
			{name: "county pages", user: "county", path: "/api/v1/persons?limit=1&offset=1", status: 200,
				check: all(wantJSON("total", 4), wantJSON("offset", 1), wantJSON("items.0.name", "李四"), wantJSON("items.1", nil))},
			{name: "negative limit is 422", user: "county", path: "/api/v1/persons?limit=-1", status: 422, check: all(wantError(healthcell.EINVALID, "limit"), wantField("limit", "field.invalid_number"))},
			{name: "non-numeric offset is 422", user: "county", path: "/api/v1/persons?offset=x", status: 422, check: wantError(healthcell.EINVALID, "offset")},
			{name: "county lists a household head first", user: "county", path: "/api/v1/persons?household={hA}", status: 200, check: wantNames("张三", "李四")},
			{name: "bad household parameter is 404", user: "county", path: "/api/v1/persons?household=abc", status: 404, check: wantError(healthcell.ENOTFOUND)},
			{name: "viewer sees everyone masked", user: "viewer", path: "/api/v1/persons", status: 200, check: all(wantNames("张三", "李四", "王五", "赵六"), wantMasked(true))},
			{name: "viewer name search is masked", user: "viewer", path: "/api/v1/persons?q=王", status: 200, check: all(wantNames("王五"), wantMasked(true))},
			{name: "viewer ID-prefix search finds nothing", user: "viewer", path: "/api/v1/persons?division=510824000000&q=5108241980", status: 200, check: all(wantNames(), wantJSON("items", []any{}))},
			{name: "evaluator person is masked", user: "evaluator", path: "/api/v1/persons/{pA}", status: 200, check: all(wantMasked(true), wantJSON("name", "张三"))},
			{name: "department list is masked", user: "department", path: "/api/v1/persons?division=510824102000", status: 200, check: all(wantNames("赵六"), wantMasked(true))},
			{name: "unit may not list persons", user: "unit", path: "/api/v1/persons", status: 404, check: wantError(healthcell.ENOTFOUND)},
			{name: "unit may not read a person", user: "unit", path: "/api/v1/persons/{pA}", status: 404, check: wantError(healthcell.ENOTFOUND)},
			{name: "township lists exactly its villages", user: "township", path: "/api/v1/persons", status: 200, check: all(wantNames("张三", "李四", "王五"), wantMasked(false))},
			{name: "township lists a village of its own", user: "township", path: "/api/v1/persons?division=510824100002", status: 200, check: wantNames("王五")},
			{name: "township: other township is 404", user: "township", path: "/api/v1/persons?division=510824102000", status: 404, check: wantError(healthcell.ENOTFOUND)},
			{name: "township: county is 404", user: "township", path: "/api/v1/persons?division=510824000000", status: 404, check: wantError(healthcell.ENOTFOUND)},
			{name: "township: other township's household is 404", user: "township", path: "/api/v1/persons?household={hC}", status: 404, check: wantError(healthcell.ENOTFOUND)},
			{name: "village lists its village in full", user: "village", path: "/api/v1/persons", status: 200, check: all(wantNames("张三", "李四"), wantMasked(false))},
			{name: "village: neighbour village is 404", user: "village", path: "/api/v1/persons?division=510824100002", status: 404, check: wantError(healthcell.ENOTFOUND)},
			{name: "village: neighbour household is 404", user: "village", path: "/api/v1/persons?household={hB}", status: 404, check: wantError(healthcell.ENOTFOUND)},
			{name: "village reads its person in full", user: "village", path: "/api/v1/persons/{pA}", status: 200,
				check: all(wantMasked(false), func(t *testing.T, e *env, r *response) {
					m := r.json(t)
					if m["id_number"] != e.pA.IDNumber || m["phone"] != "13812345678" || m["sex"] != "F" || m["birth_date"] != "1949-12-31" {
						t.Errorf("person = %s", r.body)
					}
					if _, ok := m["masked"]; ok {
						t.Errorf("masked is present for an unmasked person")
					}
				})},
			{name: "village: another village's person is 404 like a missing one", user: "village", path: "/api/v1/persons/{pB}", status: 404,
				check: all(wantError(healthcell.ENOTFOUND), sameBodyAs("village", "/api/v1/persons/987654321", 404))},
			{name: "village: another township's person is 404", user: "village", path: "/api/v1/persons/{pC}", status: 404, check: sameBodyAs("village", "/api/v1/persons/987654321", 404)},
			{name: "non-numeric person id is 404", user: "county", path: "/api/v1/persons/abc", status: 404, check: wantError(healthcell.ENOTFOUND)},
			{name: "zero person id is 404", user: "county", path: "/api/v1/persons/0", status: 404, check: wantError(healthcell.ENOTFOUND)},

			// Households.
			{name: "county lists a village's households", user: "county", path: "/api/v1/households?division=510824100001", status: 200,
				check: all(wantJSON("total", 2), wantJSON("items.0.number", "A-001"), wantJSON("items.0.head_name", "张三"), wantJSON("items.0.members", 2), wantJSON("items.1.number", "A-002"))},
			{name: "township lists its households", user: "township", path: "/api/v1/households", status: 200, check: wantJSON("total", 3)},
			{name: "village: neighbour village's households are 404", user: "village", path: "/api/v1/households?division=510824100002", status: 404, check: wantError(healthcell.ENOTFOUND)},
			{name: "viewer reads a household", user: "viewer", path: "/api/v1/households/{hA}", status: 200, check: wantJSON("number", "A-001")},
			{name: "village: neighbour household is 404 like a missing one", user: "village", path: "/api/v1/households/{hB}", status: 404,
				check: sameBodyAs("village", "/api/v1/households/987654321", 404)},
			{name: "unit may not read households", user: "unit", path: "/api/v1/households/{hA}", status: 404, check: wantError(healthcell.ENOTFOUND)},

			// Users.
			{name: "county lists every account", user: "county", path: "/api/v1/users", status: 200,
				check: func(t *testing.T, e *env, r *response) {
					var l struct {
						Items []healthcell.User
						Total int
					}
					r.decode(t, &l)
					if l.Total != len(testUsers) || len(l.Items) != len(testUsers) {
						t.Errorf("%d users (total %d), want %d", len(l.Items), l.Total, len(testUsers))
					}
					if strings.Contains(string(r.body), "password") {
						t.Errorf("user list mentions passwords: %s", r.body)
					}
				}},
			{name: "township may not list accounts", user: "township", path: "/api/v1/users", status: 403, check: wantError(healthcell.EFORBIDDEN)},
			{name: "village may not list accounts", user: "village", path: "/api/v1/users", status: 403, check: wantError(healthcell.EFORBIDDEN)},
			{name: "viewer may not list accounts", user: "viewer", path: "/api/v1/users", status: 403, check: wantError(healthcell.EFORBIDDEN)},
		})
	})
}

// ---------------------------------------------------------------------------
// Persons: writes.

// personBody is a valid new person in household hid.
func personBody(hid int64, name, id string) map[string]any {
	return map[string]any{"household_id": hid, "name": name, "id_number": id, "relation": "子", "phone": "13900001111"}
}

func TestAPIPersonCreate(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		good := sqltest.ID(t, "2001-03-04", 101)
		with := func(change map[string]any) func(*env) any {
			return func(e *env) any {
				b := personBody(e.hA.ID, "张小明", good)
				for k, v := range change {
					if v == nil {
						delete(b, k)
					} else {
						b[k] = v
					}
				}
				return b
			}
		}
		invalid := func(field, key string) check {
			return all(wantError(healthcell.EINVALID), wantField(field, key))
		}
		long := strings.Repeat("张", healthcell.MaxNameLen+1)
		run(t, e, []scenario{
			{name: "invalid ID check character", user: "village", method: "POST", path: "/api/v1/persons", body: with(map[string]any{"id_number": sqltest.BadCheck(good)}), status: 422, unchanged: true,
				check: all(invalid("id_number", "idcard.check"), func(t *testing.T, e *env, r *response) {
					if msg := jpath(r.json(t), "error.fields.0.message"); msg != "身份证号校验位错误，请核对号码" {
						t.Errorf("message = %v", msg)
					}
					if strings.Contains(string(r.body), sqltest.BadCheck(good)) {
						t.Errorf("the ID number is echoed: %s", r.body)
					}
				})},
			{name: "invalid ID in English", user: "village", method: "POST", path: "/api/v1/persons", body: with(map[string]any{"id_number": sqltest.BadCheck(good)}), header: []string{"Cookie", "lang=en"}, status: 422, unchanged: true,
				check: all(wantJSON("error.fields.0.message", "The check character is wrong; check the number"), wantJSON("error.fields.0.key", "idcard.check"))},
			{name: "ID of 17 characters", user: "village", method: "POST", path: "/api/v1/persons", body: with(map[string]any{"id_number": good[:16]}), status: 422, unchanged: true, check: invalid("id_number", "idcard.length")},
			{name: "ID with letters", user: "village", method: "POST", path: "/api/v1/persons", body: with(map[string]any{"id_number": "51082420010304A01X"}), status: 422, unchanged: true, check: invalid("id_number", "idcard.chars")},
			{name: "future birth date", user: "village", method: "POST", path: "/api/v1/persons", body: with(map[string]any{"id_number": nil, "sex": "F", "birth_date": "2030-01-01"}), status: 422, unchanged: true, check: invalid("birth_date", "person.birth_date.future")},
			{name: "ID born in the future", user: "village", method: "POST", path: "/api/v1/persons", body: with(map[string]any{"id_number": idFuture(t)}), status: 422, unchanged: true, check: invalid("id_number", "idcard.date")},
			{name: "malformed birth date", user: "village", method: "POST", path: "/api/v1/persons", body: with(map[string]any{"id_number": nil, "sex": "M", "birth_date": "2001/03/04"}), status: 422, unchanged: true, check: invalid("birth_date", "person.birth_date.invalid")},
			{name: "birth date disagrees with ID", user: "village", method: "POST", path: "/api/v1/persons", body: with(map[string]any{"birth_date": "2001-03-05"}), status: 422, unchanged: true, check: invalid("birth_date", "person.birth_date.mismatch")},
			{name: "no ID, no sex, no birth date", user: "village", method: "POST", path: "/api/v1/persons", body: with(map[string]any{"id_number": nil}), status: 422, unchanged: true, check: wantError(healthcell.EINVALID, "sex", "birth_date")},
			{name: "unknown household", user: "village", method: "POST", path: "/api/v1/persons", body: with(map[string]any{"household_id": 987654321}), status: 422, unchanged: true, check: invalid("household_id", "household.not_found")},
			{name: "missing household", user: "village", method: "POST", path: "/api/v1/persons", body: with(map[string]any{"household_id": nil}), status: 422, unchanged: true, check: invalid("household_id", "field.required")},
			{name: "out-of-scope household answers like an unknown one", user: "village", method: "POST", path: "/api/v1/persons", body: func(e *env) any { return personBody(e.hB.ID, "张小明", good) }, status: 422, unchanged: true,
				check: all(invalid("household_id", "household.not_found"), func(t *testing.T, e *env, r *response) {
					other := e.as(t, "village").do(t, "POST", "/api/v1/persons", personBody(987654321, "张小明", good))
					if string(other.body) != string(r.body) {
						t.Errorf("out of scope and unknown differ:\n%s\n%s", r.body, other.body)
					}
				})},
			{name: "other township's household for a township officer", user: "township", method: "POST", path: "/api/v1/persons", body: func(e *env) any { return personBody(e.hC.ID, "张小明", good) }, status: 422, unchanged: true, check: invalid("household_id", "household.not_found")},
			{name: "duplicate ID typed with spaces and lowercase x", user: "village", method: "POST", path: "/api/v1/persons",
				body: func(e *env) any {
					id := e.pA.IDNumber
					return personBody(e.hA.ID, "张三二", id[:6]+" "+id[6:14]+" "+strings.ToLower(id[14:]))
				}, status: 422, unchanged: true, check: invalid("id_number", "person.id_number.taken")},
			{name: "name of 31 characters", user: "village", method: "POST", path: "/api/v1/persons", body: with(map[string]any{"name": long}), status: 422, unchanged: true, check: invalid("name", "person.name.too_long")},
			{name: "empty name", user: "village", method: "POST", path: "/api/v1/persons", body: with(map[string]any{"name": ""}), status: 422, unchanged: true, check: invalid("name", "field.required")},
			{name: "blank name", user: "village", method: "POST", path: "/api/v1/persons", body: with(map[string]any{"name": " \t "}), status: 422, unchanged: true, check: invalid("name", "field.required")},
			{name: "bad phone", user: "village", method: "POST", path: "/api/v1/persons", body: with(map[string]any{"phone": "12345"}), status: 422, unchanged: true, check: invalid("phone", "person.phone.invalid")},
			{name: "bad relation", user: "village", method: "POST", path: "/api/v1/persons", body: with(map[string]any{"relation": "朋友"}), status: 422, unchanged: true, check: invalid("relation", "person.relation.invalid")},
			{name: "several errors at once", user: "village", method: "POST", path: "/api/v1/persons", body: with(map[string]any{"name": "", "id_number": sqltest.BadCheck(good), "phone": "1"}), status: 422, unchanged: true,
				check: all(wantField("name", "field.required"), wantField("id_number", "idcard.check"), wantField("phone", "person.phone.invalid"))},
			{name: "unknown JSON field", user: "village", method: "POST", path: "/api/v1/persons", body: with(map[string]any{"village_code": sqltest.Village2}), status: 422, unchanged: true, check: wantError(healthcell.EINVALID, "body")},
			{name: "malformed JSON", user: "village", method: "POST", path: "/api/v1/persons", body: `{"name": "张", `, status: 422, unchanged: true, check: wantError(healthcell.EINVALID, "body")},
			{name: "JSON of the wrong type", user: "village", method: "POST", path: "/api/v1/persons", body: `{"household_id": "one"}`, status: 422, unchanged: true, check: wantError(healthcell.EINVALID, "body")},
			{name: "empty body", user: "village", method: "POST", path: "/api/v1/persons", body: "", status: 422, unchanged: true, check: wantError(healthcell.EINVALID)},
			{name: "body over 1 MiB", user: "village", method: "POST", path: "/api/v1/persons", body: `{"name":"` + strings.Repeat("a", 1<<20) + `"}`, status: 422, unchanged: true, check: wantError(healthcell.EINVALID)},
			{name: "viewer may not create", user: "viewer", method: "POST", path: "/api/v1/persons", body: with(nil), status: 403, alt: 422, unchanged: true, check: denied("household_id")},
			{name: "evaluator may not create", user: "evaluator", method: "POST", path: "/api/v1/persons", body: with(nil), status: 403, alt: 422, unchanged: true, check: denied("household_id")},
			{name: "department may not create", user: "department", method: "POST", path: "/api/v1/persons", body: with(nil), status: 403, alt: 422, unchanged: true, check: denied("household_id")},
			{name: "unit may not create", user: "unit", method: "POST", path: "/api/v1/persons", body: with(nil), status: 403, alt: 422, unchanged: true, check: denied("household_id")},
			{name: "without session", method: "POST", path: "/api/v1/persons", body: with(nil), status: 401, unchanged: true, check: wantError(healthcell.EUNAUTHORIZED)},
			{name: "cross-site POST is refused", user: "village", method: "POST", path: "/api/v1/persons", body: with(nil),
				header: []string{"Sec-Fetch-Site", "cross-site", "Origin", "http://evil.example"}, status: 403, unchanged: true, check: wantError(healthcell.EFORBIDDEN)},
			{name: "foreign Origin without Sec-Fetch-Site is refused", user: "village", method: "POST", path: "/api/v1/persons", body: with(nil),
				header: []string{"Origin", "http://evil.example"}, status: 403, unchanged: true, check: wantError(healthcell.EFORBIDDEN)},

			{name: "village officer creates", user: "village", method: "POST", path: "/api/v1/persons", body: with(nil), header: []string{"Sec-Fetch-Site", "same-origin"}, status: 201,
				check: func(t *testing.T, e *env, r *response) {
					var p healthcell.Person
					r.decode(t, &p)
					if p.ID == 0 || p.IDNumber != good || p.Sex != "M" || p.BirthDate != "2001-03-04" || p.Version != 1 || p.Status != "active" ||
						p.VillageCode != sqltest.Village || !p.Registered || !p.Resident || p.Masked {
						t.Errorf("created %+v", p)
					}
					if loc := r.header.Get("Location"); loc != fmt.Sprintf("/api/v1/persons/%d", p.ID) {
						t.Errorf("Location = %q", loc)
					}
					if got := e.person(t, p.ID); got.Name != "张小明" || got.IDNumber != good {
						t.Errorf("stored %+v", got)
					}
					if n := e.personCount(t); n != 5 {
						t.Errorf("%d persons, want 5", n)
					}
				}},
			{name: "name of 30 characters without ID", user: "township", method: "POST", path: "/api/v1/persons",
				body: func(e *env) any {
					return map[string]any{"household_id": e.hB.ID, "name": strings.Repeat("王", 30), "sex": "F", "birth_date": "2010-10-10", "registered": false}
				}, status: 201,
				check: all(wantJSON("id_number", ""), wantJSON("registered", false), wantJSON("resident", true), wantJSON("village_code", sqltest.Village2))},
			{name: "ID typed sloppily is normalised", user: "county", method: "POST", path: "/api/v1/persons",
				body: func(e *env) any {
					id := sqltest.ID(t, "1966-06-06", 222)
					return personBody(e.hC.ID, "赵七", " "+id[:6]+" "+id[6:]+" ")
				}, status: 201, check: wantJSON("id_number", sqltest.ID(t, "1966-06-06", 222))},
		})
	})
}

// idFuture is a well-formed ID number of someone born after sqltest.Now.
func idFuture(t *testing.T) string {
	t.Helper()
	// idcard.Generate does not check the date.
	return idcard.Generate("510824", sqltest.Now.AddDate(0, 1, 0), 1)
}

func TestAPIPersonUpdate(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		village := e.as(t, "village")
		update := func(version int, phone string) map[string]any {
			return map[string]any{"name": "张三", "id_number": e.pA.IDNumber, "relation": "户主", "phone": phone, "version": version}
		}

		r := village.do(t, "PUT", "/api/v1/persons/{pA}", update(1, "13900002222"))
		if r.status != http.StatusOK {
			t.Fatalf("update: %d %s", r.status, r.body)
		}
		var p healthcell.Person
		r.decode(t, &p)
		if p.Version != 2 || p.Phone != "13900002222" || p.HouseholdID != e.hA.ID || p.Status != "active" {
			t.Errorf("updated %+v", p)
		}

		run(t, e, []scenario{
			{name: "same stale version again is 409", user: "village", method: "PUT", path: "/api/v1/persons/{pA}", body: update(1, "13900003333"), status: 409, unchanged: true,
				check: all(wantError(healthcell.ECONFLICT), wantJSON("error.code", "conflict"), func(t *testing.T, e *env, r *response) {
					if p := e.person(t, e.pA.ID); p.Version != 2 || p.Phone != "13900002222" {
						t.Errorf("after conflict: version %d phone %s", p.Version, p.Phone)
					}
				})},
			{name: "missing version is 409", user: "village", method: "PUT", path: "/api/v1/persons/{pA}", body: update(0, "13900003333"), status: 409, unchanged: true, check: wantError(healthcell.ECONFLICT)},
			{name: "future version is 409", user: "village", method: "PUT", path: "/api/v1/persons/{pA}", body: update(9, "13900003333"), status: 409, unchanged: true, check: wantError(healthcell.ECONFLICT)},
			{name: "invalid ID is 422", user: "village", method: "PUT", path: "/api/v1/persons/{pA}",
				body: func(e *env) any {
					b := update(2, "13900003333")
					b["id_number"] = sqltest.BadCheck(e.pA.IDNumber)
					return b
				}, status: 422, unchanged: true, check: wantField("id_number", "idcard.check")},
			{name: "another resident's ID is 422", user: "village", method: "PUT", path: "/api/v1/persons/{pA}",
				body: func(e *env) any { b := update(2, "13900003333"); b["id_number"] = e.pA2.IDNumber; return b }, status: 422, unchanged: true, check: wantField("id_number", "person.id_number.taken")},
			{name: "moving to an out-of-scope household is 422", user: "village", method: "PUT", path: "/api/v1/persons/{pA}",
				body: func(e *env) any { b := update(2, "13900003333"); b["household_id"] = e.hB.ID; return b }, status: 422, unchanged: true, check: wantField("household_id", "household.not_found")},
			{name: "viewer may not update", user: "viewer", method: "PUT", path: "/api/v1/persons/{pA}", body: update(2, "13900003333"), status: 403, unchanged: true, check: wantError(healthcell.EFORBIDDEN)},
			{name: "village: neighbour's person is 404", user: "village", method: "PUT", path: "/api/v1/persons/{pB}",
				body: func(e *env) any {
					return map[string]any{"name": "王五", "id_number": e.pB.IDNumber, "relation": "户主", "version": 1}
				}, status: 404, unchanged: true, check: wantError(healthcell.ENOTFOUND)},
			{name: "missing person is 404", user: "county", method: "PUT", path: "/api/v1/persons/987654321", body: update(1, ""), status: 404, unchanged: true, check: wantError(healthcell.ENOTFOUND)},
			{name: "cross-site PUT is refused", user: "village", method: "PUT", path: "/api/v1/persons/{pA}", body: update(2, "13900003333"),
				header: []string{"Sec-Fetch-Site", "cross-site", "Origin", "http://evil.example"}, status: 403, unchanged: true, check: wantError(healthcell.EFORBIDDEN)},
			{name: "current version succeeds", user: "village", method: "PUT", path: "/api/v1/persons/{pA}", body: update(2, ""), status: 200,
				check: all(wantJSON("version", 3), wantJSON("phone", ""))},
			{name: "moving within scope", user: "village", method: "PUT", path: "/api/v1/persons/{pA2}",
				body: func(e *env) any {
					return map[string]any{"household_id": e.hA2.ID, "name": "李四", "id_number": e.pA2.IDNumber, "relation": "户主", "version": 1}
				}, status: 200,
				check: func(t *testing.T, e *env, r *response) {
					wantJSON("household_id", float64(e.hA2.ID))(t, e, r)
					h := e.as(t, "village").get(t, "/api/v1/households/{hA2}")
					wantJSON("head_name", "李四")(t, e, h)
					wantJSON("members", 1)(t, e, h)
				}},
		})
	})
}

func TestAPIPersonStatus(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		county := e.as(t, "county")
		ch0, cp0 := counts(t, county, sqltest.County)
		_, tp0 := counts(t, county, sqltest.Township)
		_, vp0 := counts(t, county, sqltest.Village)

		run(t, e, []scenario{
			{name: "deceased without a date", user: "village", method: "POST", path: "/api/v1/persons/{pA2}/status", body: map[string]any{"status": "deceased", "version": 1}, status: 422, unchanged: true, check: wantField("status_date", "field.required")},
			{name: "deceased in the future", user: "village", method: "POST", path: "/api/v1/persons/{pA2}/status", body: map[string]any{"status": "deceased", "date": "2030-01-01", "version": 1}, status: 422, unchanged: true, check: wantField("status_date", "person.status_date.invalid")},
			{name: "deceased before birth", user: "village", method: "POST", path: "/api/v1/persons/{pA2}/status", body: map[string]any{"status": "deceased", "date": "1970-01-01", "version": 1}, status: 422, unchanged: true, check: wantError(healthcell.EINVALID, "status_date")},
			{name: "unknown status", user: "village", method: "POST", path: "/api/v1/persons/{pA2}/status", body: map[string]any{"status": "gone", "date": "2025-06-01", "version": 1}, status: 422, unchanged: true, check: wantField("status", "person.status.invalid")},
			{name: "stale version", user: "village", method: "POST", path: "/api/v1/persons/{pA2}/status", body: map[string]any{"status": "deceased", "date": "2025-06-01", "version": 7}, status: 409, unchanged: true, check: wantError(healthcell.ECONFLICT)},
			{name: "viewer may not", user: "viewer", method: "POST", path: "/api/v1/persons/{pA2}/status", body: map[string]any{"status": "deceased", "date": "2025-06-01", "version": 1}, status: 403, unchanged: true, check: wantError(healthcell.EFORBIDDEN)},
			{name: "neighbour village's person is 404", user: "village", method: "POST", path: "/api/v1/persons/{pB}/status", body: map[string]any{"status": "deceased", "date": "2025-06-01", "version": 1}, status: 404, unchanged: true, check: wantError(healthcell.ENOTFOUND)},
			{name: "deceased with a date", user: "village", method: "POST", path: "/api/v1/persons/{pA2}/status", body: map[string]any{"status": "deceased", "date": "2025-06-01", "version": 1}, status: 200,
				check: all(wantJSON("status", "deceased"), wantJSON("status_date", "2025-06-01"), wantJSON("version", 2))},
			{name: "counts drop", user: "county", path: "/api/v1/divisions/510824000000", status: 200,
				check: func(t *testing.T, e *env, r *response) {
					m := r.json(t)
					if m["persons"] != float64(cp0-1) || m["households"] != float64(ch0) {
						t.Errorf("county persons %v households %v, want %d %d", m["persons"], m["households"], cp0-1, ch0)
					}
					if c := child(t, m, sqltest.Township); c["persons"] != float64(tp0-1) {
						t.Errorf("township persons %v, want %d", c["persons"], tp0-1)
					}
				}},
			{name: "village count drops", user: "village", path: "/api/v1/divisions/510824100001", status: 200, check: wantJSON("persons", vp0-1)},
			{name: "household members drop", user: "village", path: "/api/v1/households/{hA}", status: 200, check: wantJSON("members", 1)},
			{name: "the deceased leave the list", user: "village", path: "/api/v1/persons", status: 200, check: wantNames("张三")},
			{name: "inactive=true lists them", user: "village", path: "/api/v1/persons?inactive=true", status: 200, check: all(wantNames("张三", "李四"), wantJSON("items.1.status", "deceased"))},
			{name: "the deceased are still readable", user: "village", path: "/api/v1/persons/{pA2}", status: 200, check: wantJSON("status", "deceased")},
			{name: "the old version is now stale", user: "village", method: "POST", path: "/api/v1/persons/{pA2}/status", body: map[string]any{"status": "moved", "date": "2025-06-01", "version": 1}, status: 409, unchanged: true, check: wantError(healthcell.ECONFLICT)},
			{name: "active again", user: "village", method: "POST", path: "/api/v1/persons/{pA2}/status", body: map[string]any{"status": "active", "date": "2025-06-02", "version": 2}, status: 200,
				check: func(t *testing.T, e *env, r *response) {
					m := r.json(t)
					if m["status"] != "active" || m["status_date"] != nil {
						t.Errorf("reactivated: %s", r.body)
					}
					if _, p := counts(t, e.as(t, "county"), sqltest.County); p != cp0 {
						t.Errorf("county persons %d, want %d", p, cp0)
					}
				}},
		})
	})
}

// ---------------------------------------------------------------------------
// Households.

func TestAPIHouseholds(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		hh := func(number, village string) map[string]any {
			return map[string]any{"number": number, "village_code": village, "group": "3组", "address": "金穗路 8 号"}
		}
		var created int64
		run(t, e, []scenario{
			{name: "village officer creates", user: "village", method: "POST", path: "/api/v1/households", body: hh("A-003", sqltest.Village), status: 201,
				check: func(t *testing.T, e *env, r *response) {
					var h healthcell.Household
					r.decode(t, &h)
					created = h.ID
					if h.ID == 0 || h.Number != "A-003" || h.VillageCode != sqltest.Village || h.Version != 1 || !h.Active || h.Members != 0 || h.Group != "3组" {
						t.Errorf("created %+v", h)
					}
					if loc := r.header.Get("Location"); loc != fmt.Sprintf("/api/v1/households/%d", h.ID) {
						t.Errorf("Location = %q", loc)
					}
					if n := e.householdCount(t); n != 5 {
						t.Errorf("%d households, want 5", n)
					}
				}},
			{name: "the count of the village rises", user: "village", path: "/api/v1/divisions/510824100001", status: 200, check: wantJSON("households", 3)},
			{name: "duplicate number", user: "village", method: "POST", path: "/api/v1/households", body: hh("A-001", sqltest.Village), status: 422, unchanged: true,
				check: all(wantError(healthcell.EINVALID, "number"), wantField("number", "household.number.taken"))},
			{name: "duplicate number with spaces", user: "village", method: "POST", path: "/api/v1/households", body: hh(" A-001 ", sqltest.Village), status: 422, unchanged: true, check: wantError(healthcell.EINVALID, "number")},
			{name: "empty number", user: "village", method: "POST", path: "/api/v1/households", body: hh("", sqltest.Village), status: 422, unchanged: true, check: wantField("number", "field.required")},
			{name: "number too long", user: "village", method: "POST", path: "/api/v1/households", body: hh(strings.Repeat("9", 31), sqltest.Village), status: 422, unchanged: true, check: wantField("number", "field.too_long")},
			{name: "neighbour village", user: "village", method: "POST", path: "/api/v1/households", body: hh("A-009", sqltest.Village2), status: 422, unchanged: true, check: wantField("village_code", "division.out_of_scope")},
			{name: "a township is not a village", user: "county", method: "POST", path: "/api/v1/households", body: hh("T-001", sqltest.Township), status: 422, unchanged: true, check: wantField("village_code", "division.village.invalid")},
			{name: "village not loaded", user: "county", method: "POST", path: "/api/v1/households", body: hh("X-001", "510824100999"), status: 422, unchanged: true, check: wantField("village_code", "division.village.unknown")},
			{name: "viewer may not create", user: "viewer", method: "POST", path: "/api/v1/households", body: hh("V-001", sqltest.Village), status: 403, alt: 422, unchanged: true, check: denied("village_code")},
			{name: "unit may not create", user: "unit", method: "POST", path: "/api/v1/households", body: hh("U-001", sqltest.Village), status: 403, alt: 422, unchanged: true, check: denied("village_code")},
			{name: "unknown field", user: "village", method: "POST", path: "/api/v1/households", body: map[string]any{"number": "A-010", "village_code": sqltest.Village, "head_id": 1}, status: 422, unchanged: true, check: wantError(healthcell.EINVALID, "body")},
			{name: "cross-site create is refused", user: "village", method: "POST", path: "/api/v1/households", body: hh("A-011", sqltest.Village),
				header: []string{"Sec-Fetch-Site", "cross-site", "Origin", "http://evil.example"}, status: 403, unchanged: true, check: wantError(healthcell.EFORBIDDEN)},
			{name: "same number in another village is fine", user: "county", method: "POST", path: "/api/v1/households", body: hh("A-001", sqltest.Village2), status: 201, check: wantJSON("village_code", sqltest.Village2)},

			{name: "update with the current version", user: "village", method: "PUT", path: "/api/v1/households/{hA}",
				body: func(e *env) any {
					return map[string]any{"number": "A-001", "village_code": sqltest.Village, "group": "5组", "version": e.hA.Version}
				}, status: 200,
				check: all(wantJSON("group", "5组"), wantJSON("head_name", "张三"), wantJSON("members", 2), func(t *testing.T, e *env, r *response) {
					wantJSON("version", e.hA.Version+1)(t, e, r)
				})},
			{name: "update with the stale version is 409", user: "village", method: "PUT", path: "/api/v1/households/{hA}",
				body: func(e *env) any {
					return map[string]any{"number": "A-001", "village_code": sqltest.Village, "group": "6组", "version": e.hA.Version}
				}, status: 409, unchanged: true,
				check: all(wantError(healthcell.ECONFLICT), func(t *testing.T, e *env, r *response) {
					h, err := e.db.FindHousehold(sqltest.System(), e.hA.ID)
					if err != nil || h.Group != "5组" || h.Version != e.hA.Version+1 {
						t.Errorf("after conflict: %+v %v", h, err)
					}
				})},
			{name: "renumber onto a taken number", user: "village", method: "PUT", path: "/api/v1/households/{hA2}",
				body: func(e *env) any {
					return map[string]any{"number": "A-001", "village_code": sqltest.Village, "version": e.hA2.Version}
				}, status: 422, unchanged: true, check: wantField("number", "household.number.taken")},
			{name: "neighbour's household is 404", user: "village", method: "PUT", path: "/api/v1/households/{hB}",
				body: func(e *env) any {
					return map[string]any{"number": "B-001", "village_code": sqltest.Village2, "version": e.hB.Version}
				}, status: 404, unchanged: true, check: wantError(healthcell.ENOTFOUND)},
			{name: "viewer may not update", user: "viewer", method: "PUT", path: "/api/v1/households/{hA}",
				body: func(e *env) any {
					return map[string]any{"number": "A-001", "village_code": sqltest.Village, "version": e.hA.Version + 1}
				}, status: 403, alt: 404, unchanged: true, check: denied("")},
			{name: "moving out of scope is 422", user: "village", method: "PUT", path: "/api/v1/households/{hA2}",
				body: func(e *env) any {
					return map[string]any{"number": "A-002", "village_code": sqltest.Village2, "version": e.hA2.Version}
				}, status: 422, unchanged: true, check: wantField("village_code", "division.out_of_scope")},
			{name: "the new household is listed", user: "village", path: "/api/v1/households", status: 200,
				check: func(t *testing.T, e *env, r *response) {
					wantJSON("total", 3)(t, e, r)
					wantJSON("items.2.id", float64(created))(t, e, r)
				}},
		})
	})
}

// ---------------------------------------------------------------------------
// Users.

func TestAPIUsers(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		user := func(username, role, scope, password string) map[string]any {
			return map[string]any{"username": username, "display_name": "红军路社区", "role": role, "scope": scope, "password": password}
		}
		run(t, e, []scenario{
			{name: "county admin creates a village user", user: "county", method: "POST", path: "/api/v1/users", body: user("hongjunlu", "village", sqltest.Village2, "initial-pass"), status: 201,
				check: func(t *testing.T, e *env, r *response) {
					m := r.json(t)
					if m["username"] != "hongjunlu" || m["role"] != "village" || m["scope"] != sqltest.Village2 || m["disabled"] != false || m["id"] == float64(0) {
						t.Errorf("created %s", r.body)
					}
					if strings.Contains(string(r.body), "initial-pass") || strings.Contains(string(r.body), "argon2") {
						t.Errorf("answer leaks the password: %s", r.body)
					}
					// The new account works, inside its scope only.
					c := e.anon(t)
					if r := c.do(t, "POST", "/api/v1/session", map[string]string{"username": "hongjunlu", "password": "initial-pass"}); r.status != 200 {
						t.Fatalf("login as new user: %d %s", r.status, r.body)
					}
					c.user = "hongjunlu"
					if r := c.get(t, "/api/v1/persons"); r.status != 200 {
						t.Errorf("new user lists persons: %d", r.status)
					} else {
						wantNames("王五")(t, e, r)
					}
				}},
			{name: "scope given as a prefix", user: "county", method: "POST", path: "/api/v1/users", body: user("lingjiang2", "township", "510824100", "initial-pass"), status: 201, check: wantJSON("scope", sqltest.Township)},
			{name: "village officer may not", user: "village", method: "POST", path: "/api/v1/users", body: user("sneaky", "village", sqltest.Village, "initial-pass"), status: 403, unchanged: true, check: wantError(healthcell.EFORBIDDEN)},
			{name: "township officer may not", user: "township", method: "POST", path: "/api/v1/users", body: user("sneaky", "village", sqltest.Village, "initial-pass"), status: 403, unchanged: true, check: wantError(healthcell.EFORBIDDEN)},
			{name: "viewer may not", user: "viewer", method: "POST", path: "/api/v1/users", body: user("sneaky", "county_admin", sqltest.County, "initial-pass"), status: 403, unchanged: true, check: wantError(healthcell.EFORBIDDEN)},
			{name: "bad role", user: "county", method: "POST", path: "/api/v1/users", body: user("badrole", "mayor", sqltest.Village, "initial-pass"), status: 422, unchanged: true, check: wantField("role", "user.role.invalid")},
			{name: "short password", user: "county", method: "POST", path: "/api/v1/users", body: user("shortpw", "village", sqltest.Village, "1234567"), status: 422, unchanged: true, check: wantField("password", "user.password.short")},
			{name: "bad username", user: "county", method: "POST", path: "/api/v1/users", body: user("张 三", "village", sqltest.Village, "initial-pass"), status: 422, unchanged: true, check: wantField("username", "user.username.invalid")},
			{name: "bad scope", user: "county", method: "POST", path: "/api/v1/users", body: user("badscope", "village", "51082410", "initial-pass"), status: 422, unchanged: true, check: wantField("scope", "division.code.invalid")},
			{name: "scope not loaded", user: "county", method: "POST", path: "/api/v1/users", body: user("noscope", "village", "510824100999", "initial-pass"), status: 422, unchanged: true, check: wantField("scope", "division.unknown")},
			{name: "scope above the caller's", user: "county", method: "POST", path: "/api/v1/users", body: user("cityadmin", "county_admin", "510800000000", "initial-pass"), status: 422, unchanged: true, check: wantField("scope", "division.out_of_scope")},
			{name: "username system is reserved", user: "county", method: "POST", path: "/api/v1/users", body: user("system", "county_admin", sqltest.County, "initial-pass"), status: 422, unchanged: true, check: wantField("username", "user.username.reserved")},
			{name: "reserved in any case", user: "county", method: "POST", path: "/api/v1/users", body: user("System", "village", sqltest.Village, "initial-pass"), status: 422, unchanged: true, check: wantField("username", "user.username.reserved")},
			{name: "username root is reserved", user: "county", method: "POST", path: "/api/v1/users", body: user("root", "village", sqltest.Village, "initial-pass"), status: 422, unchanged: true, check: wantField("username", "user.username.reserved")},
			{name: "username taken", user: "county", method: "POST", path: "/api/v1/users", body: user("village", "village", sqltest.Village, "initial-pass"), status: 409, unchanged: true, check: wantError(healthcell.ECONFLICT, "username")},
			{name: "unknown field", user: "county", method: "POST", path: "/api/v1/users", body: map[string]any{"username": "x1", "role": "village", "scope": sqltest.Village, "password": "initial-pass", "disabled": false}, status: 422, unchanged: true, check: wantError(healthcell.EINVALID, "body")},
			{name: "cross-site create is refused", user: "county", method: "POST", path: "/api/v1/users", body: user("csrfuser", "county_admin", sqltest.County, "initial-pass"),
				header: []string{"Sec-Fetch-Site", "cross-site", "Origin", "http://evil.example"}, status: 403, unchanged: true, check: wantError(healthcell.EFORBIDDEN)},
			{name: "the new users are listed", user: "county", path: "/api/v1/users", status: 200, check: wantJSON("total", len(testUsers)+2)},
		})
	})
}

// ---------------------------------------------------------------------------
// Audit.

func TestAPIAudit(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		village := e.as(t, "village")
		id := sqltest.ID(t, "1988-08-08", 88)
		r := village.do(t, "POST", "/api/v1/persons", personBody(e.hA.ID, "张审计", id))
		if r.status != http.StatusCreated {
			t.Fatalf("create: %d %s", r.status, r.body)
		}
		var p healthcell.Person
		r.decode(t, &p)
		if r := village.do(t, "PUT", fmt.Sprintf("/api/v1/persons/%d", p.ID), map[string]any{"name": "张审计", "id_number": id, "phone": "13700001111", "version": 1}); r.status != 200 {
			t.Fatalf("update: %d %s", r.status, r.body)
		}
		path := fmt.Sprintf("/api/v1/audit?entity=person&entity_id=%d", p.ID)

		entries := func(t *testing.T, r *response) []healthcell.AuditEntry {
			var l struct{ Items []healthcell.AuditEntry }
			r.decode(t, &l)
			return l.Items
		}
		snapshot := func(t *testing.T, s string) healthcell.Person {
			var p healthcell.Person
			if err := json.Unmarshal([]byte(s), &p); err != nil {
				t.Fatalf("snapshot %q: %v", s, err)
			}
			return p
		}
		run(t, e, []scenario{
			{name: "county sees the writes in full", user: "county", path: path, status: 200,
				check: func(t *testing.T, e *env, r *response) {
					es := entries(t, r)
					if len(es) != 2 || es[0].Action != "update" || es[1].Action != "create" || es[0].Username != "village" || es[0].Division != sqltest.Village {
						t.Fatalf("entries %+v", es)
					}
					if a := snapshot(t, es[0].After); a.IDNumber != id || a.Phone != "13700001111" {
						t.Errorf("after = %s", es[0].After)
					}
					if b := snapshot(t, es[0].Before); b.Phone != "13900001111" {
						t.Errorf("before = %s", es[0].Before)
					}
					if es[1].Before != "" {
						t.Errorf("create has a before: %s", es[1].Before)
					}
				}},
			{name: "village sees its writes in full", user: "village", path: path, status: 200,
				check: func(t *testing.T, e *env, r *response) {
					if es := entries(t, r); len(es) != 2 || !strings.Contains(es[1].After, id) {
						t.Errorf("entries %+v", es)
					}
				}},
			{name: "viewer sees the writes masked", user: "viewer", path: path, status: 200,
				check: func(t *testing.T, e *env, r *response) {
					es := entries(t, r)
					if len(es) != 2 {
						t.Fatalf("entries %+v", es)
					}
					if strings.Contains(string(r.body), id) || strings.Contains(string(r.body), "13700001111") || strings.Contains(string(r.body), "13900001111") {
						t.Errorf("viewer sees personal data: %s", r.body)
					}
					for _, en := range es {
						a := snapshot(t, en.After)
						if !a.Masked || !strings.Contains(a.IDNumber, "*") || !strings.Contains(a.Phone, "*") || a.Name != "张审计" {
							t.Errorf("after = %s", en.After)
						}
					}
				}},
			{name: "viewer does not see account changes", user: "viewer", path: "/api/v1/audit?entity=user", status: 200, check: wantJSON("total", 0)},
			{name: "county sees account changes", user: "county", path: "/api/v1/audit?entity=user", status: 200,
				check: func(t *testing.T, e *env, r *response) {
					if es := entries(t, r); len(es) != len(testUsers) || es[0].Action != "create" {
						t.Errorf("%d entries %+v", len(es), es)
					}
				}},
			{name: "village sees only its village", user: "village", path: "/api/v1/audit?limit=500", status: 200,
				check: func(t *testing.T, e *env, r *response) {
					es := entries(t, r)
					if len(es) == 0 {
						t.Fatal("no entries")
					}
					for _, en := range es {
						if en.Division != sqltest.Village {
							t.Errorf("entry of %q: %+v", en.Division, en)
						}
					}
				}},
			{name: "filter by user", user: "county", path: "/api/v1/audit?user=village", status: 200, check: wantJSON("total", 2)},
			{name: "paging", user: "county", path: path + "&limit=1&offset=1", status: 200, check: all(wantJSON("total", 2), wantJSON("offset", 1), wantJSON("items.0.action", "create"))},
			{name: "bad limit", user: "county", path: "/api/v1/audit?limit=ten", status: 422, check: wantError(healthcell.EINVALID, "limit")},
			{name: "without session", path: "/api/v1/audit", status: 401, check: wantError(healthcell.EUNAUTHORIZED)},
		})
	})
}

// ---------------------------------------------------------------------------
// Protocol: authentication, unknown routes, CSRF, health and metrics.

func TestAPIProtocol(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		run(t, e, []scenario{
			{name: "persons without session is 401 JSON", path: "/api/v1/persons", status: 401,
				check: all(wantError(healthcell.EUNAUTHORIZED), wantJSON("error.message", "请先登录"), func(t *testing.T, e *env, r *response) {
					if r.header.Get("Cache-Control") != "no-store" || r.header.Get("X-Content-Type-Options") != "nosniff" {
						t.Errorf("headers %v", r.header)
					}
				})},
			{name: "401 in English", path: "/api/v1/persons", header: []string{"Cookie", "lang=en"}, status: 401, check: wantJSON("error.message", "Please log in")},
			{name: "a forged session cookie is 401", path: "/api/v1/persons", header: []string{"Cookie", "healthcell_session=forged"}, status: 401, check: wantError(healthcell.EUNAUTHORIZED)},
			{name: "unknown API route is 404 JSON", user: "county", path: "/api/v1/nope", status: 404, check: wantError(healthcell.ENOTFOUND)},
			{name: "unknown API route without session is 404 JSON", path: "/api/v2/persons", status: 404, check: wantError(healthcell.ENOTFOUND)},
			{name: "malformed JSON body is 422", user: "county", method: "POST", path: "/api/v1/households", body: `{"number": "X-1", "village_code": `, status: 422, unchanged: true,
				check: all(wantError(healthcell.EINVALID, "body"), wantField("body", "error.bad_request"))},
			{name: "a JSON array is 422", user: "county", method: "PUT", path: "/api/v1/households/{hA}", body: `[1, 2]`, status: 422, unchanged: true, check: wantError(healthcell.EINVALID, "body")},
			{name: "cross-site POST is refused", user: "county", method: "POST", path: "/api/v1/persons", body: func(e *env) any { return personBody(e.hA.ID, "跨站", sqltest.ID(t, "2000-01-01", 1)) },
				header: []string{"Sec-Fetch-Site", "cross-site", "Origin", "http://evil.example"}, status: 403, unchanged: true, check: wantError(healthcell.EFORBIDDEN)},
			{name: "same-site POST is refused", user: "county", method: "POST", path: "/api/v1/persons", body: func(e *env) any { return personBody(e.hA.ID, "跨站", sqltest.ID(t, "2000-01-01", 1)) },
				header: []string{"Sec-Fetch-Site", "same-site"}, status: 403, unchanged: true, check: wantError(healthcell.EFORBIDDEN)},
			{name: "cross-site status change is refused", user: "county", method: "POST", path: "/api/v1/persons/{pA}/status", body: map[string]any{"status": "deceased", "date": "2025-06-01", "version": 1},
				header: []string{"Sec-Fetch-Site", "cross-site", "Origin", "http://evil.example"}, status: 403, unchanged: true, check: wantError(healthcell.EFORBIDDEN)},
			{name: "cross-site login is refused", method: "POST", path: "/api/v1/session", body: map[string]string{"username": "county", "password": testPassword},
				header: []string{"Sec-Fetch-Site", "cross-site", "Origin", "http://evil.example"}, status: 403, check: func(t *testing.T, e *env, r *response) {
					wantError(healthcell.EFORBIDDEN)(t, e, r)
					if len(r.header.Values("Set-Cookie")) != 0 {
						t.Errorf("cross-site login set cookies: %q", r.header.Values("Set-Cookie"))
					}
				}},
			{name: "cross-site logout is refused and the session lives", user: "county", method: "DELETE", path: "/api/v1/session",
				header: []string{"Sec-Fetch-Site", "cross-site", "Origin", "http://evil.example"}, status: 403, check: wantError(healthcell.EFORBIDDEN)},
			{name: "session still valid after refused logout", user: "county", path: "/api/v1/me", status: 200, check: wantJSON("username", "county")},
			{name: "cross-site GET is allowed", user: "county", path: "/api/v1/me", header: []string{"Sec-Fetch-Site", "cross-site"}, status: 200},
			{name: "unserved method on an API path is a JSON error", user: "county", method: "PATCH", path: "/api/v1/persons/{pA}", body: map[string]any{}, status: 404, alt: 405, unchanged: true,
				check: func(t *testing.T, e *env, r *response) {
					if code, _ := jpath(r.json(t), "error.code").(string); code == "" {
						t.Errorf("not an error document: %s", r.body)
					}
				}},
		})

		c := e.anon(t)
		t.Run("healthz", func(t *testing.T) {
			r := c.get(t, "/healthz")
			if r.status != 200 || !reflect.DeepEqual(r.json(t), map[string]any{"status": "ok"}) {
				t.Errorf("healthz: %d %s", r.status, r.body)
			}
		})
		t.Run("metrics", func(t *testing.T) {
			e.as(t, "county").get(t, "/api/v1/persons/{pA}")
			r := c.get(t, "/metrics")
			body := string(r.body)
			if r.status != 200 || !strings.Contains(body, "healthcell_http_requests_total") {
				t.Fatalf("metrics: %d %.500s", r.status, body)
			}
			if !strings.Contains(body, `route="GET /api/v1/persons/{id}"`) {
				t.Errorf("no route label for GET /api/v1/persons/{id}")
			}
			if strings.Contains(body, e.expand(`/api/v1/persons/{pA}"`)) {
				t.Errorf("raw paths in metric labels")
			}
			if !strings.Contains(body, "healthcell_http_request_duration_seconds") {
				t.Errorf("no duration histogram")
			}
		})
		t.Run("the served document is the file", func(t *testing.T) {
			r := c.get(t, "/api/v1/openapi.json")
			file, err := os.ReadFile("openapi.json")
			if err != nil {
				t.Fatal(err)
			}
			if r.status != 200 || string(r.body) != string(file) || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
				t.Errorf("openapi.json: %d %q, %d bytes, want %d", r.status, r.header.Get("Content-Type"), len(r.body), len(file))
			}
		})
	})
}

// ---------------------------------------------------------------------------
// The OpenAPI document.

var (
	docOnce sync.Once
	docData map[string]any
	docErr  error
)

// openapiDoc returns web/openapi.json, parsed.
func openapiDoc(t testing.TB) map[string]any {
	t.Helper()
	docOnce.Do(func() {
		b, err := os.ReadFile("openapi.json")
		if err != nil {
			docErr = err
			return
		}
		docErr = json.Unmarshal(b, &docData)
	})
	if docErr != nil {
		t.Fatalf("openapi.json: %v", docErr)
	}
	return docData
}

var httpMethods = []string{"get", "put", "post", "delete", "patch", "head", "options", "trace"}

// apiRoutes returns the "METHOD /api/v1/..." patterns registered in
// routes.go, read from its syntax tree.
func apiRoutes(t *testing.T) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "routes.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || len(call.Args) == 0 {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok || (sel.Sel.Name != "Handle" && sel.Sel.Name != "HandleFunc") {
			return true
		}
		lit, ok := call.Args[0].(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			t.Errorf("route pattern %v is not a string literal", call.Args[0])
			return true
		}
		p, err := strconv.Unquote(lit.Value)
		if err != nil {
			t.Fatal(err)
		}
		method, path, hasMethod := strings.Cut(p, " ")
		if !hasMethod {
			path = method
		}
		if !strings.HasPrefix(path, "/api/v1/") {
			return true
		}
		if !hasMethod {
			t.Errorf("API route %q has no method", p)
			return true
		}
		out = append(out, method+" "+path)
		return true
	})
	if len(out) == 0 {
		t.Fatalf("found only %d API routes in routes.go: %q", len(out), out)
	}
	return out
}

// docOperations returns "METHOD path" for every operation in the document.
func docOperations(doc map[string]any) map[string]map[string]any {
	out := map[string]map[string]any{}
	for path, item := range doc["paths"].(map[string]any) {
		for _, m := range httpMethods {
			if op, ok := item.(map[string]any)[m].(map[string]any); ok {
				out[strings.ToUpper(m)+" "+path] = op
			}
		}
	}
	return out
}

func TestOpenAPIDocument(t *testing.T) {
	doc := openapiDoc(t)
	if v, _ := doc["openapi"].(string); !regexp.MustCompile(`^3\.1\.\d+$`).MatchString(v) {
		t.Errorf("openapi = %q, want 3.1.x", v)
	}
	if jpath(doc, "info.title") == nil || jpath(doc, "info.version") == nil {
		t.Errorf("info needs title and version")
	}

	ops := docOperations(doc)
	routes := apiRoutes(t)
	for _, r := range routes {
		if ops[r] == nil {
			t.Errorf("route %q is not in openapi.json", r)
		}
	}
	for k := range ops {
		// GET /api/v1/bulletins/{id}.docx is served by the route of
		// /api/v1/bulletins/{id}: a pattern wildcard is a whole segment.
		if !slices.Contains(routes, k) && !slices.Contains(routes, strings.TrimSuffix(k, ".docx")) {
			t.Errorf("openapi.json has %q, which routes.go does not serve", k)
		}
	}

	// Every $ref resolves.
	var walk func(v any, at string)
	walk = func(v any, at string) {
		switch x := v.(type) {
		case map[string]any:
			if ref, ok := x["$ref"].(string); ok {
				if resolve(doc, ref) == nil {
					t.Errorf("%s: $ref %q does not resolve", at, ref)
				}
			}
			for k, c := range x {
				walk(c, at+"/"+k)
			}
		case []any:
			for i, c := range x {
				walk(c, fmt.Sprintf("%s/%d", at, i))
			}
		}
	}
	walk(doc, "#")

	for _, name := range []string{"Division", "DivisionView", "Household", "Person", "User", "AuditEntry", "ListEnvelope", "Error", "FieldError"} {
		if jpath(doc, "components.schemas."+name) == nil {
			t.Errorf("no schema %s", name)
		}
	}
	if jpath(doc, "components.schemas.Person.properties.masked") == nil {
		t.Errorf("Person has no masked property")
	}
	if s := jpath(doc, "components.securitySchemes.cookieAuth"); !reflect.DeepEqual(s, map[string]any{
		"type": "apiKey", "in": "cookie", "name": "healthcell_session", "description": jpath(s, "description"),
	}) {
		t.Errorf("cookieAuth = %v", s)
	}
	var persons []string
	for _, p := range jpath(doc, "paths./api/v1/persons.get.parameters").([]any) {
		if p := resolveMap(doc, p); p != nil {
			persons = append(persons, fmt.Sprint(p["name"]))
		}
	}
	sort.Strings(persons)
	if want := []string{"division", "household", "inactive", "limit", "offset", "q"}; !slices.Equal(persons, want) {
		t.Errorf("GET /api/v1/persons parameters = %q, want %q", persons, want)
	}

	public := map[string]bool{"POST /api/v1/session": true, "DELETE /api/v1/session": true, "GET /api/v1/openapi.json": true}
	// The data of the public knowledge pages (issue 15).
	public["GET /api/v1/public/{code}"], public["GET /api/v1/public/{code}/articles/{id}"] = true, true
	ids := map[string]bool{}
	for k, op := range ops {
		method, path, _ := strings.Cut(k, " ")
		id, _ := op["operationId"].(string)
		if id == "" || ids[id] {
			t.Errorf("%s: operationId %q missing or repeated", k, id)
		}
		ids[id] = true
		if s, _ := op["summary"].(string); s == "" {
			t.Errorf("%s: no summary", k)
		}
		if s, _ := op["description"].(string); s == "" {
			t.Errorf("%s: no description", k)
		}
		responses, _ := op["responses"].(map[string]any)
		has := func(code string) bool { _, ok := responses[code]; return ok }
		success := false
		for code, r := range responses {
			if !regexp.MustCompile(`^[1-5]\d\d$`).MatchString(code) {
				t.Errorf("%s: response %q", k, code)
			}
			if code[0] == '2' {
				success = true
			}
			rm := resolveMap(doc, r)
			if d, _ := rm["description"].(string); d == "" {
				t.Errorf("%s %s: response without description", k, code)
			}
			if code[0] == '4' || code[0] == '5' {
				if ref := jpath(rm, "content.application/json.schema.$ref"); ref != "#/components/schemas/Error" {
					t.Errorf("%s %s: error response is not the Error document", k, code)
				}
			}
		}
		if !success {
			t.Errorf("%s: no success response", k)
		}
		// Security: cookie auth everywhere but the public operations.
		sec, _ := json.Marshal(op["security"])
		if public[k] {
			if strings.Contains(string(sec), "cookieAuth") && !strings.Contains(string(sec), "{}") {
				t.Errorf("%s: public operation requires cookieAuth: %s", k, sec)
			}
		} else {
			if string(sec) != `[{"cookieAuth":[]}]` {
				t.Errorf("%s: security = %s, want cookieAuth", k, sec)
			}
			if !has("401") {
				t.Errorf("%s: no 401 response", k)
			}
		}
		if op["requestBody"] != nil && !has("422") {
			t.Errorf("%s: takes a body but has no 422 response", k)
		}
		if method != "GET" && !has("403") {
			t.Errorf("%s: unsafe method without 403 (cross-origin protection)", k)
		}
		if strings.Contains(path, "{") && !has("404") {
			t.Errorf("%s: path with an id but no 404 response", k)
		}
		// Every path parameter is declared.
		declared := map[string]bool{}
		item := doc["paths"].(map[string]any)[path].(map[string]any)
		for _, list := range []any{item["parameters"], op["parameters"]} {
			ps, _ := list.([]any)
			for _, p := range ps {
				pm := resolveMap(doc, p)
				if pm["in"] == "path" {
					declared[fmt.Sprint(pm["name"])] = true
					if pm["required"] != true {
						t.Errorf("%s: path parameter %v not required", k, pm["name"])
					}
				}
			}
		}
		for _, m := range regexp.MustCompile(`\{(\w+)\}`).FindAllStringSubmatch(path, -1) {
			if !declared[m[1]] {
				t.Errorf("%s: path parameter %s not declared", k, m[1])
			}
		}
	}
	for k, op := range map[string][]string{
		"POST /api/v1/session":             {"200", "401", "422", "429"},
		"GET /api/v1/divisions/{code}":     {"200", "401", "404"},
		"POST /api/v1/persons":             {"201", "401", "403", "422"},
		"PUT /api/v1/persons/{id}":         {"200", "401", "403", "404", "409", "422"},
		"POST /api/v1/persons/{id}/status": {"200", "401", "403", "404", "409", "422"},
		"PUT /api/v1/households/{id}":      {"200", "401", "404", "409", "422"},
		"GET /api/v1/users":                {"200", "401", "403"},
		"POST /api/v1/users":               {"201", "401", "403", "409", "422"},
	} {
		for _, code := range op {
			if jpath(ops[k], "responses."+code) == nil {
				t.Errorf("%s: no %s response", k, code)
			}
		}
	}
}

// TestOpenAPIUnauthenticated sends every documented operation without a
// session; the answer must be documented (checked by the client) and 401
// where the document asks for the cookie.
func TestOpenAPIUnauthenticated(t *testing.T) {
	doc := openapiDoc(t)
	eachEnv(t, func(t *testing.T, e *env) {
		c := e.anon(t)
		for k, op := range docOperations(doc) {
			method, path, _ := strings.Cut(k, " ")
			path = regexp.MustCompile(`\{\w+\}`).ReplaceAllString(path, "1")
			var body any
			if op["requestBody"] != nil {
				body = map[string]any{}
			}
			r := c.do(t, method, path, body)
			sec, _ := json.Marshal(op["security"])
			if string(sec) == `[{"cookieAuth":[]}]` && r.status != http.StatusUnauthorized {
				t.Errorf("%s without session: %d %s", k, r.status, r.body)
			}
		}
	})
}

// resolve follows a local $ref, or returns nil.
func resolve(doc map[string]any, ref string) any {
	if !strings.HasPrefix(ref, "#/") {
		return nil
	}
	var v any = doc
	for _, seg := range strings.Split(ref[2:], "/") {
		seg = strings.NewReplacer("~1", "/", "~0", "~").Replace(seg)
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		if v, ok = m[seg]; !ok {
			return nil
		}
	}
	return v
}

// resolveMap returns v, following $refs, as an object.
func resolveMap(doc map[string]any, v any) map[string]any {
	for i := 0; i < 10; i++ {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		ref, ok := m["$ref"].(string)
		if !ok {
			return m
		}
		v = resolve(doc, ref)
	}
	return nil
}

// findOperation returns the document's operation for method and a concrete
// path: literal segments must match, {name} matches one segment.
func findOperation(doc map[string]any, method, path string) map[string]any {
	segs := strings.Split(path, "/")
	var best map[string]any
	bestLiterals := -1
	for tmpl, item := range doc["paths"].(map[string]any) {
		ts := strings.Split(tmpl, "/")
		if len(ts) != len(segs) {
			continue
		}
		literals, ok := 0, true
		for i := range ts {
			switch {
			case strings.HasPrefix(ts[i], "{") && strings.HasSuffix(ts[i], "}"):
				ok = ok && segs[i] != ""
			case ts[i] == segs[i]:
				literals++
			case strings.HasPrefix(ts[i], "{") && strings.Contains(ts[i], "}."):
				// {id}.docx: a wildcard with a file extension
				ext := ts[i][strings.Index(ts[i], "}")+1:]
				ok = ok && strings.HasSuffix(segs[i], ext) && len(segs[i]) > len(ext)
				literals++
			default:
				ok = false
			}
		}
		if !ok || literals <= bestLiterals {
			continue
		}
		if op, found := item.(map[string]any)[strings.ToLower(method)].(map[string]any); found {
			best, bestLiterals = op, literals
		}
	}
	return best
}

// checkAgainstDoc checks an API answer against the document: the status is
// one the operation documents, and the body matches its schema.
func checkAgainstDoc(t testing.TB, method, path string, r *response) {
	t.Helper()
	doc := openapiDoc(t)
	op := findOperation(doc, method, path)
	if op == nil {
		return // not a documented operation (e.g. the catch-all 404)
	}
	rd, ok := jpath(op, "responses").(map[string]any)[strconv.Itoa(r.status)]
	if !ok {
		t.Errorf("openapi: %s %s answered %d, which the document does not list", method, path, r.status)
		return
	}
	content, _ := resolveMap(doc, rd)["content"].(map[string]any)
	if content == nil {
		if len(r.body) != 0 {
			t.Errorf("openapi: %s %s %d has a body but the document says none", method, path, r.status)
		}
		return
	}
	media, _ := content["application/json"].(map[string]any)
	if media == nil {
		// A file download: the answer's type must be one the document lists.
		ct, _, _ := strings.Cut(r.header.Get("Content-Type"), ";")
		if content[ct] == nil {
			t.Errorf("openapi: %s %s %d: Content-Type %q is not among the documented %v", method, path, r.status, ct, content)
		}
		return
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("openapi: %s %s %d: Content-Type %q", method, path, r.status, ct)
	}
	var v any
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Errorf("openapi: %s %s %d: body is not JSON: %v", method, path, r.status, err)
		return
	}
	for _, p := range validate(doc, media["schema"], v, "$", false) {
		t.Errorf("openapi: %s %s %d: %s", method, path, r.status, p)
	}
}

// validate checks v against a schema of the subset of JSON Schema the
// document uses. It is strict: an object may only have properties some
// schema declares (unless the schema declares none).
func validate(doc map[string]any, schema any, v any, at string, inAllOf bool) []string {
	s := resolveMap(doc, schema)
	if s == nil {
		return []string{at + ": unresolvable schema"}
	}
	var out []string
	for _, sub := range asSlice(s["allOf"]) {
		out = append(out, validate(doc, sub, v, at, true)...)
	}
	if typ, ok := s["type"]; ok && !typeMatches(typ, v) {
		return append(out, fmt.Sprintf("%s: %s is not of type %v", at, short(v), typ))
	}
	if enum, ok := s["enum"].([]any); ok && !slices.ContainsFunc(enum, func(x any) bool { return reflect.DeepEqual(x, v) }) {
		out = append(out, fmt.Sprintf("%s: %s is not one of %v", at, short(v), enum))
	}
	if c, ok := s["const"]; ok && !reflect.DeepEqual(c, v) {
		out = append(out, fmt.Sprintf("%s: %s is not %v", at, short(v), c))
	}
	switch x := v.(type) {
	case string:
		if p, ok := s["pattern"].(string); ok && !regexp.MustCompile(p).MatchString(x) {
			out = append(out, fmt.Sprintf("%s: %q does not match %s", at, x, p))
		}
		switch s["format"] {
		case "date-time":
			if _, err := time.Parse(time.RFC3339Nano, x); err != nil {
				out = append(out, fmt.Sprintf("%s: %q is not a date-time", at, x))
			}
		case "date":
			if _, err := time.Parse("2006-01-02", x); err != nil {
				out = append(out, fmt.Sprintf("%s: %q is not a date", at, x))
			}
		}
		if n, ok := s["maxLength"].(float64); ok && len([]rune(x)) > int(n) {
			out = append(out, fmt.Sprintf("%s: %q longer than %v", at, x, n))
		}
	case float64:
		if n, ok := s["minimum"].(float64); ok && x < n {
			out = append(out, fmt.Sprintf("%s: %v below %v", at, x, n))
		}
		if n, ok := s["maximum"].(float64); ok && x > n {
			out = append(out, fmt.Sprintf("%s: %v above %v", at, x, n))
		}
	case []any:
		if items, ok := s["items"]; ok {
			for i, it := range x {
				out = append(out, validate(doc, items, it, fmt.Sprintf("%s[%d]", at, i), false)...)
			}
		}
	case map[string]any:
		props, _ := s["properties"].(map[string]any)
		for _, req := range asSlice(s["required"]) {
			if _, ok := x[req.(string)]; !ok {
				out = append(out, fmt.Sprintf("%s: required property %v missing", at, req))
			}
		}
		for k, pv := range x {
			if ps, ok := props[k]; ok {
				out = append(out, validate(doc, ps, pv, at+"."+k, false)...)
			}
		}
		if !inAllOf {
			declared := declaredProps(doc, s)
			if len(declared) > 0 {
				for k := range x {
					if !declared[k] {
						out = append(out, fmt.Sprintf("%s: property %q is not in the document", at, k))
					}
				}
			}
		}
	}
	return out
}

// declaredProps returns the properties declared by s and its allOf members.
func declaredProps(doc map[string]any, s map[string]any) map[string]bool {
	out := map[string]bool{}
	if props, ok := s["properties"].(map[string]any); ok {
		for k := range props {
			out[k] = true
		}
	}
	for _, sub := range asSlice(s["allOf"]) {
		for k := range declaredProps(doc, resolveMap(doc, sub)) {
			out[k] = true
		}
	}
	return out
}

func asSlice(v any) []any { s, _ := v.([]any); return s }

func typeMatches(typ any, v any) bool {
	types := []string{}
	switch x := typ.(type) {
	case string:
		types = append(types, x)
	case []any:
		for _, t := range x {
			types = append(types, fmt.Sprint(t))
		}
	}
	for _, t := range types {
		switch x := v.(type) {
		case nil:
			if t == "null" {
				return true
			}
		case bool:
			if t == "boolean" {
				return true
			}
		case float64:
			if t == "number" || (t == "integer" && x == math.Trunc(x)) {
				return true
			}
		case string:
			if t == "string" {
				return true
			}
		case []any:
			if t == "array" {
				return true
			}
		case map[string]any:
			if t == "object" {
				return true
			}
		}
	}
	return false
}

func short(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 80 {
		return string(b[:80]) + "…"
	}
	return string(b)
}

// TestAPIThrottleBehindProxy checks that behind a trusted proxy the address
// throttle uses the hop the proxy added, not one the client forged.
func TestAPIThrottleBehindProxy(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db, func(c *web.Config) { c.TrustProxy = true })
		c := e.anon(t)
		login := func(user, forged, real string) *response {
			return c.do(t, "POST", "/api/v1/session", map[string]string{"username": user, "password": "wrong-password"},
				"X-Forwarded-For", forged+", "+real)
		}
		// 20 failures from one real address, each under a new forged one
		// and for a new account.
		for i := 1; i <= 20; i++ {
			if r := login(fmt.Sprintf("ghost%d", i), fmt.Sprintf("10.0.0.%d", i), "203.0.113.7"); r.status != http.StatusUnauthorized {
				t.Fatalf("failure %d: %d %s", i, r.status, r.body)
			}
		}
		if r := login("ghost21", "10.0.1.1", "203.0.113.7"); r.status != http.StatusTooManyRequests {
			t.Errorf("21st failure from one address with a forged hop: %d, want 429", r.status)
		}
		// Another real address is not affected.
		if r := login("ghost22", "10.0.0.1", "198.51.100.9"); r.status != http.StatusUnauthorized {
			t.Errorf("other address: %d, want 401", r.status)
		}
	})
}
