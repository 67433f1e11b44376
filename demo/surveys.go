package demo

import (
	"embed"
	"math/rand/v2"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/questionnaire"
)

// SurveyFiles are the demo county's own surveys (surveys/*.yaml), in the
// questionnaire format, published for officers and the public.
//
//go:embed surveys/*.yaml
var SurveyFiles embed.FS

// PublicAnswers draws the public's answers to q in the demo county: n
// residents in every fifteenth village (the villages that put up the poster),
// each right (or satisfied) on an item with probability p. A quiz draws
// QuizItems items from its bank for each. emit receives every submission;
// its error stops the drawing.
func PublicAnswers(q *questionnaire.Questionnaire, villages []healthcell.Division, n int, p float64, seed int64,
	emit func(*healthcell.PublicSubmission) error) error {
	rnd := rand.New(rand.NewPCG(uint64(seed), uint64(len(q.Code))))
	for vi, v := range villages {
		if vi%15 != 0 {
			continue
		}
		for i := 0; i < n; i++ {
			items := q.Items
			var codes []string
			if q.Code == healthcell.QuizCode && len(items) > healthcell.QuizItems {
				perm := rnd.Perm(len(items))[:healthcell.QuizItems]
				picked := make([]questionnaire.Item, 0, len(perm))
				for _, k := range perm {
					picked = append(picked, items[k])
					codes = append(codes, items[k].Code)
				}
				items = picked
			}
			answers := map[string][]string{}
			for _, it := range items {
				if rnd.Float64() < p && len(it.Answer) > 0 {
					if it.Satisfied {
						answers[it.Code] = []string{it.Answer[rnd.IntN(len(it.Answer))]}
					} else {
						answers[it.Code] = append([]string(nil), it.Answer...)
					}
					continue
				}
				wrong := it.Options[rnd.IntN(len(it.Options))].Label
				for _, a := range it.Answer {
					if a == wrong {
						wrong = it.Options[len(it.Options)-1].Label
					}
				}
				answers[it.Code] = []string{wrong}
			}
			sub := &healthcell.PublicSubmission{Questionnaire: q.Code, VillageCode: v.Code, Items: codes, Answers: answers,
				Client: "demo-" + v.Code + "-" + string(rune('a'+i%26)) + string(rune('a'+i/26))}
			if err := emit(sub); err != nil {
				return err
			}
		}
	}
	return nil
}
