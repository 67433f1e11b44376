package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/healthcell/healthcell/idcard"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// browser returns a client logged in as username through the login form.
func (e *env) browser(t testing.TB, username string) *client {
	t.Helper()
	c := e.anon(t)
	r := c.do(t, "POST", "/login", url.Values{"username": {username}, "password": {testPassword}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/" {
		t.Fatalf("form login as %s: %d %q\n%s", username, r.status, r.header.Get("Location"), r.body)
	}
	c.user = username
	return c
}

// setLang switches the client's language through /lang.
func (c *client) setLang(t testing.TB, lang string) {
	t.Helper()
	r := c.get(t, "/lang?to="+lang+"&back=/")
	if r.status != http.StatusSeeOther || c.cookie("lang") != lang {
		t.Fatalf("switch to %s: %d, cookie %q", lang, r.status, c.cookie("lang"))
	}
}

// wantPage fails unless r has status and contains every string.
func wantPage(t testing.TB, r *response, status int, contains ...string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d\n%s", r.status, status, r.body)
	}
	for _, s := range contains {
		if !strings.Contains(string(r.body), s) {
			t.Errorf("page does not contain %q\n%s", s, r.body)
		}
	}
}

// rawKey matches a message key that reached the page untranslated.
var rawKey = regexp.MustCompile(`\b(app|audit|common|division|error|field|household|idcard|level|login|nav|person|role|search|user|users)\.[a-z_][a-z0-9_.]*`)

// noRawKeys fails when the HTML shows a message key instead of its text.
func noRawKeys(t testing.TB, what string, body []byte) {
	t.Helper()
	html := strings.ReplaceAll(string(body), "/static/app.css", "")
	if m := rawKey.FindAllString(html, 5); len(m) > 0 {
		t.Errorf("%s: untranslated keys %q", what, m)
	}
}

// errorMessage returns the message of an error page.
func errorMessage(t testing.TB, r *response) string {
	t.Helper()
	m := regexp.MustCompile(`<p id="error-message">([^<]*)</p>`).FindSubmatch(r.body)
	if m == nil {
		t.Fatalf("not an error page\n%s", r.body)
	}
	return string(m[1])
}

// formVersion reads the hidden version field of a form page.
func formVersion(t testing.TB, r *response) string {
	t.Helper()
	m := regexp.MustCompile(`name="version" value="(\d+)"`).FindSubmatch(r.body)
	if m == nil {
		t.Fatalf("no version field\n%s", r.body)
	}
	return string(m[1])
}

func TestPages(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		village := e.browser(t, "village")

		t.Run("village officer sees own village", func(t *testing.T) {
			r := village.get(t, "/divisions/510824100001")
			wantPage(t, r, 200, villageName, `lang="zh-CN"`, ">A-001</a>", ">A-002</a>", `id="add-household"`)
			noRawKeys(t, "village", r.body)
		})

		t.Run("village officer: township page is a Chinese 404", func(t *testing.T) {
			r := village.get(t, "/divisions/510824100000")
			wantPage(t, r, 404, `lang="zh-CN"`, "出错了", "找不到该区划，或不在您的管辖范围内")
			if strings.Contains(string(r.body), "陵江镇</h2>") {
				t.Errorf("404 page shows the township")
			}
			other := village.get(t, "/divisions/510824100999")
			if other.status != 404 || errorMessage(t, other) != errorMessage(t, r) {
				t.Errorf("out-of-scope and unknown divisions answer differently")
			}
		})

		t.Run("village officer: neighbour's person is a 404 like a missing one", func(t *testing.T) {
			r := village.get(t, "/persons/{pB}")
			wantPage(t, r, 404, "找不到该居民，或不在您的管辖范围内")
			if missing := village.get(t, "/persons/987654321"); missing.status != 404 || errorMessage(t, missing) != errorMessage(t, r) {
				t.Errorf("out-of-scope and missing persons answer differently")
			}
			if strings.Contains(string(r.body), "王五") {
				t.Errorf("the 404 page names the person")
			}
		})

		good := sqltest.ID(t, "2002-02-02", 21)
		form := func(id, version string) url.Values {
			return url.Values{"household_id": {fmt.Sprint(e.hA.ID)}, "name": {"张小红"}, "id_number": {id}, "relation": {"女"},
				"phone": {"13911112222"}, "registered": {"1"}, "resident": {"1"}, "version": {version}}
		}

		t.Run("new person with a bad ID shows the message at the field", func(t *testing.T) {
			wantPage(t, village.get(t, "/persons/new?household={hA}"), 200, `id="person-form"`, `action="/persons/new"`)
			before := e.state(t)
			r := village.do(t, "POST", "/persons/new", form(sqltest.BadCheck(good), "0"))
			wantPage(t, r, 422,
				`<small class="field-error" id="id_number-error" role="alert">身份证号校验位错误，请核对号码</small>`,
				`aria-describedby="id_number-error"`, `value="张小红"`, "填写的内容有误，请按提示修改")
			noRawKeys(t, "person form", r.body)
			if e.state(t) != before {
				t.Errorf("a refused form wrote something")
			}
		})

		t.Run("new person saved goes to the household", func(t *testing.T) {
			n := e.personCount(t)
			r := village.do(t, "POST", "/persons/new", form(good, "0"))
			if r.status != http.StatusSeeOther || r.header.Get("Location") != e.expand("/households/{hA}") {
				t.Fatalf("%d %q\n%s", r.status, r.header.Get("Location"), r.body)
			}
			if e.personCount(t) != n+1 {
				t.Errorf("person count %d, want %d", e.personCount(t), n+1)
			}
			wantPage(t, village.get(t, "/households/{hA}"), 200, "已保存", "张小红", good)
		})

		t.Run("stale edit is a 409 page and changes nothing", func(t *testing.T) {
			edit := village.get(t, "/persons/{pA}/edit")
			wantPage(t, edit, 200, `action="`+e.expand("/persons/{pA}/edit")+`"`, `type="date" name="since" id="since"`, "变动生效日期")
			v := formVersion(t, edit)
			// A change dated after today is refused with the field named.
			future := url.Values{"household_id": {fmt.Sprint(e.hA.ID)}, "name": {"张三"}, "id_number": {e.pA.IDNumber}, "relation": {"户主"},
				"phone": {"13922223333"}, "registered": {"1"}, "version": {v}, "since": {"2999-01-01"}}
			wantPage(t, village.do(t, "POST", "/persons/{pA}/edit", future), 422, `id="since-error"`, "变动生效日期不正确")
			f := url.Values{"household_id": {fmt.Sprint(e.hA.ID)}, "name": {"张三"}, "id_number": {e.pA.IDNumber}, "relation": {"户主"},
				"phone": {"13922223333"}, "registered": {"1"}, "resident": {"1"}, "version": {v}}
			r := village.do(t, "POST", "/persons/{pA}/edit", f)
			if r.status != http.StatusSeeOther || r.header.Get("Location") != e.expand("/persons/{pA}") {
				t.Fatalf("first edit: %d %q\n%s", r.status, r.header.Get("Location"), r.body)
			}
			after := e.person(t, e.pA.ID)
			// The person page shows the residence and status spans.
			wantPage(t, village.get(t, "/persons/{pA}"), 200, `id="person-spans"`, "居住与在册状态", "建档起 — 至今")
			f.Set("phone", "13933334444")
			r = village.do(t, "POST", "/persons/{pA}/edit", f)
			wantPage(t, r, 409, `id="form-error"`, "保存失败：这条记录已被其他人修改。请刷新页面查看最新内容后再修改。")
			noRawKeys(t, "conflict", r.body)
			if p := e.person(t, e.pA.ID); p.Version != after.Version || p.Phone != "13922223333" {
				t.Errorf("after the stale edit: version %d phone %s", p.Version, p.Phone)
			}
		})

		t.Run("search finds the person", func(t *testing.T) {
			r := village.get(t, "/search?q="+url.QueryEscape("张三"))
			wantPage(t, r, 200, `>张三</a>`, e.expand(`href="/persons/{pA}"`), `id="q" value="张三"`)
			noRawKeys(t, "search", r.body)
			frag := village.get(t, "/search?q="+url.QueryEscape("张"), "HX-Request", "true")
			wantPage(t, frag, 200, `<div id="results">`, "张三", "张小红")
			if strings.Contains(string(frag.body), "<html") {
				t.Errorf("htmx answer is a whole page")
			}
			none := village.get(t, "/search?q="+url.QueryEscape("王五"))
			wantPage(t, none, 200, "没有找到符合条件的居民")
		})

		t.Run("viewer sees the person masked", func(t *testing.T) {
			viewer := e.browser(t, "viewer")
			r := viewer.get(t, "/persons/{pA}")
			wantPage(t, r, 200, ">"+idcard.Mask(e.pA.IDNumber)+"<", "139****3333", "个人信息已脱敏")
			if strings.Contains(string(r.body), e.pA.IDNumber) || strings.Contains(string(r.body), "13922223333") {
				t.Errorf("viewer's page shows personal data")
			}
			if strings.Contains(string(r.body), `id="edit-person"`) || strings.Contains(string(r.body), "/status") {
				t.Errorf("viewer's page offers changes")
			}
			wantPage(t, viewer.get(t, "/persons/{pA}/edit"), 403, "您的账号无权进行此操作")
			hh := viewer.get(t, "/households/{hA}")
			wantPage(t, hh, 200, idcard.Mask(e.pA.IDNumber))
			if strings.Contains(string(hh.body), e.pA.IDNumber) {
				t.Errorf("viewer's household page shows an ID number")
			}
		})

		t.Run("language switch", func(t *testing.T) {
			c := e.anon(t)
			r := c.get(t, "/lang?to=en&back=/login")
			if r.status != http.StatusSeeOther || r.header.Get("Location") != "/login" {
				t.Fatalf("%d %q", r.status, r.header.Get("Location"))
			}
			if c.cookie("lang") != "en" {
				t.Fatalf("no lang cookie")
			}
			en := c.get(t, "/login")
			wantPage(t, en, 200, `lang="en"`, "Username", "Password", "Log in", "中文")
			if strings.Contains(string(en.body), "用户名") {
				t.Errorf("English page shows Chinese labels")
			}
			c.get(t, "/lang?to=zh-CN&back=/login")
			wantPage(t, c.get(t, "/login"), 200, `lang="zh-CN"`, "用户名", "English")
			// An unknown language changes nothing.
			c.get(t, "/lang?to=fr&back=/login")
			if c.cookie("lang") != "zh-CN" {
				t.Errorf("lang cookie = %q", c.cookie("lang"))
			}
		})

		t.Run("no open redirects", func(t *testing.T) {
			c := e.anon(t)
			for _, back := range []string{"//evil.example", "//evil.example/login", "/\\evil.example", "\\\\evil.example", "https://evil.example/",
				"http:evil.example", "javascript:alert(1)", " //evil.example", "/\t/evil.example", "/%2F/evil.example", "/../..//evil.example", "///evil.example"} {
				r := c.get(t, "/lang?to=en&back="+url.QueryEscape(back))
				loc := r.header.Get("Location")
				u, err := url.Parse(loc)
				if r.status != http.StatusSeeOther || err != nil || u.Host != "" || u.Scheme != "" || !strings.HasPrefix(loc, "/") ||
					strings.HasPrefix(loc, "//") || strings.HasPrefix(loc, "/\\") {
					t.Errorf("back=%q: %d Location %q", back, r.status, loc)
				}
			}
			r := c.do(t, "POST", "/login", url.Values{"username": {"township"}, "password": {testPassword}, "next": {"//evil.example"}})
			if r.status != http.StatusSeeOther || r.header.Get("Location") != "/" {
				t.Errorf("login next=//evil.example: %d %q", r.status, r.header.Get("Location"))
			}
		})

		t.Run("unauthenticated page goes to login and back", func(t *testing.T) {
			c := e.anon(t)
			r := c.get(t, "/divisions/510824000000")
			if r.status != http.StatusSeeOther || r.header.Get("Location") != "/login?next=%2Fdivisions%2F510824000000" {
				t.Fatalf("%d %q", r.status, r.header.Get("Location"))
			}
			login := c.get(t, r.header.Get("Location"))
			wantPage(t, login, 200, `name="next" value="/divisions/510824000000"`)
			r = c.do(t, "POST", "/login", url.Values{"username": {"county"}, "password": {testPassword}, "next": {"/divisions/510824000000"}})
			if r.status != http.StatusSeeOther || r.header.Get("Location") != "/divisions/510824000000" {
				t.Fatalf("login: %d %q", r.status, r.header.Get("Location"))
			}
			wantPage(t, c.get(t, "/divisions/510824000000"), 200, "苍溪县", "陵江镇", `id="chart"`)
			if r := c.get(t, "/"); r.status != http.StatusSeeOther || r.header.Get("Location") != "/divisions/510824000000" {
				t.Errorf("home: %d %q", r.status, r.header.Get("Location"))
			}
			if r := c.do(t, "POST", "/logout", url.Values{}); r.status != http.StatusSeeOther || r.header.Get("Location") != "/login" {
				t.Errorf("logout: %d %q", r.status, r.header.Get("Location"))
			}
			if r := c.get(t, "/divisions/510824000000"); r.status != http.StatusSeeOther {
				t.Errorf("after logout: %d", r.status)
			}
			if r := e.anon(t).get(t, "/"); r.status != http.StatusSeeOther || r.header.Get("Location") != "/login" {
				t.Errorf("anonymous home: %d %q", r.status, r.header.Get("Location"))
			}
		})

		t.Run("wrong password shows the Chinese failure", func(t *testing.T) {
			c := e.anon(t)
			r := c.do(t, "POST", "/login", url.Values{"username": {"township"}, "password": {"wrong-password"}})
			wantPage(t, r, 401, `id="login-error"`, "用户名或密码错误", `value="township"`)
			if c.cookie("healthcell_session") != "" {
				t.Errorf("failed login set a session")
			}
			u := c.do(t, "POST", "/login", url.Values{"username": {"nobody"}, "password": {"wrong-password"}})
			wantPage(t, u, 401, "用户名或密码错误")
		})

		t.Run("cross-site form post is refused", func(t *testing.T) {
			before := e.state(t)
			r := village.do(t, "POST", "/persons/new", form(sqltest.ID(t, "2003-03-03", 33), "0"), "Sec-Fetch-Site", "cross-site", "Origin", "http://evil.example")
			wantPage(t, r, 403, "请求来源不可信，已拒绝")
			r = village.do(t, "POST", "/logout", url.Values{}, "Origin", "http://evil.example")
			wantPage(t, r, 403)
			if e.state(t) != before {
				t.Errorf("a cross-site post wrote something")
			}
			wantPage(t, village.get(t, "/divisions/510824100001"), 200, villageName) // still logged in
		})
	})
}

// TestPagesRender renders every page template in both languages, including
// form errors and notices, and looks for untranslated keys.
func TestPagesRender(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		for _, lang := range []string{"zh-CN", "en"} {
			t.Run(lang, func(t *testing.T) {
				anon := e.anon(t)
				anon.setLang(t, lang)
				county := e.browser(t, "county")
				county.setLang(t, lang)
				viewer := e.browser(t, "viewer")
				viewer.setLang(t, lang)
				// A notice and a history: change a status through the page form.
				r := county.do(t, "POST", "/persons/{pA2}/status", url.Values{"status": {"moved"}, "status_date": {"2025-06-01"},
					"version": {strconv.Itoa(e.person(t, e.pA2.ID).Version)}})
				if r.status != http.StatusSeeOther {
					t.Fatalf("status form: %d", r.status)
				}
				pages := []struct {
					c      *client
					method string
					path   string
					form   url.Values
					status int
					header []string
				}{
					{anon, "GET", "/login", nil, 200, nil},
					{anon, "POST", "/login", url.Values{"username": {"county"}, "password": {"nope-nope"}}, 401, nil},
					{county, "GET", "/persons/{pA2}", nil, 200, nil}, // with the notice and the history
					{county, "GET", "/divisions/510824000000", nil, 200, nil},
					{county, "GET", "/divisions/510824100000", nil, 200, nil},
					{county, "GET", "/divisions/510824100001", nil, 200, nil},
					{county, "GET", "/divisions/510824100003", nil, 200, nil}, // no households
					{county, "GET", "/households/{hA}", nil, 200, nil},
					{county, "GET", "/households/new?village=510824100001", nil, 200, nil},
					{county, "POST", "/households/new", url.Values{"number": {"A-001"}, "village_code": {sqltest.Village}, "version": {"0"}}, 422, nil},
					{county, "GET", "/households/{hA}/edit", nil, 200, nil},
					{county, "POST", "/households/{hA}/edit", url.Values{"number": {"A-001"}, "village_code": {sqltest.Village}, "version": {"99"}}, 409, nil},
					{county, "GET", "/persons/{pA}", nil, 200, nil},
					{county, "GET", "/persons/new?household={hA}", nil, 200, nil},
					{county, "POST", "/persons/new", url.Values{"household_id": {fmt.Sprint(e.hA.ID)}, "name": {""}, "id_number": {"123"}, "phone": {"1"}, "relation": {"朋友"}}, 422, nil},
					{county, "GET", "/persons/{pA}/edit", nil, 200, nil},
					{county, "POST", "/persons/{pA}/edit", url.Values{"household_id": {fmt.Sprint(e.hA.ID)}, "name": {"张三"}, "id_number": {e.pA.IDNumber}, "version": {"99"}}, 409, nil},
					{county, "POST", "/persons/{pA}/edit", url.Values{"name": {""}, "id_number": {"5108"}, "version": {"1"}}, 422, nil},
					{county, "GET", "/search", nil, 200, nil},
					{county, "GET", "/search?q=" + url.QueryEscape("张"), nil, 200, nil},
					{county, "GET", "/search?q=" + url.QueryEscape("张") + "&inactive=1", nil, 200, []string{"HX-Request", "true"}},
					{county, "GET", "/search?q=nobody", nil, 200, nil},
					{county, "GET", "/users", nil, 200, nil},
					{county, "POST", "/users", url.Values{"username": {"x"}, "role": {"mayor"}, "scope": {"1"}, "password": {"short"}}, 422, nil},
					{county, "GET", "/audit", nil, 200, nil},
					{county, "GET", "/audit?entity=person", nil, 200, nil},
					{county, "GET", "/audit?entity=population", nil, 200, nil},
					{county, "GET", "/divisions/510824100999", nil, 404, nil},
					{viewer, "GET", "/persons/{pA}", nil, 200, nil},
					{viewer, "GET", "/users", nil, 403, nil},
					{viewer, "GET", "/audit", nil, 200, nil},
				}
				for _, p := range pages {
					var body any
					if p.form != nil {
						body = p.form
					}
					r := p.c.do(t, p.method, p.path, body, p.header...)
					what := p.method + " " + e.expand(p.path)
					if r.status != p.status {
						t.Errorf("%s: status %d, want %d\n%s", what, r.status, p.status, r.body)
						continue
					}
					if !strings.Contains(r.header.Get("Content-Type"), "text/html") {
						t.Errorf("%s: Content-Type %q", what, r.header.Get("Content-Type"))
					}
					if len(p.header) == 0 && !strings.Contains(string(r.body), `<html lang="`+lang+`"`) {
						t.Errorf("%s: not a %s page", what, lang)
					}
					noRawKeys(t, what, r.body)
				}
			})
		}
	})
}

// TestMessageFiles checks that both languages have the same keys, and that
// every key a template names exists.
func TestMessageFiles(t *testing.T) {
	keys := map[string]map[string]bool{}
	for _, lang := range []string{"zh-CN", "en"} {
		b, err := os.ReadFile("../locale/messages/" + lang + ".json")
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]string
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s: %v", lang, err)
		}
		keys[lang] = map[string]bool{}
		for k, v := range m {
			keys[lang][k] = true
			if strings.TrimSpace(v) == "" {
				t.Errorf("%s: %s is empty", lang, k)
			}
		}
	}
	for k := range keys["zh-CN"] {
		if !keys["en"][k] {
			t.Errorf("en lacks %s", k)
		}
	}
	for k := range keys["en"] {
		if !keys["zh-CN"][k] {
			t.Errorf("zh-CN lacks %s", k)
		}
	}
	files, err := filepath.Glob("templates/*/*.html")
	if err != nil {
		t.Fatal(err)
	}
	more, _ := filepath.Glob("templates/*.html")
	for _, f := range append(files, more...) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range regexp.MustCompile(`\.T "([^"]+)"`).FindAllSubmatch(b, -1) {
			if !keys["zh-CN"][string(m[1])] {
				t.Errorf("%s uses missing key %s", f, m[1])
			}
		}
	}
}
