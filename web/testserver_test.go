package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/catalog"
	"github.com/healthcell/healthcell/catalog/imports"
	"github.com/healthcell/healthcell/importer"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
	"github.com/healthcell/healthcell/web"
)

// Codes beyond those of sqltest.
const (
	villageT2   = "510824102001" // 烟峰楼社区居民委员会, 云峰镇
	villageName = "金穗社区居民委员会"    // sqltest.Village
)

// testPassword is the password of every test account.
const testPassword = "correct-horse-1"

// Test accounts, one of every role, by username.
var testUsers = []struct {
	username string
	role     healthcell.Role
	scope    string
}{
	{"county", healthcell.RoleCountyAdmin, sqltest.County},
	{"township", healthcell.RoleTownship, sqltest.Township},
	{"village", healthcell.RoleVillage, sqltest.Village},
	{"viewer", healthcell.RoleViewer, sqltest.County},
	{"unit", healthcell.RoleUnit, sqltest.County},
	{"evaluator", healthcell.RoleEvaluator, sqltest.County},
	{"department", healthcell.RoleDepartment, sqltest.County},
	{"lockme", healthcell.RoleViewer, sqltest.County}, // for throttling tests only
}

// env is one running server over a fresh database with a small county:
// households and persons in two villages of 陵江镇 and in one of 云峰镇.
type env struct {
	db    *sqlstore.DB
	srv   *httptest.Server
	users map[string]*healthcell.User

	hA, hA2, hB, hC *healthcell.Household // in sqltest.Village, B-001 in Village2, C-001 in villageT2
	pA, pA2, pB, pC *healthcell.Person    // 张三 and 李四 in hA, 王五 in hB, 赵六 in hC
	school          *healthcell.Unit      // 陵江小学 in sqltest.Village, the unit of the "unit" account
}

// eachEnv runs fn on every engine with a fresh env.
func eachEnv(t *testing.T, fn func(t *testing.T, e *env)) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		fn(t, newEnv(t, db))
	})
}

// newEnv fills db and serves it with the wiring of cmd/healthcell's newServer;
// opts change the configuration.
func newEnv(t testing.TB, db *sqlstore.DB, opts ...func(*web.Config)) *env {
	t.Helper()
	sqltest.LoadDivisions(t, db)
	e := &env{db: db, users: map[string]*healthcell.User{}}
	e.hA = sqltest.Household(t, db, sqltest.Village, "A-001")
	e.hA2 = sqltest.Household(t, db, sqltest.Village, "A-002")
	e.hB = sqltest.Household(t, db, sqltest.Village2, "B-001")
	e.hC = sqltest.Household(t, db, villageT2, "C-001")
	e.pA = sqltest.Person(t, db, e.hA, "张三", sqltest.ID(t, "1949-12-31", 2), "户主")
	e.pA2 = sqltest.Person(t, db, e.hA, "李四", sqltest.ID(t, "1975-02-03", 12), "配偶")
	e.pB = sqltest.Person(t, db, e.hB, "王五", sqltest.ID(t, "1980-04-05", 31), "户主")
	e.pC = sqltest.Person(t, db, e.hC, "赵六", sqltest.ID(t, "1990-06-07", 51), "户主")
	for _, h := range []**healthcell.Household{&e.hA, &e.hA2, &e.hB, &e.hC} {
		nh, err := db.FindHousehold(sqltest.System(), (*h).ID)
		if err != nil {
			t.Fatal(err)
		}
		*h = nh
	}
	e.school = &healthcell.Unit{Kind: "school", Name: "陵江小学", Division: sqltest.Village, Department: "县教科体局"}
	if err := db.CreateUnit(sqltest.System(), e.school); err != nil {
		t.Fatalf("create unit: %v", err)
	}
	for _, tu := range testUsers {
		u := &healthcell.User{Username: tu.username, DisplayName: tu.username + " 测试", Role: tu.role, Scope: tu.scope}
		if tu.role == healthcell.RoleUnit {
			u.Unit = fmt.Sprint(e.school.ID) // a unit contact needs its unit
		}
		if tu.role == healthcell.RoleDepartment {
			u.Department = e.school.Department // a department account needs its department
		}
		if err := db.CreateUser(sqltest.System(), u, testPassword); err != nil {
			t.Fatalf("create user %s: %v", tu.username, err)
		}
		e.users[tu.username] = u
	}

	// The server logs into a buffer that is shown when the test fails.
	logs := &syncBuffer{}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	// Same wiring as newServer in cmd/healthcell/serve.go.
	defs, table := shippedDefinitions(t)
	cfg := web.Config{SessionStore: db.Sessions(), Logger: slog.New(slog.NewTextHandler(logs, nil)), Definitions: defs, ResidentTable: table}
	for _, o := range opts {
		o(&cfg)
	}
	srv, err := web.New(cfg, web.Services{
		Divisions: db, Households: db, Persons: db, Users: db, Audit: db, Standards: db, Sheets: db, Units: db, Registers: db, Reconcile: db,
		Questionnaires: db,
		Surveys:        db,
		Applications:   db, Rectifications: db, Bulletins: db, Inspections: db, NamedUnits: db.FindNamedUnits, Families: db, NamingBatches: db, Plans: db,
		UserByID: db.UserByID, DisplayNames: db.DisplayNames, PublicCounties: db.PublicCounties, Villages: db.FindVillages, Ping: db.Ping,
		Indicators: db,
		Residents:  db,
		Summaries:  db, SummaryGoals: web.PlanSummaryGoals(db),
		Tokens: db, Articles: db, Idempotency: db,
	})
	if err != nil {
		t.Fatalf("web.New: %v", err)
	}
	e.srv = httptest.NewServer(srv)
	t.Cleanup(e.srv.Close)
	return e
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// expand replaces the placeholders {hA} {hA2} {hB} {hC} {pA} {pA2} {pB} {pC}
// with the fixture ids.
func (e *env) expand(s string) string {
	return strings.NewReplacer(
		"{hA}", fmt.Sprint(e.hA.ID), "{hA2}", fmt.Sprint(e.hA2.ID), "{hB}", fmt.Sprint(e.hB.ID), "{hC}", fmt.Sprint(e.hC.ID),
		"{pA}", fmt.Sprint(e.pA.ID), "{pA2}", fmt.Sprint(e.pA2.ID), "{pB}", fmt.Sprint(e.pB.ID), "{pC}", fmt.Sprint(e.pC.ID),
	).Replace(s)
}

// personCount is the number of persons stored, read as the system.
func (e *env) personCount(t testing.TB) int {
	t.Helper()
	_, n, err := e.db.FindPersons(sqltest.System(), healthcell.PersonFilter{Division: sqltest.County, Inactive: true, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// householdCount is the number of active households stored, read as the system.
func (e *env) householdCount(t testing.TB) int {
	t.Helper()
	_, n, err := e.db.FindHouseholds(sqltest.System(), healthcell.HouseholdFilter{Division: sqltest.County, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// person reads a person as the system.
func (e *env) person(t testing.TB, id int64) *healthcell.Person {
	t.Helper()
	p, err := e.db.FindPerson(sqltest.System(), id)
	if err != nil {
		t.Fatalf("find person %d: %v", id, err)
	}
	return p
}

// client is a browser-like HTTP client with its own cookie jar. It does not
// follow redirects, so tests see them.
type client struct {
	e    *env
	hc   *http.Client
	user string
	// checkDoc validates API answers against the OpenAPI document.
	checkDoc bool
}

// anon returns a client without a session.
func (e *env) anon(t testing.TB) *client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &client{e: e, checkDoc: true, hc: &http.Client{
		Jar:           jar,
		Timeout:       30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// as returns a client logged in as username through POST /api/v1/session.
func (e *env) as(t testing.TB, username string) *client {
	t.Helper()
	c := e.anon(t)
	if username == "" {
		return c
	}
	r := c.do(t, "POST", "/api/v1/session", map[string]string{"username": username, "password": testPassword})
	if r.status != http.StatusOK {
		t.Fatalf("login as %s: status %d: %s", username, r.status, r.body)
	}
	c.user = username
	return c
}

// response is an answer with its body read.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r *response) String() string { return string(r.body) }

// json decodes the body as a JSON object, failing the test otherwise.
func (r *response) json(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v\n%s", err, r.body)
	}
	return m
}

// decode decodes the JSON body into v.
func (r *response) decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode body: %v\n%s", err, r.body)
	}
}

// do sends a request. body is sent as is when it is a string or []byte, as a
// form when it is url.Values, and as JSON otherwise (nil: no body). headers
// are name, value pairs. API answers are checked against the OpenAPI
// document: the status must be documented and a JSON body must match its
// schema.
func (c *client) do(t testing.TB, method, path string, body any, headers ...string) *response {
	t.Helper()
	var rd io.Reader
	ctype := ""
	switch b := body.(type) {
	case nil:
	case string:
		rd, ctype = strings.NewReader(b), "application/json"
	case []byte:
		rd, ctype = bytes.NewReader(b), "application/json"
	case url.Values:
		rd, ctype = strings.NewReader(b.Encode()), "application/x-www-form-urlencoded"
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd, ctype = bytes.NewReader(buf), "application/json"
	}
	req, err := http.NewRequest(method, c.e.srv.URL+c.e.expand(path), rd)
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := c.hc.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	r := &response{status: res.StatusCode, header: res.Header, body: b}
	if c.checkDoc && strings.HasPrefix(req.URL.Path, "/api/v1/") {
		checkAgainstDoc(t, method, req.URL.Path, r)
	}
	return r
}

// get is do with GET.
func (c *client) get(t testing.TB, path string, headers ...string) *response {
	t.Helper()
	return c.do(t, "GET", path, nil, headers...)
}

// cookie returns the value of the named cookie the client holds for the server.
func (c *client) cookie(name string) string {
	u, _ := url.Parse(c.e.srv.URL)
	for _, ck := range c.hc.Jar.Cookies(u) {
		if ck.Name == name {
			return ck.Value
		}
	}
	return ""
}

// shippedDefinitions returns the shipped definitions and resident table,
// as cmd/healthcell loads them at start-up; it fails the test on a broken file.
func shippedDefinitions(tb testing.TB) (*catalog.Definitions, *importer.Table) {
	tb.Helper()
	table, err := imports.Table("residents")
	if err != nil {
		tb.Fatal(err)
	}
	return sqltest.Definitions(tb), table
}
