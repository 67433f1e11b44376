package main

// Browser tests of issue 14's controls: every control works under the
// content security policy (the status filter, select-all, print, the
// navigation menus), the new-application form offers the standards of the
// officer's units, bulk actions start neutral, and on the whole score sheet
// saving one item keeps what was typed in the others.

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// fire dispatches a bubbling DOM event of type on the element matching css,
// as the browser does after a user's edit (chromedp.SetValue does not).
func (b *e2eBrowser) fire(css, typ string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%s).dispatchEvent(new Event(%s, {bubbles: true}))`, jsQuote(css), jsQuote(typ)))
}

// leaveBlocked reports whether leaving the page now would ask first
// (a beforeunload listener cancelled the event).
func (b *e2eBrowser) leaveBlocked() bool {
	b.t.Helper()
	return e2eEval[bool](b, "beforeunload", `(() => { const e = new Event("beforeunload", {cancelable: true}); window.dispatchEvent(e); return e.defaultPrevented; })()`)
}

// options returns the values of the visible options of the select with id.
func (b *e2eBrowser) options(id string) []string {
	b.t.Helper()
	return e2eEval[[]string](b, "options of "+id, fmt.Sprintf(`Array.from(document.getElementById(%s).options).filter(o => !o.hidden).map(o => o.value)`, jsQuote(id)))
}

func TestPolishControlsJourney(t *testing.T) {
	zh := e2eMessages(t)
	e2eEngines(t, func(t *testing.T, dsn string) {
		b := e2eNewBrowser(t, dsn, "polish")
		b.narrow()
		if st := b.login("lingjiang", DemoPassword); st != 200 {
			b.fatalf("login as lingjiang: status %d", st)
		}

		// The menus keep their white label when open, on the green bar.
		for _, id := range []string{"nav-campaign", "nav-data"} {
			b.do("open "+id, e2eTap(chromedp.CSS("#"+id+" > summary")))
			got := e2eEval[[]string](b, "colours of "+id, fmt.Sprintf(`(() => {
				const s = getComputedStyle(document.querySelector("#%s > summary"));
				return [s.color, s.backgroundColor];
			})()`, id))
			if got[0] != "rgb(255, 255, 255)" || (got[1] != "rgba(0, 0, 0, 0)" && got[1] != "transparent") {
				b.errorf("open menu %s: label %s on %s, want white on the bar", id, got[0], got[1])
			}
			b.checkpoint("menu-" + id)
			b.do("close "+id, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.getElementById(%s).open = false`, jsQuote(id))))
		}

		// The status filter submits itself when changed.
		if st := b.open("/applications"); st != 200 {
			b.fatalf("GET /applications: status %d", st)
		}
		state := e2eEval[string](b, "a state", `document.querySelector("#state-filter option:nth-child(2)").value`)
		if st := b.load("filter by state", chromedp.SetValue(chromedp.ID("state-filter"), state)); st != 200 {
			b.fatalf("filter: status %d", st)
		}
		if got := b.path(); got != "/applications?state="+state {
			b.errorf("after choosing a state the page is %s, want /applications?state=%s", got, state)
		}
		b.open("/applications")

		// Select-all ticks every application; the bulk action starts neutral
		// and the form does not go without one.
		if !b.exists("#bulk-all") {
			b.fatalf("no select-all box for the township officer")
		}
		b.do("select all", e2eTap(chromedp.CSS("#bulk-all")))
		if got := e2eEval[[]int](b, "ticked", `[document.querySelectorAll("input[name=id]:checked").length, document.querySelectorAll("input[name=id]").length]`); got[1] == 0 || got[0] != got[1] {
			b.errorf("select-all ticked %d of %d applications", got[0], got[1])
		}
		if got := b.value("bulk-action"); got != "" {
			b.errorf("the bulk action defaults to %q, want the neutral first option", got)
		}
		if got := e2eEval[string](b, "first bulk option", `document.querySelector("#bulk-action option").textContent`); got != zh["application.bulk.choose"] {
			b.errorf("first bulk option %q, want %q", got, zh["application.bulk.choose"])
		}
		if e2eEval[bool](b, "bulk form valid", `document.getElementById("bulk").checkValidity()`) {
			b.errorf("the bulk form is valid without an action chosen")
		}
		b.checkpoint("applications")
		b.do("untick all", e2eTap(chromedp.CSS("#bulk-all")))
		if n := e2eEval[int](b, "ticked", `document.querySelectorAll("input[name=id]:checked").length`); n != 0 {
			b.errorf("unticking select-all left %d ticked", n)
		}

		// 打印 prints.
		if st := b.open("/bulletins"); st != 200 {
			b.fatalf("GET /bulletins: status %d", st)
		}
		link := e2eEval[string](b, "a bulletin", `(() => { const a = Array.from(document.querySelectorAll("main a[href^='/bulletins/']")).find(a => /^\/bulletins\/\d+$/.test(a.getAttribute("href"))); return a ? a.getAttribute("href") : ""; })()`)
		if link == "" {
			b.fatalf("no bulletin listed")
		}
		b.open(link)
		// The outreach table (宣传与群众参与) as issued: every township and 合计.
		if reach := b.rows("#bulletin-reach"); len(reach) < 2 || reach[len(reach)-1][0] != "合计" {
			b.errorf("the bulletin's outreach table has rows %q", reach)
		}
		b.checkpoint("bulletin")
		b.do("print", chromedp.Evaluate[chromedp.Void](`window.e2ePrinted = 0; window.print = () => { window.e2ePrinted++; }`), e2eTap(chromedp.CSS("#print")))
		if n := e2eEval[int](b, "printed", `window.e2ePrinted`); n != 1 {
			b.errorf("打印 called print %d times, want 1", n)
		}

		// A village officer of a 社区: the new application offers the
		// standards of the units in the scope, 健康社区 first chosen.
		b.switchUser("jinsui")
		b.open("/applications")
		b.do("open the form", chromedp.Evaluate[chromedp.Void](`document.querySelector("#new-application").closest("details").open = true`))
		if got := b.value("app-standard"); got != "healthy-community" {
			b.errorf("a 社区 officer's standard defaults to %q, want healthy-community", got)
		}
		for _, code := range b.options("app-standard") {
			if code == "healthy-enterprise" || code == "healthy-agency" || code == "health-promoting-hospital" {
				b.errorf("the 社区 officer is offered %s (no such unit in the scope): %v", code, b.options("app-standard"))
			}
		}
		school := e2eEval[string](b, "school unit", `(() => { const o = document.querySelector("#app-unit option[data-kind=school]"); return o ? o.value : ""; })()`)
		if school != "" {
			b.do("choose the school", chromedp.SetValue(chromedp.ID("app-unit"), school), b.fire("#app-unit", "change"))
			if got := b.value("app-standard"); got != "health-promoting-school" {
				b.errorf("for the school the standard is %q, want health-promoting-school", got)
			}
			if got := b.options("app-standard"); len(got) != 1 {
				b.errorf("for the school the standards offered are %v, want only the school's", got)
			}
			b.do("back to the 社区", chromedp.SetValue(chromedp.ID("app-unit"), "village:"+e2eVillage), b.fire("#app-unit", "change"))
		}
		b.do("type a household number", chromedp.SendKeys(chromedp.ID("app-household"), "1"))
		if got := b.value("app-standard"); got != "healthy-family" {
			b.errorf("with a household number the standard is %q, want healthy-family", got)
		}
		b.do("clear it", chromedp.Evaluate[chromedp.Void](`document.getElementById("app-household").value = ""`), b.fire("#app-household", "input"))
		if got := b.value("app-standard"); got != "healthy-community" {
			b.errorf("with the household number cleared the standard is %q, want healthy-community", got)
		}
		b.checkpoint("new-application")
		if st := b.load("start", e2eTap(chromedp.CSS("#start-application"))); st != 200 {
			b.fatalf("start the application: status %d", st)
		}
		if got := b.path(); !regexp.MustCompile(`^/applications/\d+$`).MatchString(got) {
			b.errorf("starting with the preselected standard led to %s, want the new application", got)
		}
	})
}

func TestPolishSheetInputJourney(t *testing.T) {
	e2eEngines(t, func(t *testing.T, dsn string) {
		b := e2eNewBrowser(t, dsn, "polish-sheet")
		b.narrow()
		if st := b.login("jinsui", DemoPassword); st != 200 {
			b.fatalf("login as jinsui: status %d", st)
		}
		if st := b.load("open the self-assessment", e2eTap(chromedp.CSS("#self-healthy-village"))); st != 200 {
			b.fatalf("self-assessment: status %d", st)
		}
		b.do("sheet", chromedp.WaitVisible(chromedp.ID("running-total")))
		b.do("mark the page", chromedp.Evaluate[chromedp.Void](`window.e2eNoReload = true`))
		if b.leaveBlocked() {
			b.errorf("leaving an untouched sheet asks first")
		}

		// Type into 2.4 (a chosen radio and a note), then save 1.1 alone.
		note := "村委会已安排专人负责"
		b.do("answer 2.4 without saving",
			e2eTap(e2eInItem("2.4", `input[name="yes"][value="1"]`)),
			e2eTap(e2eInItem("2.4", `input[name="note"]`)),
			chromedp.SendKeys(e2eInItem("2.4", `input[name="note"]`), note))
		if !b.leaveBlocked() {
			b.errorf("leaving the sheet with unsaved input does not ask first")
		}
		b.swapSheet("save 1.1", e2eTap(e2eInItem("1.1", `input[name="yes"][value="1"]`)), e2eTap(e2eInItem("1.1", `form.answer button[type="submit"]`)))
		if !b.answered("1.1") {
			b.errorf("1.1 is not marked answered after saving")
		}
		got := e2eEval[[]string](b, "2.4 input", `(() => {
			const f = document.querySelector('[id="item-2.4"] form.answer');
			const r = f.querySelector('input[name="yes"]:checked');
			return [r ? r.value : "", f.querySelector('input[name="note"]').value];
		})()`)
		if got[0] != "1" || got[1] != note {
			b.errorf("saving 1.1 lost the unsaved input of 2.4: radio %q note %q", got[0], got[1])
		}
		if b.answered("2.4") {
			b.errorf("2.4 is marked answered before it was saved")
		}
		if !b.leaveBlocked() {
			b.errorf("2.4's input is still unsaved, yet leaving does not ask")
		}
		b.sheetCheckpoint("unsaved-kept")
		before := b.total()
		b.swapSheet("save 2.4", e2eTap(e2eInItem("2.4", `form.answer button[type="submit"]`)))
		if !b.answered("2.4") || b.total() <= before {
			b.errorf("after saving 2.4: answered %v, total %v (was %v)", b.answered("2.4"), b.total(), before)
		}
		if got := e2eEval[string](b, "2.4 note", `document.querySelector('[id="item-2.4"] input[name="note"]').value`); got != note {
			b.errorf("2.4's note after saving = %q, want %q", got, note)
		}
		if b.leaveBlocked() {
			b.errorf("everything is saved, yet leaving asks first")
		}
		if !e2eEval[bool](b, "no reload", `window.e2eNoReload === true`) {
			b.errorf("saving reloaded the page")
		}
		// The section's score follows the items saved.
		if s := b.text("section-score-1"); !strings.Contains(s, "/") {
			b.errorf("#section-score-1 = %q", s)
		}
	})
}
