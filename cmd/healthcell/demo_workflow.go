package main

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strconv"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/demo"
	"github.com/healthcell/healthcell/score"
	"github.com/healthcell/healthcell/sqlstore"
)

// demoWorkflowSkip are villages the demo leaves without an application: the
// browser tests start theirs from scratch (金穗社区 and its neighbour).
var demoWorkflowSkip = map[string]bool{"510824100001": true, "510824100002": true}

// demoWorkflow puts the county mid-campaign, once (nothing when a campaign
// exists): a campaign of this year with its deadline a month ahead, a
// bulletin every 15 days and a target of 3 in every township; twelve village
// applications, one in every state, across six townships, some with overdue
// rectification items; three named families; a school waiting for the
// education bureau; two inspections with findings; and two past bulletins. The steps are dated over the
// past two months (the clock is set back while they run), so the timelines
// and the overdue items read as they would in a real campaign.
func (m *Main) demoWorkflow(ctx context.Context, db *sqlstore.DB) error {
	sys := system(ctx)
	if cs, err := db.FindCampaigns(sys); err != nil || len(cs) > 0 {
		return err
	}
	realNow := db.Now
	defer func() { db.Now = realNow }()
	today := realNow()
	clock := today.AddDate(0, 0, -60)
	db.Now = func() time.Time { return clock }
	tick := func(d time.Duration) { clock = clock.Add(d) }

	county, err := db.FindDivision(sys, demoCounty+"000000")
	if err != nil {
		return err
	}
	year, _ := strconv.Atoi(healthcell.CampaignDay(today)[:4])
	camp := &healthcell.Campaign{Division: county.Code, Year: year, Name: fmt.Sprintf("%d年健康细胞创建", year),
		Deadline: healthcell.CampaignDay(today.AddDate(0, 0, 30)), BulletinDays: 15}
	for _, c := range county.Children {
		camp.Targets = append(camp.Targets, healthcell.CampaignTarget{Township: c.Code, Target: 3})
	}
	if err := db.CreateCampaign(sys, camp); err != nil {
		return fmt.Errorf("demo campaign: %w", err)
	}
	villages, err := db.FindVillages(sys, county.Code)
	if err != nil {
		return err
	}
	codes := make([]string, len(villages))
	names := make(map[string]string, len(villages))
	for i, v := range villages {
		codes[i] = v.Code
		names[v.Code] = v.Name
	}
	f := &demoFlow{db: db, ctx: sys, camp: camp, tick: tick, now: func() time.Time { return clock }, photo: demoPhoto()}
	start := clock
	day := func(n int) { clock = start.AddDate(0, 0, n) }
	plan := demo.WorkflowPlan(codes, 6, 2, demoWorkflowSkip)
	for i, p := range plan {
		day(2 * i)                                          // one every other day; each takes at most nine days to its state
		std, kind := demo.VillageStandard(names[p.Village]) // a 社区 applies under 健康社区
		if err := f.run(std, kind, p.Village, p.State, p.Overdue); err != nil {
			return fmt.Errorf("demo application %s: %w", p.Village, err)
		}
	}
	// Three families of a populated village, named: households whose
	// resident members are all contracted with a family doctor (the
	// standard's precondition, which the apply step checks).
	named := 0
	day(35) // contracts in force on this day are in force on the days after
	for _, v := range codes {
		if named == 3 {
			break
		}
		if demoWorkflowSkip[v] {
			continue
		}
		list, err := db.FamilyHouseholds(sys, v, camp.ID)
		if err != nil {
			return err
		}
		for _, h := range list.Households {
			if named == 3 || h.ResidentMembers == 0 || h.Uncontracted > 0 {
				continue
			}
			day(35 + named)
			if err := f.run("healthy-family", "household", strconv.FormatInt(h.HouseholdID, 10), "named", false); err != nil {
				return fmt.Errorf("demo family %s: %w", h.Number, err)
			}
			named++
		}
	}
	// A school waiting for the education bureau's evaluation.
	units, err := db.FindUnits(sys, county.Code)
	if err != nil {
		return err
	}
	for _, u := range units {
		if u.Name == "苍溪中学" {
			day(40)
			if err := f.run("health-promoting-school", "school", strconv.FormatInt(u.ID, 10), "checked", false); err != nil {
				return fmt.Errorf("demo school: %w", err)
			}
		}
	}
	// Villages beyond the plan: a 卫生村 evaluated by the county, for the
	// county office to recommend to the city (the title is named by the
	// city's 爱卫会); another already recommended, waiting for the city's
	// assessment; and a 健康村 declared to the county after its check.
	taken := map[string]bool{}
	for _, p := range plan {
		taken[p.Village] = true
	}
	for i, x := range []struct{ standard, state string }{
		{"sanitary-village", "evaluated"}, {"sanitary-village", "recommended"}, {"healthy-village", "declared"},
	} {
		v := demoFreeVillage(villages, taken)
		if v == "" {
			break
		}
		taken[v] = true
		day(42 + i)
		if err := f.run(x.standard, "village", v, x.state, false); err != nil {
			return fmt.Errorf("demo %s %s: %w", x.standard, v, err)
		}
	}
	// Two inspections (督查) with findings: one overdue, one due ahead.
	for i, v := range []string{plan[1].Village, plan[4].Village} {
		day(20 + 10*i)
		std, kind := demo.VillageStandard(names[v])
		in := &healthcell.Inspection{UnitKind: kind, UnitRef: v, StandardCode: std, InspectedOn: healthcell.CampaignDay(clock),
			Inspectors: "县爱卫办督查组", Summary: "农村人居环境整治专项督查"}
		findings := []healthcell.RectificationInput{
			{ItemCode: "2.4", Text: "村内垃圾收集点未及时清运", Owner: "村保洁员", Deadline: healthcell.CampaignDay(clock.AddDate(0, 0, 10+40*i))},
			{Text: "健康教育宣传栏内容陈旧", Owner: "村医", Deadline: healthcell.CampaignDay(clock.AddDate(0, 0, 14+40*i))},
		}
		if err := db.CreateInspection(sys, in, findings); err != nil {
			return fmt.Errorf("demo inspection: %w", err)
		}
		if _, err := db.AddInspectionPhoto(sys, in.ID, "督查现场.png", f.photo); err != nil {
			return err
		}
	}
	// Two past bulletins, 30 and 15 days ago.
	for _, days := range []int{-30, -15} {
		clock = today.AddDate(0, 0, days)
		if _, err := db.IssueBulletin(sys, camp.ID); err != nil {
			return fmt.Errorf("demo bulletin: %w", err)
		}
	}
	return nil
}

// demoFlow drives demo applications through the workflow as the system.
type demoFlow struct {
	db    *sqlstore.DB
	ctx   context.Context
	camp  *healthcell.Campaign
	tick  func(time.Duration)
	now   func() time.Time
	photo []byte
}

// run creates the application of a unit against the latest version of a
// standard and takes it to state with passing score sheets.
func (f *demoFlow) run(standard, kind, ref, state string, overdue bool) error {
	a := &healthcell.Application{CampaignID: f.camp.ID, StandardCode: standard, UnitKind: kind, UnitRef: ref}
	if err := f.db.CreateApplication(f.ctx, a); err != nil {
		return err
	}
	f.tick(3 * time.Hour)
	if err := f.sheet(a, healthcell.SheetSelf); err != nil {
		return err
	}
	if state == "self_assessment" {
		return nil
	}
	step := func(action, comment string, items ...healthcell.RectificationInput) error {
		f.tick(26 * time.Hour)
		got, err := f.db.Transition(f.ctx, a.ID, healthcell.TransitionRequest{Action: action, Comment: comment, Rectifications: items})
		if err != nil {
			return fmt.Errorf("%s: %w", action, err)
		}
		*a = *got
		return nil
	}
	item := func(code, text string, days int) healthcell.RectificationInput {
		return healthcell.RectificationInput{ItemCode: code, Text: text, Owner: "村两委", Deadline: healthcell.CampaignDay(f.now().AddDate(0, 0, days))}
	}
	if err := step("apply", "自查达标，申请初验"); err != nil {
		return err
	}
	switch state {
	case "applied":
		return nil
	case "rectifying":
		days := 75
		if overdue {
			days = 7
		}
		return step("return_for_rectification", "初验发现问题，限期整改", item("2.4", "公共厕所保洁不到位，粪污外溢", days), item("3.5", "健康教育宣传栏内容未及时更新", days))
	case "failed":
		return step("fail_check", "多项基础指标未达标，本年度不予推荐")
	}
	if err := f.sheet(a, healthcell.SheetCheck); err != nil { // 初验 on the township's own sheet
		return err
	}
	if err := step("pass_check", "初验合格，推荐县级评估"); err != nil {
		return err
	}
	if state == "checked" {
		return nil
	}
	if state == "declared" { // 初验合格后向县级申报, waiting for the county's evaluation
		return step("declare_to_county", "初验合格，申报县级评估验收")
	}
	if err := f.sheet(a, healthcell.SheetEvaluation); err != nil {
		return err
	}
	if err := step("evaluate_pass", "专家组现场评估合格"); err != nil {
		return err
	}
	if state == "evaluated" {
		return nil
	}
	if state == "recommended" { // a title named above the county
		return step("recommend", "经县爱卫会研究，推荐市级考核命名")
	}
	if err := step("name", "经县爱卫会研究，予以命名"); err != nil {
		return err
	}
	if state == "named" {
		return nil
	}
	if err := step("start_review", "启动复审"); err != nil {
		return err
	}
	if state == "review_due" {
		return nil
	}
	group := "健康村建设领导小组未调整"
	if standard == "healthy-community" {
		group = "健康社区建设领导小组未调整"
	}
	if err := step("fail_review", "复审不合格，限期整改", item("1.1", group, 5)); err != nil {
		return err
	}
	return step("revoke", "整改后复审仍不合格，撤销命名")
}

// sheet fills the unit's score sheet of kind with full marks (a photo for
// items that ask for one).
func (f *demoFlow) sheet(a *healthcell.Application, kind string) error {
	s := &healthcell.ScoreSheet{StandardID: a.StandardID, Kind: kind, UnitKind: a.UnitKind, UnitRef: a.UnitRef, Year: a.Year}
	if err := f.db.CreateScoreSheet(f.ctx, s); err != nil {
		return err
	}
	if s.FrozenAt != nil { // submitted with an earlier step: a new edition
		n, err := f.db.NewSheetEdition(f.ctx, s.ID)
		if err != nil {
			return err
		}
		s = n
	}
	std, err := f.db.FindStandardByID(f.ctx, a.StandardID)
	if err != nil {
		return err
	}
	// Data-bound items take the value computed from the registers; where it
	// falls short of full marks the officer overrides it with a reason and a
	// photo, as the issue's rules allow.
	bound, err := f.db.FindScoreSheet(f.ctx, s.ID)
	if err != nil {
		return err
	}
	var answers []*healthcell.Answer
	var files []sqlstore.SheetFile
	for i := range std.Items {
		it := &std.Items[i]
		if it.Bonus {
			continue
		}
		ans := &healthcell.Answer{ItemCode: it.Code}
		if b := bound.Answers[it.Code]; it.DataBound() && b != nil && b.Computed != nil && b.Computed.Value != nil {
			if _, _, met := score.ItemScore(it, b, s.Region); met {
				continue
			}
			ans.Reason = "入户核查结果高于台账统计，台账待补录"
			files = append(files, sqlstore.SheetFile{ItemCode: it.Code, Name: "核查记录.png", Data: f.photo})
		}
		switch it.Method {
		case healthcell.MethodYes:
			ans.Yes = new(bool)
			*ans.Yes = true
		case healthcell.MethodNo:
			ans.Yes = new(bool)
		case healthcell.MethodGraded:
			best := it.Grades[0]
			for _, g := range it.Grades {
				if g.Points > best.Points {
					best = g
				}
			}
			ans.Grade = best.Label
		case healthcell.MethodEGT:
			v := it.TargetFor(s.Region)
			ans.Value = &v
		case healthcell.MethodELT:
			v := 0.0
			ans.Value = &v
		case healthcell.MethodCount:
			n := it.MinCount
			ans.Count = &n
		case healthcell.MethodAttach:
			files = append(files, sqlstore.SheetFile{ItemCode: it.Code, Name: "现场照片.png", Data: f.photo})
			continue
		}
		answers = append(answers, ans)
	}
	return f.db.FillScoreSheet(f.ctx, s.ID, answers, files)
}

// demoPhoto is a small green PNG standing in for a photo.
func demoPhoto() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for y := 0; y < 48; y++ {
		for x := 0; x < 64; x++ {
			img.Set(x, y, color.RGBA{R: 40, G: uint8(120 + x), B: uint8(80 + y), A: 255})
		}
	}
	var buf bytes.Buffer
	png.Encode(&buf, img)
	return buf.Bytes()
}
