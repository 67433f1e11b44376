package main

// Browser end-to-end test of the public quiz (issue 15): an anonymous
// resident opens the village's quiz from its address on a 390 px phone,
// answers, and sees the score and every explanation; the indicator of quiz
// participants counts one more for the village, and literacy_level does not
// move.

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/healthcell/healthcell/catalog"
	"github.com/healthcell/healthcell/questionnaire"
)

// e2eIndicator reads one indicator's value for a division through the API,
// in the logged-in browser: its numerator and value (-1 for none).
func (b *e2eBrowser) e2eIndicator(code, division string) (num, val float64) {
	b.t.Helper()
	if st := b.open("/api/v1/indicators/" + code + "/values?division=" + division); st != 200 {
		b.fatalf("indicator %s: status %d", code, st)
	}
	got := e2eEval[[]float64](b, "read "+code, `(() => { const v = JSON.parse(document.body.innerText)[0];
		return [v.numerator == null ? -1 : v.numerator, v.value == null ? -1 : v.value]; })()`)
	return got[0], got[1]
}

func TestE2EQuiz(t *testing.T) {
	e2eRequireChromium(t)
	zh := e2eMessages(t)
	files, err := catalog.Questionnaires()
	if err != nil {
		t.Fatal(err)
	}
	var bank *questionnaire.Questionnaire
	for _, f := range files {
		if f.Name == "health-quiz.yaml" {
			if bank, err = questionnaire.Parse(bytes.NewReader(f.Text)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if bank == nil {
		t.Fatal("no shipped quiz bank")
	}
	e2eEnginesInBrowser(t, func(t *testing.T, dsn string) {
		b := e2eNewBrowserFor(t, dsn, "quiz", 3*e2eTimeout)
		if st := b.login("admin", DemoPassword); st != 200 {
			b.fatalf("login as admin: status %d", st)
		}
		before, _ := b.e2eIndicator("quiz_participants", e2eVillage)
		_, litBefore := b.e2eIndicator("literacy_level", e2eVillage)
		// The resident is anonymous.
		if st := b.open("/dashboard"); st != 200 {
			b.fatalf("dashboard: status %d", st)
		}
		if st := b.load("log out", chromedp.Evaluate[chromedp.Void](`document.getElementById("logout").click()`)); st != 200 {
			b.fatalf("logout: status %d", st)
		}

		b.do("a 390 px phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
		b.width = 390
		if st := b.open("/public/" + e2eVillage + "/quiz"); st != 200 {
			b.fatalf("quiz: status %d", st)
		}
		if b.exists(`script`) {
			b.errorf("the quiz page loads a script")
		}
		b.checkpoint("1-quiz")
		drawn := strings.Split(e2eEval[string](b, "drawn items", `document.querySelector('input[name="items"]').value`), ",")
		if len(drawn) != 10 {
			b.fatalf("drawn %v, want 10 items", drawn)
		}
		// Every item right but the first.
		for i, code := range drawn {
			it, ok := bank.Item(code)
			if !ok {
				b.fatalf("item %s not in the bank", code)
			}
			labels := it.Answer
			if i == 0 {
				for _, o := range it.Options {
					if o.Label != it.Answer[0] {
						labels = []string{o.Label}
						break
					}
				}
			}
			for _, l := range labels {
				b.do("answer "+code+" "+l, e2eTap(e2eByID("a-"+code+"-"+l)))
			}
		}
		b.do("open the optional contact", e2eTap(chromedp.CSS("#contact summary")))
		b.checkpoint("2-answered")
		if st := b.load("submit", e2eTap(e2eByID("submit"))); st != 200 {
			b.fatalf("submit: status %d", st)
		}
		if !strings.Contains(b.path(), "/quiz/result/") {
			b.fatalf("after submitting at %s", b.path())
		}
		if got := b.text("score"); !strings.Contains(got, "9 / 10") || !strings.Contains(got, zh["quiz.result.passed"]) {
			b.errorf("score = %q, want 9 / 10, passed", got)
		}
		if n := e2eEval[int](b, "explanations", `document.querySelectorAll('.item .explain').length`); n != 10 {
			b.errorf("%d explanations, want 10", n)
		}
		if n := e2eEval[int](b, "wrong items", `document.querySelectorAll('.item.wrong').length`); n != 1 {
			b.errorf("%d wrong items, want 1", n)
		}
		if got := b.text("share-url"); !strings.HasPrefix(got, "http") || !strings.Contains(got, "/quiz/result/") {
			b.errorf("share address %q", got)
		}
		b.checkpoint("3-result")
		size := e2eEval[int](b, "page size", `document.documentElement.outerHTML.length`)
		if size > 100<<10 {
			b.errorf("result page is %d bytes", size)
		}

		// The officer's numbers: one more participant, literacy_level unchanged.
		b.do("desktop again", chromedp.EmulateViewport(412, 915, chromedp.EmulateMobile))
		b.width = 412
		if st := b.login("admin", DemoPassword); st != 200 {
			b.fatalf("login as admin again: status %d", st)
		}
		after, _ := b.e2eIndicator("quiz_participants", e2eVillage)
		_, litAfter := b.e2eIndicator("literacy_level", e2eVillage)
		if after != before+1 {
			b.errorf("quiz_participants %v → %v, want one more", before, after)
		}
		if litAfter != litBefore {
			b.errorf("literacy_level %v → %v, want unchanged", litBefore, litAfter)
		}
		if st := b.open("/dashboard?division=" + e2eVillage); st != 200 {
			b.fatalf("dashboard: status %d", st)
		}
		if !strings.Contains(e2eEval[string](b, "dashboard text", `document.body.innerText`), "健康知识答题人次") {
			b.errorf("the dashboard does not show quiz participants")
		}
		b.checkpoint("4-dashboard")
		t.Logf("quiz participants in %s: %v → %v; literacy %v", e2eVillage, before, after, fmt.Sprint(litAfter))
	})
}
