package main

// Browser end-to-end test of the creation workflow (issue 6, item 9): a
// village officer self-assesses and applies; the township returns the
// application with one item; the village fixes it with a photo; the
// township accepts the fix and passes the check; the county evaluator
// scores it; the county office names it; the certificate shows and the
// bulletin counts it.

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image/color"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/healthcell/healthcell"
)

// e2eAppID returns the application id of the page shown (/applications/ID).
func (b *e2eBrowser) appID() string {
	b.t.Helper()
	m := regexp.MustCompile(`^/applications/(\d+)`).FindStringSubmatch(b.path())
	if m == nil {
		b.fatalf("not on an application page")
	}
	return m[1]
}

// act presses the button of a workflow action on the application page and
// returns the status of the page that follows.
func (b *e2eBrowser) act(action string) int64 {
	b.t.Helper()
	st := b.load("press "+action, e2eTap(chromedp.CSS("#do-"+action)))
	if st == 200 && b.exists("#confirm") { // 申报, 初验通过, 命名 ask first
		st = b.load("confirm "+action, e2eTap(chromedp.CSS("#confirm")))
	}
	return st
}

// state is the state badge of the application page.
func (b *e2eBrowser) appState() string { b.t.Helper(); return b.text("app-state") }

// switchUser logs out and in as username.
func (b *e2eBrowser) switchUser(username string) {
	b.t.Helper()
	if st := b.load("log out", e2eTap(chromedp.CSS("#logout"))); st != 200 {
		b.fatalf("log out: status %d", st)
	}
	if st := b.login(username, DemoPassword); st != 200 {
		b.fatalf("login as %s: status %d", username, st)
	}
}

// scoreByAPI fills a score sheet with full marks through the JSON API from
// the browser's own session (the evaluator's), and attaches photo to the
// items that ask for evidence through the sheet page.
func (b *e2eBrowser) scoreByAPI(sheetPath string, std *healthcell.Standard, photo string, skip map[string]bool) {
	b.t.Helper()
	id := strings.TrimPrefix(sheetPath, "/sheets/")
	// Items whose value computed from the registers already scores in full
	// keep it; the others are overridden below.
	met := e2eEval[map[string]bool](b, "items met from the registers", fmt.Sprintf(`(() => {
		const x = new XMLHttpRequest();
		x.open("GET", "/api/v1/sheets/%s", false);
		x.send();
		const d = JSON.parse(x.responseText), out = {};
		for (const it of d.result.items) {
			const a = d.answers[it.code];
			if (it.met && a && a.computed && a.computed.value !== null) out[it.code] = true;
		}
		return out;
	})()`, id))
	var answers []map[string]any
	for _, it := range std.Items {
		if skip[it.Code] || met[it.Code] {
			continue
		}
		a := map[string]any{"item": it.Code}
		switch it.Method {
		case healthcell.MethodYes:
			a["body"] = map[string]any{"yes": true}
		case healthcell.MethodNo:
			a["body"] = map[string]any{"yes": false}
		case healthcell.MethodGraded:
			best := it.Grades[0]
			for _, g := range it.Grades {
				if g.Points > best.Points {
					best = g
				}
			}
			a["body"] = map[string]any{"grade": best.Label}
		case healthcell.MethodEGT:
			target := it.Target // or the highest of the regional targets
			for _, v := range it.Targets {
				target = max(target, v)
			}
			a["body"] = map[string]any{"value": target}
		case healthcell.MethodELT:
			a["body"] = map[string]any{"value": 0}
		case healthcell.MethodCount:
			a["body"] = map[string]any{"count": it.MinCount}
		default:
			continue
		}
		if it.DataBound() {
			// Where the registers fall short the number is an override:
			// it needs a reason and a photo (attached below, before).
			a["body"].(map[string]any)["reason"] = "入户核查结果"
		}
		answers = append(answers, a)
	}
	var bound []string
	for _, it := range std.Items {
		if it.DataBound() && !skip[it.Code] && !met[it.Code] {
			bound = append(bound, it.Code)
		}
	}
	b.uploadByAPI(id, bound, photo)
	js, _ := json.Marshal(answers)
	// Synchronous requests, so that the expression returns the statuses.
	got := e2eEval[[]int](b, "score through the API", fmt.Sprintf(`(() => {
		const out = [];
		for (const a of %s) {
			const x = new XMLHttpRequest();
			x.open("PUT", "/api/v1/sheets/%s/answers/" + encodeURIComponent(a.item), false);
			x.setRequestHeader("Content-Type", "application/json");
			x.send(JSON.stringify(a.body));
			out.push(x.status);
		}
		return out;
	})()`, js, id))
	for i, st := range got {
		if st != 200 {
			b.fatalf("PUT answer %v: status %d", answers[i]["item"], st)
		}
	}
	// Photos for the items that ask for evidence, as multipart uploads.
	var attach []string
	for _, it := range std.Items {
		if it.Method == healthcell.MethodAttach && !skip[it.Code] {
			attach = append(attach, it.Code)
		}
	}
	b.uploadByAPI(id, attach, photo)
	b.open(sheetPath)
}

// uploadByAPI attaches photo to each item of codes of sheet id through the API.
func (b *e2eBrowser) uploadByAPI(id string, attach []string, photo string) {
	b.t.Helper()
	data, err := os.ReadFile(photo)
	if err != nil {
		b.t.Fatal(err)
	}
	codes, _ := json.Marshal(attach)
	ups := e2eEval[[]int](b, "attach photos through the API", fmt.Sprintf(`(() => {
		const bin = atob(%s), bytes = new Uint8Array(bin.length);
		for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
		const out = [];
		for (const code of %s) {
			const fd = new FormData();
			fd.append("file", new Blob([bytes], {type: "image/png"}), "photo.png");
			const x = new XMLHttpRequest();
			x.open("POST", "/api/v1/sheets/%s/evidence/" + encodeURIComponent(code), false);
			x.send(fd);
			out.push(x.status);
		}
		return out;
	})()`, jsQuote(base64.StdEncoding.EncodeToString(data)), codes, id))
	for i, st := range ups {
		if st != 201 {
			b.fatalf("attach to %s: status %d", attach[i], st)
		}
	}
}

func TestWorkflowJourney(t *testing.T) {
	std := e2eShippedStandard(t, "healthy-village")
	dir := t.TempDir()
	photo := e2ePhoto(t, dir, "厕所整改后.png", color.RGBA{R: 60, G: 160, B: 200})

	e2eEngines(t, func(t *testing.T, dsn string) {
		b := e2eNewBrowser(t, dsn, "workflow")

		// 1. The village officer starts the application and self-assesses.
		if st := b.login("jinsui", DemoPassword); st != 200 {
			b.fatalf("login as jinsui: status %d", st)
		}
		if st := b.open("/applications"); st != 200 {
			b.fatalf("/applications: status %d", st)
		}
		b.do("choose the standard and the village",
			chromedp.SetValue(chromedp.ID("app-standard"), "healthy-village"),
			chromedp.SetValue(chromedp.ID("app-unit"), "village:"+e2eVillage))
		b.checkpoint("1-new-application")
		if st := b.load("start", e2eTap(chromedp.CSS("#start-application"))); st != 200 {
			b.fatalf("start: status %d", st)
		}
		appPath := "/applications/" + b.appID()
		if got := b.appState(); got != "自查中" {
			b.errorf("new application in %q, want 自查中", got)
		}
		// Applying before the self-assessment is refused with the reason.
		if st := b.act("apply"); st != 422 {
			b.errorf("apply without a self-assessment: status %d, want 422", st)
		}
		if msg := b.text("error"); !strings.Contains(msg, "自查评分表尚未填完") {
			b.errorf("#error = %q", msg)
		}
		if st := b.load("open the self-assessment", e2eTap(chromedp.CSS("#open-self"))); st != 200 {
			b.fatalf("open the self-assessment: status %d", st)
		}
		// A few items on the page as on a phone, the rest through the API
		// from the same session (the sheet page itself has its own test).
		for _, code := range []string{"1.1", "1.2", "2.4"} {
			b.answerItem(std.Item(code), photo)
		}
		b.scoreByAPI(b.path(), std, photo, map[string]bool{"1.1": true, "1.2": true, "2.4": true})
		if got := b.text("sheet-result"); got != "合格" {
			b.errorf("self-assessment result %q", got)
		}
		b.open(appPath)
		if st := b.act("apply"); st != 200 {
			b.fatalf("apply: status %d", st)
		}
		if got := b.appState(); got != "已申报" {
			b.errorf("after applying: %q", got)
		}
		b.checkpoint("2-applied")

		// 2. The township returns it with one item.
		b.switchUser("lingjiang")
		b.open("/queue")
		if !strings.Contains(b.text("queue-apps"), e2eVillageName) {
			b.errorf("the township's queue does not list %s", e2eVillageName)
		}
		b.checkpoint("3-township-queue")
		b.open("/applications?state=applied")
		if !b.exists("#bulk-submit") {
			b.errorf("the township's list has no bulk action")
		}
		b.checkpoint("3b-township-list")
		b.open(appPath)
		b.do("fill in the return", e2eTap(chromedp.CSS("#act-return_for_rectification summary")),
			chromedp.SetValue(chromedp.ID("item-code-1"), "2.4"),
			chromedp.SendKeys(chromedp.ID("item-text-1"), "公共厕所粪污外溢，需改造"),
			chromedp.SendKeys(chromedp.ID("comment-return_for_rectification"), "初验发现厕所问题，请限期整改"))
		b.checkpoint("4-return-form")
		if st := b.act("return_for_rectification"); st != 200 {
			b.fatalf("return: status %d", st)
		}
		if got := b.appState(); got != "整改中" {
			b.errorf("after the return: %q", got)
		}

		// 3. The village fixes it with a photo and resubmits.
		b.switchUser("jinsui")
		b.open("/queue")
		if !strings.Contains(b.text("queue-fix"), "公共厕所粪污外溢") {
			b.errorf("jinsui's queue does not list the item to fix")
		}
		b.open(appPath)
		rect := e2eEval[string](b, "item id", `document.querySelector("article.rect").id.replace("rect-", "")`)
		b.do("answer the item",
			chromedp.SendKeys(chromedp.ID("answer-note-"+rect), "已改建为水冲式厕所，专人每日保洁"),
			chromedp.SetUploadFiles(chromedp.ID("answer-file-"+rect), []string{photo}))
		if st := b.load("submit the answer", e2eTap(chromedp.CSS("#answer-"+rect))); st != 200 {
			b.fatalf("answer: status %d", st)
		}
		b.do("the photo shows", chromedp.Poll[chromedp.Void](`(() => { const i = document.querySelector("article.rect .thumbs img"); return i !== null && i.complete && i.naturalWidth > 0; })()`))
		if st := b.act("submit_rectification"); st != 200 {
			b.fatalf("submit the rectification: status %d", st)
		}
		if got := b.appState(); got != "已申报" {
			b.errorf("after resubmitting: %q", got)
		}
		b.checkpoint("5-fixed")

		// 4. The township accepts the fix and passes the check.
		b.switchUser("lingjiang")
		b.open(appPath)
		if st := b.load("accept the fix", e2eTap(chromedp.CSS("#accept-"+rect))); st != 200 {
			b.fatalf("accept: status %d", st)
		}
		// 初验 on the township's own check sheet.
		if st := b.load("open the check sheet", e2eTap(chromedp.CSS("#open-check"))); st != 200 {
			b.fatalf("open the check sheet: status %d", st)
		}
		b.scoreByAPI(b.path(), std, photo, nil)
		b.open(appPath)
		if st := b.act("pass_check"); st != 200 {
			b.fatalf("pass the check: status %d", st)
		}
		if got := b.appState(); got != "初验通过" {
			b.errorf("after the check: %q", got)
		}

		// 5. The county evaluator scores the evaluation sheet.
		b.switchUser("zhuanjia")
		b.open(appPath)
		if b.exists("#do-evaluate_pass") {
			b.errorf("an evaluator may not pass a village's evaluation")
		}
		if st := b.load("open the evaluation sheet", e2eTap(chromedp.CSS("#open-evaluation"))); st != 200 {
			b.fatalf("open the evaluation: status %d", st)
		}
		b.scoreByAPI(b.path(), std, photo, nil)
		if got := b.text("sheet-result"); got != "合格" {
			b.errorf("evaluation sheet result %q", got)
		}

		// 6. The county office passes the evaluation and names it; a
		// bulletin before and one after count it.
		b.switchUser("admin")
		b.open("/campaigns")
		if !b.exists("#new-campaign") || len(b.rows("#campaigns")) != 1 {
			b.errorf("the campaigns page does not show the demo campaign and the form")
		}
		b.checkpoint("6a-campaigns")
		b.open("/bulletins")
		if st := b.load("issue a bulletin", e2eTap(chromedp.CSS("#issue"))); st != 200 {
			b.fatalf("issue: status %d", st)
		}
		before, _ := strconv.Atoi(b.text("total-named"))
		b.open(appPath)
		if st := b.act("evaluate_pass"); st != 200 {
			b.fatalf("evaluate: status %d", st)
		}
		if st := b.act("name"); st != 200 {
			b.fatalf("name: status %d", st)
		}
		if got := b.appState(); got != "已命名" {
			b.errorf("after naming: %q", got)
		}
		cert := b.text("certificate-no")
		if !regexp.MustCompile(`^510824-\d{4}-\d{4}$`).MatchString(cert) {
			b.errorf("certificate number %q", cert)
		}
		if tl := b.text("timeline"); !strings.Contains(tl, "陵江镇干部") || !strings.Contains(tl, "金穗社区干部") || !strings.Contains(tl, "县爱卫办管理员") || strings.Contains(tl, "lingjiang") {
			b.errorf("the timeline does not name the actors by their display names: %s", tl)
		}
		b.checkpoint("6-named")
		if st := b.load("certificate", e2eTap(chromedp.CSS("#certificate-link"))); st != 200 {
			b.fatalf("certificate: status %d", st)
		}
		if got := b.text("cert-number"); got != cert {
			b.errorf("certificate page number %q, want %q", got, cert)
		}
		if got := b.text("certificate-unit"); got != e2eVillageName {
			b.errorf("certificate unit %q", got)
		}
		b.checkpoint("7-certificate")
		b.open("/bulletins")
		if st := b.load("issue a bulletin", e2eTap(chromedp.CSS("#issue"))); st != 200 {
			b.fatalf("issue: status %d", st)
		}
		after, _ := strconv.Atoi(b.text("total-named"))
		if after != before+1 {
			b.errorf("the bulletin counts %d named, want %d", after, before+1)
		}
		b.checkpoint("8-bulletin")

		// 7. The public list shows it, without logging in.
		b.switchUser("lingdao")
		if st := b.open("/public/510824000000/named"); st != 200 {
			b.fatalf("public list: status %d", st)
		}
		if !strings.Contains(b.text("named"), cert) {
			b.errorf("the public list does not show %s", cert)
		}
		b.checkpoint("9-public-list")
		b.open("/inspections")
		b.checkpoint("10-inspections")
		if st := b.load("an inspection", e2eTap(chromedp.CSS("#inspections tbody a"))); st != 200 {
			b.fatalf("inspection: status %d", st)
		}
		b.checkpoint("11-inspection")
	})
}
