package main

// Browser end-to-end test of questionnaire entry: a village officer enters
// one health-literacy response on a phone and sees its score.

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/healthcell/healthcell/catalog"
	"github.com/healthcell/healthcell/questionnaire"
)

func TestE2EQuestionnaireEntry(t *testing.T) {
	e2eRequireChromium(t)
	zh := e2eMessages(t)
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
	// The respondent gets item 9 (single) and item 32 (multiple, 2 points)
	// wrong and leaves item 47 for later: 63 of 66, literate.
	wrong := map[string][]string{"9": {"A"}, "32": {"A", "B"}}

	e2eEngines(t, func(t *testing.T, dsn string) {
		b := e2eNewBrowser(t, dsn, "questionnaire")
		if st := b.login("jinsui", DemoPassword); st != 200 {
			b.fatalf("login as jinsui: status %d", st)
		}
		b.do("open the data menu", e2eTap(chromedp.CSS("#nav-data summary")))
		if st := b.load("questionnaires", e2eTap(e2eByID("nav-questionnaires"))); st != 200 {
			b.fatalf("questionnaires: status %d", st)
		}
		b.checkpoint("1-list")
		if st := b.load("open the form", e2eTap(e2eByID("enter-"+q.Code))); st != 200 {
			b.fatalf("form: status %d", st)
		}
		b.do("respondent",
			chromedp.WaitVisible(chromedp.ID("response-form")),
			chromedp.SendKeys(chromedp.ID("name"), "王秀英"),
			chromedp.SetValue(chromedp.ID("sex"), "F"),
			chromedp.SendKeys(chromedp.ID("age"), "46"),
		)
		if got := b.value("village"); got != e2eVillage {
			b.errorf("village = %q, want %s", got, e2eVillage)
		}
		b.checkpoint("2-form")
		for _, it := range q.Items {
			if it.Code == "47" {
				continue
			}
			labels := it.Answer
			if w, ok := wrong[it.Code]; ok {
				labels = w
			}
			for _, l := range labels {
				b.do("answer "+it.Code+" "+l, e2eTap(e2eByID("a-"+it.Code+"-"+l)))
			}
		}

		// Item 47 unanswered: the form comes back with it marked.
		if st := b.load("save without 47", e2eTap(e2eByID("save-response"))); st != 422 {
			b.fatalf("save without item 47: status %d, want 422", st)
		}
		if got := b.text("form-error"); got != zh["response.answers.invalid"] {
			b.errorf("#form-error = %q", got)
		}
		if got := b.text("item-47-error"); got != zh["questionnaire.item.missing"] {
			b.errorf("#item-47-error = %q", got)
		}
		if got := b.text("item-errors"); got != "第 47 题："+zh["questionnaire.item.missing"] {
			b.errorf("#item-errors = %q", got)
		}
		if !e2eEval[bool](b, "answers kept", `document.getElementById("a-9-A").checked && document.getElementById("a-32-B").checked && !document.getElementById("a-32-D").checked`) {
			b.errorf("the answers given were not kept on the returned form")
		}
		if got := b.value("name"); got != "王秀英" {
			b.errorf("name after the refusal = %q", got)
		}
		b.checkpoint("3-missing-item")

		b.do("answer 47", e2eTap(e2eByID("a-47-"+mustItem(t, q, "47").Answer[0])))
		if st := b.load("save", e2eTap(e2eByID("save-response"))); st != 200 {
			b.fatalf("save: status %d", st)
		}
		if !regexp.MustCompile(`^/responses/\d+$`).MatchString(b.path()) {
			b.fatalf("after saving at %s", b.path())
		}
		if got := b.text("points"); got != "63 / 66" {
			b.errorf("#points = %q, want 63 / 66", got)
		}
		if got := b.text("passed"); got != zh["response.literate"] {
			b.errorf("#passed = %q, want %q", got, zh["response.literate"])
		}
		rows := b.rows("#answers")
		// The keys are not shown to a village officer: the answer and its points.
		if len(rows) != 50 || rows[8][1] != "A" || rows[8][2] != "0 / 1" || rows[31][1] != "AB" || rows[31][2] != "0 / 2" || rows[32][2] != "2 / 2" {
			b.errorf("answers table: %d rows, 9: %v, 32: %v", len(rows), rows[min(8, len(rows)-1)], rows[min(31, len(rows)-1)])
		}
		b.checkpoint("4-result")

		// The list of the village shows the response.
		if st := b.open("/questionnaires/" + q.Code + "?division=" + e2eVillage); st != 200 {
			b.fatalf("responses: status %d", st)
		}
		found := false
		for _, r := range b.rows("#responses") {
			if r[0] == "王秀英" && r[5] == "63 / 66" && r[6] == zh["response.passed"] {
				found = true
			}
		}
		if !found {
			b.errorf("the new response is not in the village's list")
		}
		b.checkpoint("5-responses")

		// English.
		if st := b.load("English", e2eTap(e2eByID("lang-switch"))); st != 200 {
			b.fatalf("switch to English: status %d", st)
		}
		if st := b.open("/questionnaires/" + q.Code + "/new"); st != 200 {
			b.fatalf("English form: status %d", st)
		}
		if got := e2eEval[string](b, "section title", `document.querySelector("h3.q-section").textContent`); !strings.Contains(got, "True or false") {
			b.errorf("English section title = %q", got)
		}
		b.checkpoint("6-form-en")
	})
}

func mustItem(t *testing.T, q *questionnaire.Questionnaire, code string) *questionnaire.Item {
	t.Helper()
	it, ok := q.Item(code)
	if !ok {
		t.Fatalf("no item %s", code)
	}
	return it
}
