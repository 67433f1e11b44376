package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/officedoc"
	"github.com/healthcell/healthcell/plantemplate"
	"github.com/healthcell/healthcell/report"
	"github.com/healthcell/healthcell/sqlstore"
)

const planUsage = "usage: healthcell plan templates | apply CAMPAIGN TEMPLATE | copy CAMPAIGN FROM-CAMPAIGN | publish CAMPAIGN | show CAMPAIGN [--json] | progress CAMPAIGN [--day YYYY-MM-DD] | export CAMPAIGN --out plan.docx"

// runPlan lists the plan templates and applies, copies, publishes and
// shows campaign plans.
func (m *Main) runPlan(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("%s", planUsage)
	}
	if args[0] == "templates" {
		all, err := plantemplate.Shipped()
		if err != nil {
			return err
		}
		for _, t := range all {
			fmt.Fprintf(m.Stdout, "%s\t%s\t%s\n", t.Code, t.Level, t.Name)
		}
		return nil
	}
	fs, dsn := m.flags("plan " + args[0])
	asJSON := fs.Bool("json", false, "print the plan as JSON")
	day := fs.String("day", "", "the day of the progress (YYYY-MM-DD); today when empty")
	out := fs.String("out", "", "the .docx file to write (export)")
	var pos []string
	rest := args[1:]
	for len(rest) > 0 {
		if err := fs.Parse(rest); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		pos, rest = append(pos, fs.Arg(0)), fs.Args()[1:]
	}
	need := map[string]int{"apply": 2, "copy": 2, "publish": 1, "show": 1, "progress": 1, "export": 1}
	n, ok := need[args[0]]
	if !ok {
		return fmt.Errorf("unknown plan command %q\n%s", args[0], planUsage)
	}
	if len(pos) != n {
		return fmt.Errorf("%s", planUsage)
	}
	camp, err := strconv.ParseInt(pos[0], 10, 64)
	if err != nil {
		return fmt.Errorf("campaign %q is not a number", pos[0])
	}
	return m.withDB(ctx, *dsn, func(db *sqlstore.DB) error {
		sys := system(ctx)
		switch args[0] {
		case "apply":
			p, err := db.ApplyPlanTemplate(sys, camp, pos[1], currentVersion(sys, db, camp))
			if err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "campaign %d: draft plan %q from template %s\n", camp, p.Title, pos[1])
		case "copy":
			from, err := strconv.ParseInt(pos[1], 10, 64)
			if err != nil {
				return fmt.Errorf("campaign %q is not a number", pos[1])
			}
			p, err := db.CopyPlan(sys, camp, from, currentVersion(sys, db, camp))
			if err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "campaign %d: draft plan %q copied from campaign %d\n", camp, p.Title, from)
		case "publish":
			p, err := db.PublishPlan(sys, camp, 0)
			if err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "campaign %d: plan %q published\n", camp, p.Title)
		case "show":
			p, err := db.FindPlan(sys, camp)
			if err != nil {
				return err
			}
			if *asJSON {
				enc := json.NewEncoder(m.Stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(p)
			}
			m.printPlan(p)
		case "export":
			if *out == "" {
				return fmt.Errorf("%s", planUsage)
			}
			p, err := db.FindPlan(sys, camp)
			if err != nil {
				return err
			}
			names := map[string]string{}
			county := ""
			if d, err := db.FindDivision(sys, p.Division); err == nil {
				county = d.Name
				for _, t := range d.Children {
					names[t.Code] = t.Name
				}
			}
			for _, pl := range p.Pilots {
				if d, err := db.FindDivision(sys, pl.Village); err == nil {
					names[pl.Village] = d.Name
				}
			}
			b, err := officedoc.Bytes(report.PlanDocument(p, county, names))
			if err != nil {
				return err
			}
			if err := os.WriteFile(*out, b, 0o644); err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "wrote %s (%d bytes)\n", *out, len(b))
		case "progress":
			g, err := db.PlanProgress(sys, camp, *day)
			if err != nil {
				return err
			}
			enc := json.NewEncoder(m.Stdout)
			enc.SetIndent("", "  ")
			return enc.Encode(g)
		}
		return nil
	})
}

// currentVersion is the version of the campaign's stored plan, 0 when it
// has none (a copy then creates it).
func currentVersion(ctx context.Context, db healthcell.PlanService, campaign int64) int {
	if p, err := db.FindPlan(ctx, campaign); err == nil {
		return p.Version
	}
	return 0
}

// printPlan writes a plan as text: title, goals, phases, tasks.
func (m *Main) printPlan(p *healthcell.Plan) {
	w := m.Stdout
	fmt.Fprintf(w, "%s (%s, version %d)\n", p.Title, p.State, p.Version)
	for _, g := range p.Goals {
		town := g.Township
		if town == "" {
			town = "every township"
		}
		unit := "%"
		if g.Kind == healthcell.GoalCount {
			unit = " units"
		}
		fmt.Fprintf(w, "goal\t%d\t%s\t%s\t%g%s\n", g.Year, g.CellType, town, g.Value, unit)
	}
	for _, ph := range p.Phases {
		mark := ""
		if ph.EndsApplications {
			mark = "\tapplications close"
		}
		fmt.Fprintf(w, "phase\t%s\t%s — %s%s\n", ph.Name, ph.Start, ph.End, mark)
	}
	for _, t := range p.Tasks {
		fmt.Fprintf(w, "task\t%s\t%s\tlead %s\tdue %s\t%d%%\n", t.Key, t.Title, t.Lead, t.Deadline, t.Progress)
	}
	for _, b := range p.Budget {
		fmt.Fprintf(w, "budget\t%s\t%s\t%.2f\tspent %.2f\n", b.Key, b.Item, b.Amount, b.Spent)
	}
}
