package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestPasswordChange changes a password in one of two sessions of the same
// user: the other session ends, this one carries on, and the old password
// no longer logs in. A wrong current password, a mismatched confirmation
// and a short password change nothing.
func TestPasswordChange(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		here, there := e.browser(t, "village"), e.browser(t, "village")
		const newPassword = "新的密码-2026-village"
		refused := []struct {
			name, current, pw, confirm, want string
		}{
			{"wrong current password", "not-it", newPassword, newPassword, "当前密码不正确"},
			{"confirmation differs", testPassword, newPassword, newPassword + "x", "两次输入的新密码不一致"},
			{"too short", testPassword, "short", "short", "current"},
		}
		for _, tc := range refused {
			r := here.do(t, "POST", "/account/password", url.Values{"current_password": {tc.current}, "password": {tc.pw}, "confirm": {tc.confirm}})
			if r.status != http.StatusUnprocessableEntity {
				t.Errorf("%s: status %d, want 422", tc.name, r.status)
			}
			if tc.want != "current" && !strings.Contains(r.String(), tc.want) {
				t.Errorf("%s: page does not say %q", tc.name, tc.want)
			}
		}
		if r := there.get(t, "/account/password"); r.status != http.StatusOK {
			t.Fatalf("other session ended by refused changes: %d", r.status)
		}

		r := here.do(t, "POST", "/account/password", url.Values{"current_password": {testPassword}, "password": {newPassword}, "confirm": {newPassword}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("change: status %d\n%s", r.status, r.body)
		}
		if r := here.get(t, "/account/password"); r.status != http.StatusOK || !strings.Contains(r.String(), "密码已修改") {
			t.Errorf("the changing session: status %d, or no notice", r.status)
		}
		if r := there.get(t, "/account/password"); r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/login") {
			t.Errorf("the other session after the change: status %d to %q, want a redirect to /login", r.status, r.header.Get("Location"))
		}
		if r := e.anon(t).do(t, "POST", "/login", url.Values{"username": {"village"}, "password": {testPassword}}); r.status == http.StatusSeeOther {
			t.Errorf("the old password still logs in")
		}
		if r := e.anon(t).do(t, "POST", "/login", url.Values{"username": {"village"}, "password": {newPassword}}); r.status != http.StatusSeeOther {
			t.Errorf("the new password does not log in: %d", r.status)
		}
	})
}

// TestPasswordReset: a county administrator resets a village officer's
// password, which ends the officer's session; a village officer cannot
// reset anyone's, and a township officer not one outside their township.
func TestPasswordReset(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		officer := e.browser(t, "village")
		const pw = "重置后的密码-2026"
		for _, tc := range []struct {
			who, target string
			ok          bool
		}{
			{"village", "township", false},
			{"township", "county", false},
			{"county", "village", true},
		} {
			c := e.browser(t, tc.who)
			r := c.do(t, "POST", "/users/"+tc.target+"/password", url.Values{"password": {pw}})
			login := e.anon(t).do(t, "POST", "/login", url.Values{"username": {tc.target}, "password": {pw}})
			if got := login.status == http.StatusSeeOther; got != tc.ok {
				t.Errorf("%s resetting %s: status %d, new password works: %v, want %v", tc.who, tc.target, r.status, got, tc.ok)
			}
		}
		if r := officer.get(t, "/account/password"); r.status != http.StatusSeeOther {
			t.Errorf("the officer's session after the reset: status %d, want a redirect to login", r.status)
		}
	})
}

// TestAPIPasswords: the same through the JSON API — a change keeps the
// calling session and ends the other; a reset by an administrator works,
// by a village officer is 404; a wrong current password is 422.
func TestAPIPasswords(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		here, there := e.as(t, "township"), e.as(t, "township")
		const pw = "api-new-password-1"
		if r := here.do(t, "PUT", "/api/v1/account/password", map[string]string{"current_password": "wrong-one-x", "password": pw}); r.status != http.StatusUnprocessableEntity {
			t.Errorf("wrong current password: %d", r.status)
		}
		if r := here.do(t, "PUT", "/api/v1/account/password", map[string]string{"current_password": testPassword, "password": pw}); r.status != http.StatusNoContent {
			t.Fatalf("change: %d %s", r.status, r.body)
		}
		if r := here.get(t, "/api/v1/divisions/"+sqltest.Township); r.status != http.StatusOK {
			t.Errorf("the changing session: %d", r.status)
		}
		if r := there.get(t, "/api/v1/divisions/"+sqltest.Township); r.status != http.StatusUnauthorized {
			t.Errorf("the other session: %d, want 401", r.status)
		}
		if r := e.as(t, "village").do(t, "PUT", "/api/v1/users/viewer/password", map[string]string{"password": pw}); r.status != http.StatusNotFound {
			t.Errorf("a village officer resetting: %d, want 404", r.status)
		}
		if r := e.as(t, "county").do(t, "PUT", "/api/v1/users/viewer/password", map[string]string{"password": pw}); r.status != http.StatusNoContent {
			t.Errorf("the county resetting: %d", r.status)
		}
	})
}

// TestUserFormDepartmentAndUnit: the county creates a department account
// and a unit contact from the users page; a department account without its
// department and a unit contact without a unit are refused on those fields.
func TestUserFormDepartmentAndUnit(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		c := e.browser(t, "county")
		form := func(username, role, dept, unit string) url.Values {
			return url.Values{"username": {username}, "display_name": {username}, "role": {role}, "scope": {sqltest.County},
				"department": {dept}, "unit": {unit}, "password": {testPassword}}
		}
		for _, tc := range []struct {
			name   string
			f      url.Values
			status int
			says   string
		}{
			{"department without one", form("dept_x", "department", " ", ""), http.StatusUnprocessableEntity, "部门账号须填写所属部门"},
			{"unit contact without a unit", form("unit_x", "unit", "", ""), http.StatusUnprocessableEntity, `name="unit" aria-invalid="true"`},
			{"department", form("dept_ok", "department", "县教科体局", ""), http.StatusSeeOther, ""},
			{"unit contact", form("unit_ok", "unit", "", fmt.Sprint(e.school.ID)), http.StatusSeeOther, ""},
		} {
			r := c.do(t, "POST", "/users", tc.f)
			if r.status != tc.status || !strings.Contains(r.String(), tc.says) {
				t.Errorf("%s: status %d (want %d), says %q: %v", tc.name, r.status, tc.status, tc.says, strings.Contains(r.String(), tc.says))
			}
		}
		for name, want := range map[string][2]string{"dept_ok": {"县教科体局", ""}, "unit_ok": {"", fmt.Sprint(e.school.ID)}} {
			u, err := e.db.FindUserByUsername(sqltest.System(), name)
			if err != nil {
				t.Fatal(err)
			}
			if u.Department != want[0] || u.Unit != want[1] {
				t.Errorf("%s: department %q unit %q, want %q %q", name, u.Department, u.Unit, want[0], want[1])
			}
		}
	})
}
