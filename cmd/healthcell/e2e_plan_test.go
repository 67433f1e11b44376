package main

// Browser end-to-end test of campaign plans (issue 11): the county office
// starts a campaign, copies a template into its plan, edits a goal and a
// task and publishes; the township sees its goals; the education bureau
// reports progress on its task; the plan page shows the progress. The
// pages are checked at 360 px.

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

func TestPlanJourney(t *testing.T) {
	e2eEngines(t, func(t *testing.T, dsn string) {
		b := e2eNewBrowser(t, dsn, "plan")
		b.narrow()

		// 1. The county office starts a campaign and opens its plan page.
		if st := b.login("admin", DemoPassword); st != 200 {
			b.fatalf("login as admin: status %d", st)
		}
		if st := b.open("/campaigns"); st != 200 {
			b.fatalf("/campaigns: status %d", st)
		}
		b.do("fill in the campaign", chromedp.Evaluate[chromedp.Void](`document.querySelector("#new-campaign").closest("details").open = true`),
			chromedp.SetValue(chromedp.ID("campaign-name"), "健康村巩固提升行动"))
		if st := b.load("create the campaign", e2eTap(chromedp.CSS("#create-campaign"))); st != 200 {
			b.fatalf("create the campaign: status %d", st)
		}
		href := e2eEval[string](b, "the plan link", `(() => {
			for (const tr of document.querySelectorAll("#campaigns tbody tr"))
				if (tr.textContent.includes("健康村巩固提升行动")) return tr.querySelector("a.plan-link").getAttribute("href");
			return "";
		})()`)
		if href == "" {
			b.fatalf("no plan link for the new campaign")
		}
		if st := b.open(href); st != 200 || !b.exists("#no-plan") {
			b.fatalf("the plan page of a new campaign: status %d", st)
		}
		b.checkpoint("1-no-plan")

		// 2. It copies the 健康村/健康家庭 template and edits it.
		b.do("choose the template", chromedp.SetValue(chromedp.ID("template"), "healthy-village-county"))
		if st := b.load("apply the template", e2eTap(chromedp.CSS("#apply-template-button"))); st != 200 {
			b.fatalf("apply the template: status %d", st)
		}
		if !strings.HasSuffix(b.path(), "/plan/edit") {
			b.fatalf("after the template: on %s, want the editor", b.path())
		}
		b.checkpoint("2-editor")
		first := func(rows, name string) chromedp.CSS {
			return chromedp.CSS(fmt.Sprintf("#%s .row:first-child [name=%s]", rows, name))
		}
		b.do("a goal over 100 %", chromedp.SetValue(first("goal-rows", "goal_value"), "120"))
		if st := b.load("save", e2eTap(chromedp.CSS("#save-plan"))); st != 422 {
			b.fatalf("a goal of 120 %%: status %d, want 422", st)
		}
		if msg := b.text("error"); !strings.Contains(msg, "创建目标第 1 行") || !strings.Contains(msg, "百分比应在 0 到 100 之间") {
			b.errorf("#error = %q", msg)
		}
		b.checkpoint("3-refused")
		b.do("edit the goal and the first task",
			chromedp.SetValue(first("goal-rows", "goal_value"), "80"),
			chromedp.SetValue(first("task-rows", "task_lead"), "县卫生健康局"),
			chromedp.SetValue(first("task-rows", "task_deadline"), "2026-12-20"))
		// One more task row through the editor's own button.
		b.do("add a task row", e2eTap(chromedp.CSS(`[data-rows="task-rows"]`)))
		n := e2eEval[int](b, "task rows", `document.querySelectorAll("#task-rows .row").length`)
		b.do("fill the new task",
			chromedp.SetValue(chromedp.CSS("#task-rows .row:last-child [name=task_title]"), "开展健康家庭评选"),
			chromedp.SetValue(chromedp.CSS("#task-rows .row:last-child [name=task_lead]"), "县妇联"),
			chromedp.SetValue(chromedp.CSS("#task-rows .row:last-child [name=task_deadline]"), "2026-12-31"))
		if st := b.load("save", e2eTap(chromedp.CSS("#save-plan"))); st != 200 {
			b.fatalf("save: status %d", st)
		}
		if got := b.text("plan-state"); got != "草稿" {
			b.errorf("state %q, want 草稿", got)
		}
		if goals := b.text("plan-goals"); !strings.Contains(goals, "80%") || !strings.Contains(goals, "85%") {
			b.errorf("goals %q", goals)
		}
		if !b.exists("#task-T9") || n != 10 {
			b.errorf("the added task is missing (%d rows)", n)
		}
		if st := b.load("publish", e2eTap(chromedp.CSS("#publish-plan"))); st != 200 {
			b.fatalf("publish: status %d", st)
		}
		if got := b.text("plan-state"); got != "已发布" {
			b.errorf("state %q, want 已发布", got)
		}
		planPath := b.path()

		// 3. The township reads its goals.
		b.switchUser("lingjiang")
		if st := b.open(planPath); st != 200 {
			b.fatalf("township plan page: status %d", st)
		}
		rows := b.rows("#plan-rows")
		if len(rows) != 2 || !strings.Contains(rows[0][0], "陵江镇") {
			b.errorf("township rows %v", rows)
		}
		if b.exists("#edit-plan") {
			b.errorf("the township may edit")
		}
		if phone := b.text("plan-members"); strings.Contains(phone, "139") {
			b.errorf("phones shown to the township: %q", phone)
		}
		b.checkpoint("4-township")

		// 4. The education bureau reports on T1 (it is a responsible department).
		b.switchUser("jiaoyu")
		if st := b.open(planPath); st != 200 {
			b.fatalf("department plan page: status %d", st)
		}
		b.do("open the report form", chromedp.Evaluate[chromedp.Void](`document.querySelector("#task-T1 details").open = true`),
			chromedp.SetValue(chromedp.CSS("#task-T1 [name=percent]"), "50"),
			chromedp.SetValue(chromedp.CSS("#task-T1 [name=note]"), "全县中小学健康教育课已开课"))
		b.checkpoint("5-report-form")
		if st := b.load("report", e2eTap(chromedp.CSS("#task-T1 button[type=submit]"))); st != 200 {
			b.fatalf("report: status %d", st)
		}
		if pct := b.text("task-T1"); !strings.Contains(pct, "50%") || !strings.Contains(pct, "全县中小学健康教育课已开课") {
			b.errorf("task T1 after the report: %q", pct)
		}
		if b.exists("#task-T2 details") {
			b.errorf("the bureau may report on T2, which is not its task")
		}

		// 5. 金穗社区 applies in the new campaign; 陵江镇 sees what it lacks
		// and makes an item of its gap list a rectification item.
		campaignID := strings.TrimSuffix(strings.TrimPrefix(planPath, "/campaigns/"), "/plan")
		b.switchUser("jinsui")
		if st := b.open("/applications"); st != 200 {
			b.fatalf("/applications: status %d", st)
		}
		b.do("choose the campaign, the standard and the village",
			chromedp.SetValue(chromedp.ID("app-campaign"), campaignID),
			chromedp.SetValue(chromedp.ID("app-standard"), "healthy-village"),
			chromedp.SetValue(chromedp.ID("app-unit"), "village:"+e2eVillage))
		if st := b.load("start", e2eTap(chromedp.CSS("#start-application"))); st != 200 {
			b.fatalf("start: status %d", st)
		}
		b.switchUser("lingjiang")
		if st := b.open("/campaigns/" + campaignID + "/gaps?division=" + e2eVillage); st != 200 || !b.exists(".gap-turn button") {
			b.fatalf("the village's gap list: status %d", st)
		}
		before := e2eEval[int](b, "items being fixed", `document.querySelectorAll(".gap-items .tag").length`)
		if st := b.load("turn the first item", e2eTap(chromedp.CSS(".gap-turn button"))); st != 200 {
			b.fatalf("turn an item: status %d", st)
		}
		if after := e2eEval[int](b, "items being fixed", `document.querySelectorAll(".gap-items .tag").length`); after != before+1 {
			b.errorf("items being fixed: %d, then %d", before, after)
		}
		b.checkpoint("6-gaps-village")

		// 6. The plan page shows the progress.
		b.switchUser("admin")
		if st := b.open(planPath); st != 200 {
			b.fatalf("plan page: status %d", st)
		}
		if got := b.text("plan-task-counts"); !strings.Contains(got, "推进中 1 项") {
			b.errorf("task counts %q", got)
		}
		if !b.exists("#plan-totals") || !b.exists("#plan-milestones") {
			b.errorf("no progress table or milestones")
		}
		b.checkpoint("7-progress")

		// 7. The .docx downloads from the page's button.
		got := e2eEval[[]string](b, "download the plan", `(() => {
			const x = new XMLHttpRequest();
			x.open("GET", document.querySelector("#plan-docx").getAttribute("href"), false);
			x.overrideMimeType("text/plain; charset=x-user-defined");
			x.send();
			return [String(x.status), x.getResponseHeader("Content-Type") || "", x.responseText.slice(0, 2), String(x.responseText.length)];
		})()`)
		if got[0] != "200" || got[1] != "application/vnd.openxmlformats-officedocument.wordprocessingml.document" || got[2] != "PK" {
			b.errorf("plan.docx: %v", got)
		}

		// 8. The county office's gap list: a township, at 360 px.
		if st := b.load("open the gap list", e2eTap(chromedp.CSS("#gaps-link"))); st != 200 || !b.exists("#gap-townships") {
			b.fatalf("gap list: status %d", st)
		}
		if st := b.load("choose 陵江镇", e2eTap(chromedp.CSS(`#gap-townships a[href$="510824100000"]`))); st != 200 {
			b.fatalf("gap list of 陵江镇: status %d", st)
		}
		if got := b.text("gap-without"); !strings.Contains(got, "户尚未申报健康家庭") {
			b.errorf("gap list: %q", got)
		}
		if !b.exists("#gap-villages") {
			b.errorf("the village that applied is not in 陵江镇's gap list")
		}
		b.checkpoint("8-gaps-township")

		// 9. The demo campaign's plan (seed 001's): tasks in every state.
		if st := b.open("/campaigns"); st != 200 {
			b.fatalf("/campaigns: status %d", st)
		}
		demoPlan := e2eEval[string](b, "the demo plan link", `(() => {
			for (const tr of document.querySelectorAll("#campaigns tbody tr"))
				if (!tr.textContent.includes("巩固提升")) return tr.querySelector("a.plan-link").getAttribute("href");
			return "";
		})()`)
		if st := b.open(demoPlan); st != 200 {
			b.fatalf("the demo plan: status %d", st)
		}
		if got := b.text("plan-task-counts"); !strings.Contains(got, "已完成 2 项，推进中 2 项，逾期 2 项，未启动 2 项") {
			b.errorf("demo task counts %q", got)
		}
		b.checkpoint("9-demo-plan")

	})
}
