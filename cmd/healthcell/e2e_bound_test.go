package main

// Browser journey of data-bound score sheets (issue 12): the village officer
// sees 知晓率 filled in from the registers, overrides the lecture count with
// a reason and a photo (one already used by other villages), and applies
// after confirming; the township officer sees the override highlighted and
// the reused-photo warning, fills the 初验 sheet and passes it; after that
// the village cannot change what it submitted, and the timeline links the
// archived copy.

import (
	"fmt"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

func TestBoundSheetJourney(t *testing.T) {
	std := e2eShippedStandard(t, "healthy-village")
	dir := t.TempDir()
	// The demo attached these very bytes to other villages' sheets.
	reused := filepath.Join(dir, "讲座签到表.png")
	if err := os.WriteFile(reused, demoPhoto(), 0o644); err != nil {
		t.Fatal(err)
	}
	photo := e2ePhoto(t, dir, "现场.png", color.RGBA{R: 200, G: 140, B: 60})

	e2eEngines(t, func(t *testing.T, dsn string) {
		b := e2eNewBrowser(t, dsn, "bound")
		if st := b.login("jinsui", DemoPassword); st != 200 {
			b.fatalf("login as jinsui: status %d", st)
		}
		b.open("/applications")
		b.do("choose the standard and the village",
			chromedp.SetValue(chromedp.ID("app-standard"), "healthy-village"),
			chromedp.SetValue(chromedp.ID("app-unit"), "village:"+e2eVillage))
		if st := b.load("start", e2eTap(chromedp.CSS("#start-application"))); st != 200 {
			b.fatalf("start: status %d", st)
		}
		appPath := "/applications/" + b.appID()
		if st := b.load("open the self-assessment", e2eTap(chromedp.CSS("#open-self"))); st != 200 {
			b.fatalf("open the self-assessment: status %d", st)
		}
		sheetPath := b.path()

		// 1. 知晓率 (2.2) is computed from the questionnaire responses.
		know := b.textOf("computed-2.2")
		if !strings.Contains(know, "台账计算值") || !strings.Contains(know, "/") || !strings.Contains(know, "查看明细") {
			b.errorf("2.2 does not show the computed 知晓率: %q", know)
		}
		if !b.exists(`[id="item-2.2"].answered`) {
			b.errorf("2.2 is not answered from the data")
		}
		b.do("scroll to 2.2", chromedp.Evaluate[chromedp.Void](`document.getElementById("item-2.2").scrollIntoView()`))
		b.checkpoint("1-computed")

		// 2. The lecture count (2.6) differs from the register: override it
		// with a reason and the sign-in sheet's photo.
		b.swapSheet("override 2.6",
			chromedp.Evaluate[chromedp.Void](`document.querySelector('[id="item-2.6"] details.override-form').open = true`),
			chromedp.Clear(e2eInItem("2.6", `input[name="count"]`)),
			chromedp.SendKeys(e2eInItem("2.6", `input[name="count"]`), "14"),
			chromedp.SetValue(e2eByID("reason-2.6"), "全年14次讲座，2次签到表尚未录入台账"),
			chromedp.SetUploadFiles(e2eByID("override-file-2.6"), []string{reused}),
			e2eTap(e2eInItem("2.6", `form.answer button[type="submit"]`)))
		if !b.exists(`[id="item-2.6"].overridden`) || !b.exists("#override-count") {
			b.errorf("the override of 2.6 is not marked")
		}
		if got := b.textOf("computed-2.6"); !strings.Contains(got, "人工改填") || !strings.Contains(got, "2次签到表") {
			b.errorf("2.6 after the override: %q", got)
		}
		b.do("scroll to 2.6", chromedp.Evaluate[chromedp.Void](`document.getElementById("item-2.6").scrollIntoView()`))
		b.checkpoint("2-override")
		b.at360(func() { b.checkpoint("2-override-360") })
		b.scoreByAPI(sheetPath, std, photo, map[string]bool{"2.6": true})
		if got := b.text("sheet-result"); got != "合格" {
			b.errorf("self-assessment result %q", got)
		}

		// 3. 申报 asks for confirmation first.
		b.open(appPath)
		if st := b.load("press apply", e2eTap(chromedp.CSS("#do-apply"))); st != 200 || !b.exists("#confirm") {
			b.fatalf("apply did not ask for confirmation: status %d", st)
		}
		b.checkpoint("3-confirm-apply")
		if st := b.load("confirm", e2eTap(chromedp.CSS("#confirm"))); st != 200 {
			b.fatalf("confirm apply: status %d", st)
		}
		if got := b.appState(); got != "已申报" {
			b.errorf("after applying: %q", got)
		}

		// 4. The submitted sheet is frozen: no forms, and the API refuses.
		b.open(sheetPath)
		if !b.exists("#frozen-notice") || b.exists("form.answer") {
			b.errorf("the submitted sheet can still be edited")
		}
		id := strings.TrimPrefix(sheetPath, "/sheets/")
		st := e2eEval[int](b, "change through the API", fmt.Sprintf(`(() => {
			const x = new XMLHttpRequest();
			x.open("PUT", "/api/v1/sheets/%s/answers/2.4", false);
			x.setRequestHeader("Content-Type", "application/json");
			x.send(JSON.stringify({yes: false}));
			return x.status;
		})()`, id))
		if st != 409 {
			b.errorf("PUT on a frozen sheet: status %d, want 409", st)
		}
		b.checkpoint("4-frozen")

		// 5. The township sees the override and the reused photo.
		b.switchUser("lingjiang")
		b.open(appPath)
		if !b.exists("#overrides-self") {
			b.errorf("the checker does not see the override")
		}
		if !b.exists("#flags-self") || !strings.Contains(b.text("checks-self"), "同一张照片") {
			b.errorf("the checker does not see the reused photo: %q", b.text("checks-self"))
		}
		b.checkpoint("5-checker")
		// The checker's page on a 360 px phone.
		b.at360(func() {
			b.open(appPath)
			b.checkpoint("5-checker-360")
		})
		b.open(sheetPath)
		if !b.exists(`[id="item-2.6"].overridden`) || !b.exists(`[id="item-2.6"] .flag`) {
			b.errorf("the sheet does not show the checker the override and the flag on 2.6")
		}

		// 6. 初验 on the township's sheet, confirmed.
		b.open(appPath)
		if st := b.load("open the check sheet", e2eTap(chromedp.CSS("#open-check"))); st != 200 {
			b.fatalf("open the check sheet: status %d", st)
		}
		b.scoreByAPI(b.path(), std, photo, nil)
		b.open(appPath)
		if st := b.load("press pass_check", e2eTap(chromedp.CSS("#do-pass_check"))); st != 200 || !b.exists("#confirm") {
			b.fatalf("pass_check did not ask for confirmation: status %d", st)
		}
		if st := b.load("confirm", e2eTap(chromedp.CSS("#confirm"))); st != 200 {
			b.fatalf("confirm pass_check: status %d", st)
		}
		if got := b.appState(); got != "初验通过" {
			b.errorf("after the check: %q", got)
		}
		b.checkpoint("6-checked")

		// 7. The timeline links the archived copy each step relied on.
		if st := b.load("open the archived sheet", e2eTap(chromedp.CSS(`#timeline a[id^="snapshot-"]`))); st != 200 {
			b.fatalf("snapshot: status %d", st)
		}
		if !b.exists("#snapshot-note") || !strings.Contains(b.text("override-count"), "项未采用台账计算值") ||
			!strings.Contains(b.textOf("snapshot-note"), "申报") {
			b.errorf("the archived copy does not say what it is or count the override")
		}

		// 8. The village still cannot change what it submitted.
		b.open(appPath)
		b.switchUser("jinsui")
		b.open(sheetPath)
		if b.exists("form.answer") {
			b.errorf("the village can edit the submitted sheet after the check")
		}
	})
}

// textOf is the text of the element with id (ids with dots included).
func (b *e2eBrowser) textOf(id string) string {
	b.t.Helper()
	return e2eEval[string](b, "text of "+id, `(() => { const e = document.getElementById(`+jsQuote(id)+`); return e === null ? "" : e.innerText; })()`)
}

// at360 runs fn with a 360 px wide phone screen, then goes back to the
// usual phone.
func (b *e2eBrowser) at360(fn func()) {
	b.t.Helper()
	b.do("360 px", chromedp.EmulateViewport(360, 780, chromedp.EmulateMobile))
	b.width = 360
	fn()
	b.do("back to the phone", chromedp.EmulateViewport(int64(e2ePhone.width), int64(e2ePhone.height), chromedp.EmulateMobile))
	b.width = e2ePhone.width
}
