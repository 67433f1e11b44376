package web

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/healthcell/healthcell"
)

// planEditView is the county office's plan editor: every part of the plan
// as rows of a form, each table with one blank row to fill (plan.js adds
// more).
type planEditView struct {
	Page
	Campaign    *healthcell.Campaign
	Plan        *healthcell.Plan
	Sections    []healthcell.PlanSection // one per section key, in order
	Standards   []*healthcell.Standard
	Townships   []healthcell.DivisionNode
	Villages    []healthcell.Division
	PhaseKeys   []string
	Responsible map[string]string // task key → responsible departments joined by 、
	Indicators  []*healthcell.Indicator
	Items       map[string][]planItem // standard code → its items
	Error       string
}

// planEdit shows the editor; ENOTFOUND while the campaign has no plan.
func (s *Server) planEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := s.svc.Plans.FindPlan(r.Context(), id)
	if err != nil {
		return err
	}
	return s.renderPlanEdit(w, r, http.StatusOK, p, nil)
}

func (s *Server) renderPlanEdit(w http.ResponseWriter, r *http.Request, status int, p *healthcell.Plan, perr error) error {
	ctx := r.Context()
	u := userFrom(ctx)
	c, err := s.svc.Applications.FindCampaign(ctx, p.CampaignID)
	if err != nil {
		return err
	}
	if u.Role != healthcell.RoleCountyAdmin || !healthcell.Covers(u.Scope, c.Division) {
		return healthcell.Errorf(healthcell.EFORBIDDEN, "error.forbidden")
	}
	v := planEditView{Page: s.newPage(r, "plan.edit.title"), Campaign: c, Plan: p, PhaseKeys: healthcell.PlanPhaseKeys,
		Responsible: map[string]string{}}
	for _, key := range healthcell.PlanSectionKeys {
		sec := healthcell.PlanSection{Key: key, Title: v.T("plan.section." + key)}
		for _, have := range p.Sections {
			if have.Key == key {
				sec = have
			}
		}
		v.Sections = append(v.Sections, sec)
	}
	for _, t := range p.Tasks {
		v.Responsible[t.Key] = strings.Join(t.Responsible, "、")
	}
	if v.Standards, err = s.svc.Standards.FindStandards(ctx); err != nil {
		return err
	}
	if err := s.planLinks(ctx, &v); err != nil {
		return err
	}
	d, err := s.svc.Divisions.FindDivision(ctx, c.Division)
	if err != nil {
		return err
	}
	v.Townships = d.Children
	if v.Villages, err = s.svc.Villages(ctx, c.Division); err != nil {
		return err
	}
	if perr != nil {
		v.Error = s.planErrorText(v.Page, perr)
	}
	return s.render(w, r, status, "plan_edit", v)
}

// planSave stores the editor's form as the campaign's plan.
func (s *Server) planSave(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	cur, err := s.svc.Plans.FindPlan(r.Context(), id)
	if err != nil {
		return err
	}
	p := planFromForm(r, cur)
	if err := s.svc.Plans.SavePlan(r.Context(), p); err != nil {
		if code := healthcell.ErrorCode(err); code == healthcell.EINVALID || code == healthcell.ECONFLICT || code == healthcell.EFORBIDDEN {
			return s.renderPlanEdit(w, r, statusOf[code], p, err)
		}
		return err
	}
	s.sessions.Put(r.Context(), "notice", "common.saved")
	http.Redirect(w, r, fmt.Sprintf("/campaigns/%d/plan", id), http.StatusSeeOther)
	return nil
}

// formRows returns the values of the parallel fields names, row by row,
// leaving out rows whose fields are all blank. A name written "~name" is a
// field with a preset value (a select, a year): it does not make a row.
func formRows(r *http.Request, names ...string) [][]string {
	n := 0
	for _, name := range names {
		n = max(n, len(r.PostForm[strings.TrimPrefix(name, "~")]))
	}
	var out [][]string
	for i := 0; i < n; i++ {
		row := make([]string, len(names))
		blank := true
		for j, name := range names {
			preset := strings.HasPrefix(name, "~")
			if vs := r.PostForm[strings.TrimPrefix(name, "~")]; i < len(vs) {
				row[j] = strings.TrimSpace(vs[i])
			}
			blank = blank && (row[j] == "" || preset)
		}
		if !blank {
			out = append(out, row)
		}
	}
	return out
}

// formNumber parses a number typed in a form (full-width digits and
// thousands separators allowed); NaN when it is none, which validation
// reports.
func formNumber(s string) float64 {
	s = strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９':
			return r - '０' + '0'
		case r == '，' || r == ',' || r == ' ':
			return -1
		case r == '．':
			return '.'
		}
		return r
	}, s)
	if s == "" {
		return 0
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return math.NaN()
	}
	return f
}

// splitDepartments splits a list of departments typed with 、，, ; or spaces.
func splitDepartments(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == '、' || r == '，' || r == ',' || r == '；' || r == ';' || r == ' ' || r == '　'
	})
}

// planFromForm reads the editor's form over the current plan cur (whose
// state, template and version it keeps unless the form names a version).
func planFromForm(r *http.Request, cur *healthcell.Plan) *healthcell.Plan {
	p := &healthcell.Plan{CampaignID: cur.CampaignID, Division: cur.Division, Year: cur.Year, State: cur.State, Template: cur.Template,
		Title: r.PostFormValue("title"), Version: cur.Version}
	if v, err := strconv.Atoi(r.PostFormValue("version")); err == nil {
		p.Version = v
	}
	for _, key := range healthcell.PlanSectionKeys {
		body := r.PostFormValue("section_body_" + key)
		if strings.TrimSpace(body) == "" {
			continue
		}
		p.Sections = append(p.Sections, healthcell.PlanSection{Key: key, Title: r.PostFormValue("section_title_" + key), Body: body})
	}
	for _, row := range formRows(r, "goal_standard", "~goal_township", "~goal_year", "~goal_kind", "goal_value") {
		year, _ := strconv.Atoi(row[2])
		p.Goals = append(p.Goals, healthcell.PlanGoal{Standard: row[0], Township: row[1], Year: year, Kind: row[3], Value: formNumber(row[4])})
	}
	for _, row := range formRows(r, "pilot_village") {
		village := healthcell.NormalizeCode(row[0])
		town := village
		if len(village) == 12 {
			town = village[:9] + "000"
		}
		p.Pilots = append(p.Pilots, healthcell.PlanPilot{Township: town, Village: village})
	}
	for _, row := range formRows(r, "~phase_key", "phase_name", "phase_start", "phase_end", "~phase_ends", "phase_text") {
		p.Phases = append(p.Phases, healthcell.PlanPhase{Key: row[0], Name: row[1], Start: row[2], End: row[3], EndsApplications: row[4] == "1", Text: row[5]})
	}
	for _, row := range formRows(r, "~member_body", "member_role", "member_name", "member_post", "member_phone") {
		p.Members = append(p.Members, healthcell.PlanMember{Body: row[0], Role: row[1], Name: row[2], Post: row[3], Phone: row[4]})
	}
	used := map[string]bool{}
	rows := formRows(r, "task_key", "task_title", "task_lead", "task_responsible", "task_deadline", "~task_indicator", "task_text", "~task_std", "~task_item")
	for _, row := range rows {
		used[row[0]] = true
	}
	next := 1
	for _, row := range rows {
		key := row[0]
		if key == "" {
			for used[fmt.Sprintf("T%d", next)] {
				next++
			}
			key = fmt.Sprintf("T%d", next)
			used[key] = true
		}
		p.Tasks = append(p.Tasks, healthcell.PlanTask{Key: key, Title: row[1], Lead: row[2], Responsible: splitDepartments(row[3]),
			Deadline: row[4], Indicator: row[5], Text: row[6], StandardItem: standardItem(row[7], row[8])})
	}
	for _, row := range formRows(r, "ms_date", "ms_label", "ms_percent", "~ms_standard") {
		p.Milestones = append(p.Milestones, healthcell.PlanMilestone{Date: row[0], Label: row[1], Percent: formNumber(row[2]), Standard: row[3]})
	}
	used = map[string]bool{}
	brows := formRows(r, "budget_key", "budget_item", "budget_amount", "budget_source", "budget_subsidy", "budget_condition")
	for _, row := range brows {
		used[row[0]] = true
	}
	next = 1
	for _, row := range brows {
		key := row[0]
		if key == "" {
			for used[fmt.Sprintf("B%d", next)] {
				next++
			}
			key = fmt.Sprintf("B%d", next)
			used[key] = true
		}
		p.Budget = append(p.Budget, healthcell.PlanBudgetLine{Key: key, Item: row[1], Amount: formNumber(row[2]), Source: row[3],
			UnitSubsidy: formNumber(row[4]), Condition: row[5]})
	}
	return p
}
