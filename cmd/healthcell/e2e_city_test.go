package main

// Browser end-to-end test of the tiers above the county (issue 17, items
// 1 and 2): the county office recommends a 卫生村 to the city; the city's
// assessor scores it on the city's own sheet and names it; the certificate
// names 广元市爱国卫生运动委员会; the city's dashboard ranks its two
// counties; the city office issues its bulletin ranking its counties, and
// the city's public list names the unit with its county; the county sees
// nothing of its neighbour county, nor of the city's bulletin.

import (
	"image/color"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

func TestCityJourney(t *testing.T) {
	std := e2eShippedStandard(t, "sanitary-village")
	photo := e2ePhoto(t, t.TempDir(), "村容村貌.png", color.RGBA{R: 90, G: 170, B: 90})

	e2eEngines(t, func(t *testing.T, dsn string) {
		b := e2eNewBrowser(t, dsn, "city")

		// 1. The county office finds the 卫生村 it evaluated: it may only
		// recommend it, not name it.
		if st := b.login("admin", DemoPassword); st != 200 {
			b.fatalf("login as admin: status %d", st)
		}
		b.open("/applications?state=evaluated")
		href := e2eEval[string](b, "the 卫生村 evaluated", `(() => {
			for (const tr of document.querySelectorAll("tbody tr")) {
				if (tr.textContent.includes("卫生村")) return tr.querySelector("a[href^='/applications/']").getAttribute("href");
			}
			return "";
		})()`)
		if href == "" {
			b.fatalf("no 卫生村 among the evaluated applications")
		}
		b.open(href)
		appPath := href
		if b.exists("#do-name") {
			b.errorf("the county is offered to name a 卫生村 itself")
		}
		if st := b.act("recommend"); st != 200 {
			b.fatalf("recommend: status %d", st)
		}
		if got := b.appState(); got != "已推荐上级考核" {
			b.errorf("after recommending: %q", got)
		}
		b.checkpoint("1-recommended")

		// The county sees nothing of its neighbour county.
		if st := b.open("/dashboard?division=510812000000"); st != 404 {
			b.errorf("the county opens its neighbour's dashboard: status %d", st)
		}
		if st := b.open("/divisions/510812000000"); st != 404 {
			b.errorf("the county opens its neighbour's page: status %d", st)
		}

		// 2. The city's assessor finds it in its queue, scores it on the
		// city's sheet and names it.
		b.switchUser("shizhuanjia")
		b.open("/queue")
		if q := b.text("queue-apps"); !strings.Contains(q, "卫生村") && !strings.Contains(q, "考核") {
			b.errorf("the city's queue does not list the recommendation: %q", q)
		}
		b.open(appPath)
		if b.exists("#open-evaluation") || b.exists("#open-check") {
			b.errorf("the city is offered the county's or the township's sheet")
		}
		// Naming before the city's own sheet is refused with the reason.
		if st := b.act("name_above"); st != 422 {
			b.errorf("name without the city's sheet: status %d, want 422", st)
		}
		if msg := b.text("error"); !strings.Contains(msg, "上级考核评分表") {
			b.errorf("#error = %q", msg)
		}
		if st := b.load("open the city's sheet", e2eTap(chromedp.CSS("#open-assessment"))); st != 200 {
			b.fatalf("open the assessment sheet: status %d", st)
		}
		if title := b.text("sheet-title"); !strings.Contains(title, "上级考核") {
			b.errorf("sheet title %q", title)
		}
		b.scoreByAPI(b.path(), std, photo, nil)
		if got := b.text("sheet-result"); got != "合格" {
			b.errorf("assessment result %q", got)
		}
		b.open(appPath)
		if st := b.act("name_above"); st != 200 {
			b.fatalf("name_above: status %d", st)
		}
		if got := b.appState(); got != "已命名" {
			b.errorf("after naming: %q", got)
		}
		if got := b.text("named-by"); got != "广元市爱国卫生运动委员会" {
			b.errorf("named by %q", got)
		}
		if no := b.text("certificate-no"); !strings.HasPrefix(no, "510800-") {
			b.errorf("certificate number %q, want the city's numbering", no)
		}
		b.checkpoint("2-named")

		// 3. The certificate carries the city as the naming body.
		if st := b.load("open the certificate", e2eTap(chromedp.CSS("#certificate-link"))); st != 200 {
			b.fatalf("certificate: status %d", st)
		}
		if got := b.text("cert-issuer"); got != "广元市爱国卫生运动委员会" {
			b.errorf("certificate issuer %q", got)
		}
		b.checkpoint("3-certificate")

		// 4. The city's dashboard ranks its two counties; a county's row
		// opens that county's dashboard.
		b.open("/dashboard")
		if got := b.text("dash-name"); !strings.HasPrefix(got, "广元市") {
			b.errorf("the city's dashboard is %q", got)
		}
		rows := b.rows("#ranking-table")
		if len(rows) != 2 {
			b.fatalf("ranking rows %v, want 苍溪县 and 朝天区", rows)
		}
		names := rows[0][1] + rows[1][1]
		if !strings.Contains(names, "苍溪县") || !strings.Contains(names, "朝天区") || rows[0][0] != "1" {
			b.errorf("ranking %v", rows)
		}
		b.checkpoint("4-city-dashboard")
		if st := b.load("open a county", e2eTap(chromedp.CSS("#ranking-table tbody tr a"))); st != 200 {
			b.fatalf("county from the ranking: status %d", st)
		}
		if got := b.text("dash-name"); !strings.Contains(got, rows[0][1]) {
			b.errorf("the ranking's first row opens %q", got)
		}

		// 5. The city office issues its bulletin: its counties ranked.
		b.switchUser("shi")
		b.open("/bulletins")
		if st := b.load("issue the city's bulletin", e2eTap(chromedp.CSS("#issue-upper"))); st != 200 {
			b.fatalf("issue the city's bulletin: status %d", st)
		}
		bulletinPath := b.path()
		if h := b.text("bulletin"); !strings.Contains(h, "广元市") || !strings.Contains(h, "工作通报") || !strings.Contains(h, "全市") {
			b.errorf("the city's bulletin reads %.120q", h)
		}
		ranked := b.rows("#ranking")
		if len(ranked) < 2 || ranked[0][0] != "1" || ranked[1][0] != "2" ||
			!strings.Contains(ranked[0][1]+ranked[1][1], "苍溪县") || !strings.Contains(ranked[0][1]+ranked[1][1], "朝天区") {
			b.errorf("the city's bulletin ranks %v", ranked)
		}
		b.checkpoint("5-city-bulletin")

		// 6. The city's public list names the 卫生村 with its county and
		// the city as the naming body.
		b.open("/public/510800000000/named")
		if got := b.text("named-title"); got != "广元市已命名的健康细胞" {
			b.errorf("the city's public list is headed %q", got)
		}
		found := false
		for _, r := range b.rows("#named") {
			line := strings.Join(r, " ")
			if strings.Contains(line, "卫生村") && strings.Contains(line, "广元市爱国卫生运动委员会") && strings.Contains(line, "苍溪县") {
				found = true
			}
		}
		if !found {
			b.errorf("the city's public list lacks the 卫生村 named by the city: %v", b.rows("#named"))
		}
		b.checkpoint("6-city-named-list")

		// The county office does not open the city's bulletin.
		b.switchUser("admin")
		if st := b.open(bulletinPath); st != 404 {
			b.errorf("the county opens the city's bulletin: status %d", st)
		}
	})
}
