package indicator_test

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/catalog"
	"github.com/healthcell/healthcell/questionnaire"
)

var questionnaireRE = regexp.MustCompile(`questionnaire (?:=|in \() ?'([^']+)'`)

// TestShippedPopulations: every shipped indicator says whom it counts, and
// an indicator over a questionnaire's responses counts the population the
// questionnaire declares: its age range (knowledge-behaviour, literacy:
// 15–69) and, for the literacy survey, permanent residents only (常住,
// DOMAIN.md and the questionnaire's notes).
func TestShippedPopulations(t *testing.T) {
	inds, err := catalog.Indicators()
	if err != nil {
		t.Fatal(err)
	}
	files, err := catalog.Questionnaires()
	if err != nil {
		t.Fatal(err)
	}
	qs := map[string]*questionnaire.Questionnaire{}
	for _, f := range files {
		q, err := questionnaire.Parse(bytes.NewReader(f.Text))
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		qs[q.Code] = q
	}
	checked := 0
	for _, ind := range inds {
		if strings.TrimSpace(ind.Population) == "" {
			t.Errorf("%s: no population", ind.Code)
		}
		for _, m := range []*healthcell.Measure{ind.Numerator, ind.Denominator} {
			if m == nil || m.From != "responses" {
				continue
			}
			sub := questionnaireRE.FindStringSubmatch(m.Where)
			if sub == nil {
				t.Errorf("%s: a measure over responses names no questionnaire: %q", ind.Code, m.Where)
				continue
			}
			q := qs[sub[1]]
			if q == nil {
				t.Errorf("%s: unknown questionnaire %s", ind.Code, sub[1])
				continue
			}
			checked++
			if q.Age != nil {
				for _, term := range []string{fmt.Sprintf("age >= %d", q.Age.Min), fmt.Sprintf("age <= %d", q.Age.Max)} {
					if !strings.Contains(m.Where, term) {
						t.Errorf("%s: %q lacks %q (the ages %s declares)", ind.Code, m.Where, term, q.Code)
					}
				}
			}
			if strings.Contains(q.Notes, "常住") && !regexp.MustCompile(`\bresident\b`).MatchString(m.Where) {
				t.Errorf("%s: %q counts respondents who are not permanent residents", ind.Code, m.Where)
			}
		}
	}
	if checked < 6 {
		t.Errorf("%d measures over responses checked, want at least 6", checked)
	}
}
