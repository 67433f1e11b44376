package demo

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"testing"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/catalog"
	"github.com/healthcell/healthcell/questionnaire"
)

// shippedQuestionnaire parses a questionnaire of the catalog.
func shippedQuestionnaire(t testing.TB, name string) *questionnaire.Questionnaire {
	t.Helper()
	files, err := catalog.Questionnaires()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if f.Name == name {
			q, err := questionnaire.Parse(bytes.NewReader(f.Text))
			if err != nil {
				t.Fatal(err)
			}
			return q
		}
	}
	t.Fatalf("no questionnaire %s", name)
	return nil
}

// surveyStats are what a run of Responses produced, scored through the package.
type surveyStats struct {
	n, inAge, passedInAge int
	young, old            int                 // ages below 15 and above 69
	byTownship            map[string][2]int   // township → respondents 15–69, passed
	parts                 map[string]int      // part code → passed
	aspects               map[string][2]int   // aspect → passed, respondents
	sum                   [sha256.Size]byte   // of every response
	villages              map[string]struct{} // with responses
}

func runSurvey(t *testing.T, q *questionnaire.Questionnaire, scale Scale) surveyStats {
	t.Helper()
	st := surveyStats{byTownship: map[string][2]int{}, parts: map[string]int{}, aspects: map[string][2]int{}, villages: map[string]struct{}{}}
	h := sha256.New()
	err := Responses(q, countyVillages(t), scale, 20251, testNow, func(r *healthcell.Response) error {
		if err := q.Check(r.Answers); err != nil {
			t.Fatalf("generated answers do not check: %v", healthcell.ErrorFields(err))
		}
		if r.Sex != "M" && r.Sex != "F" || r.Name == "" || r.SurveyDate >= testNow.Format(time.DateOnly) || r.SurveyDate < "2025-01-01" {
			t.Fatalf("bad respondent %+v", r)
		}
		res := q.Score(r.Answers)
		st.n++
		st.villages[r.VillageCode] = struct{}{}
		fmt.Fprintln(h, r.VillageCode, r.Name, r.Sex, r.Age, r.SurveyDate, r.Answers)
		switch {
		case r.Age < 15:
			st.young++
		case r.Age > 69:
			st.old++
		default:
			st.inAge++
			tw := st.byTownship[r.VillageCode[:9]]
			tw[0]++
			if res.Passed {
				st.passedInAge++
				tw[1]++
			}
			st.byTownship[r.VillageCode[:9]] = tw
		}
		for _, p := range res.Parts {
			if p.Passed {
				st.parts[p.Name]++
			}
		}
		for _, a := range res.Aspects {
			c := st.aspects[a.Name]
			c[1]++
			if float64(a.Points) >= 0.8*float64(a.Max) {
				c[0]++
			}
			st.aspects[a.Name] = c
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	copy(st.sum[:], h.Sum(nil))
	return st
}

func TestResponsesLiteracy(t *testing.T) {
	q := shippedQuestionnaire(t, "health-literacy-2020.yaml")
	start := time.Now()
	st := runSurvey(t, q, County)
	t.Logf("county: %d responses in %v, %d aged 15–69 of whom %.1f %% literate; %d under 15, %d over 69",
		st.n, time.Since(start), st.inAge, 100*float64(st.passedInAge)/float64(st.inAge), st.young, st.old)
	if st.n < 18000 || st.n > 22000 {
		t.Errorf("%d responses, want about 20,000", st.n)
	}
	if len(st.villages) != 457 {
		t.Errorf("responses in %d villages, want all 457", len(st.villages))
	}
	if rate := float64(st.passedInAge) / float64(st.inAge); rate < 0.22 || rate > 0.33 {
		t.Errorf("county literacy %.3f, want 22–33 %%", rate)
	}
	if st.young == 0 || st.old == 0 || st.young+st.old > st.n/10 {
		t.Errorf("%d under 15 and %d over 69 of %d: want a few", st.young, st.old, st.n)
	}
	lo, hi := 1.0, 0.0
	for tw, c := range st.byTownship {
		r := float64(c[1]) / float64(c[0])
		lo, hi = min(lo, r), max(hi, r)
		if r < 0.12 || r > 0.45 {
			t.Errorf("township %s: literacy %.3f out of range", tw, r)
		}
	}
	if hi-lo < 0.08 {
		t.Errorf("township literacy spans %.3f–%.3f: want it to differ between townships", lo, hi)
	}
	k, s := st.aspects["基本知识和理念"], st.aspects["基本技能"]
	if float64(k[0])/float64(k[1]) <= float64(s[0])/float64(s[1]) {
		t.Errorf("knowledge aspect %v should do better than skills %v", k, s)
	}
	if again := runSurvey(t, q, County); again.sum != st.sum {
		t.Error("two runs differ")
	}
	small := runSurvey(t, q, Small)
	if small.n < 12*surveyMinPerVillage || small.n > 400 || len(small.villages) != 12 {
		t.Errorf("small scale: %d responses in %d villages", small.n, len(small.villages))
	}
}

func TestResponsesParts(t *testing.T) {
	q := shippedQuestionnaire(t, "knowledge-behaviour.yaml")
	st := runSurvey(t, q, County)
	know, beh := float64(st.parts["knowledge"])/float64(st.n), float64(st.parts["behaviour"])/float64(st.n)
	t.Logf("%d responses: knowledge %.1f %%, behaviour %.1f %%", st.n, 100*know, 100*beh)
	if st.n < 4500 || st.n > 5500 {
		t.Errorf("%d responses, want about 5,000", st.n)
	}
	if know < 0.65 || know > 0.92 || beh < 0.5 || beh > 0.82 || know <= beh {
		t.Errorf("knowledge %.3f, behaviour %.3f", know, beh)
	}
}
