package main

// Browser end-to-end test of the official documents: the county office
// issues a bulletin and takes its Word document from the bulletin page's
// button, and opens a campaign's summary page and takes the summary's.

import (
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"
)

// fetchDownload fetches the address of the link with id with the page's
// session and returns the status, the content type, the first two bytes
// and the length of the answer.
func (b *e2eBrowser) fetchDownload(id string) (status int, ctype, magic string, size int) {
	b.t.Helper()
	js := `(async () => {
		const r = await fetch(document.getElementById(` + jsQuote(id) + `).href, {credentials: "same-origin"});
		const a = new Uint8Array(await r.arrayBuffer());
		return [String(r.status), r.headers.get("content-type") || "", String.fromCharCode(a[0] || 0, a[1] || 0), String(a.length)];
	})()`
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](js, chromedp.EvalAwaitPromise))
	if err != nil || len(v) != 4 {
		b.fatalf("fetch #%s: %v %q", id, err, v)
	}
	status, _ = strconv.Atoi(v[0])
	size, _ = strconv.Atoi(v[3])
	return status, v[1], v[2], size
}

const docxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

func TestE2EDocuments(t *testing.T) {
	e2eEngines(t, func(t *testing.T, dsn string) {
		b := e2eNewBrowser(t, dsn, "documents")
		if st := b.login("admin", DemoPassword); st != 200 {
			b.fatalf("login as admin: status %d", st)
		}
		// Pages are checked at 360 px, the narrowest phones the officers use.
		b.do("360 px viewport", chromedp.EmulateViewport(360, 800, chromedp.EmulateMobile))
		b.width = 360

		b.open("/bulletins")
		if st := b.load("issue a bulletin", e2eTap(chromedp.CSS("#issue"))); st != 200 {
			b.fatalf("issue: status %d", st)
		}
		if got := b.text("bulletin-docx"); got != "Word 文档" {
			b.errorf("the bulletin's document button reads %q", got)
		}
		b.checkpoint("1-bulletin")
		if st, ct, magic, n := b.fetchDownload("bulletin-docx"); st != 200 || ct != docxType || magic != "PK" || n < 2000 {
			b.errorf("bulletin .docx: %d %q %q %d bytes", st, ct, magic, n)
		}

		b.open("/campaigns")
		if st := b.load("open the summary", e2eTap(chromedp.CSS("a.campaign-summary"))); st != 200 {
			b.fatalf("summary page: status %d", st)
		}
		if len(b.rows("#summary-townships")) < 2 {
			b.errorf("the summary page lists no townships")
		}
		b.checkpoint("2-summary")
		if st, ct, magic, n := b.fetchDownload("summary-docx"); st != 200 || ct != docxType || magic != "PK" || n < 2000 {
			b.errorf("summary .docx: %d %q %q %d bytes", st, ct, magic, n)
		}
	})
}
