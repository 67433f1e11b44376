package questionnaire

import (
	"context"

	"github.com/healthcell/healthcell"
)

// Service stores questionnaire versions and responses (implemented by
// sqlstore). It is declared here rather than in the domain package because
// its methods carry *Questionnaire, and this package imports the domain.
type Service interface {
	// LoadQuestionnaire parses src (the YAML format of parse.go) and stores it
	// as the next version of its code unless it equals the latest one; created
	// reports whether a version was added. EINVALID with the lines at fault
	// for a bad file, EFORBIDDEN unless the caller manages questionnaires.
	LoadQuestionnaire(ctx context.Context, src []byte) (v *healthcell.QuestionnaireVersion, created bool, err error)
	// FindQuestionnaires lists the latest version of every questionnaire.
	FindQuestionnaires(ctx context.Context) ([]*healthcell.QuestionnaireVersion, error)
	// FindQuestionnaire returns the latest version of code; ENOTFOUND when
	// there is none.
	FindQuestionnaire(ctx context.Context, code string) (*healthcell.QuestionnaireVersion, *Questionnaire, error)
	// CreateResponse checks, scores and stores r against the latest version
	// of r.Questionnaire in one audited transaction. EINVALID with the fields
	// at fault (answers.<item> for answers) and nothing stored for bad
	// answers or a respondent outside the caller's scope.
	CreateResponse(ctx context.Context, r *healthcell.Response) error
	// FindResponses lists the responses in the caller's scope, newest first,
	// without their answers; ENOTFOUND for a division outside it.
	FindResponses(ctx context.Context, f healthcell.ResponseFilter) ([]*healthcell.Response, int, error)
	// FindResponse returns one response with its answers and groups;
	// ENOTFOUND when missing or outside the caller's scope.
	FindResponse(ctx context.Context, id int64) (*healthcell.Response, error)
	// Rescore scores every response of code against its latest version in
	// one audited transaction and returns how many changed score. EINVALID
	// when a stored answer does not fit the latest version.
	Rescore(ctx context.Context, code string) (changed int, err error)
}

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
