package main

import (
	"context"
	"fmt"
	"io/fs"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/demo"
	"github.com/healthcell/healthcell/sqlstore"
)

// demoPublic loads the demo county's own surveys (demo/surveys), publishes
// them for officers and the public, and fills the public's answers to them
// and to the quiz — once: a survey that has answers is left alone.
func (m *Main) demoPublic(ctx context.Context, db *sqlstore.DB, villages []healthcell.Division) error {
	names, err := fs.Glob(demo.SurveyFiles, "surveys/*.yaml")
	if err != nil {
		return err
	}
	for _, name := range names {
		src, err := fs.ReadFile(demo.SurveyFiles, name)
		if err != nil {
			return err
		}
		v, _, err := db.LoadQuestionnaire(ctx, src)
		if err != nil {
			return fmt.Errorf("demo survey %s: %w", name, err)
		}
		if _, err := db.FindSurvey(ctx, v.Code); healthcell.ErrorCode(err) == healthcell.ENOTFOUND {
			if err := db.SaveSurvey(ctx, &healthcell.Survey{Code: v.Code, Kind: healthcell.SurveySatisfaction, Channel: healthcell.ChannelBoth}); err != nil {
				return err
			}
		} else if err != nil {
			return err
		}
	}
	list, err := db.FindSurveys(ctx)
	if err != nil {
		return err
	}
	for _, s := range list {
		ver, q, err := db.FindQuestionnaire(ctx, s.Code)
		if err != nil {
			return err
		}
		if ver.Responses > 0 || !s.Public() {
			continue
		}
		start, n := time.Now(), 0
		per, p := 4, 0.85 // answers per village, chance of a right or satisfied answer
		if s.Kind == healthcell.SurveyQuiz {
			per, p = 5, 0.8
		}
		err = demo.PublicAnswers(q, villages, per, p, demoSeed, func(sub *healthcell.PublicSubmission) error {
			n++
			_, _, err := db.CreatePublicResponse(ctx, sub)
			return err
		})
		if err != nil {
			return fmt.Errorf("demo public answers to %s: %w", s.Code, err)
		}
		fmt.Fprintf(m.Stderr, "public answers: %d to %s in %.1f s\n", n, s.Code, time.Since(start).Seconds())
	}
	return nil
}
