// Package plantemplate reads plan templates (catalog/plans/*.yaml): a work
// plan (工作方案) as the seeds write one, with its dates as month-day in the
// campaign's year (plus a year offset), and copies a template or last
// year's plan into a campaign's plan.
package plantemplate

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/healthcell/healthcell"
	"gopkg.in/yaml.v3"
)

// Template is a plan template.
type Template struct {
	Code       string      `yaml:"code"`
	Name       string      `yaml:"name"`
	Level      string      `yaml:"level"`  // county, township or community: who writes such a plan
	Source     string      `yaml:"source"` // the document it was written from
	Title      string      `yaml:"title"`  // {year} is replaced by the campaign's year
	Sections   []section   `yaml:"sections"`
	Goals      []goal      `yaml:"goals"`
	Phases     []phase     `yaml:"phases"`
	Members    []member    `yaml:"members"`
	Tasks      []task      `yaml:"tasks"`
	Milestones []milestone `yaml:"milestones"`
	Budget     []budget    `yaml:"budget"`
}

type section struct {
	Key, Title, Body string
}

type goal struct {
	Standard   string  `yaml:"standard"`
	YearOffset int     `yaml:"year_offset"`
	Kind       string  `yaml:"kind"`
	Value      float64 `yaml:"value"`
}

type phase struct {
	Key              string `yaml:"key"`
	Name             string `yaml:"name"`
	Start            string `yaml:"start"` // MM-DD, or +N:MM-DD for N years later
	End              string `yaml:"end"`
	EndsApplications bool   `yaml:"ends_applications"`
	Text             string `yaml:"text"`
}

type member struct {
	Body, Role, Name, Post string
}

type task struct {
	Key          string   `yaml:"key"`
	Title        string   `yaml:"title"`
	Text         string   `yaml:"text"`
	Lead         string   `yaml:"lead"`
	Responsible  []string `yaml:"responsible"`
	Deadline     string   `yaml:"deadline"`
	Indicator    string   `yaml:"indicator"`
	StandardItem string   `yaml:"standard_item"`
}

type milestone struct {
	Date     string  `yaml:"date"`
	Label    string  `yaml:"label"`
	Percent  float64 `yaml:"percent"`
	Standard string  `yaml:"standard"`
}

type budget struct {
	Key         string  `yaml:"key"`
	Item        string  `yaml:"item"`
	Amount      float64 `yaml:"amount"`
	Source      string  `yaml:"source"`
	UnitSubsidy float64 `yaml:"unit_subsidy"`
	Condition   string  `yaml:"condition"`
}

// Parse reads a template; it returns an error naming the line for bad YAML
// or an unknown field, and EINVALID when the plan it makes for a sample
// year does not validate.
func Parse(text []byte) (*Template, error) {
	dec := yaml.NewDecoder(bytes.NewReader(text))
	dec.KnownFields(true)
	t := &Template{}
	if err := dec.Decode(t); err != nil {
		return nil, fmt.Errorf("plan template: %w", err)
	}
	if t.Code == "" || t.Name == "" {
		return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "code", Message: "field.required"}})
	}
	p, err := t.Plan(2026, "510824000000")
	if err != nil {
		return nil, err
	}
	p.Normalize()
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return t, nil
}

// day turns a template date (MM-DD, or +N:MM-DD) into YYYY-MM-DD of year
// (+N); EINVALID naming field when it is not one.
func day(s string, year int, field string, row int) (string, error) {
	off := 0
	if i := strings.IndexByte(s, ':'); i > 0 {
		if _, err := fmt.Sscanf(s[:i], "+%d", &off); err != nil {
			return "", bad(field, row, s)
		}
		s = s[i+1:]
	}
	d := fmt.Sprintf("%04d-%s", year+off, s)
	if _, err := time.Parse(time.DateOnly, d); err != nil {
		return "", bad(field, row, s)
	}
	return d, nil
}

func bad(field string, row int, v string) error {
	return healthcell.Invalid([]healthcell.FieldError{{Field: field, Row: row, Message: "campaign.date.invalid", Value: v}})
}

// Plan makes a draft plan of the template for a campaign of year in
// county; EINVALID for a bad date in the template.
func (t *Template) Plan(year int, county string) (*healthcell.Plan, error) {
	p := &healthcell.Plan{Division: county, Year: year, State: healthcell.PlanDraft, Template: t.Code,
		Title: strings.ReplaceAll(t.Title, "{year}", fmt.Sprint(year))}
	for _, s := range t.Sections {
		p.Sections = append(p.Sections, healthcell.PlanSection{Key: s.Key, Title: s.Title, Body: s.Body})
	}
	for _, g := range t.Goals {
		p.Goals = append(p.Goals, healthcell.PlanGoal{Standard: g.Standard, Year: year + g.YearOffset, Kind: g.Kind, Value: g.Value})
	}
	var err error
	for i, ph := range t.Phases {
		out := healthcell.PlanPhase{Key: ph.Key, Name: ph.Name, EndsApplications: ph.EndsApplications, Text: ph.Text}
		if out.Start, err = day(ph.Start, year, "phases.start", i+1); err != nil {
			return nil, err
		}
		if out.End, err = day(ph.End, year, "phases.end", i+1); err != nil {
			return nil, err
		}
		p.Phases = append(p.Phases, out)
	}
	for _, m := range t.Members {
		p.Members = append(p.Members, healthcell.PlanMember{Body: m.Body, Role: m.Role, Name: m.Name, Post: m.Post})
	}
	for i, tk := range t.Tasks {
		out := healthcell.PlanTask{Key: tk.Key, Title: tk.Title, Text: tk.Text, Lead: tk.Lead,
			Responsible: append([]string(nil), tk.Responsible...), Indicator: tk.Indicator, StandardItem: tk.StandardItem}
		if out.Deadline, err = day(tk.Deadline, year, "tasks.deadline", i+1); err != nil {
			return nil, err
		}
		p.Tasks = append(p.Tasks, out)
	}
	for i, m := range t.Milestones {
		out := healthcell.PlanMilestone{Label: m.Label, Percent: m.Percent, Standard: m.Standard}
		if out.Date, err = day(m.Date, year, "milestones.date", i+1); err != nil {
			return nil, err
		}
		p.Milestones = append(p.Milestones, out)
	}
	for _, b := range t.Budget {
		p.Budget = append(p.Budget, healthcell.PlanBudgetLine{Key: b.Key, Item: b.Item, Amount: b.Amount, Source: b.Source,
			UnitSubsidy: b.UnitSubsidy, Condition: b.Condition})
	}
	return p, nil
}

// NextYear returns a copy of last year's plan for a campaign of another
// year: every date and goal year moved by the difference, a draft, without
// its reports, spending or progress. 29 February becomes 1 March.
func NextYear(prev *healthcell.Plan, year int) *healthcell.Plan {
	n := year - prev.Year
	p := &healthcell.Plan{Division: prev.Division, Year: year, State: healthcell.PlanDraft, Template: prev.Template,
		Title: strings.ReplaceAll(prev.Title, fmt.Sprint(prev.Year), fmt.Sprint(year))}
	p.Sections = append(p.Sections, prev.Sections...)
	for _, g := range prev.Goals {
		g.Year += n
		p.Goals = append(p.Goals, g)
	}
	p.Pilots = append(p.Pilots, prev.Pilots...)
	for _, ph := range prev.Phases {
		ph.Start, ph.End = healthcell.AddYears(ph.Start, n), healthcell.AddYears(ph.End, n)
		p.Phases = append(p.Phases, ph)
	}
	p.Members = append(p.Members, prev.Members...)
	for _, t := range prev.Tasks {
		t.Deadline = healthcell.AddYears(t.Deadline, n)
		t.Responsible = append([]string(nil), t.Responsible...)
		t.Progress, t.Overdue = 0, false
		p.Tasks = append(p.Tasks, t)
	}
	for _, m := range prev.Milestones {
		m.Date = healthcell.AddYears(m.Date, n)
		p.Milestones = append(p.Milestones, m)
	}
	for _, b := range prev.Budget {
		b.Spent = 0
		p.Budget = append(p.Budget, b)
	}
	return p
}
