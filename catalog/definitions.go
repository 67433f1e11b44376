package catalog

import (
	"fmt"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/catalog/workflows"
	"github.com/healthcell/healthcell/frequency"
	"github.com/healthcell/healthcell/register"
	"github.com/healthcell/healthcell/workflow"
)

// Definitions are what a county works with beside its data: the registers,
// the indicators computed from them, the creation workflow, the rules of
// healthy families, activity frequencies and evidence flags, and the
// economic regions of provinces. They are loaded once at start-up (Load for
// the shipped files) and handed to storage (sqlstore.Open) and to the web
// server (web.Config) as a value; neither reads package state, so a county's
// own definitions can be loaded in their place. Nobody changes a
// Definitions after it is built.
type Definitions struct {
	Registers   *register.Set
	Indicators  []*healthcell.Indicator
	Creation    *workflow.Machine
	Family      *FamilyRules
	Frequencies []frequency.Rule
	Evidence    EvidenceRules
	// Regions maps a province (the first two digits of a division code)
	// to 东, 中 or 西 (regions.csv).
	Regions map[string]string
	// Themes group the indicators on the dashboard (indicator_themes.yaml).
	Themes []Theme
	// ArticleCategories are the categories of public articles
	// (articles/categories.yaml).
	ArticleCategories []ArticleCategory
}

// IsArticleCategory reports whether code is one of d's article categories.
func (d *Definitions) IsArticleCategory(code string) bool {
	for _, c := range d.ArticleCategories {
		if c.Code == code {
			return true
		}
	}
	return false
}

// Load returns the shipped definitions, every file parsed and checked
// against the registers. It returns an error naming the file at fault for a
// broken one (which the tests rule out).
func Load() (*Definitions, error) {
	d := &Definitions{}
	var err error
	if d.Registers, err = Registers(); err != nil {
		return nil, err
	}
	if d.Indicators, err = Indicators(); err != nil {
		return nil, err
	}
	if d.Creation, err = workflows.Creation(); err != nil {
		return nil, err
	}
	if d.Family, err = Family(); err != nil {
		return nil, err
	}
	if d.Frequencies, err = Frequencies(); err != nil {
		return nil, err
	}
	if d.Evidence, err = Evidence(); err != nil {
		return nil, err
	}
	if d.Regions, err = regionTable(); err != nil {
		return nil, err
	}
	if d.Themes, err = IndicatorThemes(); err != nil {
		return nil, err
	}
	if d.ArticleCategories, err = ArticleCategories(); err != nil {
		return nil, err
	}
	return d, nil
}

// MustLoad is Load for tests and start-up code that runs after the catalog
// tests passed; it panics on a broken file.
func MustLoad() *Definitions {
	d, err := Load()
	if err != nil {
		panic(fmt.Errorf("catalog: %w", err))
	}
	return d
}

// EconomicRegion returns 东, 中 or 西 for a division code (any length of at
// least two digits), or "" for a province the table does not list.
func (d *Definitions) EconomicRegion(code string) string {
	if len(code) < 2 {
		return ""
	}
	return d.Regions[code[:2]]
}
