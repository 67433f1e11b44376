package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/plantemplate"
	"github.com/healthcell/healthcell/report"
)

// planView is a campaign's plan page: the plan and its progress, or, for
// the county office while there is none, the templates and last plans to
// copy.
type planView struct {
	Page
	Campaign   *healthcell.Campaign
	Plan       *healthcell.Plan // nil while the campaign has none
	Progress   *healthcell.PlanProgress
	Sections   []planSectionView
	Templates  []*plantemplate.Template
	Others     []*healthcell.Campaign // campaigns of the county with a plan to copy
	CanEdit    bool
	Reportable map[string]bool // task key → the user reports on it
	Reports    map[string][]*healthcell.PlanTaskReport
	Today      string
	Error      string
	names      map[string]string // villages of the pilots, by code
}

type planSectionView struct {
	Title string
	Lines []planLine
}

// Township returns the name of a township or pilot village code, or the
// code.
func (v planView) Township(code string) string {
	if n := v.names[code]; n != "" {
		return n
	}
	if v.Progress != nil {
		for _, r := range v.Progress.Rows {
			if r.Township == code {
				return r.TownshipName
			}
		}
	}
	return code
}

// planPage shows a campaign's plan with its progress.
func (s *Server) planPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderPlan(w, r, http.StatusOK, nil)
}

func (s *Server) renderPlan(w http.ResponseWriter, r *http.Request, status int, perr error) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	c, p, g, err := s.svc.Plans.FindPlanProgress(ctx, id)
	if healthcell.ErrorCode(err) == healthcell.ENOTFOUND {
		c, err = s.svc.Applications.FindCampaign(ctx, id) // a campaign without a plan the user reads
	}
	if err != nil {
		return err
	}
	u := userFrom(ctx)
	v := planView{Page: s.newPage(r, "plan.title"), Campaign: c, Today: healthcell.CampaignDay(s.now()),
		CanEdit:    u.Role == healthcell.RoleCountyAdmin && healthcell.Covers(u.Scope, c.Division),
		Reportable: map[string]bool{}, Reports: map[string][]*healthcell.PlanTaskReport{}}
	if p != nil {
		v.Plan, v.Progress = p, g
		a := healthcell.ActorFrom(ctx)
		for _, t := range p.Tasks {
			v.Reportable[t.Key] = p.State == healthcell.PlanPublished && t.TaskDepartment(a) != ""
		}
		for _, rep := range p.Reports {
			v.Reports[rep.Task] = append(v.Reports[rep.Task], rep)
		}
		for _, sec := range p.Sections {
			v.Sections = append(v.Sections, planSectionView{Title: sec.Title, Lines: planLines(sec.Body)})
		}
		v.names = map[string]string{}
		if towns := pilotTownships(p.Pilots); len(towns) > 1 {
			// One read of the county's villages instead of one per
			// township, when the user may read the county.
			vs, err := s.svc.Villages(ctx, c.Division)
			if err != nil && healthcell.ErrorCode(err) != healthcell.ENOTFOUND {
				return err
			}
			for _, d := range vs {
				v.names[d.Code] = d.Name
			}
			if err == nil {
				for _, t := range towns {
					if healthcell.Covers(c.Division, t) {
						v.names[t] = ""
					}
				}
			}
		}
		for _, pl := range p.Pilots {
			if _, done := v.names[pl.Township]; done {
				continue
			}
			v.names[pl.Township] = ""
			vs, err := s.svc.Villages(ctx, pl.Township)
			if err != nil && healthcell.ErrorCode(err) != healthcell.ENOTFOUND {
				return err
			}
			for _, d := range vs {
				v.names[d.Code] = d.Name
			}
		}
		v.Title = p.Title
	}
	if v.CanEdit && v.Plan == nil {
		if v.Templates, err = plantemplate.Shipped(); err != nil {
			return err
		}
		all, err := s.svc.Applications.FindCampaigns(ctx)
		if err != nil {
			return err
		}
		for _, o := range all {
			if o.ID == c.ID || o.Division != c.Division {
				continue
			}
			if _, err := s.svc.Plans.FindPlan(ctx, o.ID); err == nil {
				v.Others = append(v.Others, o)
			}
		}
	}
	if perr != nil {
		v.Error = s.planErrorText(v.Page, perr)
	}
	return s.render(w, r, status, "plan", v)
}

// pilotTownships returns the distinct townships of pilots, in their order.
func pilotTownships(pilots []healthcell.PlanPilot) []string {
	seen := map[string]bool{}
	var out []string
	for _, pl := range pilots {
		if !seen[pl.Township] {
			seen[pl.Township] = true
			out = append(out, pl.Township)
		}
	}
	return out
}

// planErrorText is an error's message with each field error named by the
// part of the plan it is in and its row: "创建目标第 1 行：百分比应在 0 到 100 之间".
func (s *Server) planErrorText(p Page, err error) string {
	fields := healthcell.ErrorFields(err)
	if len(fields) == 0 {
		return s.errorText(p.Lang, err)
	}
	var parts []string
	for _, f := range fields {
		part, _, _ := strings.Cut(f.Field, ".")
		label := p.TOr("plan."+part, "")
		if part == "title" {
			label = p.T("plan.plan_title")
		}
		if f.Row > 0 {
			label += p.T("plan.error.row", map[string]any{"Row": f.Row})
		}
		t := p.T(f.Message)
		if label != "" {
			t = label + "：" + t
		}
		if !containsString(parts, t) {
			parts = append(parts, t)
		}
	}
	return strings.Join(parts, "；")
}

// afterPlan goes back to the plan page with a notice, or shows it again
// with the refusal when the error is the user's.
func (s *Server) afterPlan(w http.ResponseWriter, r *http.Request, id int64, err error) error {
	if err != nil {
		if code := healthcell.ErrorCode(err); code == healthcell.EINVALID || code == healthcell.ECONFLICT || code == healthcell.EFORBIDDEN {
			return s.renderPlan(w, r, statusOf[code], err)
		}
		return err
	}
	s.sessions.Put(r.Context(), "notice", "common.saved")
	http.Redirect(w, r, "/campaigns/"+strconv.FormatInt(id, 10)+"/plan", http.StatusSeeOther)
	return nil
}

// planApplyTemplate copies a template, or another campaign's plan, into
// the campaign's plan.
func (s *Server) planApplyTemplate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	if from, perr := strconv.ParseInt(r.PostFormValue("from"), 10, 64); perr == nil {
		_, err = s.svc.Plans.CopyPlan(r.Context(), id, from, version)
	} else {
		_, err = s.svc.Plans.ApplyPlanTemplate(r.Context(), id, r.PostFormValue("template"), version)
	}
	if err == nil {
		s.sessions.Put(r.Context(), "notice", "plan.copied")
		http.Redirect(w, r, "/campaigns/"+strconv.FormatInt(id, 10)+"/plan/edit", http.StatusSeeOther)
		return nil
	}
	return s.afterPlan(w, r, id, err)
}

// planPublish publishes the draft plan.
func (s *Server) planPublish(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	_, err = s.svc.Plans.PublishPlan(r.Context(), id, version)
	return s.afterPlan(w, r, id, err)
}

// planTaskReport files a department's progress report on a task, with an
// optional photo or PDF.
func (s *Server) planTaskReport(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	data, name, uerr := readUpload(w, r, "file", healthcell.MaxEvidenceBytes)
	if uerr != nil && healthcell.ErrorFields(uerr)[0].Message != "evidence.empty" {
		return s.afterPlan(w, r, id, uerr)
	}
	pct, perr := strconv.Atoi(r.PostFormValue("percent"))
	if perr != nil {
		pct = -1 // reported as an invalid percentage
	}
	rep := &healthcell.PlanTaskReport{CampaignID: id, Task: r.PathValue("task"), Note: r.PostFormValue("note"), Percent: pct}
	err = s.svc.Plans.ReportTask(r.Context(), rep)
	if err == nil && uerr == nil {
		_, err = s.svc.Plans.AddTaskReportFile(r.Context(), rep.ID, name, data)
	}
	return s.afterPlan(w, r, id, err)
}

// planSpending records money spent against a budget line.
func (s *Server) planSpending(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	amount, perr := strconv.ParseFloat(r.PostFormValue("amount"), 64)
	if perr != nil {
		amount = -1
	}
	err = s.svc.Plans.RecordSpending(r.Context(), &healthcell.PlanSpending{CampaignID: id, Line: r.PostFormValue("line"),
		Amount: amount, SpentOn: r.PostFormValue("spent_on"), Note: r.PostFormValue("note")})
	return s.afterPlan(w, r, id, err)
}

// planFile serves a task report's file, or its thumbnail.
func (s *Server) planFile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	thumb := r.PathValue("variant") == "thumb"
	e, data, err := s.svc.Plans.PlanFile(r.Context(), id, thumb)
	if err != nil {
		return err
	}
	return sendFile(w, e.MIME, thumb && e.HasThumb, "plan-file-"+strconv.FormatInt(e.ID, 10), e.Name, data, false)
}

// currentPlan returns the newest campaign whose plan the user reads, with
// its progress today; nils when there is none.
func (s *Server) currentPlan(r *http.Request) (*healthcell.Campaign, *healthcell.PlanProgress, error) {
	ctx := r.Context()
	list, err := s.svc.Applications.FindCampaigns(ctx)
	if err != nil {
		return nil, nil, err
	}
	for _, c := range list {
		g, err := s.svc.Plans.PlanProgress(ctx, c.ID, "")
		switch {
		case err == nil:
			return c, g, nil
		case healthcell.ErrorCode(err) != healthcell.ENOTFOUND:
			return nil, nil, err
		}
	}
	return nil, nil, nil
}

// apiPlanDocx sends the campaign's plan as an official document (.docx),
// as the caller reads it (phones masked outside the county office).
func (s *Server) apiPlanDocx(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	p, err := s.svc.Plans.FindPlan(ctx, id)
	if err != nil {
		return err
	}
	names := map[string]string{}
	if d, err := s.svc.Divisions.FindDivision(ctx, p.Division); err == nil {
		for _, t := range d.Children {
			names[t.Code] = t.Name
		}
	}
	for _, pl := range p.Pilots {
		if d, err := s.svc.Divisions.FindDivision(ctx, pl.Village); err == nil {
			names[pl.Village] = d.Name
		}
	}
	d := report.PlanDocument(p, s.divisionName(ctx, p.Division), names)
	return sendDocx(w, d, fmt.Sprintf("plan-%d.docx", id), p.Title+".docx")
}

// PlanSummaryGoals returns the goals the stage and year-end summaries
// measure a campaign against: its published plan's targets per township
// and kind of unit this year, or, without a plan the caller reads, the
// campaign's targets per township (report.GoalsFromTargets). Wire it as
// Services.SummaryGoals.
func PlanSummaryGoals(plans healthcell.PlanService) func(ctx context.Context, c *healthcell.Campaign) ([]report.SummaryGoal, error) {
	return func(ctx context.Context, c *healthcell.Campaign) ([]report.SummaryGoal, error) {
		g, err := plans.PlanProgress(ctx, c.ID, "")
		if healthcell.ErrorCode(err) == healthcell.ENOTFOUND {
			return report.GoalsFromTargets(c), nil
		}
		if err != nil {
			return nil, err
		}
		out := make([]report.SummaryGoal, 0, len(g.Rows))
		for _, r := range g.Rows {
			out = append(out, report.SummaryGoal{Township: r.Township, CellType: r.CellType, Target: r.Target})
		}
		return out, nil
	}
}
