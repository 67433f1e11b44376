package web_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

var hrefRe = regexp.MustCompile(`href="(/[^"]*)"`)

// navLinks returns the links of a page's top bar (without the language
// switch).
func navLinks(body string) []string {
	i, j := strings.Index(body, `<header class="topbar">`), strings.Index(body, "</header>")
	if i < 0 || j < i {
		return nil
	}
	var out []string
	for _, m := range hrefRe.FindAllStringSubmatch(body[i:j], -1) {
		if !strings.HasPrefix(m[1], "/lang") {
			out = append(out, strings.ReplaceAll(m[1], "&amp;", "&"))
		}
	}
	return out
}

// TestNavigationLinksOpen: every role's navigation shows only pages that
// open (200), from the same checks the handlers use; the pages it hides
// answer 403 with a kind word of why, an unknown page 404, both in Chinese.
func TestNavigationLinksOpen(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		for _, tu := range testUsers {
			if tu.username == "lockme" {
				continue
			}
			c := e.as(t, tu.username)
			links := navLinks(c.get(t, "/search").String())
			if len(links) < 8 {
				t.Fatalf("%s: only %d navigation links: %v", tu.username, len(links), links)
			}
			for _, l := range links {
				r := c.get(t, l)
				if r.status == http.StatusSeeOther { // the home page sends each role to its start
					r = c.get(t, r.header.Get("Location"))
				}
				if r.status != http.StatusOK {
					t.Errorf("%s: navigation link %s answers %d", tu.username, l, r.status)
				}
			}
			shown := strings.Join(links, " ")
			for _, hidden := range []struct{ path, why string }{
				{"/questionnaires", "问卷答卷含居民个人信息"}, {"/families", "不办理健康家庭申报"}, {"/reconcile", "数据核对会显示身份证号"},
				{"/users", "只有管理员可以管理账号"}, {"/imports/residents", "导入居民需要"},
			} {
				if strings.Contains(shown, `/`+strings.Split(hidden.path, "/")[1]) && hidden.path != "/imports/residents" {
					continue // shown, and opened above
				}
				if hidden.path == "/imports/residents" && strings.Contains(shown, hidden.path) {
					continue
				}
				r := c.get(t, hidden.path)
				body := r.String()
				if r.status != http.StatusForbidden || !strings.Contains(body, "无权查看此页面") || !strings.Contains(body, hidden.why) || !strings.Contains(body, "请联系县爱卫办管理员") {
					t.Errorf("%s: hidden %s answers %d:\n%s", tu.username, hidden.path, r.status, body)
				}
			}
		}
		// The school's liaison sees no questionnaire link, and the page
		// and a response list say why instead of "no such division".
		unit := e.as(t, "unit")
		if strings.Contains(strings.Join(navLinks(unit.get(t, "/search").String()), " "), "/questionnaires") {
			t.Error("the liaison sees the questionnaires link")
		}
		if r := unit.get(t, "/questionnaires/health-literacy-2020"); r.status != http.StatusForbidden || strings.Contains(r.String(), "找不到该区划") || !strings.Contains(r.String(), "问卷答卷含居民个人信息") {
			t.Errorf("liaison on a response list: %d", r.status)
		}
		// An unknown page: 404, the kind page, in the layout.
		r := e.as(t, "county").get(t, "/no-such-page")
		if body := r.String(); r.status != http.StatusNotFound || !strings.Contains(body, "找不到此页面") || !strings.Contains(body, "链接可能有误") || !strings.Contains(body, `id="nav-registers"`) {
			t.Errorf("unknown page: %d\n%s", r.status, body)
		}
		// A record out of scope: 404 with the record's own message.
		if r := e.as(t, "village").get(t, "/persons/{pC}"); r.status != http.StatusNotFound || !strings.Contains(r.String(), "找不到此页面") {
			t.Errorf("person out of scope: %d", r.status)
		}
	})
}

// TestFaviconAndPublicList: /favicon.ico answers with the icon every page
// links; the public list of named units is linked from the login page and
// the county's page, and its heading names the county.
func TestFaviconAndPublicList(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		anon := e.anon(t)
		r := anon.get(t, "/favicon.ico")
		if r.status != 200 || r.header.Get("Content-Type") != "image/svg+xml" || !strings.Contains(r.String(), "<svg") {
			t.Errorf("favicon: %d %q", r.status, r.header.Get("Content-Type"))
		}
		login := anon.get(t, "/login").String()
		named := "/public/" + sqltest.County + "/named"
		for name, body := range map[string]string{"login": login, "search": e.as(t, "county").get(t, "/search").String(), "404": anon.get(t, "/nothing").String()} {
			if !strings.Contains(body, `<link rel="icon" href="/static/favicon.svg"`) {
				t.Errorf("%s page does not link the icon", name)
			}
		}
		if !strings.Contains(login, `href="`+named+`"`) || !strings.Contains(login, "苍溪县已命名的健康细胞") {
			t.Errorf("login page does not link the named list:\n%s", login)
		}
		if body := e.as(t, "county").get(t, "/divisions/"+sqltest.County).String(); !strings.Contains(body, `id="link-named"`) || !strings.Contains(body, `href="`+named+`"`) {
			t.Error("county page does not link the named list")
		}
		if body := e.as(t, "county").get(t, "/divisions/"+sqltest.Township).String(); strings.Contains(body, `id="link-named"`) {
			t.Error("a township page links the county's named list")
		}
		r = anon.get(t, named)
		if r.status != 200 || !strings.Contains(r.String(), `<h2 id="named-title">苍溪县已命名的健康细胞</h2>`) {
			t.Errorf("named list: %d\n%s", r.status, r.body)
		}
	})
}

// TestActorsByDisplayName: the audit log and the histories name who acted
// by display name, and the system as 系统, never by login name.
func TestActorsByDisplayName(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		village := e.as(t, "village")
		if r := village.do(t, "PUT", "/api/v1/persons/{pA}", map[string]any{"name": "张三", "id_number": e.pA.IDNumber, "relation": "户主", "phone": "13900002222", "version": 1}); r.status != 200 {
			t.Fatalf("update: %d %s", r.status, r.body)
		}
		// A step of the workflow and a register's entry are named in
		// Chinese too, not by their keys.
		if r := village.do(t, "POST", "/api/v1/registers/checkups/entries", map[string]any{"person": e.pA.ID, "values": map[string]any{"exam_date": "2025-03-02", "kind": "elderly", "summary": "正常"}}); r.status != 201 {
			t.Fatalf("entry: %d %s", r.status, r.body)
		}
		county := e.as(t, "county")
		if body := county.get(t, "/audit").String(); !strings.Contains(body, "台账记录") {
			t.Errorf("audit: the register entry is not named 台账记录")
		}
		for _, path := range []string{"/audit", "/persons/{pA}"} {
			body := county.get(t, path).String()
			if !strings.Contains(body, "village 测试") || !strings.Contains(body, "系统") {
				t.Errorf("%s: no display names:\n%s", path, body)
			}
			for _, login := range []string{">village<", ">system<", "audit.action.", "audit.entity."} {
				if strings.Contains(body, login) {
					t.Errorf("%s shows the login name %s", path, login)
				}
			}
		}
		// The API keeps the username and adds the display name.
		r := county.get(t, "/api/v1/audit?entity=person")
		if !strings.Contains(r.String(), `"display_name":"village 测试"`) || !strings.Contains(r.String(), `"username":"village"`) {
			t.Errorf("API audit: %s", r.body)
		}
	})
}
