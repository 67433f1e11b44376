package healthcell

import (
	"fmt"
	"math"
	"strings"
	"unicode"
)

// Limits on a plan's parts.
const (
	maxPlanText  = 20000 // runes in one section or task text
	maxPlanList  = 500   // rows in any one list
	maxPlanShort = 200   // runes in a name, title or post
)

// CleanPlanText returns s as a plan stores it: line ends as \n, control
// characters (other than \n and \t) removed, surrounding blank space trimmed.
func CleanPlanText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if unicode.IsControl(r) || r == '\uFEFF' {
			return -1
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

// Normalize trims every text of the plan and cleans its sections.
func (p *Plan) Normalize() {
	p.Title = strings.TrimSpace(p.Title)
	for i := range p.Sections {
		s := &p.Sections[i]
		s.Title = strings.TrimSpace(s.Title)
		s.Body = CleanPlanText(s.Body)
	}
	for i := range p.Goals {
		g := &p.Goals[i]
		g.Standard, g.CellType = strings.TrimSpace(g.Standard), strings.TrimSpace(g.CellType)
		if g.Township != "" {
			g.Township = NormalizeCode(g.Township)
		}
	}
	for i := range p.Pilots {
		p.Pilots[i].Township = NormalizeCode(p.Pilots[i].Township)
		p.Pilots[i].Village = NormalizeCode(p.Pilots[i].Village)
	}
	for i := range p.Phases {
		p.Phases[i].Name = strings.TrimSpace(p.Phases[i].Name)
		p.Phases[i].Text = CleanPlanText(p.Phases[i].Text)
	}
	for i := range p.Members {
		m := &p.Members[i]
		m.Role, m.Name, m.Post, m.Phone = strings.TrimSpace(m.Role), strings.TrimSpace(m.Name), strings.TrimSpace(m.Post), strings.TrimSpace(m.Phone)
	}
	for i := range p.Tasks {
		t := &p.Tasks[i]
		t.Key, t.Title, t.Lead = strings.TrimSpace(t.Key), strings.TrimSpace(t.Title), strings.TrimSpace(t.Lead)
		t.Text = CleanPlanText(t.Text)
		var resp []string
		for _, r := range t.Responsible {
			if r = strings.TrimSpace(r); r != "" {
				resp = append(resp, r)
			}
		}
		t.Responsible = resp
	}
	for i := range p.Budget {
		b := &p.Budget[i]
		b.Key, b.Item, b.Source, b.Condition = strings.TrimSpace(b.Key), strings.TrimSpace(b.Item), strings.TrimSpace(b.Source), strings.TrimSpace(b.Condition)
	}
}

// Validate checks a plan; it returns EINVALID naming every field at fault
// (lists by field and 1-based Row): a goal over 100 %, a phase ending before
// it starts, a task without a lead department, a budget line below zero …
func (p *Plan) Validate() error {
	var fe []FieldError
	add := func(field string, row int, msg, value string) {
		fe = append(fe, FieldError{Field: field, Row: row, Message: msg, Value: value})
	}
	if n := len([]rune(p.Title)); n == 0 {
		add("title", 0, "field.required", "")
	} else if n > maxPlanShort {
		add("title", 0, "field.too_long", "")
	}
	if p.State != PlanDraft && p.State != PlanPublished {
		add("state", 0, "plan.state.invalid", p.State)
	}
	for _, l := range []struct {
		field string
		n     int
	}{{"sections", len(p.Sections)}, {"goals", len(p.Goals)}, {"pilots", len(p.Pilots)}, {"phases", len(p.Phases)},
		{"members", len(p.Members)}, {"tasks", len(p.Tasks)}, {"milestones", len(p.Milestones)}, {"budget", len(p.Budget)}} {
		if l.n > maxPlanList {
			add(l.field, 0, "plan.list.too_long", "")
		}
	}
	seen := map[string]bool{}
	for i, s := range p.Sections {
		if !containsString(PlanSectionKeys, s.Key) || seen[s.Key] {
			add("sections.key", i+1, "plan.section.invalid", s.Key)
		}
		seen[s.Key] = true
		if len([]rune(s.Body)) > maxPlanText {
			add("sections.body", i+1, "field.too_long", "")
		}
	}
	p.validateGoals(add)
	for i, pl := range p.Pilots {
		if CodeLevel(pl.Township) != LevelTownship || !Covers(p.Division, pl.Township) {
			add("pilots.township", i+1, "division.code.invalid", pl.Township)
		}
		if CodeLevel(pl.Village) != LevelVillage || !Covers(pl.Township, pl.Village) {
			add("pilots.village", i+1, "division.code.invalid", pl.Village)
		}
	}
	p.validatePhases(add)
	for i, m := range p.Members {
		if m.Body != "group" && m.Body != "office" {
			add("members.body", i+1, "plan.member.body.invalid", m.Body)
		}
		if m.Name == "" {
			add("members.name", i+1, "field.required", "")
		}
		if len([]rune(m.Name)) > maxPlanShort || len([]rune(m.Post)) > maxPlanShort || len([]rune(m.Role)) > maxPlanShort {
			add("members.post", i+1, "field.too_long", "")
		}
		if m.Phone != "" && !phoneLike(m.Phone) {
			add("members.phone", i+1, "plan.phone.invalid", "")
		}
	}
	p.validateTasks(add)
	for i, m := range p.Milestones {
		if _, ok := EndOfDay(m.Date); !ok {
			add("milestones.date", i+1, "campaign.date.invalid", m.Date)
		}
		if !(m.Percent > 0 && m.Percent <= 100) || math.IsNaN(m.Percent) {
			add("milestones.percent", i+1, "plan.percent.invalid", fmt.Sprint(m.Percent))
		}
	}
	keys := map[string]bool{}
	for i, b := range p.Budget {
		if b.Key == "" || keys[b.Key] {
			add("budget.key", i+1, "plan.key.invalid", b.Key)
		}
		keys[b.Key] = true
		if b.Item == "" {
			add("budget.item", i+1, "field.required", "")
		}
		if b.Amount < 0 || math.IsNaN(b.Amount) || math.IsInf(b.Amount, 0) {
			add("budget.amount", i+1, "plan.amount.invalid", fmt.Sprint(b.Amount))
		}
		if b.UnitSubsidy < 0 || math.IsNaN(b.UnitSubsidy) || math.IsInf(b.UnitSubsidy, 0) {
			add("budget.unit_subsidy", i+1, "plan.amount.invalid", fmt.Sprint(b.UnitSubsidy))
		}
	}
	return Invalid(fe)
}

func (p *Plan) validateGoals(add func(string, int, string, string)) {
	type key struct {
		std, town string
		year      int
	}
	seen := map[key]bool{}
	for i, g := range p.Goals {
		if g.Standard == "" {
			add("goals.standard", i+1, "field.required", "")
		}
		if g.Year < 2000 || g.Year > 2100 {
			add("goals.year", i+1, "campaign.year.invalid", fmt.Sprint(g.Year))
		}
		if g.Township != "" && (CodeLevel(g.Township) != LevelTownship || !Covers(p.Division, g.Township)) {
			add("goals.township", i+1, "division.code.invalid", g.Township)
		}
		switch {
		case math.IsNaN(g.Value) || math.IsInf(g.Value, 0):
			add("goals.value", i+1, "plan.goal.invalid", "")
		case g.Kind == GoalPercent && (g.Value <= 0 || g.Value > 100):
			add("goals.value", i+1, "plan.percent.invalid", fmt.Sprint(g.Value))
		case g.Kind == GoalCount && (g.Value < 1 || g.Value != math.Trunc(g.Value) || g.Value > 1e7):
			add("goals.value", i+1, "plan.goal.count.invalid", fmt.Sprint(g.Value))
		case g.Kind != GoalPercent && g.Kind != GoalCount:
			add("goals.kind", i+1, "plan.goal.kind.invalid", g.Kind)
		}
		k := key{g.Standard, g.Township, g.Year}
		if seen[k] {
			add("goals.standard", i+1, "plan.goal.duplicate", g.Standard)
		}
		seen[k] = true
	}
}

func (p *Plan) validatePhases(add func(string, int, string, string)) {
	ends := 0
	for i, ph := range p.Phases {
		if !containsString(PlanPhaseKeys, ph.Key) {
			add("phases.key", i+1, "plan.phase.invalid", ph.Key)
		}
		if ph.Name == "" || len([]rune(ph.Name)) > maxPlanShort {
			add("phases.name", i+1, "field.required", "")
		}
		_, okS := EndOfDay(ph.Start)
		_, okE := EndOfDay(ph.End)
		if !okS {
			add("phases.start", i+1, "campaign.date.invalid", ph.Start)
		}
		if !okE {
			add("phases.end", i+1, "campaign.date.invalid", ph.End)
		}
		if okS && okE && ph.End < ph.Start {
			add("phases.end", i+1, "plan.phase.end_before_start", ph.End)
		}
		if ph.EndsApplications {
			if ends++; ends > 1 {
				add("phases.ends_applications", i+1, "plan.phase.ends_twice", "")
			}
		}
	}
}

func (p *Plan) validateTasks(add func(string, int, string, string)) {
	keys := map[string]bool{}
	for i, t := range p.Tasks {
		if t.Key == "" || keys[t.Key] || len(t.Key) > 20 {
			add("tasks.key", i+1, "plan.key.invalid", t.Key)
		}
		keys[t.Key] = true
		if t.Title == "" || len([]rune(t.Title)) > maxPlanShort {
			add("tasks.title", i+1, "field.required", "")
		}
		if t.Lead == "" {
			add("tasks.lead", i+1, "plan.task.lead.required", "")
		} else if len([]rune(t.Lead)) > maxPlanShort {
			add("tasks.lead", i+1, "field.too_long", "")
		}
		if len(t.Responsible) > 50 {
			add("tasks.responsible", i+1, "plan.list.too_long", "")
		}
		if _, ok := EndOfDay(t.Deadline); !ok {
			add("tasks.deadline", i+1, "campaign.date.invalid", t.Deadline)
		}
		if len([]rune(t.Text)) > maxPlanText {
			add("tasks.text", i+1, "field.too_long", "")
		}
	}
}

// phoneLike reports whether s looks like a phone number: digits with at
// most spaces, dashes, parentheses and a leading +.
func phoneLike(s string) bool {
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == ' ' || r == '-' || r == '(' || r == ')' || (r == '+' && i == 0):
		default:
			return false
		}
	}
	return digits >= 5 && digits <= 20
}

// ApplicationsDeadline returns the last day of the phase that ends
// applications, or "" when no phase does.
func (p *Plan) ApplicationsDeadline() string {
	for _, ph := range p.Phases {
		if ph.EndsApplications {
			return ph.End
		}
	}
	return ""
}

// Task returns the task with key, or nil.
func (p *Plan) Task(key string) *PlanTask {
	for i := range p.Tasks {
		if p.Tasks[i].Key == key {
			return &p.Tasks[i]
		}
	}
	return nil
}

// TaskDepartment returns the department under which a actor reports on t,
// or "" when it is none of t's: a department officer by its department
// (lead or responsible), a township officer when the townships are
// responsible.
func (t *PlanTask) TaskDepartment(a *Actor) string {
	if a == nil {
		return ""
	}
	switch a.Role {
	case RoleDepartment:
		if a.Department == "" {
			return ""
		}
		if a.Department == t.Lead || containsString(t.Responsible, a.Department) {
			return a.Department
		}
	case RoleTownship:
		if containsString(t.Responsible, TownshipsResponsible) {
			return TownshipsResponsible
		}
	}
	return ""
}

// Validate checks a task report; EINVALID with the fields at fault.
func (r *PlanTaskReport) Validate() error {
	var fe []FieldError
	r.Note = CleanPlanText(r.Note)
	if r.Note == "" {
		fe = append(fe, FieldError{Field: "note", Message: "field.required"})
	} else if len([]rune(r.Note)) > 4000 {
		fe = append(fe, FieldError{Field: "note", Message: "field.too_long"})
	}
	if r.Percent < 0 || r.Percent > 100 {
		fe = append(fe, FieldError{Field: "percent", Message: "plan.percent.invalid", Value: fmt.Sprint(r.Percent)})
	}
	return Invalid(fe)
}

// Validate checks a spending record; EINVALID with the fields at fault.
func (s *PlanSpending) Validate() error {
	var fe []FieldError
	s.Note = CleanPlanText(s.Note)
	if !(s.Amount > 0) || math.IsInf(s.Amount, 0) {
		fe = append(fe, FieldError{Field: "amount", Message: "plan.amount.invalid", Value: fmt.Sprint(s.Amount)})
	}
	if _, ok := EndOfDay(s.SpentOn); !ok {
		fe = append(fe, FieldError{Field: "spent_on", Message: "campaign.date.invalid", Value: s.SpentOn})
	}
	if len([]rune(s.Note)) > 1000 {
		fe = append(fe, FieldError{Field: "note", Message: "field.too_long"})
	}
	return Invalid(fe)
}
