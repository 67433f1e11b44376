package main

// Browser test of the plan editor's links (a task's indicator and standard
// item, chosen on a 360 px phone: plan.js lists the chosen standard's
// items) and of the list of residents an indicator does not yet count.

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

func TestPlanLinksAndMissingList(t *testing.T) {
	e2eEngines(t, func(t *testing.T, dsn string) {
		b := e2eNewBrowser(t, dsn, "planlinks")
		b.narrow()
		if st := b.login("admin", DemoPassword); st != 200 {
			b.fatalf("login as admin: status %d", st)
		}
		if st := b.open("/campaigns"); st != 200 {
			b.fatalf("/campaigns: status %d", st)
		}
		href := e2eEval[string](b, "the plan link", `(document.querySelector("#campaigns a.plan-link") || {getAttribute: () => ""}).getAttribute("href")`)
		if href == "" {
			b.fatalf("no plan link")
		}
		if st := b.open(href + "/edit"); st != 200 {
			b.fatalf("the editor: status %d", st)
		}
		row := "#task-rows .row:first-child "
		b.do("choose a standard", chromedp.SetValue(chromedp.CSS(row+"[name=task_std]"), "healthy-village"),
			chromedp.Evaluate[chromedp.Void](`document.querySelector("#task-rows .row:first-child [name=task_std]").dispatchEvent(new Event("change", {bubbles: true}))`))
		n := e2eEval[int](b, "items listed", `document.querySelectorAll("#task-rows .row:first-child [name=task_item] option").length`)
		if n < 10 {
			b.fatalf("the item list has %d options after choosing 健康村", n)
		}
		b.do("choose the item and the indicator",
			chromedp.SetValue(chromedp.CSS(row+"[name=task_item]"), "3.1"),
			chromedp.SetValue(chromedp.CSS(row+"[name=task_indicator]"), "toilet_rate"),
			chromedp.SetValue(chromedp.CSS("#phase-rows .row:first-child [name=phase_text]"), "摸清底数，制定方案"))
		b.checkpoint("1-editor")
		if st := b.load("save", e2eTap(chromedp.CSS("#save-plan"))); st != 200 {
			b.fatalf("save: status %d", st)
		}
		if st := b.open(href + "/edit"); st != 200 {
			b.fatalf("the editor again: status %d", st)
		}
		got := e2eEval[[]string](b, "saved links", `["task_std", "task_item", "task_indicator"].map(n => document.querySelector("#task-rows .row:first-child [name=" + n + "]").value)
			.concat([document.querySelector("#phase-rows .row:first-child [name=phase_text]").value])`)
		if strings.Join(got, "|") != "healthy-village|3.1|toilet_rate|摸清底数，制定方案" {
			b.errorf("saved %q", got)
		}
		if st := b.open("/indicators/record_rate/missing?period=2026"); st != 200 {
			b.fatalf("the missing list: status %d", st)
		}
		if !b.exists("#missing tbody tr") {
			b.errorf("the county's missing list is empty")
		}
		b.checkpoint("2-missing")
	})
}
