package main

// Browser end-to-end tests: the demo county served in-process on SQLite and
// driven by a headless Chromium with a phone-sized window, the requests
// then replayed on PostgreSQL when HEALTHCELL_TEST_POSTGRES is set
// (e2e_replay_test.go). Pages must fit the phone's width.
// HEALTHCELL_SCREENSHOTS=DIR saves full-page screenshots of the main steps.

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/healthcell/healthcell/idcard"
)

const (
	e2eVillage      = "510824100001" // 金穗社区居民委员会, jinsui's scope
	e2eVillageName  = "金穗社区居民委员会"
	e2eTownship     = "510824100000" // 陵江镇, above jinsui's scope
	e2eTownName     = "陵江镇"
	e2eOtherVillage = "510824100002" // a village of 陵江镇 outside jinsui's scope
	e2eNewName      = "张测试"
)

// TestVillageOfficerJourney is the village officer's day: log in on a phone,
// find the household, add a member (first with a mistyped ID number), and
// find the new member again.
func TestVillageOfficerJourney(t *testing.T) {
	zh := e2eMessages(t)
	valid := idcard.Generate("510824", time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC), 123)
	if !idcard.Valid(valid, time.Now()) {
		t.Fatalf("idcard.Generate gave an invalid number %q", valid)
	}
	wrong := valid[:17] + "0"
	if valid[17] == '0' {
		wrong = valid[:17] + "1"
	}

	e2eEngines(t, func(t *testing.T, dsn string) {
		b := e2eNewBrowser(t, dsn, "journey")

		// 1. Log in.
		if st := b.login("jinsui", DemoPassword); st != 200 {
			b.fatalf("login as jinsui: status %d", st)
		}

		// 2. The tree starts at the officer's village.
		if got := b.path(); got != "/divisions/"+e2eVillage {
			b.fatalf("after login at %s, want /divisions/%s", got, e2eVillage)
		}
		b.do("village page", chromedp.WaitVisible(chromedp.ID("households")))
		if got := b.text("division-name"); got != e2eVillageName {
			b.errorf("#division-name = %q, want %q", got, e2eVillageName)
		}
		type crumb struct {
			Text string `json:"text"`
			Link bool   `json:"link"`
		}
		crumbs := e2eEval[[]crumb](b, "breadcrumb",
			`Array.from(document.querySelectorAll("nav.crumbs li"), li => ({text: li.innerText.trim(), link: li.querySelector("a") !== null}))`)
		i := slices.IndexFunc(crumbs, func(c crumb) bool { return c.Text == e2eTownName })
		switch {
		case i < 0:
			b.errorf("breadcrumb %v has no %s", crumbs, e2eTownName)
		case crumbs[i].Link:
			b.errorf("breadcrumb %v: the township %s is a link, but it lies outside the officer's scope", crumbs, e2eTownName)
		}
		if len(crumbs) == 0 || crumbs[len(crumbs)-1].Text != e2eVillageName {
			b.errorf("breadcrumb %v does not end with %s", crumbs, e2eVillageName)
		}
		if b.exists(`a[href="/divisions/` + e2eTownship + `"]`) {
			b.errorf("the village page links to the township %s", e2eTownship)
		}
		b.checkpoint("1-village")

		// Out of scope: the township above and a sibling village are 404s.
		for _, code := range []string{e2eTownship, e2eOtherVillage} {
			if st := b.open("/divisions/" + code); st != 404 {
				b.errorf("GET /divisions/%s: status %d, want 404", code, st)
			}
			if msg := b.text("error-message"); !strings.Contains(msg, "找不到") {
				b.errorf("GET /divisions/%s: #error-message = %q, want it to contain 找不到", code, msg)
			}
		}

		// 3. Back on the village page, open the first household.
		if st := b.open("/divisions/" + e2eVillage); st != 200 {
			b.fatalf("GET /divisions/%s: status %d", e2eVillage, st)
		}
		if st := b.load("open the first household", chromedp.Click(chromedp.CSS(`#households tbody tr:first-child a`))); st != 200 {
			b.fatalf("first household: status %d", st)
		}
		household := b.path()
		if !regexp.MustCompile(`^/households/\d+$`).MatchString(household) {
			b.fatalf("the first household link led to %s", household)
		}
		b.do("members table", chromedp.WaitVisible(chromedp.ID("members")))
		before := b.rows("#members")
		if len(before) == 0 {
			b.fatalf("household %s has no members", household)
		}
		head := b.fact(zh["household.head"])

		// 4. Add a member with a mistyped ID number: the form comes back
		// with the Chinese reason next to the field, and nothing is saved.
		if st := b.load("add a member", chromedp.Click(chromedp.ID("add-person"))); st != 200 {
			b.fatalf("person form: status %d", st)
		}
		b.do("fill in the person form",
			chromedp.WaitVisible(chromedp.ID("person-form")),
			chromedp.SendKeys(chromedp.ID("name"), e2eNewName),
			chromedp.SendKeys(chromedp.ID("id_number"), wrong),
		)
		if st := b.load("save with a wrong check character", chromedp.Click(chromedp.ID("save"))); st != 422 {
			b.errorf("save with ID %s: status %d, want 422", wrong, st)
		}
		b.do("field error", chromedp.WaitVisible(chromedp.ID("id_number-error")))
		msg := b.text("id_number-error")
		if !strings.Contains(msg, "校验位") || msg != zh["idcard.check"] {
			b.errorf("#id_number-error = %q, want %q", msg, zh["idcard.check"])
		}
		if got := b.attr("id_number", "aria-invalid"); got != "true" {
			b.errorf("#id_number aria-invalid = %q, want true", got)
		}
		if got := b.attr("id_number", "aria-describedby"); got != "id_number-error" {
			b.errorf("#id_number aria-describedby = %q, want id_number-error", got)
		}
		if got := b.value("name"); got != e2eNewName {
			b.errorf("#name after the failed save = %q, want %q kept", got, e2eNewName)
		}
		if got := b.value("id_number"); got != wrong {
			b.errorf("#id_number after the failed save = %q, want %q kept", got, wrong)
		}
		b.checkpoint("2-form-error")

		// 5. Correct the number and save: back on the household, with the
		// new member (once: the failed save stored nothing).
		b.do("correct the ID number",
			chromedp.Clear(chromedp.ID("id_number")),
			chromedp.SendKeys(chromedp.ID("id_number"), valid),
		)
		if st := b.load("save", chromedp.Click(chromedp.ID("save"))); st != 200 {
			b.errorf("save with ID %s: status %d, want 200 after the redirect", valid, st)
		}
		if got := b.path(); got != household {
			b.fatalf("after saving at %s, want %s", got, household)
		}
		b.do("members table", chromedp.WaitVisible(chromedp.ID("members")))
		if members := b.text("members"); !strings.Contains(members, e2eNewName) {
			b.errorf("#members does not show %s:\n%s", e2eNewName, members)
		}
		after := b.rows("#members")
		if len(after) != len(before)+1 {
			b.errorf("household has %d members after one save, want %d:\n%v", len(after), len(before)+1, after)
		}
		var added []string
		for _, r := range after {
			if len(r) > 0 && r[0] == e2eNewName {
				if added != nil {
					b.errorf("%s is listed twice: %v", e2eNewName, after)
				}
				added = r
			}
		}
		if added != nil {
			if !slices.Contains(added, valid) {
				b.errorf("the row of %s %v lacks the ID number %s", e2eNewName, added, valid)
			}
			if slices.Contains(added, "户主") {
				b.errorf("%s was added as the head (户主) of a household that has one: %v", e2eNewName, added)
			}
		}
		if got := b.fact(zh["household.head"]); got != head {
			b.errorf("adding a member changed the head of household from %q to %q", head, got)
		}
		if !b.exists(`[role=status].notice`) {
			b.errorf("no %q notice after saving", zh["common.saved"])
		}
		b.checkpoint("3-household-saved")

		// 6. Find the new member: the officer sees the full ID number.
		if st := b.open("/search"); st != 200 {
			b.fatalf("GET /search: status %d", st)
		}
		b.do("search", chromedp.WaitVisible(chromedp.ID("q")))
		b.do("mark the page", chromedp.Evaluate[chromedp.Void](`window.e2eNoReload = true`))
		b.do("search for "+e2eNewName,
			chromedp.SendKeys(chromedp.ID("q"), e2eNewName),
			chromedp.Click(chromedp.ID("search-submit")),
			chromedp.WaitVisible(`//div[@id="results"]//a[normalize-space()="`+e2eNewName+`"]`),
		)
		// Typing also triggers htmx's search-as-you-type a moment later, which
		// may swap #results again: read it in one evaluation, not by node.
		results := e2eEval[string](b, "#results", `document.getElementById("results").innerText`)
		if !strings.Contains(results, e2eNewName) || !strings.Contains(results, valid) {
			b.errorf("#results does not show %s with %s:\n%s", e2eNewName, valid, results)
		}
		if rows := b.rows("#results table"); len(rows) != 1 {
			b.errorf("search for %s found %d rows, want 1: %v", e2eNewName, len(rows), rows)
		}
		if !e2eEval[bool](b, "htmx", `window.e2eNoReload === true`) {
			b.errorf("the search reloaded the page; htmx should have swapped #results in place")
		}
		b.checkpoint("4-search")
	})
}

// TestViewerSeesMaskedData: the leading group's viewer account reads a
// resident of 金穗社区 with the ID number masked and cannot edit.
func TestViewerSeesMaskedData(t *testing.T) {
	e2eEngines(t, func(t *testing.T, dsn string) {
		b := e2eNewBrowser(t, dsn, "viewer")
		if st := b.login("lingdao", DemoPassword); st != 200 {
			b.fatalf("login as lingdao: status %d", st)
		}
		if got := b.path(); got != "/divisions/510824000000" {
			b.errorf("after login at %s, want the county /divisions/510824000000", got)
		}

		if st := b.open("/divisions/" + e2eVillage); st != 200 {
			b.fatalf("GET /divisions/%s: status %d", e2eVillage, st)
		}
		if st := b.load("open the first household", chromedp.Click(chromedp.CSS(`#households tbody tr:first-child a`))); st != 200 {
			b.fatalf("first household: status %d", st)
		}
		b.do("members table", chromedp.WaitVisible(chromedp.ID("members")))
		if b.exists("#add-person") {
			b.errorf("the viewer is offered #add-person")
		}
		if st := b.load("open the first member", chromedp.Click(chromedp.CSS(`#members tbody tr:first-child a`))); st != 200 {
			b.fatalf("first member: status %d", st)
		}
		if got := b.path(); !regexp.MustCompile(`^/persons/\d+$`).MatchString(got) {
			b.fatalf("the member link led to %s", got)
		}
		id := b.text("person-id")
		if !regexp.MustCompile(`^510824\*{12}$`).MatchString(id) {
			b.errorf("#person-id = %q, want a masked number like 510824************", id)
		}
		if b.exists("#edit-person") {
			b.errorf("the viewer is offered #edit-person")
		}
		if phone := b.text("person-phone"); phone != "" && !strings.Contains(phone, "*") {
			b.errorf("#person-phone = %q, want it masked", phone)
		}
		b.checkpoint("person-masked")
		if st := b.open(b.path() + "/edit"); st != 403 {
			b.errorf("GET the edit form as the viewer: status %d, want 403", st)
		}
	})
}

// TestLoginThrottled: five wrong passwords for one account, and the sixth
// attempt is refused with the Chinese throttling message, even with the
// right password after it.
func TestLoginThrottled(t *testing.T) {
	zh := e2eMessages(t)
	e2eEngines(t, func(t *testing.T, dsn string) {
		b := e2eNewBrowser(t, dsn, "throttle")
		for i := 1; i <= 5; i++ {
			if st := b.login("jinsui", "wrong-password"); st != 401 {
				b.errorf("wrong password %d: status %d, want 401", i, st)
			}
			if msg := b.text("login-error"); msg != zh["login.failed"] {
				b.errorf("wrong password %d: #login-error = %q, want %q", i, msg, zh["login.failed"])
			}
		}
		for _, pw := range []string{"wrong-password", DemoPassword} {
			if st := b.login("jinsui", pw); st != 429 {
				b.errorf("login with password %q after 5 failures: status %d, want 429", pw, st)
			}
			if msg := b.text("login-error"); msg != zh["login.throttled"] {
				b.errorf("login with password %q after 5 failures: #login-error = %q, want %q", pw, msg, zh["login.throttled"])
			}
		}
		b.checkpoint("throttled")
	})
}

// TestCountyAdminTree: the county office on a desktop sees all 34 townships
// with live counts and a chart, drills down county → township → village,
// and switches the interface to English and back.
func TestCountyAdminTree(t *testing.T) {
	e2eEngines(t, func(t *testing.T, dsn string) {
		b := e2eNewBrowser(t, dsn, "admin")
		b.desktop()
		if st := b.login("admin", DemoPassword); st != 200 {
			b.fatalf("login as admin: status %d", st)
		}
		if got := b.path(); got != "/divisions/510824000000" {
			b.fatalf("after login at %s, want the county", got)
		}
		if rows := b.rows("#children"); len(rows) != 34 {
			b.fatalf("the county lists %d townships, want 34", len(rows))
		}
		b.do("chart drawn", chromedp.WaitVisible(chromedp.CSS(`#chart canvas`)))
		persons := b.text("count-persons")
		if persons == "0" || persons == "" {
			b.errorf("county residents = %q", persons)
		}
		b.checkpoint("county")
		if st := b.load("open 陵江镇", chromedp.Click(chromedp.Search(`//table[@id="children"]//a[text()="陵江镇"]`))); st != 200 {
			b.fatalf("open the township: status %d", st)
		}
		if got := b.path(); got != "/divisions/510824100000" {
			b.fatalf("township link led to %s", got)
		}
		if st := b.load("open the first village", chromedp.Click(chromedp.CSS(`#children tbody tr:first-child a`))); st != 200 {
			b.fatalf("open the village: status %d", st)
		}
		b.do("households listed", chromedp.WaitVisible(chromedp.ID("households")))
		if st := b.load("switch to English", chromedp.Click(chromedp.ID("lang-switch"))); st != 200 {
			b.fatalf("switch language: status %d", st)
		}
		if got := b.text("lang-switch"); got != "中文" {
			b.errorf("after switching, the language link says %q, want 中文", got)
		}
		if head := e2eEval[string](b, "household table header", `document.querySelector("#households thead").textContent`); !strings.Contains(head, "Household no.") {
			b.errorf("English household table header = %q", head)
		}
		b.checkpoint("village-english")
		if st := b.load("switch back", chromedp.Click(chromedp.ID("lang-switch"))); st != 200 {
			b.fatalf("switch back: status %d", st)
		}
		if got := b.text("lang-switch"); got != "English" {
			b.errorf("after switching back, the language link says %q", got)
		}
	})
}
