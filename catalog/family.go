package catalog

import (
	"bytes"
	"embed"
	"fmt"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/healthcell/healthcell/indicator"
)

//go:embed family/*.yaml
var familyFiles embed.FS

// FamilyRules says how the family standard's items are answered from the
// registers for one household (family/healthy-family.yaml), and the share
// of a township's bulk batch it checks by hand.
type FamilyRules struct {
	Standard      string       `yaml:"standard"`
	SamplePercent int          `yaml:"sample_percent"`
	Items         []FamilyRule `yaml:"items"`
}

// FamilyRule answers one item: When holds, or at least AtLeast of Of hold.
type FamilyRule struct {
	Item    string   `yaml:"item"`
	When    string   `yaml:"when"`
	AtLeast int      `yaml:"at_least"`
	Of      []string `yaml:"of"`
}

// Rule returns the rule as the indicator package compiles it.
func (r FamilyRule) Rule() indicator.Rule {
	if r.When != "" {
		return indicator.Rule{Filters: []string{r.When}}
	}
	return indicator.Rule{Filters: r.Of, Min: r.AtLeast}
}

var family = sync.OnceValues(func() (*FamilyRules, error) {
	b, err := familyFiles.ReadFile("family/healthy-family.yaml")
	if err != nil {
		return nil, err
	}
	regs, err := Registers()
	if err != nil {
		return nil, err
	}
	var f FamilyRules
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("catalog family: %w", err)
	}
	if f.Standard == "" || f.SamplePercent < 1 || f.SamplePercent > 100 || len(f.Items) == 0 {
		return nil, fmt.Errorf("catalog family: standard, sample_percent (1–100) and items are required")
	}
	srcs := indicator.NewSources(regs)
	seen := map[string]bool{}
	for _, it := range f.Items {
		if seen[it.Item] || (it.When == "") == (len(it.Of) == 0) {
			return nil, fmt.Errorf("catalog family: item %q: repeated, or not exactly one of when and of", it.Item)
		}
		seen[it.Item] = true
		if errs := indicator.CheckRule(it.Rule(), indicator.Households, srcs); len(errs) > 0 {
			return nil, fmt.Errorf("catalog family: item %s: %v", it.Item, errs)
		}
	}
	return &f, nil
})

// Family returns the shipped family rules, parsed and checked against the
// registers once; an error names the item at fault.
func Family() (*FamilyRules, error) { return family() }
