package main

// Browser end-to-end test of 健康家庭 at scale (issue 12, item 6): the
// village officer sees every household with its family items from the
// registers, applies for the eligible ones and one that is not in one
// action, and reads why that one was refused; the township draws a sample,
// checks each sampled household on its own sheet and passes the rest by
// the sample. Pages are checked at 360 px.

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/healthcell/healthcell"
)

// answerAllYes answers every item of the sheet shown yes through the JSON
// API from the browser's session, and reloads the sheet.
func (b *e2eBrowser) answerAllYes(std *healthcell.Standard) {
	b.t.Helper()
	var codes []string
	for _, it := range std.Items {
		codes = append(codes, it.Code)
	}
	js, _ := json.Marshal(codes)
	path := b.path()
	got := e2eEval[[]int](b, "answer through the API", fmt.Sprintf(`(() => {
		const out = [];
		for (const code of %s) {
			const x = new XMLHttpRequest();
			x.open("PUT", "/api/v1/sheets/%s/answers/" + encodeURIComponent(code), false);
			x.setRequestHeader("Content-Type", "application/json");
			x.send(JSON.stringify({yes: true}));
			out.push(x.status);
		}
		return out;
	})()`, js, strings.TrimPrefix(path, "/sheets/")))
	for i, st := range got {
		if st != 200 {
			b.fatalf("PUT answer %s: status %d", codes[i], st)
		}
	}
	b.open(path)
}

func TestFamilyJourney(t *testing.T) {
	std := e2eShippedStandard(t, "healthy-family")

	e2eEnginesInBrowser(t, func(t *testing.T, dsn string) {
		b := e2eNewBrowser(t, dsn, "family")
		b.narrow()

		// 1. The village officer sees the households with their items.
		if st := b.login("jinsui", DemoPassword); st != 200 {
			b.fatalf("login as jinsui: status %d", st)
		}
		if st := b.open("/families"); st != 200 {
			b.fatalf("/families: status %d", st)
		}
		// 0. It records a visited household in the family register.
		hid := e2eEval[string](b, "an unrecorded household", `(() => {
			for (const tr of document.querySelectorAll("#families tbody tr")) {
				if (tr.textContent.includes("未入户登记")) return tr.querySelector("input[name=household]").value;
			}
			return "";
		})()`)
		if hid == "" {
			b.fatalf("every household is recorded")
		}
		if st := b.open("/registers/family_health/new?household=" + hid); st != 200 {
			b.fatalf("family register form: status %d", st)
		}
		b.do("fill in the household's health", chromedp.SendKeys(chromedp.ID("f-knowledge_person"), "王明白"),
			chromedp.SetValue(chromedp.ID("f-recorded_date"), time.Now().UTC().AddDate(0, 0, -1).Format(time.DateOnly)))
		for _, f := range []string{"handbook", "medicine_kit", "scale", "bp_monitor", "waist_tape", "smoke_free"} {
			b.do("tick "+f, e2eTap(chromedp.CSS("#f-"+f)))
		}
		b.checkpoint("0-register-form")
		if st := b.load("save", e2eTap(chromedp.CSS("#save"))); st != 200 {
			b.fatalf("save the family register: status %d", st)
		}
		b.open("/families")
		if !strings.Contains(b.text("families"), "明白人：王明白") {
			b.errorf("the family page does not show the recorded guide")
		}
		rows := b.rows("#families")
		eligible := e2eEval[int](b, "eligible rows", `document.querySelectorAll("#families tr.eligible").length`)
		if len(rows) < 20 || eligible < 2 {
			b.fatalf("%d households listed, %d eligible", len(rows), eligible)
		}
		b.checkpoint("1-households")
		// Tick one household that is not contracted as well.
		unc := e2eEval[string](b, "an uncontracted household", `(() => {
			for (const tr of document.querySelectorAll("#families tbody tr:not(.eligible)")) {
				if (tr.textContent.includes("人未签约")) { const c = tr.querySelector("input[name=household]"); c.checked = true; return c.value; }
			}
			return "";
		})()`)
		if unc == "" {
			b.fatalf("no uncontracted household in the village")
		}
		if st := b.load("apply", e2eTap(chromedp.CSS("#family-apply-submit"))); st != 200 {
			b.fatalf("apply: status %d", st)
		}
		res := b.text("results")
		if !strings.Contains(res, "已申报") || !strings.Contains(res, "未与家庭医生签约") {
			b.errorf("results: %s", res)
		}
		ok := e2eEval[int](b, "applied results", `document.querySelectorAll("#results li.ok").length`)
		bad := e2eEval[int](b, "refused results", `document.querySelectorAll("#results li.bad").length`)
		if ok != eligible || bad != 1 {
			b.errorf("%d applied, %d refused; want %d and 1", ok, bad, eligible)
		}
		b.checkpoint("2-results")

		// 2. The township draws a sample of its applied families.
		b.switchUser("lingjiang")
		if st := b.open("/families/batches"); st != 200 {
			b.fatalf("/families/batches: status %d", st)
		}
		applied := len(b.rows("#applied"))
		if applied < eligible {
			b.errorf("the township lists %d applied families, want at least %d", applied, eligible)
		}
		b.checkpoint("3-batches")
		b.do("50 %", chromedp.SetValue(chromedp.ID("batch-percent"), "50"))
		if st := b.load("draw", e2eTap(chromedp.CSS("#batch-draw"))); st != 200 {
			b.fatalf("draw: status %d", st)
		}
		batchPath := b.path()
		if !strings.Contains(b.text("batch-basis"), "随机种子") {
			b.errorf("the batch does not show its seed: %s", b.text("batch-basis"))
		}
		sampled := e2eEval[[]string](b, "sampled applications", `[...document.querySelectorAll("#sampled tbody td:first-child a")].map(a => a.getAttribute("href"))`)
		if len(sampled) != (applied+1)/2 {
			b.errorf("%d sampled of %d at 50 %%", len(sampled), applied)
		}
		b.checkpoint("4-batch")
		// Deciding before the sample is checked is refused, with the reason.
		b.do("confirm", e2eTap(chromedp.CSS("#batch-confirm")))
		if st := b.load("decide too early", e2eTap(chromedp.CSS("#batch-decide-submit"))); st != 422 {
			b.errorf("decide before the checks: status %d, want 422", st)
		}
		if msg := b.text("error"); !strings.Contains(msg, "尚未完成初验评分表") {
			b.errorf("#error = %q", msg)
		}

		// 3. Each sampled household is checked by hand on its own sheet.
		for _, app := range sampled {
			b.open(app)
			if st := b.load("open the check sheet", e2eTap(chromedp.CSS("#open-check"))); st != 200 {
				b.fatalf("open the check sheet: status %d", st)
			}
			b.answerAllYes(std)
			if got := b.text("sheet-result"); got != "合格" {
				b.errorf("check sheet result %q", got)
			}
		}
		b.open(batchPath)
		b.do("confirm", e2eTap(chromedp.CSS("#batch-confirm")))
		if st := b.load("decide", e2eTap(chromedp.CSS("#batch-decide-submit"))); st != 200 {
			b.fatalf("decide: status %d", st)
		}
		if got := b.text("batch-state"); got != "抽查合格，已通过" {
			b.errorf("batch state %q", got)
		}
		for _, r := range append(b.rows("#sampled"), b.rows("#rest")...) {
			if r[len(r)-1] != "初验通过" {
				b.errorf("after the decision: %v", r)
			}
		}
		b.checkpoint("5-batch-passed")
	})
}
