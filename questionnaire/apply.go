package questionnaire

import (
	"github.com/healthcell/healthcell"
)

// Apply copies a scored result into r: the totals, the part results, one
// ResponseItem per item with the labels of answers (normalized, in option
// order) and one ResponseGroup per aspect, area and part. Aspects and areas
// pass at the questionnaire's pass rate of their own points.
func (q *Questionnaire) Apply(r *healthcell.Response, res Result) {
	r.Points, r.MaxPoints, r.PassPoints, r.Passed = res.Total, res.Max, res.PassPoints, res.Passed
	r.KnowledgePassed, r.BehaviourPassed = nil, nil
	r.Items = make([]healthcell.ResponseItem, len(q.Items))
	for i := range q.Items {
		it := &q.Items[i]
		r.Items[i] = healthcell.ResponseItem{Item: it.Code, Labels: it.Ordered(r.Answers[it.Code]), Points: res.Items[i].Points, Max: it.Points}
	}
	r.Groups = r.Groups[:0]
	for _, g := range res.Aspects {
		if g.Max == 0 {
			continue // declared, but no item belongs to it
		}
		r.Groups = append(r.Groups, healthcell.ResponseGroup{Kind: healthcell.GroupAspect, Code: g.Name, Points: g.Points, Max: g.Max,
			Passed: g.Points >= passPoints(q.PassRate, g.Max)})
	}
	for _, g := range res.Areas {
		if g.Max == 0 {
			continue
		}
		r.Groups = append(r.Groups, healthcell.ResponseGroup{Kind: healthcell.GroupArea, Code: g.Name, Points: g.Points, Max: g.Max,
			Passed: g.Points >= passPoints(q.PassRate, g.Max)})
	}
	for _, g := range res.Parts {
		passed := g.Passed
		r.Groups = append(r.Groups, healthcell.ResponseGroup{Kind: healthcell.GroupPart, Code: g.Name, Points: g.Points, Max: g.Max, Passed: passed})
		switch g.Name {
		case PartKnowledge:
			r.KnowledgePassed = &passed
		case PartBehaviour:
			r.BehaviourPassed = &passed
		}
	}
}

// Ordered returns the labels normalized as Score normalizes them, options of
// the item first in option order, then any others in the order given.
func (it *Item) Ordered(labels []string) []string {
	chosen := normalize(labels)
	out := make([]string, 0, len(chosen))
	for _, o := range it.Options {
		for _, c := range chosen {
			if c == o.Label {
				out = append(out, c)
			}
		}
	}
	for _, c := range chosen {
		if !it.HasOption(c) {
			out = append(out, c)
		}
	}
	return out
}
