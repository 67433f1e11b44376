package main

// Browser end-to-end test of the public outreach pages (issue 15) at 390 px:
// the county office writes and publishes an article; an anonymous visitor
// opens the village's public page from its address, reads the article and
// opens the village's poster, whose 打印 button prints. Nothing scrolls
// sideways and the console stays clean.

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

func TestE2EOutreach(t *testing.T) {
	e2eRequireChromium(t)
	e2eEngines(t, func(t *testing.T, dsn string) {
		b := e2eNewBrowser(t, dsn, "outreach")
		b.do("a 390 px phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
		b.width = 390
		console := b.listenConsole()
		const village = "510824100001" // 金穗社区, the demo village
		const title = "夏季食品安全：生熟分开，剩饭菜要热透"

		// The county office writes and publishes.
		if st := b.login("admin", DemoPassword); st != 200 {
			b.fatalf("login: status %d", st)
		}
		if st := b.open("/outreach/articles"); st != 200 {
			b.fatalf("articles: status %d", st)
		}
		if got := b.text("articles"); !strings.Contains(got, "高血压") || !strings.Contains(got, "草稿") {
			b.errorf("the demo articles are not listed: %q", got)
		}
		b.checkpoint("1-articles")
		if st := b.load("open the editor", e2eTap(e2eByID("new-article"))); st != 200 {
			b.fatalf("editor: status %d", st)
		}
		b.do("write the article",
			chromedp.SetValue(chromedp.ID("article-category"), "infectious"),
			chromedp.SendKeys(chromedp.ID("article-title"), title),
			chromedp.SendKeys(chromedp.ID("article-summary"), "饭前便后要洗手，生熟食品分开放。"),
			chromedp.SendKeys(chromedp.ID("article-body"), "## 五个要点\n- 保持清洁\n- 生熟分开\n- 烧熟煮透\n\n剩饭菜要**彻底加热**后再吃。"),
		)
		b.checkpoint("2-editor")
		if st := b.load("publish", e2eTap(e2eByID("publish-article"))); st != 200 {
			b.fatalf("publish: status %d", st)
		}
		if got := b.text("article-state"); got != "已发布" {
			b.errorf("state after publishing = %q", got)
		}
		b.checkpoint("3-published")
		if st := b.load("log out", e2eTap(e2eByID("logout"))); st != 200 {
			b.fatalf("logout: status %d", st)
		}

		// An anonymous visitor, from the village page's address.
		if st := b.open("/public/" + village); st != 200 {
			b.fatalf("village page: status %d", st)
		}
		page := b.text("articles")
		for _, want := range []string{title, "传染病防控", "高血压", "爱国卫生"} {
			if !strings.Contains(page, want) {
				b.errorf("the village page lacks %q", want)
			}
		}
		if strings.Contains(page, "草稿") {
			b.errorf("a draft is on the public page")
		}
		if href := b.attr("quiz-link", "href"); href != "/public/"+village+"/quiz" {
			b.errorf("quiz link = %q", href)
		}
		if b.exists("script") {
			b.errorf("the village page runs a script")
		}
		b.checkpoint("4-village")
		link := e2eEval[string](b, "the article's link", `Array.from(document.querySelectorAll("#articles a")).find(a => a.textContent === `+jsQuote(title)+`).id`)
		if st := b.load("read the article", e2eTap(e2eByID(link))); st != 200 {
			b.fatalf("article: status %d", st)
		}
		if got := b.text("article"); !strings.Contains(got, title) || !strings.Contains(got, "彻底加热") || strings.Contains(got, "**") {
			b.errorf("article shown = %q", got)
		}
		b.checkpoint("5-article")
		if st := b.load("back to the village", e2eTap(e2eByID("back"))); st != 200 || b.path() != "/public/"+village {
			b.fatalf("back: status %d at %s", st, b.path())
		}
		if st := b.load("open the poster", e2eTap(e2eByID("poster-link"))); st != 200 {
			b.fatalf("poster: status %d", st)
		}
		if w := e2eEval[int](b, "QR image", `document.getElementById("poster-qr").naturalWidth`); w == 0 {
			b.errorf("the QR code did not load")
		}
		if got := b.text("poster-url"); got != b.base+"/public/"+village+"/quiz" {
			b.errorf("poster address = %q", got)
		}
		b.do("catch the print dialog", chromedp.Evaluate[chromedp.Void](`window.print = function () { window.__printed = true }`))
		b.do("print", e2eTap(e2eByID("print-poster")))
		if !e2eEval[bool](b, "printed", `window.__printed === true`) {
			b.errorf("the 打印 button did not print")
		}
		b.checkpoint("6-poster")
		for _, e := range console.take() {
			b.errorf("console: %s", e)
		}
	})
}
