package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/catalog"
	"github.com/healthcell/healthcell/demo"
	"github.com/healthcell/healthcell/questionnaire"
	"github.com/healthcell/healthcell/sqlstore"
)

const questionnairesUsage = "usage: healthcell questionnaires load FILE… | load-catalog | list | rescore CODE"

// runQuestionnaires loads questionnaire files or the shipped catalog, lists
// the stored questionnaires, or re-scores the responses of one.
func (m *Main) runQuestionnaires(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf(questionnairesUsage)
	}
	fs, dsn := m.flags("questionnaires " + args[0])
	pos, err := parseArgs(fs, args[1:])
	if err != nil {
		return err
	}
	return m.withDB(ctx, *dsn, func(db *sqlstore.DB) error {
		sys := system(ctx)
		switch args[0] {
		case "load":
			if len(pos) == 0 {
				return fmt.Errorf("usage: healthcell questionnaires load FILE…")
			}
			for _, path := range pos {
				src, err := os.ReadFile(path)
				if err != nil {
					return err
				}
				v, created, err := db.LoadQuestionnaire(sys, src)
				if err != nil {
					return fmt.Errorf("%s: %s", path, describe(err))
				}
				m.printLoaded(path, v, created)
			}
		case "load-catalog":
			n, err := loadCatalogQuestionnaires(sys, db, false)
			if err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "loaded %d shipped questionnaires\n", n)
		case "list":
			list, err := db.FindQuestionnaires(sys)
			if err != nil {
				return err
			}
			for _, v := range list {
				fmt.Fprintf(m.Stdout, "%-24s v%-3d %3d items %3d points %7d responses", v.Code, v.Version, v.Items, v.MaxPoints, v.Responses)
				if v.Stale > 0 {
					fmt.Fprintf(m.Stdout, " (%d to re-score)", v.Stale)
				}
				fmt.Fprintf(m.Stdout, "\t%s\n", v.Name)
			}
		case "rescore":
			if len(pos) != 1 {
				return fmt.Errorf("usage: healthcell questionnaires rescore CODE")
			}
			n, err := db.Rescore(sys, pos[0])
			if err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "re-scored %s: %d responses changed score\n", pos[0], n)
		default:
			return fmt.Errorf("unknown questionnaires command %q; %s", args[0], questionnairesUsage)
		}
		return nil
	})
}

func (m *Main) printLoaded(path string, v *healthcell.QuestionnaireVersion, created bool) {
	state := "unchanged"
	if created {
		state = "stored"
	}
	fmt.Fprintf(m.Stdout, "%s: %s version %d %s, %d items, %d points", path, v.Code, v.Version, state, v.Items, v.MaxPoints)
	if v.Stale > 0 {
		fmt.Fprintf(m.Stdout, "; %d responses were scored against an older version: run healthcell questionnaires rescore %s", v.Stale, v.Code)
	}
	fmt.Fprintln(m.Stdout)
}

// loadCatalogQuestionnaires stores every shipped questionnaire (a new
// version only where it changed) and returns how many there are. With
// onlyMissing, as at start-up, a code already stored is left alone, so that a
// county's corrected version is not replaced by the shipped one.
func loadCatalogQuestionnaires(ctx context.Context, db *sqlstore.DB, onlyMissing bool) (int, error) {
	files, err := catalog.Questionnaires()
	if err != nil {
		return 0, err
	}
	stored := map[string]bool{}
	if onlyMissing {
		list, err := db.FindQuestionnaires(ctx)
		if err != nil {
			return 0, err
		}
		for _, v := range list {
			stored[v.Code] = true
		}
	}
	for _, f := range files {
		if len(stored) > 0 {
			q, err := questionnaire.Parse(bytes.NewReader(f.Text))
			if err != nil {
				return 0, fmt.Errorf("questionnaire %s: %w", f.Name, err)
			}
			if stored[q.Code] {
				continue
			}
		}
		if _, _, err := db.LoadQuestionnaire(ctx, f.Text); err != nil {
			return 0, fmt.Errorf("questionnaire %s: %w", f.Name, err)
		}
	}
	if err := publishQuiz(ctx, db); err != nil {
		return 0, err
	}
	return len(files), nil
}

// publishQuiz opens the shipped quiz bank to the public the first time it is
// loaded; after that the county office decides (it may close it).
func publishQuiz(ctx context.Context, db *sqlstore.DB) error {
	_, err := db.FindSurvey(ctx, healthcell.QuizCode)
	if healthcell.ErrorCode(err) != healthcell.ENOTFOUND {
		return err
	}
	return db.SaveSurvey(ctx, &healthcell.Survey{Code: healthcell.QuizCode, Kind: healthcell.SurveyQuiz, Channel: healthcell.ChannelPublic})
}

// demoSurveys fills a demo county's questionnaire responses (its villages,
// generated from seed), one questionnaire at a time and only for those
// without any in the county, so that a rebuilt or resumed demo does not add
// them twice.
func (m *Main) demoSurveys(ctx context.Context, db *sqlstore.DB, scale demo.Scale, villages []healthcell.Division, seed int64) error {
	if len(villages) == 0 {
		return nil
	}
	county := villages[0].Code[:6] + "000000"
	list, err := db.FindQuestionnaires(ctx)
	if err != nil {
		return err
	}
	for _, v := range list {
		if v.Code == healthcell.QuizCode || strings.HasPrefix(v.Code, "survey-") {
			continue // the public answers the quiz and the county's own surveys (demoPublic)
		}
		if done, err := db.ResponsesExist(ctx, v.Code, county); err != nil || done {
			if err != nil {
				return err
			}
			continue
		}
		_, q, err := db.FindQuestionnaire(ctx, v.Code)
		if err != nil {
			return err
		}
		now, start := db.Now(), time.Now()
		n, err := db.LoadResponses(ctx, v.Code, func(emit func(*healthcell.Response) error) error {
			return demo.Responses(q, villages, scale, seed, now, emit)
		})
		if err != nil {
			return fmt.Errorf("demo responses to %s: %w", v.Code, err)
		}
		fmt.Fprintf(m.Stderr, "surveyed %d respondents with %s in %.1f s\n", n, v.Code, time.Since(start).Seconds())
	}
	return nil
}
