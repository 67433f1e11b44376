package main

// Browser end-to-end test of the self-assessment: a village officer fills
// the healthy-village score sheet on a phone, item by item, with photos.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/healthcell/healthcell"
)

// e2eOtherTownship is 云峰镇, whose viewer must not see 金穗社区's sheets.
const e2eOtherTownship = "510824102000"

// e2ePhoto writes a small PNG "photo" into dir and returns its path.
func e2ePhoto(t *testing.T, dir, name string, c color.RGBA) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 480, 360))
	for y := 0; y < 360; y++ {
		for x := 0; x < 480; x++ {
			img.Set(x, y, color.RGBA{R: c.R, G: uint8(int(c.G) * x / 480), B: uint8(int(c.B) * y / 360), A: 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, name)
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

// e2eByID selects the element with id, which may hold dots (item-1.1):
// chromedp.ID would read them as class selectors.
func e2eByID(id string) chromedp.CSS {
	return chromedp.CSS(`[id="` + id + `"]`)
}

// e2eInItem selects css inside the item article of code.
func e2eInItem(code, css string) chromedp.CSS {
	return chromedp.CSS(`[id="item-` + code + `"] ` + css)
}

// e2eTap scrolls the element matching css to the middle of the screen and
// clicks it: the sticky score summary at the top of a sheet would otherwise
// cover an element that a plain Click scrolls just into view.
func e2eTap(css chromedp.CSS) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		js := fmt.Sprintf(`document.querySelector(%s).scrollIntoView({block: "center"})`, jsQuote(string(css)))
		for _, a := range []chromedp.Action[chromedp.Void]{chromedp.WaitVisible(css), chromedp.Evaluate[chromedp.Void](js), chromedp.Click(css)} {
			if _, err := a(ctx, t); err != nil {
				return chromedp.Void{}, err
			}
		}
		return chromedp.Void{}, nil
	}
}

// swapSheet runs actions that make htmx replace part of the sheet (a Save
// or upload button: the whole #sheet when one item is shown, else the item
// with the score summary) and waits until the new #summary has settled: htmx
// puts the new elements in with the old ones' attributes and gives them
// their own (the class "answered") only when it settles.
func (b *e2eBrowser) swapSheet(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	b.do(what+": mark the old sheet", chromedp.Evaluate[chromedp.Void](`(() => {
		document.getElementById("summary").dataset.e2eStale = "1";
		window.e2eSettled = false;
		document.body.addEventListener("htmx:afterSettle", () => { window.e2eSettled = true; }, {once: true});
	})()`))
	b.do(what, actions...)
	b.do(what+": wait for the new sheet", chromedp.Poll[chromedp.Void](
		`(() => { const s = document.getElementById("summary"); return window.e2eSettled === true && s !== null && s.dataset.e2eStale === undefined; })()`,
		chromedp.WithPollingTimeout(e2eScaled(15*time.Second))))
}

// answered reports whether the item of code is marked answered.
func (b *e2eBrowser) answered(code string) bool {
	b.t.Helper()
	return e2eEval[bool](b, "item "+code, fmt.Sprintf(`(() => { const a = document.getElementById(%s); return a !== null && a.classList.contains("answered"); })()`, jsQuote("item-"+code)))
}

// itemFull reports whether the item of code scores all its points.
func (b *e2eBrowser) itemFull(code string) bool {
	b.t.Helper()
	return e2eEval[bool](b, "score of "+code, fmt.Sprintf(`(() => {
		const e = document.querySelector('[id="item-%s"] .item-score');
		if (e === null) return false;
		const p = e.innerText.split("/").map(x => parseFloat(x));
		return p.length === 2 && p[0] === p[1];
	})()`, code))
}

// total reads #running-total as a number.
func (b *e2eBrowser) total() float64 {
	b.t.Helper()
	s := b.text("running-total")
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		b.fatalf("#running-total = %q", s)
	}
	return f
}

// answerItem answers the item of code through its form with full marks
// (yes/no items with yes, unless no is given), and waits for the swap.
func (b *e2eBrowser) answerItem(it *healthcell.Item, photo string) {
	b.t.Helper()
	code := it.Code
	save := e2eTap(e2eInItem(code, `form.answer button[type="submit"]`))
	switch it.Method {
	case healthcell.MethodYes:
		b.swapSheet("answer "+code+" 是", e2eTap(e2eInItem(code, `input[name="yes"][value="1"]`)), save)
	case healthcell.MethodNo:
		b.swapSheet("answer "+code+" 否", e2eTap(e2eInItem(code, `input[name="yes"][value="0"]`)), save)
	case healthcell.MethodGraded:
		best := it.Grades[0]
		for _, g := range it.Grades {
			if g.Points > best.Points {
				best = g
			}
		}
		b.swapSheet("grade "+code, chromedp.SetValue(e2eInItem(code, `select[name="grade"]`), best.Label), save)
	case healthcell.MethodEGT, healthcell.MethodELT:
		v := strconv.FormatFloat(it.Target, 'f', -1, 64)
		if it.Method == healthcell.MethodELT {
			v = "0"
		}
		b.swapSheet("value of "+code, append([]chromedp.Action[chromedp.Void]{chromedp.Clear(e2eInItem(code, `input[name="value"]`)),
			chromedp.SendKeys(e2eInItem(code, `input[name="value"]`), v)}, append(b.overrideActions(code, photo), save)...)...)
	case healthcell.MethodCount:
		b.swapSheet("count of "+code, append([]chromedp.Action[chromedp.Void]{chromedp.Clear(e2eInItem(code, `input[name="count"]`)),
			chromedp.SendKeys(e2eInItem(code, `input[name="count"]`), strconv.Itoa(it.MinCount))}, append(b.overrideActions(code, photo), save)...)...)
	case healthcell.MethodAttach:
		b.attach(code, photo)
	}
	if !b.answered(code) {
		b.errorf("item %s is not marked answered after saving", code)
	}
}

// overrideActions fill in the reason and the photo of an override when the
// item shows a value computed from the registers (a different number needs
// both); none otherwise.
func (b *e2eBrowser) overrideActions(code, photo string) []chromedp.Action[chromedp.Void] {
	b.t.Helper()
	if !b.exists(`[id="reason-` + code + `"]`) {
		return nil
	}
	if photo == "" {
		photo = e2ePhoto(b.t, b.t.TempDir(), "核查记录.png", color.RGBA{R: 90, G: 120, B: 40})
	}
	return []chromedp.Action[chromedp.Void]{
		chromedp.Evaluate[chromedp.Void](`document.querySelector('[id="item-` + code + `"] details.override-form').open = true`),
		chromedp.SetValue(e2eByID("reason-"+code), "入户核查结果，台账待补录"),
		chromedp.SetUploadFiles(e2eByID("override-file-"+code), []string{photo}),
	}
}

// attach uploads a photo to the item of code.
func (b *e2eBrowser) attach(code, photo string) {
	b.t.Helper()
	b.swapSheet("attach "+filepath.Base(photo)+" to "+code,
		chromedp.SetUploadFiles(e2eByID("file-"+code), []string{photo}),
		e2eTap(e2eInItem(code, `form.upload button[type="submit"]`)))
}

// thumbnails waits for the thumbnails of the item of code to load and
// returns how many there are.
func (b *e2eBrowser) thumbnails(code string) int {
	b.t.Helper()
	b.do("show the photos of "+code, chromedp.ScrollIntoView(e2eInItem(code, `.evidence`)))
	sel := jsQuote(`[id="item-` + code + `"] .evidence img`)
	b.do("thumbnails of "+code+" load", chromedp.Poll[chromedp.Void](
		fmt.Sprintf(`Array.from(document.querySelectorAll(%s)).every(i => i.complete && i.naturalWidth > 0)`, sel),
		chromedp.WithPollingTimeout(e2eScaled(10*time.Second))))
	return e2eEval[int](b, "count thumbnails", fmt.Sprintf(`document.querySelectorAll(%s).length`, sel))
}

// sheetCheckpoint scrolls to the top, where the sticky score summary
// belongs in a full-page screenshot, and takes a checkpoint.
func (b *e2eBrowser) sheetCheckpoint(name string) {
	b.t.Helper()
	b.do("scroll to the top", chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`))
	b.checkpoint(name)
}

// e2eCreateUser creates an account through the API as admin.
func e2eCreateUser(t *testing.T, base string, user map[string]string) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	post := func(path string, body any) (int, string) {
		b, _ := json.Marshal(body)
		res, err := c.Post(base+path, "application/json", bytes.NewReader(b))
		if err != nil {
			t.Fatalf("POST %s: %v", path, err)
		}
		defer res.Body.Close()
		var buf bytes.Buffer
		buf.ReadFrom(res.Body)
		return res.StatusCode, buf.String()
	}
	if st, body := post("/api/v1/session", map[string]string{"username": "admin", "password": DemoPassword}); st != http.StatusOK {
		t.Fatalf("log in as admin: %d %s", st, body)
	}
	if st, body := post("/api/v1/users", user); st != http.StatusCreated {
		t.Fatalf("create %s: %d %s", user["username"], st, body)
	}
}

// TestSelfAssessmentJourney: the officer of 金穗社区 opens the village's
// healthy-village self-assessment from the village page, answers items on
// the whole sheet and one at a time, attaches photos, sees the running
// total, the veto rule and the result change, and completes the sheet; a
// viewer of another township cannot open it.
func TestSelfAssessmentJourney(t *testing.T) {
	zh := e2eMessages(t)
	std := e2eShippedStandard(t, "healthy-village")
	item := func(code string) *healthcell.Item {
		it := std.Item(code)
		if it == nil {
			t.Fatalf("healthy-village has no item %s", code)
		}
		return it
	}
	dir := t.TempDir()
	photos := []string{
		e2ePhoto(t, dir, "卫生室-1.png", color.RGBA{R: 40, G: 180, B: 120}),
		e2ePhoto(t, dir, "卫生室-2.png", color.RGBA{R: 200, G: 120, B: 60}),
		e2ePhoto(t, dir, "村规民约.png", color.RGBA{R: 90, G: 90, B: 220}),
	}

	e2eEngines(t, func(t *testing.T, dsn string) {
		b := e2eNewBrowser(t, dsn, "sheet")
		if st := b.login("jinsui", DemoPassword); st != 200 {
			b.fatalf("login as jinsui: status %d", st)
		}
		if got := b.path(); got != "/divisions/"+e2eVillage {
			b.fatalf("after login at %s, want /divisions/%s", got, e2eVillage)
		}

		// 1. The village page offers the self-assessment.
		b.do("self-assessment button", chromedp.WaitVisible(chromedp.ID("self-healthy-village")))
		if got, want := b.text("self-healthy-village"), strings.ReplaceAll(zh["division.self_assess"], "{{.Name}}", "健康村"); got != want {
			b.errorf("#self-healthy-village = %q, want %q", got, want)
		}
		b.checkpoint("1-village")
		if st := b.load("open the self-assessment", chromedp.Click(chromedp.ID("self-healthy-village"))); st != 200 {
			b.fatalf("self-assessment: status %d", st)
		}
		sheetPath := b.path()
		if !regexp.MustCompile(`^/sheets/\d+$`).MatchString(sheetPath) {
			b.fatalf("the self-assessment button led to %s", sheetPath)
		}
		b.do("sheet", chromedp.WaitVisible(chromedp.ID("running-total")))
		if got := b.text("sheet-title"); got != e2eVillageName+" · "+zh["sheet.kind.self"] {
			b.errorf("#sheet-title = %q", got)
		}
		// Items computed from the registers score from the start.
		base := b.total()
		if base <= 0 || !b.answered("3.1") {
			b.errorf("#running-total of a new sheet = %v: nothing computed from the registers", base)
		}
		var baseAnswered int
		fmt.Sscanf(b.text("answered"), "%d", &baseAnswered)
		if got := b.text("sheet-result"); got != zh["sheet.result.incomplete"] {
			b.errorf("#sheet-result = %q, want %q", got, zh["sheet.result.incomplete"])
		}
		if got := b.text("veto-status"); got != zh["sheet.veto.failed"] {
			b.errorf("#veto-status before V1 is answered = %q, want %q", got, zh["sheet.veto.failed"])
		}
		b.sheetCheckpoint("2-new-sheet")
		b.do("mark the page", chromedp.Evaluate[chromedp.Void](`window.e2eNoReload = true`))

		// 2. Yes/no items with the radio buttons, each saved in place.
		total := base
		for _, code := range []string{"1.1", "2.4", "3.5"} {
			it := item(code)
			b.answerItem(it, "")
			total += it.Points
			if got := b.total(); got != total {
				b.errorf("#running-total after %s = %v, want %v", code, got, total)
			}
		}
		if got, want := b.text("answered"), fmt.Sprintf("%d / 27", baseAnswered+3); got != want {
			b.errorf("#answered = %q, want %s", got, want)
		}

		// 3. An indicator value: the registers' 知晓率 falls short, so 90 is
		// an override, with its reason and photo, and scores in full.
		b.answerItem(item("2.2"), "")
		if got := b.total(); got <= total || !b.itemFull("2.2") {
			b.errorf("#running-total after 2.2 = %v (was %v), item full %v", got, total, b.itemFull("2.2"))
		}
		total = b.total()
		if got := e2eEval[string](b, "2.2 value", `document.querySelector('[id="item-2.2"] input[name="value"]').value`); got != "90" {
			b.errorf("the value of 2.2 after saving = %q, want 90", got)
		}

		// 4. The veto item: no outbreak.
		b.answerItem(item("V1"), "")
		if got := b.text("veto-status"); got != zh["sheet.veto.ok"] {
			b.errorf("#veto-status after V1 否 = %q, want %q", got, zh["sheet.veto.ok"])
		}
		if got := b.total(); got != total {
			b.errorf("#running-total after V1 = %v, want %v", got, total)
		}
		b.sheetCheckpoint("3-answered")

		// 5. Two photos for the health room.
		b.attach("1.2", photos[0])
		b.attach("1.2", photos[1])
		if n := b.thumbnails("1.2"); n != 2 {
			b.errorf("item 1.2 shows %d thumbnails, want 2", n)
		}
		total += item("1.2").Points
		if got := b.total(); got != total {
			b.errorf("#running-total after the photos = %v, want %v", got, total)
		}
		if !b.answered("1.2") {
			b.errorf("1.2 with photos is not marked answered")
		}
		if got := b.text("sheet-result"); got != zh["sheet.result.incomplete"] {
			b.errorf("#sheet-result = %q, want %q", got, zh["sheet.result.incomplete"])
		}
		b.sheetCheckpoint("4-photos")
		if !e2eEval[bool](b, "htmx", `window.e2eNoReload === true`) {
			b.errorf("saving reloaded the page; htmx should have swapped #sheet in place")
		}

		// 6. One item at a time.
		if st := b.load("one item at a time", chromedp.Click(chromedp.ID("one-by-one"))); st != 200 {
			b.fatalf("one-by-one: status %d", st)
		}
		if got := b.path(); got != sheetPath+"?item=1.1" {
			b.errorf("#one-by-one led to %s", got)
		}
		if !b.answered("1.1") || b.exists(`[id="item-1.2"]`) {
			b.errorf("one-item mode does not show 1.1 alone and answered")
		}
		if st := b.load("next item", chromedp.Click(chromedp.ID("next-item"))); st != 200 {
			b.fatalf("next item: status %d", st)
		}
		if got := b.path(); got != sheetPath+"?item=1.2" {
			b.errorf("#next-item led to %s", got)
		}
		if n := b.thumbnails("1.2"); n != 2 {
			b.errorf("item 1.2 alone shows %d thumbnails, want 2", n)
		}
		if st := b.load("next item", chromedp.Click(chromedp.ID("next-item"))); st != 200 {
			b.fatalf("next item: status %d", st)
		}
		b.do("mark the page", chromedp.Evaluate[chromedp.Void](`window.e2eNoReload = true`))
		b.answerItem(item("1.3"), photos[2])
		total += item("1.3").Points
		if got := b.total(); got != total {
			b.errorf("#running-total after 1.3 = %v, want %v", got, total)
		}
		if !b.exists(`#next-item`) || b.exists(`[id="item-1.1"]`) {
			b.errorf("after saving in one-item mode the page is not one item with a next link")
		}
		if !e2eEval[bool](b, "htmx", `window.e2eNoReload === true`) {
			b.errorf("saving in one-item mode reloaded the page")
		}
		b.sheetCheckpoint("5-one-item")

		// 7. Everything else on the whole sheet: complete and passed.
		if st := b.open(sheetPath); st != 200 {
			b.fatalf("GET %s: status %d", sheetPath, st)
		}
		for i := range std.Items {
			it := &std.Items[i]
			if b.answered(it.Code) && (!it.DataBound() || b.itemFull(it.Code)) {
				continue
			}
			if got := b.text("sheet-result"); got != zh["sheet.result.incomplete"] {
				b.errorf("#sheet-result with %s unanswered = %q, want %q", it.Code, got, zh["sheet.result.incomplete"])
			}
			b.answerItem(it, photos[2])
		}
		if got := b.text("answered"); got != "27 / 27" {
			b.errorf("#answered = %q, want 27 / 27", got)
		}
		if got := b.total(); got != 100 {
			b.errorf("#running-total with full marks = %v, want 100", got)
		}
		if got := b.text("sheet-result"); got != zh["sheet.result.passed"] {
			b.errorf("#sheet-result of the complete sheet = %q, want %q", got, zh["sheet.result.passed"])
		}
		b.sheetCheckpoint("6-complete")

		// 8. A viewer of another township cannot open the sheet.
		e2eCreateUser(t, b.base, map[string]string{"username": "yunfeng_viewer", "password": DemoPassword, "role": "viewer", "scope": e2eOtherTownship})
		if st := b.load("log out", chromedp.Click(chromedp.ID("logout"))); st != 200 {
			b.fatalf("log out: status %d", st)
		}
		if st := b.login("yunfeng_viewer", DemoPassword); st != 200 {
			b.fatalf("login as yunfeng_viewer: status %d", st)
		}
		if got := b.path(); got != "/divisions/"+e2eOtherTownship {
			b.errorf("yunfeng_viewer landed at %s", got)
		}
		if st := b.open(sheetPath); st != 404 {
			b.errorf("GET %s as the other township's viewer: status %d, want 404", sheetPath, st)
		}
		if msg := b.text("error-message"); !strings.Contains(msg, "找不到") {
			b.errorf("#error-message = %q, want it to contain 找不到", msg)
		}
		if body := e2eEval[string](b, "page text", `document.body.innerText`); strings.Contains(body, e2eVillageName) {
			b.errorf("the 404 page names %s", e2eVillageName)
		}
		b.checkpoint("7-other-township")
	})
}
