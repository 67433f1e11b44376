package main

// Browser end-to-end test of sampling (抽查) by the city (issue 17, item
// 2): the county office recommends its second 卫生村 to the city; the city
// office draws one of the two recommended units at random; the city's
// assessor scores the drawn one on the city's sheet; the city office
// decides the batch by it, and the unit not drawn is named 随批次通过 with
// the city as naming body on its certificate. The county can neither open
// the sampling pages nor see the batch.

import (
	"image/color"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

func TestCitySampleJourney(t *testing.T) {
	std := e2eShippedStandard(t, "sanitary-village")
	photo := e2ePhoto(t, t.TempDir(), "村容村貌.png", color.RGBA{R: 90, G: 170, B: 90})

	e2eEnginesInBrowser(t, func(t *testing.T, dsn string) {
		b := e2eNewBrowser(t, dsn, "spot")

		// 1. The county office recommends its evaluated 卫生村; the demo's
		// other one is recommended already. The sampling pages are not the
		// county's.
		if st := b.login("admin", DemoPassword); st != 200 {
			b.fatalf("login as admin: status %d", st)
		}
		if st := b.open("/naming-batches"); st != 403 {
			b.errorf("the county opens the sampling page: status %d", st)
		}
		b.open("/applications?state=evaluated")
		href := e2eEval[string](b, "the 卫生村 evaluated", `(() => {
			for (const tr of document.querySelectorAll("tbody tr")) {
				if (tr.textContent.includes("卫生村")) return tr.querySelector("a[href^='/applications/']").getAttribute("href");
			}
			return "";
		})()`)
		if href == "" {
			b.fatalf("no 卫生村 among the evaluated applications")
		}
		b.open(href)
		if st := b.act("recommend"); st != 200 {
			b.fatalf("recommend: status %d", st)
		}

		// 2. The city office draws one of the two recommended units.
		b.switchUser("shi")
		if st := b.open("/naming-batches"); st != 200 {
			b.fatalf("sampling page: status %d", st)
		}
		if got := b.text("candidates-title"); !strings.Contains(got, "卫生村") || !strings.Contains(got, "2 个") {
			b.errorf("candidates %q, want the two recommended 卫生村", got)
		}
		if rows := b.rows("#candidates"); len(rows) != 2 || !strings.Contains(rows[0][1], "苍溪县") {
			b.errorf("candidate rows %v", rows)
		}
		b.checkpoint("1-candidates")
		// Typing a number chooses 按数量 (static/naming.js).
		b.do("draw one unit", chromedp.SendKeys(chromedp.ID("naming-count"), "1"))
		if !e2eEval[bool](b, "size by number", `document.getElementById("size-count").checked`) {
			b.errorf("typing a number does not choose 按数量")
		}
		if st := b.load("draw", e2eTap(chromedp.CSS("#naming-draw-submit"))); st != 200 {
			b.fatalf("draw: status %d", st)
		}
		batchPath := b.path()
		if got := b.text("batch-state"); got != "抽查中" {
			b.errorf("batch state %q", got)
		}
		if got := b.text("batch-basis"); !strings.Contains(got, "随机种子") || !strings.Contains(got, "广元市") || !strings.Contains(got, "结果与记录一致") {
			b.errorf("batch basis %q", got)
		}
		if n := len(b.rows("#sampled")); n != 1 {
			b.fatalf("%d units drawn, want 1", n)
		}
		if n := len(b.rows("#rest")); n != 1 {
			b.fatalf("%d units not drawn, want 1", n)
		}
		rest := e2eEval[string](b, "the unit not drawn", `document.querySelector("#rest tbody a").getAttribute("href")`)
		b.checkpoint("2-drawn")
		// Deciding before the drawn unit is assessed is refused with why.
		b.do("confirm", e2eTap(chromedp.CSS("#batch-confirm")))
		if st := b.load("decide early", e2eTap(chromedp.CSS("#batch-decide-submit"))); st != 422 {
			b.errorf("decide before the assessment: status %d, want 422", st)
		}
		if msg := b.text("error"); !strings.Contains(msg, "尚未完成上级考核评分表") {
			b.errorf("#error = %q", msg)
		}

		// 3. The city's assessor scores the drawn unit on the city's sheet.
		b.switchUser("shizhuanjia")
		b.open(batchPath)
		if b.exists("#batch-decide") {
			b.errorf("the assessor is offered the batch's decision")
		}
		if st := b.load("open the drawn unit", e2eTap(chromedp.CSS("#sampled a.todo"))); st != 200 {
			b.fatalf("drawn unit: status %d", st)
		}
		if st := b.load("open the city's sheet", e2eTap(chromedp.CSS("#open-assessment"))); st != 200 {
			b.fatalf("open the assessment sheet: status %d", st)
		}
		b.scoreByAPI(b.path(), std, photo, nil)
		if got := b.text("sheet-result"); got != "合格" {
			b.errorf("assessment result %q", got)
		}

		// 4. The city office names the batch by its sample.
		b.switchUser("shi")
		b.open(batchPath)
		if got := b.text("sampled"); !strings.Contains(got, "合格") {
			b.errorf("the drawn unit's assessment: %q", got)
		}
		b.checkpoint("3-assessed")
		b.do("confirm", e2eTap(chromedp.CSS("#batch-confirm")))
		if st := b.load("decide", e2eTap(chromedp.CSS("#batch-decide-submit"))); st != 200 {
			b.fatalf("decide: status %d", st)
		}
		if got := b.text("batch-state"); got != "抽查合格，已命名" {
			b.errorf("batch state %q", got)
		}
		if got := e2eEval[string](b, "notice", `(document.querySelector("p.notice[role=status]") || {}).textContent || ""`); !strings.Contains(got, "本批次所有单位已命名") {
			b.errorf("notice %q", got)
		}
		if got := b.text("batch-outcome"); !strings.Contains(got, "随批次通过") || !strings.Contains(got, "广元市") {
			b.errorf("outcome %q", got)
		}
		b.checkpoint("4-named")

		// 5. The unit not drawn is named with the batch, by the city.
		b.open(rest)
		if got := b.appState(); got != "已命名" {
			b.errorf("the unit not drawn: %q", got)
		}
		if got := b.text("named-by"); got != "广元市爱国卫生运动委员会" {
			b.errorf("named by %q", got)
		}
		if page := e2eEval[string](b, "page text", `document.querySelector("main").textContent`); !strings.Contains(page, "随批次通过") || !strings.Contains(page, "抽查批次") {
			b.errorf("the timeline does not say the unit passed with the batch")
		}
		b.checkpoint("5-rest-named")
		if st := b.load("open the certificate", e2eTap(chromedp.CSS("#certificate-link"))); st != 200 {
			b.fatalf("certificate: status %d", st)
		}
		if got := b.text("cert-issuer"); got != "广元市爱国卫生运动委员会" {
			b.errorf("certificate issuer %q", got)
		}
		b.checkpoint("6-certificate")

		// The county reads its unit's naming, not the city's batch.
		b.switchUser("admin")
		if st := b.open(batchPath); st != 403 {
			b.errorf("the county opens the city's batch: status %d", st)
		}
	})
}
