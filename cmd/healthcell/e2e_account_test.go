package main

// Browser end-to-end test of passwords: a village officer opens their
// account from the name in the navigation, changes the password (a wrong
// current password first), logs out, and logs in with the new one; then the
// county administrator resets it from the users page, and it changes again.

import (
	"testing"

	"github.com/chromedp/chromedp"
)

func TestE2EPasswordChange(t *testing.T) {
	e2eRequireChromium(t)
	e2eEngines(t, func(t *testing.T, dsn string) {
		b := e2eNewBrowser(t, dsn, "account")
		if st := b.login("jinsui", DemoPassword); st != 200 {
			b.fatalf("login: status %d", st)
		}
		if st := b.load("open the account page", e2eTap(e2eByID("account-link"))); st != 200 {
			b.fatalf("account page: status %d", st)
		}
		const newPassword = "金穗社区-新密码-2026"
		fill := func(current string) []chromedp.Action[chromedp.Void] {
			return []chromedp.Action[chromedp.Void]{
				chromedp.SendKeys(chromedp.ID("current-password"), current),
				chromedp.SendKeys(chromedp.ID("new-password"), newPassword),
				chromedp.SendKeys(chromedp.ID("confirm-password"), newPassword),
				e2eTap(e2eByID("change-password")),
			}
		}
		if st := b.load("a wrong current password", fill("not-the-password")...); st != 422 {
			b.fatalf("wrong current password: status %d, want 422", st)
		}
		if !b.exists(`#current-password[aria-invalid="true"] + small.field-error`) {
			b.errorf("no message under the current password")
		}
		b.checkpoint("1-wrong-current")
		if st := b.load("the right one", fill(DemoPassword)...); st != 200 {
			b.fatalf("change: status %d", st)
		}
		b.checkpoint("2-changed")
		if st := b.load("log out", e2eTap(e2eByID("logout"))); st != 200 {
			b.fatalf("logout: status %d", st)
		}
		if st := b.login("jinsui", newPassword); st != 200 || b.path() == "/login" {
			b.fatalf("login with the new password: status %d at %s", st, b.path())
		}

		// The administrator resets it.
		if st := b.load("log out", e2eTap(e2eByID("logout"))); st != 200 {
			b.fatalf("logout: status %d", st)
		}
		if st := b.login("admin", DemoPassword); st != 200 {
			b.fatalf("login as admin: status %d", st)
		}
		if st := b.open("/users"); st != 200 {
			b.fatalf("users page: status %d", st)
		}
		const reset = "管理员重置-2026"
		row := `#users tr:has(form[action="/users/jinsui/password"]) `
		b.do("open the reset form", e2eTap(chromedp.CSS(row+"details.reset summary")))
		b.checkpoint("3-users")
		if st := b.load("reset", chromedp.SendKeys(chromedp.CSS(row+`input[name="password"]`), reset),
			e2eTap(chromedp.CSS(row+`details.reset button`))); st != 200 {
			b.fatalf("reset: status %d", st)
		}
		if !b.exists(".notice") {
			b.errorf("no notice after the reset")
		}
		if st := b.load("log out", e2eTap(e2eByID("logout"))); st != 200 {
			b.fatalf("logout: status %d", st)
		}
		if st := b.login("jinsui", reset); st != 200 || b.path() == "/login" {
			b.fatalf("login with the reset password: status %d at %s", st, b.path())
		}
	})
}
