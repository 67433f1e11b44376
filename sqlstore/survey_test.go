package sqlstore_test

import (
	"context"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// quizAnswers draws the first n items of the quiz bank and answers the first
// right of them correctly, the rest wrongly.
func quizAnswers(t testing.TB, db *sqlstore.DB, n, right int) ([]string, map[string][]string) {
	t.Helper()
	_, q, err := db.FindQuestionnaire(sqltest.System(), healthcell.QuizCode)
	if err != nil {
		t.Fatal(err)
	}
	var items []string
	answers := map[string][]string{}
	for i, it := range q.Items[:n] {
		items = append(items, it.Code)
		if i < right {
			answers[it.Code] = append([]string(nil), it.Answer...)
			continue
		}
		for _, o := range it.Options { // any option outside the key
			if len(it.Answer) == 0 || o.Label != it.Answer[0] {
				answers[it.Code] = []string{o.Label}
				break
			}
		}
	}
	return items, answers
}

func publishQuiz(t testing.TB, db *sqlstore.DB, closed bool) {
	t.Helper()
	if err := db.SaveSurvey(sqltest.System(), &healthcell.Survey{Code: healthcell.QuizCode, Kind: healthcell.SurveyQuiz,
		Channel: healthcell.ChannelPublic, Closed: closed}); err != nil {
		t.Fatal(err)
	}
}

func TestPublicQuiz(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		newWorld(t, db)
		loadQuestionnaires(t, db)
		ctx := context.Background()

		// Not published yet: not found.
		items, answers := quizAnswers(t, db, healthcell.QuizItems, 8)
		sub := &healthcell.PublicSubmission{Questionnaire: healthcell.QuizCode, VillageCode: sqltest.Village, Items: items, Answers: answers, Client: "dev1"}
		_, _, err := db.CreatePublicResponse(ctx, sub)
		wantCode(t, err, healthcell.ENOTFOUND)
		publishQuiz(t, db, false)

		token, dup, err := db.CreatePublicResponse(ctx, sub)
		if err != nil || dup || len(token) != 32 {
			t.Fatalf("create = %q %v %v", token, dup, err)
		}
		// The same answers again from the same device: dropped, same token.
		again, dup, err := db.CreatePublicResponse(ctx, sub)
		if err != nil || !dup || again != token {
			t.Fatalf("repeat = %q %v %v, want %q dropped", again, dup, err, token)
		}
		// Another device with the same answers is another resident.
		sub2 := *sub
		sub2.Client, sub2.Name, sub2.Phone = "dev2", "王五", "13812345678"
		if _, dup, err := db.CreatePublicResponse(ctx, &sub2); err != nil || dup {
			t.Fatalf("second device: %v %v", dup, err)
		}

		res, err := db.FindPublicResult(ctx, token)
		if err != nil {
			t.Fatal(err)
		}
		r := res.Response
		if r.Points != 8 || r.MaxPoints != 10 || !r.Passed || r.PassPoints != 8 || len(r.Items) != 10 || res.VillageName == "" || r.Channel != "public" {
			t.Errorf("result %+v %+v", res, r)
		}
		if _, err := db.FindPublicResult(ctx, "0123456789abcdef0123456789abcdef"); healthcell.ErrorCode(err) != healthcell.ENOTFOUND {
			t.Errorf("unknown token: %v", err)
		}

		// Refused, nothing stored: a bad phone, an item not in the bank, a missing answer, a town.
		bad := []struct {
			name string
			mod  func(s *healthcell.PublicSubmission)
			code string
		}{
			{"bad phone", func(s *healthcell.PublicSubmission) { s.Phone = "12ab" }, healthcell.EINVALID},
			{"unknown item", func(s *healthcell.PublicSubmission) { s.Items = append([]string{"ZZ"}, s.Items[1:]...) }, healthcell.EINVALID},
			{"missing answer", func(s *healthcell.PublicSubmission) {
				s.Answers = map[string][]string{s.Items[0]: s.Answers[s.Items[0]]}
			}, healthcell.EINVALID},
			{"township", func(s *healthcell.PublicSubmission) { s.VillageCode = sqltest.Township }, healthcell.ENOTFOUND},
		}
		for _, tc := range bad {
			s := *sub
			s.Client = "dev-" + tc.name
			tc.mod(&s)
			_, _, err := db.CreatePublicResponse(ctx, &s)
			if healthcell.ErrorCode(err) != tc.code {
				t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
			}
		}
		if n := responseRows(t, db); n[0] != 2 {
			t.Errorf("responses = %v, want 2", n)
		}

		// Results per village, the phone masked for a viewer, and the literacy survey untouched.
		vs, err := db.SurveyResults(sqltest.System(), healthcell.QuizCode, sqltest.County)
		if err != nil || len(vs) != 1 || vs[0].Respondents != 2 || vs[0].Public != 2 || vs[0].Passed != 2 || vs[0].Items[items[0]] != 2 {
			t.Errorf("results = %+v %v", vs, err)
		}
		list, _, err := db.FindResponses(ctxViewer, healthcell.ResponseFilter{Questionnaire: healthcell.QuizCode})
		if err != nil || len(list) != 2 {
			t.Fatalf("viewer list %v %v", list, err)
		}
		for _, r := range list {
			if r.Phone != "" && r.Phone != "138****5678" {
				t.Errorf("viewer sees phone %q", r.Phone)
			}
		}
		if lit, _, err := db.FindResponses(sqltest.System(), healthcell.ResponseFilter{Questionnaire: literacy}); err != nil || len(lit) != 0 {
			t.Errorf("literacy responses %d %v", len(lit), err)
		}

		// Closed: refused.
		publishQuiz(t, db, true)
		s := *sub
		s.Client = "dev3"
		if _, _, err := db.CreatePublicResponse(ctx, &s); healthcell.ErrorCode(err) != healthcell.ENOTFOUND {
			t.Errorf("closed quiz: %v", err)
		}
		// Only the county office publishes.
		wantCode(t, db.SaveSurvey(ctxViewer, &healthcell.Survey{Code: healthcell.QuizCode, Kind: healthcell.SurveyQuiz, Channel: healthcell.ChannelPublic}), healthcell.EFORBIDDEN)
		wantCode(t, db.SaveSurvey(sqltest.System(), &healthcell.Survey{Code: "nope", Kind: healthcell.SurveyQuiz, Channel: healthcell.ChannelPublic}), healthcell.ENOTFOUND)
		wantCode(t, db.SaveSurvey(sqltest.System(), &healthcell.Survey{Code: healthcell.QuizCode, Kind: "x", Channel: "y"}), healthcell.EINVALID)
	})
}
