package main

// Browser end-to-end test of offline field work (issue 16): a village
// officer takes the village along on a 360 px phone, loses the network,
// records two check-ups, a literacy response and a score-sheet answer with
// a photo, reloads the page without a network (the work is still there),
// gets the network back and sends the queue: the server holds each record
// once and the indicator moves. A record changed on the server meanwhile
// comes back as a conflict shown side by side, and the officer chooses.
// Logging out leaves nothing on the phone.

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
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// emulateNetworkConditionsParams are the parameters of the protocol's
// Network.emulateNetworkConditions (which cdproto no longer lists): it cuts
// the page off the network and sets navigator.onLine.
type emulateNetworkConditionsParams struct {
	Offline            bool    `json:"offline"`
	Latency            float64 `json:"latency"`
	DownloadThroughput float64 `json:"downloadThroughput"`
	UploadThroughput   float64 `json:"uploadThroughput"`
}

var emulateNetworkConditions = cdp.Command[emulateNetworkConditionsParams, cdp.Empty]{Method: "Network.emulateNetworkConditions"}

// setOffline cuts the browser off the network, or gives it back.
func setOffline(offline bool) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		if _, err := cdp.Call(ctx, t, network.Enable, network.EnableParams{}); err != nil {
			return chromedp.Void{}, err
		}
		_, err := cdp.Call(ctx, t, emulateNetworkConditions, emulateNetworkConditionsParams{Offline: offline, DownloadThroughput: -1, UploadThroughput: -1})
		return chromedp.Void{}, err
	}
}

// fetchJSON runs fetch(path, init) in the page and returns the status and
// the JSON body.
func fetchJSON[T any](b *e2eBrowser, what, method, path string, body any) (int, T) {
	b.t.Helper()
	init := map[string]any{"method": method, "credentials": "same-origin"}
	if body != nil {
		raw, _ := json.Marshal(body)
		init["body"] = string(raw)
		init["headers"] = map[string]string{"Content-Type": "application/json"}
	}
	initJSON, _ := json.Marshal(init)
	js := fmt.Sprintf(`fetch(%s, %s).then(async r => ({status: r.status, body: await r.text()}))`, jsQuote(path), initJSON)
	var out struct {
		Status int    `json:"status"`
		Body   string `json:"body"`
	}
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[json.RawMessage](js, chromedp.EvalAwaitPromise))
	if err != nil {
		b.fatalf("%s: %v", what, err)
	}
	if err := json.Unmarshal(v, &out); err != nil {
		b.fatalf("%s: %v", what, err)
	}
	var t T
	if out.Body != "" {
		if err := json.Unmarshal([]byte(out.Body), &t); err != nil {
			b.fatalf("%s: %d %s: %v", what, out.Status, out.Body, err)
		}
	}
	return out.Status, t
}

// awaitJS evaluates a JavaScript expression, awaiting a promise, into a T.
func awaitJS[T any](b *e2eBrowser, what, js string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		b.fatalf("%s: %v", what, err)
	}
	return v
}

// waitJS waits until a JavaScript condition holds.
func (b *e2eBrowser) waitJS(what, cond string) {
	b.t.Helper()
	b.do(what, chromedp.Poll[chromedp.Void](cond, chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(0)))
}

// e2eBigPhoto writes a 1600×1200 PNG "photo" and returns its path.
func e2eBigPhoto(t *testing.T) string {
	img := image.NewRGBA(image.Rect(0, 0, 1600, 1200))
	for y := 0; y < 1200; y++ {
		for x := 0; x < 1600; x++ {
			img.Set(x, y, color.RGBA{R: uint8(x / 7), G: 150, B: uint8(y / 5), A: 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "厕所.png")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// takeAlong opens the offline page and stores the village with the
// literacy questionnaire and the sheet; with households, only those,
// ticked in the list of the village's households.
func (b *e2eBrowser) takeAlong(sheet int64, households ...string) {
	b.t.Helper()
	if st := b.open("/offline"); st != 200 {
		b.fatalf("GET /offline: %d", st)
	}
	b.waitJS("the page is ready", `document.getElementById("offline-app").dataset.ready === "true" && document.querySelector("#pick-village option") !== null`)
	b.do("choose the village, the questionnaire and the sheet",
		chromedp.SetValue(chromedp.ID("pick-village"), e2eVillage),
		chromedp.SetValue(chromedp.ID("pick-questionnaire"), "health-literacy-2020"),
		chromedp.SetValue(chromedp.ID("pick-sheet"), fmt.Sprint(sheet)))
	if len(households) > 0 {
		b.do("some households only", e2eTap(chromedp.CSS("#scope-some")))
		b.waitJS("the village's households are listed", `document.querySelectorAll("#pick-list input").length > 2`)
		b.do("nothing ticked", chromedp.Click(chromedp.ID("take-offline")))
		if got := b.text("take-result"); got != "请至少选择一户" {
			b.errorf("taking no household along: %q", got)
		}
		for _, h := range households {
			b.do("tick household "+h, e2eTap(chromedp.CSS("#pick-h-"+h)))
		}
		b.checkpoint("pick-households")
	}
	b.do("take it along", chromedp.Click(chromedp.ID("take-offline")))
	b.waitJS("the work set is stored", `document.getElementById("take-result").textContent.includes("已存到手机上")`)
}

// selectValue sets a select's value and tells the page it changed.
func selectValue(id, value string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { const s = document.getElementById(%s); s.value = %s; s.dispatchEvent(new Event("change")); })()`, jsQuote(id), jsQuote(value)))
}

func TestOfflineFieldJourney(t *testing.T) {
	e2eEngines(t, func(t *testing.T, dsn string) {
		b := e2eNewBrowserFor(t, dsn, "offline", 240*time.Second)
		b.narrow()
		if st := b.login("jinsui", DemoPassword); st != 200 {
			b.fatalf("login as jinsui: status %d", st)
		}
		// An open self-assessment of the village to take along.
		st, sh := fetchJSON[struct{ ID int64 }](b, "open a sheet", "POST", "/api/v1/sheets",
			map[string]any{"standard": "healthy-village", "kind": "self", "unit_kind": "village", "unit_ref": e2eVillage})
		if st != 201 {
			b.fatalf("open a sheet: %d", st)
		}
		indicator := func() string {
			_, v := fetchJSON[json.RawMessage](b, "the check-up rate", "GET", "/api/v1/indicators/checkup_rate/values?division="+e2eVillage, nil)
			return string(v)
		}
		before := indicator()
		total := func(what, path string) int {
			_, l := fetchJSON[struct{ Total int }](b, what, "GET", path, nil)
			return l.Total
		}
		checkupsPath := "/api/v1/registers/checkups/entries?division=" + e2eVillage + "&limit=1"
		responsesPath := "/api/v1/questionnaires/health-literacy-2020/responses?division=" + e2eVillage + "&limit=1"
		checkupsBefore, responsesBefore := total("check-ups", checkupsPath), total("responses", responsesPath)

		b.takeAlong(sh.ID)
		if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`(async () => {
			await navigator.serviceWorker.ready;
			for (;;) {
				const hit = await caches.open("healthcell-shell-v1").then(c => c.match("/offline"));
				if (hit && navigator.serviceWorker.controller) return true;
				await new Promise(r => setTimeout(r, 100));
			}
		})()`, chromedp.EvalAwaitPromise)); err != nil {
			b.fatalf("the service worker keeps the shell: %v", err)
		}
		b.checkpoint("taken")
		// Two residents without a check-up in their cycle: theirs move the rate.
		_, missing := fetchJSON[struct{ Persons []struct{ ID int64 } }](b, "residents without a check-up", "GET",
			"/api/v1/indicators/checkup_rate/missing?division="+e2eVillage+"&limit=20", nil)
		var persons []string
		for _, p := range missing.Persons {
			persons = append(persons, fmt.Sprint(p.ID))
		}
		if len(persons) < 2 {
			b.fatalf("%d residents lack a check-up", len(persons))
		}

		b.do("lose the network", setOffline(true))
		b.waitJS("the page knows", `document.getElementById("net-status").dataset.online === "false"`)
		today := e2eEval[string](b, "today", `HCForms.today()`)
		for i, p := range persons[:2] {
			b.do(fmt.Sprintf("check-up %d", i+1),
				selectValue("reg-pick", "checkups"),
				selectValue("reg-subject", p),
				chromedp.SetValue(chromedp.ID("f-exam_date"), today),
				chromedp.SetValue(chromedp.ID("f-kind"), "elderly"),
				chromedp.SendKeys(chromedp.ID("f-summary"), "入户体检，血压正常"),
				chromedp.Click(chromedp.ID("reg-save")))
			b.waitJS("queued", fmt.Sprintf(`document.getElementById("offline-app").dataset.waiting === "%d"`, i+1))
		}
		// A check-up without its date is refused on the phone, by the
		// definition's rule, and not queued.
		b.do("a check-up without a date", selectValue("reg-pick", "checkups"), chromedp.SetValue(chromedp.ID("f-kind"), "elderly"), chromedp.Click(chromedp.ID("reg-save")))
		if got := b.text("e-exam_date"); got == "" || b.attr("f-exam_date", "aria-invalid") != "true" {
			b.errorf("the missing date is not marked: %q", got)
		}
		b.checkpoint("form-error")

		b.do("the questionnaire tab", chromedp.Click(chromedp.ID("tab-questionnaire")))
		b.do("answer every question",
			selectValue("q-person", persons[1]),
			chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("#q-questions fieldset").forEach(f => f.querySelector("input").click())`),
			chromedp.Click(chromedp.ID("q-save")))
		b.waitJS("the response is queued", `document.getElementById("offline-app").dataset.waiting === "3"`)
		b.checkpoint("questionnaire")

		b.do("the sheet tab", chromedp.Click(chromedp.ID("tab-sheet")))
		b.do("answer 1.1 with a photo",
			selectValue("s-item", "1.1"),
			chromedp.Click(chromedp.ID("s-yes")),
			chromedp.SendKeys(chromedp.ID("s-note"), "入户核实"),
			chromedp.SetUploadFiles(chromedp.ID("s-photo"), []string{e2eBigPhoto(t)}),
			chromedp.Click(chromedp.ID("s-save")))
		b.waitJS("the answer and its photo are queued", `document.getElementById("offline-app").dataset.waiting === "5"`)
		b.do("the queue tab", chromedp.Click(chromedp.ID("tab-queue")))
		b.checkpoint("queued")
		photoBytes := awaitJS[int](b, "the photo's size", `HCStore.queue().then(q => q.find(i => i.kind === "evidence").file.blob.size)`)
		if photoBytes <= 0 || photoBytes > 600_000 {
			b.errorf("the photo is %d bytes after resizing", photoBytes)
		}

		b.do("reload without a network", chromedp.Reload())
		b.waitJS("the page is back", `document.getElementById("offline-app").dataset.ready === "true"`)
		if w := e2eEval[string](b, "waiting", `document.getElementById("offline-app").dataset.waiting`); w != "5" {
			b.errorf("after the reload %s records wait, want 5", w)
		}
		if got := b.text("workset-title"); got == "" {
			b.errorf("the work set is gone after the reload")
		}
		b.checkpoint("reloaded-offline")

		b.do("the network is back", setOffline(false))
		b.do("send", chromedp.Click(chromedp.ID("sync-now")))
		b.waitJS("everything is sent", `(d => d.waiting === "0" && d.failed === "0" && d.syncing !== "true")(document.getElementById("offline-app").dataset)`)
		b.checkpoint("synced")

		// The server holds each record once.
		for _, p := range persons[:2] {
			_, list := fetchJSON[struct {
				Items []struct{ Values map[string]any }
			}](b, "check-ups", "GET", "/api/v1/registers/checkups/entries?person="+p+"&from="+today, nil)
			n := 0
			for _, e := range list.Items {
				if e.Values["summary"] == "入户体检，血压正常" {
					n++
				}
			}
			if n != 1 {
				b.errorf("resident %s has %d offline check-ups, want 1", p, n)
			}
		}
		_, sheet := fetchJSON[struct {
			Answers map[string]struct {
				Yes      *bool
				Note     string
				Evidence []json.RawMessage
			}
		}](b, "the sheet", "GET", fmt.Sprintf("/api/v1/sheets/%d", sh.ID), nil)
		if a := sheet.Answers["1.1"]; a.Yes == nil || !*a.Yes || a.Note != "入户核实" || len(a.Evidence) != 1 {
			b.errorf("item 1.1 on the server: %+v", a)
		}
		_, responses := fetchJSON[struct {
			Items []struct {
				PersonID int64 `json:"person"`
			}
		}](b, "responses", "GET", "/api/v1/questionnaires/health-literacy-2020/responses?division="+e2eVillage+"&limit=500", nil)
		n := 0
		for _, r := range responses.Items {
			if fmt.Sprint(r.PersonID) == persons[1] {
				n++
			}
		}
		if n != 1 {
			b.errorf("%d literacy responses of the resident, want 1", n)
		}
		// Exactly those: no other record came with them.
		if c, r := total("check-ups", checkupsPath)-checkupsBefore, total("responses", responsesPath)-responsesBefore; c != 2 || r != 1 {
			b.errorf("the sync added %d check-ups and %d responses, want 2 and 1", c, r)
		}
		var ev struct{ Size int }
		if e := sheet.Answers["1.1"].Evidence; len(e) == 1 {
			json.Unmarshal(e[0], &ev)
		}
		if ev.Size != photoBytes {
			b.errorf("the server holds a photo of %d bytes, the phone resized it to %d", ev.Size, photoBytes)
		}
		if after := indicator(); after == before {
			b.errorf("the check-up rate did not move: %s", after)
		}

		// The conflict: the phone edits a household's toilet record while
		// the township officer changes the same record.
		b.conflictJourney(sh.ID)

		// Logging out leaves nothing on the phone.
		b.open("/")
		if kept := awaitJS[string](b, "what the phone keeps before", `indexedDB.databases().then(d => d.map(x => x.name).join())`); kept != "healthcell-offline" {
			b.fatalf("before logging out the phone keeps databases %q", kept)
		}
		b.load("log out", chromedp.Click(chromedp.ID("logout")))
		// The login page registers the service worker again, which may
		// store its shell (no data, no user) at once: only that may be there.
		left := awaitJS[string](b, "what the phone keeps", `Promise.all([indexedDB.databases(), caches.keys().then(ks => Promise.all(ks.map(k => caches.open(k).then(c => c.keys()))))]).then(([d, c]) => JSON.stringify({db: d.map(x => x.name), cached: c.flat().map(r => new URL(r.url).pathname).filter(p => p.startsWith("/api/") || p === "/" || p.startsWith("/divisions") || p.startsWith("/persons") || p.startsWith("/households")), queued: localStorage.getItem("healthcell.queued")}))`)
		if left != `{"db":[],"cached":[],"queued":null}` {
			b.errorf("after logging out the phone keeps %s", left)
		}
	})
}

// conflictJourney: the officer takes two households along (not the whole
// village); without a network the phone edits one household's toilet
// record while the township officer changes the same record on the
// server, and records an activity the server will refuse. The sync shows
// the record side by side: each value changed on one side only is kept,
// the one changed on both is the officer's choice, so neither side's data
// is lost. The refused activity is corrected on the phone and sent again.
func (b *e2eBrowser) conflictJourney(sheet int64) {
	b.t.Helper()
	households := awaitJS[[]string](b, "households", `HCStore.get("workset").then(w => w.households.map(h => String(h.id)))`)
	hid := households[0]
	// The household's record exists on the server.
	st, cur := fetchJSON[struct {
		ID      int64
		Version int
	}](b, "a toilet record", "POST", "/api/v1/registers/sanitation/entries",
		map[string]any{"household": json.Number(hid), "values": map[string]any{"toilet": "non_sanitary", "checked_date": "2025-01-05", "livestock": nil}})
	if st != 201 {
		_, list := fetchJSON[struct {
			Items []struct {
				ID      int64
				Version int
			}
		}](b, "toilet records", "GET", "/api/v1/registers/sanitation/entries?household="+hid, nil)
		if len(list.Items) == 0 {
			b.fatalf("no toilet record for household %s (create: %d)", hid, st)
		}
		cur.ID, cur.Version = list.Items[0].ID, list.Items[0].Version
		if st := fetchStatus(b, "PUT", fmt.Sprintf("/api/v1/registers/sanitation/entries/%d", cur.ID),
			map[string]any{"values": map[string]any{"toilet": "non_sanitary", "checked_date": "2025-01-05", "tap_water": nil, "livestock": nil}, "version": cur.Version}); st != 200 {
			b.fatalf("reset the toilet record: %d", st)
		}
		cur.Version++
	}
	b.takeAlong(sheet, hid, households[1])
	if got := awaitJS[[]string](b, "households taken", `HCStore.get("workset").then(w => w.households.map(h => String(h.id)).sort())`); len(got) != 2 {
		b.fatalf("the phone took households %v, want %s and %s", got, hid, households[1])
	}
	b.do("lose the network", setOffline(true))
	b.do("the register tab", chromedp.Click(chromedp.ID("tab-register")),
		selectValue("reg-pick", "sanitation"), selectValue("reg-subject", hid))
	if b.text("reg-existing") == "" {
		b.fatalf("the phone does not show the household's record")
	}
	b.do("the phone's edit", chromedp.SetValue(chromedp.ID("f-toilet"), "sanitary"), chromedp.SetValue(chromedp.ID("f-tap_water"), "true"),
		chromedp.Click(chromedp.ID("reg-save")))
	b.waitJS("queued", `document.getElementById("offline-app").dataset.waiting === "1"`)
	today := e2eEval[string](b, "today", `HCForms.today()`)
	b.do("an activity with more people than the village has", selectValue("reg-pick", "activities"),
		chromedp.SetValue(chromedp.ID("f-kind"), "lecture"), chromedp.SetValue(chromedp.ID("f-activity_date"), today),
		chromedp.SendKeys(chromedp.ID("f-place"), "村活动室"), chromedp.SendKeys(chromedp.ID("f-topic"), "入户宣讲控烟"),
		chromedp.SendKeys(chromedp.ID("f-attendance"), "90000"), chromedp.Click(chromedp.ID("reg-save")))
	b.waitJS("queued", `document.getElementById("offline-app").dataset.waiting === "2"`)

	// Meanwhile the township officer changes the record.
	township := e2eClient(b, "lingjiang")
	if st := township.do("PUT", fmt.Sprintf("/api/v1/registers/sanitation/entries/%d", cur.ID),
		map[string]any{"values": map[string]any{"toilet": "none", "checked_date": "2025-02-01", "livestock": "penned"}, "version": cur.Version}); st != 200 {
		b.fatalf("the township's edit: %d", st)
	}

	b.do("the network is back", setOffline(false), chromedp.Click(chromedp.ID("tab-queue")), chromedp.Click(chromedp.ID("sync-now")))
	b.waitJS("the conflict and the refusal show", `document.querySelector(".queue-item.conflict table.conflict") !== null && document.querySelector(".queue-item.failed") !== null && document.getElementById("offline-app").dataset.syncing !== "true"`)
	if got := e2eEval[string](b, "the refusal", `document.querySelector(".queue-item.failed").textContent`); !strings.Contains(got, "参加人数超过了本村常住人口数") {
		b.errorf("the refused activity says %q", got)
	}
	rows := b.rows(".queue-item.conflict table.conflict")
	shown := fmt.Sprint(rows)
	if !strings.Contains(shown, "卫生厕所") || !strings.Contains(shown, "无厕所") || !strings.Contains(shown, "圈养") {
		b.errorf("the side-by-side view %v lacks one side", rows)
	}
	chosen := e2eEval[string](b, "the copies chosen", `[...document.querySelectorAll(".queue-item.conflict input:checked")].map(i => i.dataset.field + "=" + i.value).join(" ")`)
	if chosen != "toilet=mine tap_water=mine checked_date=server livestock=server" {
		b.errorf("the copies chosen at first: %q", chosen)
	}
	b.checkpoint("conflict")

	// The refused activity: corrected on the phone and sent again.
	b.do("correct the refused activity", e2eTap(chromedp.CSS(".queue-item.failed .edit")))
	b.waitJS("the form shows it", `!document.getElementById("reg-editing").hidden && document.getElementById("f-attendance").value === "90000"`)
	if got := b.text("e-attendance"); !strings.Contains(got, "参加人数超过了本村常住人口数") {
		b.errorf("the server's message is not beside the field: %q", got)
	}
	b.checkpoint("edit-refused")
	b.do("fewer people", chromedp.SetValue(chromedp.ID("f-attendance"), "30"), chromedp.Click(chromedp.ID("reg-save")))
	b.waitJS("the activity is sent", `document.querySelectorAll(".queue-item").length === 1 && document.getElementById("offline-app").dataset.syncing !== "true"`)

	// The conflict: both changed the toilet, and the officer keeps the phone's.
	b.do("the queue tab", chromedp.Click(chromedp.ID("tab-queue")))
	b.do("choose the server's toilet, then the phone's", e2eTap(chromedp.CSS(`.queue-item.conflict tr[data-field="toilet"] .pick-server`)),
		e2eTap(chromedp.CSS(`.queue-item.conflict tr[data-field="toilet"] .pick-mine`)))
	b.do("send as chosen", e2eTap(chromedp.CSS(".queue-item.conflict .keep-chosen")))
	b.waitJS("sent", `(d => d.waiting === "0" && d.failed === "0" && d.syncing !== "true")(document.getElementById("offline-app").dataset)`)
	b.checkpoint("conflict-resolved")
	_, e := fetchJSON[struct {
		Version int
		Values  map[string]any
	}](b, "the record", "GET", fmt.Sprintf("/api/v1/registers/sanitation/entries/%d", cur.ID), nil)
	if v := e.Values; v["toilet"] != "sanitary" || v["tap_water"] != true || v["livestock"] != "penned" || v["checked_date"] != "2025-02-01" || e.Version != cur.Version+2 {
		b.errorf("the record after the choice: %+v, want the phone's toilet and water, the township's livestock and date, at version %d", e, cur.Version+2)
	}
	_, acts := fetchJSON[struct {
		Items []struct{ Values map[string]any }
	}](b, "activities", "GET", "/api/v1/registers/activities/entries?division="+e2eVillage+"&from="+today+"&limit=500", nil)
	var attendance []any
	for _, a := range acts.Items {
		if a.Values["topic"] == "入户宣讲控烟" {
			attendance = append(attendance, a.Values["attendance"])
		}
	}
	if fmt.Sprint(attendance) != "[30]" {
		b.errorf("the corrected activity on the server: attendance %v, want one with 30", attendance)
	}
}

// fetchStatus runs fetch in the page and returns the status.
func fetchStatus(b *e2eBrowser, method, path string, body any) int {
	b.t.Helper()
	st, _ := fetchJSON[json.RawMessage](b, method+" "+path, method, path, body)
	return st
}

// e2eAPIClient is another officer using the API from elsewhere.
type e2eAPIClient struct {
	b  *e2eBrowser
	hc *http.Client
}

// e2eClient logs username in through the API.
func e2eClient(b *e2eBrowser, username string) *e2eAPIClient {
	b.t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &e2eAPIClient{b: b, hc: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
	if st := c.do("POST", "/api/v1/session", map[string]string{"username": username, "password": DemoPassword}); st != 200 {
		b.fatalf("log in %s: %d", username, st)
	}
	return c
}

func (c *e2eAPIClient) do(method, path string, body any) int {
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, c.b.base+path, bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", c.b.base)
	res, err := c.hc.Do(req)
	if err != nil {
		c.b.fatalf("%s %s: %v", method, path, err)
	}
	res.Body.Close()
	return res.StatusCode
}
