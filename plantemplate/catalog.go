package plantemplate

import (
	"fmt"
	"sync"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/catalog"
)

// Shipped returns the templates of catalog/plans in file order, parsed once
// (they are embedded in the binary); an error names a file that does not
// parse (the tests rule that out). The templates are shared: do not change
// them (Plan makes a fresh plan of one).
func Shipped() ([]*Template, error) { return shipped() }

var shipped = sync.OnceValues(parseShipped)

func parseShipped() ([]*Template, error) {
	files, err := catalog.PlanTemplates()
	if err != nil {
		return nil, err
	}
	out := make([]*Template, 0, len(files))
	for _, f := range files {
		t, err := Parse(f.Text)
		if err != nil {
			return nil, fmt.Errorf("plan template %s: %w", f.Name, err)
		}
		out = append(out, t)
	}
	return out, nil
}

// Find returns the shipped template with code; ENOTFOUND when none.
func Find(code string) (*Template, error) {
	all, err := Shipped()
	if err != nil {
		return nil, err
	}
	for _, t := range all {
		if t.Code == code {
			return t, nil
		}
	}
	return nil, healthcell.Errorf(healthcell.ENOTFOUND, "error.not_found.plan_template")
}
