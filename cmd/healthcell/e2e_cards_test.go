package main

// Browser test of the application list and the to-do queue as cards on a
// phone (issue 14, item 5): at 360 px each application is a card whose
// state chip shows whole, beside its label, without a box to scroll
// sideways; the card's title links to the application; the checkbox of a
// card and the select-all above the cards still drive the bulk action; at
// desktop width the list is still a table with the select-all in its
// header.

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// e2eChips is what stateChips finds in a table: the text of each state
// chip shown whole, and a description of each one cut off.
type e2eChips struct {
	Shown []string `json:"shown"`
	Cut   []string `json:"cut"`
}

// stateChips returns the state chips (span.state) in the body of the table
// matching css. A chip is cut off when it reaches past the screen or its
// cell, is wider than its box, stands in a box that scrolls sideways, or
// (on a phone) its cell does not show the label want.
func (b *e2eBrowser) stateChips(css, label string) e2eChips {
	b.t.Helper()
	js := fmt.Sprintf(`(() => {
		const out = {shown: [], cut: []};
		const phone = window.innerWidth <= 576;
		for (const s of document.querySelectorAll(%s + " tbody .state")) {
			const r = s.getBoundingClientRect(), td = s.closest("td"), c = td.getBoundingClientRect();
			let box = null;
			for (let a = s.parentElement; a && a !== document.documentElement; a = a.parentElement) {
				if (a.scrollWidth > a.clientWidth + 1 && getComputedStyle(a).overflowX !== "visible") { box = a; break; }
			}
			const before = getComputedStyle(td, "::before").content;
			const why = [];
			if (r.width === 0) why.push("not shown");
			if (r.left < 0 || r.right > window.innerWidth + 0.5) why.push("reaches " + Math.round(r.left) + "–" + Math.round(r.right) + " px on a " + window.innerWidth + " px screen");
			if (r.right > c.right + 0.5) why.push("runs past its cell");
			if (s.scrollWidth > s.clientWidth + 1) why.push("wider than its chip");
			if (box) why.push("in a box that scrolls sideways (" + box.scrollWidth + " > " + box.clientWidth + " px)");
			if (phone && before !== JSON.stringify(%s)) why.push("labelled " + before);
			if (why.length) out.cut.push(s.textContent.trim() + ": " + why.join(", "));
			else out.shown.push(s.textContent.trim());
		}
		return out;
	})()`, jsQuote(css), jsQuote(label))
	return e2eEval[e2eChips](b, "state chips of "+css, js)
}

// checkChips fails the test for the chips of the table matching css that
// are cut off, or when it shows none, and returns those shown.
func (b *e2eBrowser) checkChips(where, css, label string) []string {
	b.t.Helper()
	chips := b.stateChips(css, label)
	for _, c := range chips.Cut {
		b.errorf("%s: the state %s", where, c)
	}
	if len(chips.Shown)+len(chips.Cut) == 0 {
		b.errorf("%s: %s shows no state", where, css)
	}
	return chips.Shown
}

// bulkIDs returns the values of the bulk checkboxes of the list shown,
// ticked or all.
func (b *e2eBrowser) bulkIDs(ticked bool) []string {
	b.t.Helper()
	sel := "#applications input[name=id]"
	if ticked {
		sel += ":checked"
	}
	return e2eEval[[]string](b, "bulk boxes", fmt.Sprintf(`Array.from(document.querySelectorAll(%s), i => i.value)`, jsQuote(sel)))
}

// selectAllState returns the state of the select-all box with id:
// "all", "some" (indeterminate) or "none".
func (b *e2eBrowser) selectAllState(id string) string {
	b.t.Helper()
	return e2eEval[string](b, "select-all "+id, fmt.Sprintf(`(() => { const e = document.getElementById(%s); return e.indeterminate ? "some" : e.checked ? "all" : "none"; })()`, jsQuote(id)))
}

// bulkSubmit chooses action in the bulk form, submits it and checks that
// the list comes back (filtered by state) with the notice done.
func (b *e2eBrowser) bulkSubmit(action, state, done string) {
	b.t.Helper()
	if st := b.load("submit "+action, chromedp.SetValue(chromedp.ID("bulk-action"), action), e2eTap(chromedp.CSS("#bulk-submit"))); st != 200 {
		b.fatalf("bulk %s: status %d", action, st)
	}
	if got := b.path(); got != "/applications?state="+state {
		b.errorf("after the bulk %s the page is %s, want /applications?state=%s", action, got, state)
	}
	if got := e2eEval[string](b, "notice", `(() => { const n = document.querySelector(".notice"); return n ? n.textContent.trim() : ""; })()`); got != done {
		b.errorf("after the bulk %s the notice says %q, want %q", action, got, done)
	}
}

func TestApplicationCardsJourney(t *testing.T) {
	zh := e2eMessages(t)
	stateLabel := zh["application.state"]
	e2eEngines(t, func(t *testing.T, dsn string) {
		b := e2eNewBrowser(t, dsn, "cards")
		b.narrow()
		if st := b.login("admin", DemoPassword); st != 200 {
			b.fatalf("login as admin: status %d", st)
		}

		// 1. Every application of the county is a card showing its state
		// whole, beside the label 状态.
		if st := b.open("/applications"); st != 200 {
			b.fatalf("GET /applications: status %d", st)
		}
		b.checkpoint("1-applications-360")
		if got := e2eEval[[]string](b, "layout", `[getComputedStyle(document.querySelector("#applications thead")).display, getComputedStyle(document.querySelector("#applications tbody tr")).display]`); got[0] != "none" || got[1] != "grid" {
			b.errorf("at 360 px the list shows its header as %q and its rows as %q, want cards (none, grid)", got[0], got[1])
		}
		shown := b.checkChips("/applications at 360 px", "#applications", stateLabel)
		for _, want := range []string{"已推荐上级考核", "已命名"} {
			if !slices.Contains(shown, want) {
				b.errorf("the county's cards show the states %q, not %s", shown, want)
			}
		}
		for _, e := range b.innerScrollers() {
			b.errorf("/applications at 360 px: a box scrolls sideways: %s", e)
		}
		// Each card's checkbox sits in the card, left of its title.
		for _, c := range e2eEval[[]string](b, "checkboxes", `Array.from(document.querySelectorAll("#applications tbody tr")).map(tr => {
			const box = tr.querySelector("input[name=id]").getBoundingClientRect(), a = tr.querySelector("td.key a").getBoundingClientRect(), card = tr.getBoundingClientRect();
			return box.width > 0 && box.left >= card.left && box.right <= a.left && box.top >= card.top && box.bottom <= card.bottom ? "" :
				tr.querySelector("td.key").textContent.trim() + ": box " + Math.round(box.left) + "–" + Math.round(box.right) + " px, title from " + Math.round(a.left) + " px, card " + Math.round(card.left) + "–" + Math.round(card.right) + " px";
		}).filter(s => s)`) {
			b.errorf("/applications at 360 px: a card's checkbox is not beside its title: %s", c)
		}

		// 2. Ticking one card and choosing an action acts on that one.
		b.open("/applications?state=named")
		named := b.bulkIDs(false)
		if len(named) < 3 {
			b.fatalf("the county lists %d named applications, want 3 or more", len(named))
		}
		if st := b.selectAllState("bulk-all"); st != "none" {
			b.errorf("select-all starts %s", st)
		}
		first := fmt.Sprintf("#applications input[name=id][value=%q]", named[0])
		b.do("tick one card", e2eTap(chromedp.CSS(first)))
		if got := b.bulkIDs(true); !slices.Equal(got, named[:1]) {
			b.errorf("ticking the first card ticked %v, want %v", got, named[:1])
		}
		if st := b.selectAllState("bulk-all"); st != "some" {
			b.errorf("with one card of %d ticked, select-all is %s, want some", len(named), st)
		}
		b.checkpoint("2-one-ticked-360")
		b.bulkSubmit("start_review", "named", "已启动复审")
		if got := b.bulkIDs(false); slices.Contains(got, named[0]) || len(got) != len(named)-1 {
			b.errorf("after starting the review of %s the named are %v (were %v)", named[0], got, named)
		}
		b.checkChips("/applications?state=named after the bulk action", "#applications", stateLabel)

		// 3. Select-all above the cards ticks them all; untick one, and
		// the action goes to the others.
		named = b.bulkIDs(false)
		b.do("select all", e2eTap(chromedp.CSS("#bulk-all")))
		if got := b.bulkIDs(true); !slices.Equal(got, named) {
			b.errorf("select-all ticked %v, want %v", got, named)
		}
		if st := b.selectAllState("bulk-all-head"); st != "all" {
			b.errorf("the header's select-all (hidden on a phone) is %s, want all", st)
		}
		keep := fmt.Sprintf("#applications input[name=id][value=%q]", named[0])
		b.do("untick one", e2eTap(chromedp.CSS(keep)))
		if st := b.selectAllState("bulk-all"); st != "some" {
			b.errorf("with one card unticked, select-all is %s, want some", st)
		}
		b.checkpoint("3-all-but-one-360")
		b.bulkSubmit("start_review", "named", "已启动复审")
		if got := b.bulkIDs(false); !slices.Equal(got, named[:1]) {
			b.errorf("after starting the review of all but %s the named are %v", named[0], got)
		}
		b.open("/applications?state=review_due")
		due := b.bulkIDs(false)
		for _, id := range named[1:] {
			if !slices.Contains(due, id) {
				b.errorf("application %s is not under review after the bulk action: %v", id, due)
			}
		}
		b.checkChips("/applications?state=review_due", "#applications", stateLabel)
		b.checkpoint("4-review-due-360")

		// 4. The card's title opens the application.
		href := e2eEval[string](b, "first card's link", `document.querySelector("#applications tbody tr td.key a").getAttribute("href")`)
		if st := b.load("open a card", e2eTap(chromedp.CSS("#applications tbody tr td.key a"))); st != 200 {
			b.fatalf("open %s: status %d", href, st)
		}
		if got := b.path(); got != href || !regexp.MustCompile(`^/applications/\d+$`).MatchString(got) {
			b.errorf("the card's title opened %s, want %s", got, href)
		}

		// 5. At desktop width the list is a table, select-all in its header.
		b.desktop()
		b.open("/applications")
		if got := e2eEval[[]string](b, "layout", `[getComputedStyle(document.querySelector("#applications thead")).display, getComputedStyle(document.querySelector("#applications tbody tr")).display]`); got[0] != "table-header-group" || got[1] != "table-row" {
			b.errorf("at 1280 px the list shows its header as %q and its rows as %q, want a table", got[0], got[1])
		}
		if e2eEval[bool](b, "phone's select-all", `document.getElementById("bulk-all").offsetParent !== null`) {
			b.errorf("at 1280 px the phone's select-all shows beside the header's")
		}
		b.do("select all in the header", e2eTap(chromedp.CSS("#bulk-all-head")))
		if got, all := b.bulkIDs(true), b.bulkIDs(false); len(all) == 0 || !slices.Equal(got, all) {
			b.errorf("the header's select-all ticked %d of %d", len(got), len(all))
		}
		b.checkChips("/applications at 1280 px", "#applications", stateLabel)
		b.checkpoint("5-applications-1280")

		// 6. The township's to-do queue: the state of each application
		// to act on shows whole in its card.
		b.narrow()
		b.switchUser("lingjiang")
		b.open("/queue")
		b.checkpoint("6-queue-360")
		shown = b.checkChips("/queue at 360 px", "#queue-apps", stateLabel)
		if !slices.Contains(shown, "已申报") {
			b.errorf("the township's queue shows the states %q, not 已申报", shown)
		}
		for _, e := range b.innerScrollers() {
			b.errorf("/queue at 360 px: a box scrolls sideways: %s", e)
		}
		if next := e2eEval[string](b, "可办理", `document.querySelector("#queue-apps tbody td[data-label]:last-child").textContent`); strings.TrimSpace(next) == "" {
			b.errorf("the queue's first card names no action to take")
		}
		b.open("/applications")
		b.checkpoint("7-township-applications-360")
		b.checkChips("the township's /applications at 360 px", "#applications", stateLabel)
	})
}
