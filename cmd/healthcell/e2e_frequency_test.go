package main

// Browser end-to-end test of the activity frequency check: a township
// officer opens the activity ledger, follows 活动频次检查 and finds the
// villages that held too few activities; the dashboard shows the new
// environment and institution indicators with values from the demo's
// registers.

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

func TestActivityFrequencyJourney(t *testing.T) {
	e2eEngines(t, func(t *testing.T, dsn string) {
		b := e2eNewBrowser(t, dsn, "frequency")
		if st := b.login("lingjiang", DemoPassword); st != 200 {
			b.fatalf("login as lingjiang: status %d", st)
		}
		b.open("/registers/activities?division=510824100000")
		b.load("the frequency check", chromedp.Click(chromedp.ID("activity-missed")))
		b.do("the rules", chromedp.WaitVisible(chromedp.ID("rule-village_lecture_monthly")))
		if got := b.text("rule-village_board_monthly"); !strings.Contains(got, "宣传栏每月更新一期") || !strings.Contains(got, "（0 次）") {
			b.errorf("the notice-board rule shows %q, want villages that missed a month", got)
		}
		if got := b.text("rule-school_lecture_semester"); !strings.Contains(got, "每学期两次") {
			b.errorf("the school rule shows %q", got)
		}
		b.checkpoint("missed")
		// The narrowest phones the officers use: 360 px.
		b.do("a 360 px phone", chromedp.EmulateViewport(360, 780, chromedp.EmulateMobile))
		b.width = 360
		b.open("/activities/missed?division=510824100000")
		b.do("the rules", chromedp.WaitVisible(chromedp.ID("rule-village_lecture_monthly")))
		b.checkpoint("missed-360")
		b.do("back to the usual phone", chromedp.EmulateViewport(int64(e2ePhone.width), int64(e2ePhone.height), chromedp.EmulateMobile))
		b.width = e2ePhone.width

		b.open("/dashboard?division=510824100000&theme=environment")
		for _, id := range []string{"table-road_rate", "table-water_quality_rate", "table-livestock_penned_rate"} {
			if got := b.text(id); !strings.Contains(got, "%") && !strings.ContainsAny(got, "0123456789") {
				b.errorf("%s shows no values: %q", id, got)
			}
		}
		b.checkpoint("dashboard")
		b.open("/registers/school_health")
		if rows := b.rows("#entries"); len(rows) == 0 {
			b.errorf("the school register is empty")
		}
		b.checkpoint("school-register")
	})
}
