package main

// Browser end-to-end test of the indicator dashboard: a township officer
// sees only their township's villages, opens a village, enters one more
// health-literacy response there and sees the literacy level change.

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/healthcell/healthcell/catalog"
	"github.com/healthcell/healthcell/questionnaire"
)

func TestE2EDashboard(t *testing.T) {
	e2eRequireChromium(t)
	files, err := catalog.Questionnaires()
	if err != nil {
		t.Fatal(err)
	}
	var q *questionnaire.Questionnaire
	for _, f := range files {
		if f.Name == "health-literacy-2020.yaml" {
			if q, err = questionnaire.Parse(bytes.NewReader(f.Text)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if q == nil {
		t.Fatal("no shipped literacy questionnaire")
	}
	const township = "510824100"
	e2eEngines(t, func(t *testing.T, dsn string) {
		b := e2eNewBrowser(t, dsn, "dashboard")
		if st := b.login("lingjiang", DemoPassword); st != 200 {
			b.fatalf("login as lingjiang: status %d", st)
		}
		if st := b.load("dashboard", e2eTap(e2eByID("nav-dashboard"))); st != 200 {
			b.fatalf("dashboard: status %d", st)
		}
		// The index groups the indicators by theme; a theme's page has
		// their charts and tables.
		b.checkpoint("0-township-themes")
		if st := b.load("the education theme", e2eTap(e2eByID("theme-link-education"))); st != 200 {
			b.fatalf("education theme: status %d", st)
		}
		rows := b.rows("#table-literacy_level")
		if len(rows) == 0 {
			b.fatalf("no villages in the literacy table")
		}
		codes := e2eEval[[]string](b, "village links", `Array.from(document.querySelectorAll("#table-literacy_level a.drill")).map(a => a.dataset.code)`)
		for _, c := range codes {
			if !strings.HasPrefix(c, township) {
				b.errorf("the township officer sees village %s", c)
			}
		}
		if !e2eEval[bool](b, "bar charts drawn", `document.querySelectorAll(".chart.bars svg").length > 0`) {
			b.errorf("no bar chart was drawn")
		}
		// Each card says whom it counts, and the page how past periods count.
		if pop := e2eEval[string](b, "literacy population", `(document.querySelector("#card-literacy_level .population") || {}).textContent || ""`); !strings.Contains(pop, "常住") {
			b.errorf("literacy card population = %q, want the permanent residents named", pop)
		}
		if !b.exists("#dash-asof") {
			b.errorf("the dashboard does not say how past periods are counted")
		}
		b.checkpoint("1-township")

		if st := b.load("open the village", e2eTap(chromedp.CSS(`#table-literacy_level a.drill[data-code="`+e2eVillage+`"]`))); st != 200 {
			b.fatalf("village dashboard: status %d", st)
		}
		own := func() (num, den int, value string) {
			cells := e2eEval[[][]string](b, "literacy row", `Array.from(document.querySelectorAll("#own-literacy_level"), tr => Array.from(tr.cells, td => td.textContent.trim()))`)
			if len(cells) != 1 || len(cells[0]) < 4 {
				b.fatalf("no literacy row on the village dashboard: %v", cells)
			}
			num, _ = strconv.Atoi(cells[0][1])
			den, _ = strconv.Atoi(cells[0][2])
			return num, den, cells[0][3]
		}
		num, den, before := own()
		if den == 0 {
			b.fatalf("the demo village has no literacy respondents")
		}
		if !b.exists(`#registers a[href="/registers/contracts?division=` + e2eVillage + `"]`) {
			b.errorf("no link to the village's contract register")
		}
		// The village dashboard lists whom each indicator counts.
		b.do("open populations", e2eTap(chromedp.CSS("#populations summary")))
		if pop := e2eEval[string](b, "populations", `document.querySelector("#populations dl").textContent`); !strings.Contains(pop, "15—69") {
			b.errorf("populations = %q, want the survey ages", pop)
		}
		b.checkpoint("2-village")

		// One more respondent, literate, aged 30.
		if st := b.open("/questionnaires/" + q.Code + "/new"); st != 200 {
			b.fatalf("form: status %d", st)
		}
		b.do("respondent",
			chromedp.WaitVisible(chromedp.ID("response-form")),
			chromedp.SendKeys(chromedp.ID("name"), "李文"),
			chromedp.SetValue(chromedp.ID("sex"), "M"),
			chromedp.SendKeys(chromedp.ID("age"), "30"),
			chromedp.SetValue(chromedp.ID("village"), e2eVillage),
		)
		for _, it := range q.Items {
			for _, l := range it.Answer {
				b.do("answer "+it.Code+" "+l, e2eTap(e2eByID("a-"+it.Code+"-"+l)))
			}
		}
		if st := b.load("save", e2eTap(e2eByID("save-response"))); st != 200 {
			b.fatalf("save: status %d", st)
		}
		if st := b.open("/dashboard?division=" + e2eVillage); st != 200 {
			b.fatalf("village dashboard again: status %d", st)
		}
		num2, den2, after := own()
		if num2 != num+1 || den2 != den+1 || after == before {
			b.errorf("literacy %d/%d (%s) then %d/%d (%s); want one more literate respondent", num, den, before, num2, den2, after)
		}
		t.Logf("literacy level of %s: %s (%d/%d) then %s (%d/%d)", e2eVillage, before, num, den, after, num2, den2)
		b.checkpoint("3-village-after")

		b.desktop()
		if st := b.open("/dashboard"); st != 200 {
			b.fatalf("dashboard (desktop): status %d", st)
		}
		b.checkpoint("4-township-desktop")
	})
}
