package main

// Browser journey of issue 14 items 9–11 at 360 px: the township officer
// opens the check-up due list, pages through it, narrows it by village, age
// group and overdue with the filters (which submit themselves), and
// downloads the filtered list as Excel, named in Chinese, with 男/女 and
// village names; a hidden page answers with the kind 403 page.

import (
	"bytes"
	"encoding/base64"
	"mime"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"
)

// fetchFile fetches the address of the link with id with the page's session
// and returns the status, the Content-Disposition header and the body.
func (b *e2eBrowser) fetchFile(id string) (status int, disposition string, body []byte) {
	b.t.Helper()
	js := `(async () => {
		const r = await fetch(document.getElementById(` + jsQuote(id) + `).href, {credentials: "same-origin"});
		const a = new Uint8Array(await r.arrayBuffer());
		let s = "";
		for (let i = 0; i < a.length; i++) s += String.fromCharCode(a[i]);
		return [String(r.status), r.headers.get("content-disposition") || "", btoa(s)];
	})()`
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](js, chromedp.EvalAwaitPromise))
	if err != nil || len(v) != 3 {
		b.fatalf("fetch #%s: %v", id, err)
	}
	status, _ = strconv.Atoi(v[0])
	body, err = base64.StdEncoding.DecodeString(v[2])
	if err != nil {
		b.fatalf("fetch #%s: %v", id, err)
	}
	return status, v[1], body
}

func TestDueListJourney(t *testing.T) {
	e2eEngines(t, func(t *testing.T, dsn string) {
		b := e2eNewBrowser(t, dsn, "due")
		b.narrow()
		if st := b.login("lingjiang", DemoPassword); st != 200 {
			b.fatalf("login as lingjiang: status %d", st)
		}
		if st := b.open("/checkups/due"); st != 200 {
			b.fatalf("GET /checkups/due: status %d", st)
		}
		b.checkpoint("1-due-list")
		rows := b.rows("#due")
		if len(rows) != 50 || !b.exists(".pager") {
			b.fatalf("the township's list shows %d rows and no pager", len(rows))
		}
		// The next page.
		if st := b.load("next page", e2eTap(chromedp.CSS(`.pager a[href*="p=2"]`))); st != 200 {
			b.fatalf("page 2: status %d", st)
		}
		if !strings.Contains(b.path(), "p=2") || len(b.rows("#due")) == 0 {
			b.errorf("page 2 is %s with %d rows", b.path(), len(b.rows("#due")))
		}
		b.checkpoint("2-page-2")

		// The filters submit themselves: village, then age group, then overdue.
		if st := b.load("choose 金穗社区", chromedp.SetValue(chromedp.ID("due-village"), "510824100001")); st != 200 {
			b.fatalf("village filter: status %d", st)
		}
		if !strings.Contains(b.path(), "village=510824100001") || strings.Contains(b.path(), "p=2") {
			b.errorf("after choosing a village the page is %s", b.path())
		}
		for _, r := range b.rows("#due") {
			if r[len(r)-1] != "金穗社区" {
				b.errorf("a row of another village: %q", r)
				break
			}
		}
		if st := b.load("choose 65 and over", chromedp.SetValue(chromedp.ID("due-age"), "elder")); st != 200 {
			b.fatalf("age filter: status %d", st)
		}
		elders := b.rows("#due")
		if len(elders) == 0 {
			b.fatalf("no resident of 65 and over is due in 金穗社区")
		}
		for _, r := range elders {
			if age, _ := strconv.Atoi(r[1]); age < 65 || r[2] != "每年" {
				b.errorf("age filter shows %q", r)
			}
		}
		if st := b.load("overdue only", e2eTap(chromedp.CSS("#due-overdue"))); st != 200 {
			b.fatalf("overdue filter: status %d", st)
		}
		q, _ := url.ParseQuery(strings.SplitN(b.path(), "?", 2)[1])
		if q.Get("village") != "510824100001" || q.Get("age") != "elder" || q.Get("overdue") != "1" {
			b.errorf("filters not kept together: %s", b.path())
		}
		for _, r := range b.rows("#due") {
			if r[4] != "是" {
				b.errorf("a row not overdue: %q", r)
			}
		}
		shown := len(b.rows("#due"))
		b.checkpoint("3-filtered")

		// The Excel export holds the list as filtered, named in Chinese.
		st, cd, body := b.fetchFile("due-xlsx")
		_, params, err := mime.ParseMediaType(cd)
		if st != 200 || err != nil {
			b.fatalf("export: %d %q %v", st, cd, err)
		}
		if name := params["filename"]; name != "体检应检名单-金穗社区-"+q.Get("period")+"-65 岁及以上-只看已逾期.xlsx" {
			b.errorf("the export is named %q", name)
		}
		f, err := excelize.OpenReader(bytes.NewReader(body))
		if err != nil {
			b.fatalf("open the export: %v", err)
		}
		defer f.Close()
		if sheets := f.GetSheetList(); len(sheets) != 1 || sheets[0] != "体检应检名单" {
			b.errorf("sheets %q", sheets)
		}
		xr, _ := f.GetRows("体检应检名单")
		if len(xr) != 2+shown && shown < 50 {
			b.errorf("the export has %d rows for %d shown", len(xr)-2, shown)
		}
		for _, r := range xr[2:] {
			if r[1] != "金穗社区" || (r[3] != "男" && r[3] != "女") || r[6] != "每年" {
				b.errorf("export row %q", r)
				break
			}
		}

		// A page the role may not open says so kindly.
		b.do("log out", chromedp.Evaluate[chromedp.Void](`document.getElementById("logout").click()`))
		b.do("login page", chromedp.WaitVisible(chromedp.ID("username")))
		if !b.exists(".named-link") {
			b.errorf("the login page does not link the named units")
		}
		b.checkpoint("4-login")
		if st := b.load("the public list", e2eTap(chromedp.CSS(`.named-link[href="/public/510824000000/named"]`))); st != 200 || b.text("named-title") != "苍溪县已命名的健康细胞" {
			b.errorf("the public list: %d %q", st, b.text("named-title"))
		}
		b.checkpoint("4-named")
		b.open("/login")
		if st := b.login("xuexiao", DemoPassword); st != 200 {
			b.fatalf("login as xuexiao: status %d", st)
		}
		if st := b.open("/questionnaires"); st != 403 || !strings.Contains(b.text("error-message"), "单位联络员不能查看") {
			b.errorf("the liaison on /questionnaires: %d %q", st, b.text("error-message"))
		}
		b.checkpoint("5-forbidden")
	})
}
