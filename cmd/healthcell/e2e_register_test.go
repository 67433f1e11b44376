package main

// Browser end-to-end test of the registers: a village officer records a
// resident's check-up from the resident's page and finds it in the
// register's list; the county leader (a viewer) does not see health
// registers at all.

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

func TestRegisterEntryJourney(t *testing.T) {
	e2eEngines(t, func(t *testing.T, dsn string) {
		b := e2eNewBrowser(t, dsn, "register")
		if st := b.login("jinsui", DemoPassword); st != 200 {
			b.fatalf("login as jinsui: status %d", st)
		}
		// A resident of the village: the first household's first member.
		b.do("village page", chromedp.WaitVisible(chromedp.ID("households")))
		b.load("open a household", chromedp.Click(chromedp.CSS(`#households tbody a`)))
		b.checkpoint("household")
		b.load("open a resident", chromedp.Click(chromedp.CSS(`#members tbody a`)))
		name, personPath := b.text("person-name"), b.path()
		b.do("the resident's registers", chromedp.WaitVisible(chromedp.ID("subject-registers")))
		b.checkpoint("person")

		b.load("add a check-up", chromedp.Click(chromedp.ID("add-checkups")))
		if got := b.text("entry-subject"); !strings.Contains(got, name) {
			b.errorf("the form is for %q, want %s", got, name)
		}
		// Without the date (required) the form comes back with the field marked.
		b.do("fill in all but the date",
			chromedp.SetValue(chromedp.ID("f-kind"), "elderly"),
			chromedp.SendKeys(chromedp.ID("f-summary"), "血压 150/95，建议复查"),
		)
		if st := b.load("save", chromedp.Click(chromedp.ID("save"))); st != 422 {
			b.errorf("no date: status %d, want 422", st)
		}
		if !b.exists(`#f-exam_date[aria-invalid="true"]`) || b.value("f-summary") != "血压 150/95，建议复查" {
			b.errorf("the missing date is not marked, or the form lost what was typed")
		}
		b.checkpoint("form-error")
		b.do("fix the date", chromedp.SetValue(chromedp.ID("f-exam_date"), "2025-03-02"))
		if st := b.load("save", chromedp.Click(chromedp.ID("save"))); st != 200 {
			b.fatalf("save: status %d", st)
		}
		b.checkpoint("saved")

		b.load("the registers", chromedp.Click(chromedp.ID("nav-registers")))
		b.load("the check-ups", chromedp.Click(chromedp.ID("register-checkups")))
		// The demo's own check-ups come first (newest first); the resident's
		// list holds the one just recorded.
		b.open("/registers/checkups?person=" + strings.TrimPrefix(personPath, "/persons/"))
		rows := b.rows("#entries")
		found := false
		for _, r := range rows {
			if len(r) > 2 && strings.HasPrefix(r[0], name) && r[1] == "2025-03-02" && r[2] == "老年人健康体检" {
				found = true
			}
		}
		if !found {
			b.errorf("the check-up list %v has no 2025-03-02 check-up of %s", rows, name)
		}
		b.checkpoint("list")

		// The resident's name is corrected afterwards: reconciliation shows
		// the check-up's name and the resident's side by side, and the
		// officer settles it with a note.
		b.open(personPath)
		b.load("edit the resident", chromedp.Click(chromedp.ID("edit-person")))
		b.do("correct the name", chromedp.Clear(chromedp.ID("name")), chromedp.SendKeys(chromedp.ID("name"), name+"甲"))
		b.load("save the resident", chromedp.Click(chromedp.ID("save")))
		b.do("open the data menu", e2eTap(chromedp.CSS("#nav-data summary")))
		b.load("reconciliation", chromedp.Click(chromedp.ID("nav-reconcile")))
		if got := b.text("kind-names"); !strings.Contains(got, "1") {
			b.errorf("the names tab says %q, want one difference", got)
		}
		b.checkpoint("reconcile")
		b.do("write a note", chromedp.SendKeys(chromedp.CSS(`form.resolve input[name=note]`), "已核实：身份证上为"+name+"甲"))
		b.load("mark resolved", chromedp.Click(chromedp.CSS(`form.resolve button`)))
		if !b.exists("#no-differences") {
			b.errorf("the difference is still listed after it was resolved")
		}
		b.checkpoint("reconciled")

		// The viewer sees the activity ledger but no health register.
		v := b
		v.load("log out", chromedp.Click(chromedp.ID("logout")))
		if st := v.login("lingdao", DemoPassword); st != 200 {
			v.fatalf("login as lingdao: status %d", st)
		}
		v.open("/registers")
		if v.exists("#register-checkups") || !v.exists("#register-activities") {
			v.errorf("viewer's registers: check-ups shown or activities hidden")
		}
		if st := v.open("/registers/checkups"); st != 403 {
			v.errorf("viewer opens the check-ups: status %d, want 403", st)
		}
	})
}
