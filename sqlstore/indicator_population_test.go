package sqlstore_test

import (
	"context"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestQuestionnairePopulations: the knowledge-and-behaviour indicators count
// respondents aged 15–69 (the ages the questionnaire declares), and the
// literacy level only respondents who were permanent residents (常住) when
// surveyed; a response records the person's flag.
func TestQuestionnairePopulations(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db)
		loadQuestionnaires(t, db)
		resp := func(q string, age int, resident, passed, know bool) {
			t.Helper()
			if err := db.ExecForTest(context.Background(), `INSERT INTO questionnaire_responses (questionnaire, version, village_code, respondent_name, sex, age,
				survey_date, points, max_points, passed, knowledge_passed, behaviour_passed, active, created_by, created_at, resident)
				VALUES ($1, 1, $2, '某人', 'F', $3, '2025-03-01', 0, 66, $4, $5, $5, TRUE, 'test', $6, $7)`,
				q, sqltest.Village2, age, passed, know, sqltest.Now, resident); err != nil {
				t.Fatal(err)
			}
		}
		// Knowledge passed at 14, 15 and 70, failed at 69: 1 of the 2 aged 15–69.
		resp(kb, 14, true, true, true)
		resp(kb, 15, true, true, true)
		resp(kb, 69, true, false, false)
		resp(kb, 70, true, true, true)
		// Literacy: passed by a permanent resident and by one who is not,
		// failed by a permanent resident: 1 of 2.
		resp(literacy, 30, true, true, false)
		resp(literacy, 30, false, true, false)
		resp(literacy, 40, true, false, false)
		got, err := db.IndicatorValues(ctxCounty, healthcell.IndicatorQuery{Codes: []string{"knowledge_rate", "behaviour_rate", "literacy_level"},
			Division: sqltest.Village2, Period: "2025"})
		if err != nil {
			t.Fatal(err)
		}
		for code, want := range map[string][2]float64{"knowledge_rate": {1, 2}, "behaviour_rate": {1, 2}, "literacy_level": {1, 2}} {
			x := got[code][0]
			if x.Numerator == nil || x.Denominator == nil || *x.Numerator != want[0] || *x.Denominator != want[1] {
				t.Errorf("%s = %v / %v, want %v / %v", code, fmtVal(x.Numerator), fmtVal(x.Denominator), want[0], want[1])
			}
		}

		// A response for a person records the person's flag.
		p := w.pA
		p.Resident = false
		if err := db.UpdatePerson(sqltest.System(), p); err != nil {
			t.Fatal(err)
		}
		r := &healthcell.Response{Questionnaire: kb, PersonID: p.ID, SurveyDate: "2025-06-02",
			Answers: keyAnswers(t, db, kb, map[string][]string{"B1": {"A"}, "B2": {"B"}})}
		if err := db.CreateResponse(ctxTownship, r); err != nil {
			t.Fatal(err)
		}
		typed := &healthcell.Response{Questionnaire: kb, VillageCode: sqltest.Village, Name: "乙", Sex: "M", Age: 50, SurveyDate: "2025-06-02",
			Answers: keyAnswers(t, db, kb, map[string][]string{"B1": {"A"}})}
		if err := db.CreateResponse(ctxTownship, typed); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			id   int64
			want bool
		}{{r.ID, false}, {typed.ID, true}} {
			got, err := db.FindResponse(ctxTownship, c.id)
			if err != nil {
				t.Fatal(err)
			}
			if got.Resident == nil || *got.Resident != c.want {
				t.Errorf("response %d resident = %v, want %v", c.id, got.Resident, c.want)
			}
		}
	})
}
