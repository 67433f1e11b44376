// Package indicator holds indicators as data: definitions read from
// catalog/indicators/*.yaml (or saved by a county), a small filter language
// over the registers' fields, checks against the allow-list of sources and
// fields, and compilation of each measure to one parameterised SQL query
// grouped by division prefix that runs on SQLite and PostgreSQL. The
// package is pure: it runs no query.
//
// A measure counts rows, distinct persons or distinct households, or sums a
// numeric field, over one source (a register, residents, households or
// questionnaire responses), with a filter and a period rule:
//
//	period   rows whose period field falls in the period (the default)
//	overlap  spans (start … end) overlapping the period
//	asof     rows dated on or before the period's end
//	any      every active row
//	2y, 6m   rows dated in the N years (months) ending with the period
//
// Filters compare fields with constants (= != < <= > >=, in (…)), combine
// with and, or, not, and test existence in another source linked by person
// or household: has(checkups, 2y, kind = 'elderly'). On residents, age is
// the age in whole years at the period's end.
package indicator

import (
	"fmt"
	"io"
	"io/fs"
	"math"
	"path"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/healthcell/healthcell"
)

// Parse reads a YAML list of indicators. It returns an error for bad YAML
// or unknown keys.
func Parse(r io.Reader) ([]*healthcell.Indicator, error) {
	dec := yaml.NewDecoder(r)
	dec.KnownFields(true)
	var out []*healthcell.Indicator
	if err := dec.Decode(&out); err != nil {
		return nil, fmt.Errorf("indicator: %w", err)
	}
	return out, nil
}

// LoadDir parses every *.yaml file in fsys's root and checks each indicator
// against srcs. It returns an error naming the file and indicator at fault,
// or a code used twice.
func LoadDir(fsys fs.FS, srcs Sources) ([]*healthcell.Indicator, error) {
	names, err := fs.Glob(fsys, "*.yaml")
	if err != nil {
		return nil, err
	}
	var all []*healthcell.Indicator
	known := map[string]*healthcell.Indicator{}
	for _, name := range names {
		f, err := fsys.Open(name)
		if err != nil {
			return nil, err
		}
		inds, err := Parse(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path.Base(name), err)
		}
		for _, ind := range inds {
			if known[ind.Code] != nil {
				return nil, fmt.Errorf("%s: indicator %s defined twice", path.Base(name), ind.Code)
			}
			known[ind.Code] = ind
			all = append(all, ind)
		}
	}
	for _, ind := range all {
		if fe := Check(ind, srcs, known); len(fe) > 0 {
			return nil, fmt.Errorf("indicator %s: %s", ind.Code, describe(fe))
		}
	}
	return all, nil
}

func describe(fe []healthcell.FieldError) string {
	var parts []string
	for _, e := range fe {
		parts = append(parts, fmt.Sprintf("%s: %s %s", e.Field, e.Message, e.Value))
	}
	return strings.Join(parts, "; ")
}

// Value returns an indicator's value from its numerator and denominator:
// the ratio (times 100 for %), or the numerator for a count; ok is false
// when the denominator is zero.
func Value(ind *healthcell.Indicator, num, den float64) (float64, bool) {
	if ind.Unit == healthcell.UnitCount && ind.Denominator == nil {
		return num, true
	}
	if den == 0 {
		return 0, false
	}
	v := num / den
	if ind.Unit == healthcell.UnitPercent {
		v *= 100
	}
	return v, true
}

// Round returns v rounded to two decimals.
func Round(v float64) float64 { return math.Round(v*100) / 100 }

// Met reports whether v meets ind's target in its direction; nil without a
// target.
func Met(ind *healthcell.Indicator, v float64) *bool {
	if ind.Target == nil {
		return nil
	}
	m := v >= *ind.Target
	if ind.Direction == healthcell.Lower {
		m = v <= *ind.Target
	}
	return &m
}

// EvalExpr computes an expression indicator from the values of the
// indicators it names; ok is false when one is missing or it divides by
// zero. It returns an error for an expression that does not parse.
func EvalExpr(expr string, vals map[string]float64) (float64, bool, error) {
	n, err := ParseExpr(expr)
	if err != nil {
		return 0, false, err
	}
	v, ok := evalExpr(n, vals)
	return v, ok, nil
}

// Refs returns the indicator codes an expression names.
func Refs(expr string) []string {
	n, err := ParseExpr(expr)
	if err != nil {
		return nil
	}
	return refs(n, nil)
}
