package sqlstore_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/catalog"
	"github.com/healthcell/healthcell/questionnaire"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

const (
	literacy = "health-literacy-2020"
	kb       = "knowledge-behaviour"
)

// loadQuestionnaires stores the shipped questionnaires and returns the
// literacy one's text.
func loadQuestionnaires(t testing.TB, db *sqlstore.DB) []byte {
	t.Helper()
	files, err := catalog.Questionnaires()
	if err != nil {
		t.Fatal(err)
	}
	var lit []byte
	for _, f := range files {
		if _, _, err := db.LoadQuestionnaire(sqltest.System(), f.Text); err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		if f.Name == literacy+".yaml" {
			lit = f.Text
		}
	}
	return lit
}

// keyAnswers returns the key of every item of code, with the labels of
// the items in wrong (item → labels) instead.
func keyAnswers(t testing.TB, db *sqlstore.DB, code string, wrong map[string][]string) map[string][]string {
	t.Helper()
	_, q, err := db.FindQuestionnaire(sqltest.System(), code)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, it := range q.Items {
		out[it.Code] = append([]string(nil), it.Answer...)
	}
	for k, v := range wrong {
		if v == nil {
			delete(out, k)
		} else {
			out[k] = v
		}
	}
	return out
}

// responseRows counts the rows of the three response tables.
func responseRows(t testing.TB, db *sqlstore.DB) [3]int {
	t.Helper()
	var n [3]int
	for i, table := range []string{"questionnaire_responses", "questionnaire_answers", "questionnaire_response_groups"} {
		c, err := db.CountRowsForTest(context.Background(), "SELECT COUNT(*) FROM "+table)
		if err != nil {
			t.Fatal(err)
		}
		n[i] = c
	}
	return n
}

func TestLoadQuestionnaire(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		lit := loadQuestionnaires(t, db)
		list, err := db.FindQuestionnaires(ctxVillageA)
		if err != nil || len(list) != 3 {
			t.Fatalf("questionnaires = %v, %v; want 3 (literacy, quiz bank, knowledge-behaviour)", list, err)
		}
		if list[0].Code != literacy || list[0].Items != 50 || list[0].MaxPoints != 66 || list[0].Version != 1 || list[0].Label != "2020" {
			t.Errorf("literacy = %+v", list[0])
		}
		// The same text again, and the same with a comment: no new version.
		for _, src := range [][]byte{lit, append([]byte("# a comment\n"), lit...)} {
			v, created, err := db.LoadQuestionnaire(sqltest.System(), src)
			if err != nil || created || v.Version != 1 {
				t.Fatalf("reload: %+v created %v, %v", v, created, err)
			}
		}
		// A corrected key is version 2.
		v, created, err := db.LoadQuestionnaire(ctxCounty, correctedKey(t, lit))
		if err != nil || !created || v.Version != 2 {
			t.Fatalf("corrected: %+v created %v, %v", v, created, err)
		}
		if e := lastAudit(t, db); e.Entity != "questionnaire" || e.Action != "create" {
			t.Errorf("audit = %+v", e)
		}
		_, q, err := db.FindQuestionnaire(ctxViewer, literacy)
		if err != nil {
			t.Fatal(err)
		}
		if it, _ := q.Item("9"); it.Answer[0] != "C" {
			t.Errorf("item 9 key = %v, want C", it.Answer)
		}
		// Refusals.
		_, _, err = db.LoadQuestionnaire(ctxTownship, lit)
		wantCode(t, err, healthcell.EFORBIDDEN)
		_, _, err = db.LoadQuestionnaire(sqltest.System(), bytes.Replace(lit, []byte("total_points: 66"), []byte("total_points: 65"), 1))
		wantInvalid(t, err, "total_points")
		_, _, err = db.FindQuestionnaire(ctxViewer, "nope")
		wantCode(t, err, healthcell.ENOTFOUND)
	})
}

// correctedKey changes the key of item 9 of the literacy text from B to C.
func correctedKey(t testing.TB, lit []byte) []byte {
	t.Helper()
	old := []byte("      D: 多睡懒觉\n    answer: B")
	if !bytes.Contains(lit, old) {
		t.Fatal("item 9 not found in the literacy text")
	}
	return bytes.Replace(lit, old, []byte("      D: 多睡懒觉\n    answer: C"), 1)
}

func TestCreateResponse(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db)
		loadQuestionnaires(t, db)

		// Typed in, every answer right but item 32 (a multiple, 2 points) and item 1.
		r := &healthcell.Response{Questionnaire: literacy, VillageCode: sqltest.Village, Name: " 路人甲 ", Sex: "F", Age: 34,
			SurveyDate: "2025-06-01", Answers: keyAnswers(t, db, literacy, map[string][]string{"32": {"A", "B"}, "1": {"错"}})}
		if err := db.CreateResponse(ctxVillageA, r); err != nil {
			t.Fatal(err)
		}
		if r.ID == 0 || r.Points != 63 || r.MaxPoints != 66 || !r.Passed || r.Version != 1 || r.Name != "路人甲" ||
			r.KnowledgePassed != nil || r.BehaviourPassed != nil || r.CreatedBy != "villageA" {
			t.Fatalf("stored %+v", r)
		}
		if n := responseRows(t, db); n != [3]int{1, 50, 9} {
			t.Errorf("rows = %v, want 1 response, 50 answers, 9 groups", n)
		}
		if e := lastAudit(t, db); e.Entity != "questionnaire_response" || e.Division != sqltest.Village {
			t.Errorf("audit = %+v", e)
		}
		got, err := db.FindResponse(ctxTownship, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Points != 63 || len(got.Items) != 50 || got.Items[31].Points != 0 || got.Items[31].Max != 2 ||
			got.Items[32].Points != 2 || len(got.Groups) != 9 || got.Groups[0].Code != "基本知识和理念" || got.PassPoints != 53 {
			t.Errorf("found %+v", got)
		}
		if g := got.Groups[0]; g.Kind != healthcell.GroupAspect || g.Max != 28 || g.Points != 25 || g.Passed != true {
			t.Errorf("aspect 基本知识和理念 = %+v, want 25 of 28, passed (≥ 23)", g)
		}

		// A resident: name, sex, village and age at the survey date from the person (born 1949-12-31).
		r2 := &healthcell.Response{Questionnaire: literacy, PersonID: w.pA.ID, Name: "ignored", Sex: "M", SurveyDate: "2025-06-01",
			Answers: keyAnswers(t, db, literacy, map[string][]string{"9": {"A"}, "10": {"a"}, "11": {"A"}, "12": {"B"}, "13": {"A"},
				"14": {"A"}, "15": {"A"}, "16": {"B"}, "17": {"A"}, "18": {"B"}, "19": {"A"}, "20": {"A"}, "21": {"B"}, "22": {"A"}})}
		if err := db.CreateResponse(ctxTownship, r2); err != nil {
			t.Fatal(err)
		}
		if r2.Name != "张三" || r2.Sex != "F" || r2.Age != 75 || r2.VillageCode != sqltest.Village || r2.Points != 52 || r2.Passed {
			t.Errorf("resident response %+v: want 张三, F, 75, 52 points, not passed", r2)
		}

		// The knowledge-and-behaviour questionnaire has part results.
		r3 := &healthcell.Response{Questionnaire: kb, VillageCode: sqltest.Village2, Name: "乙", Sex: "M", Age: 50, SurveyDate: "2025-06-02",
			Answers: keyAnswers(t, db, kb, map[string][]string{"B1": {"A"}, "B2": {"B"}})}
		if err := db.CreateResponse(ctxTownship, r3); err != nil {
			t.Fatal(err)
		}
		if r3.KnowledgePassed == nil || !*r3.KnowledgePassed || r3.BehaviourPassed == nil || *r3.BehaviourPassed || r3.Points != 18 {
			t.Errorf("kb response: %d points, knowledge %v, behaviour %v", r3.Points, r3.KnowledgePassed, r3.BehaviourPassed)
		}

		// Lists by scope.
		for _, c := range []struct {
			name     string
			ctx      context.Context
			code     string
			division string
			want     int
			err      string
		}{
			{"village officer, own village", ctxVillageA, literacy, "", 2, ""},
			{"township, literacy", ctxTownship, literacy, "", 2, ""},
			{"township, kb", ctxTownship, kb, sqltest.Township, 1, ""},
			{"county viewer", ctxViewer, literacy, sqltest.Village, 2, ""},
			{"other township", ctxTownship2, literacy, "", 0, ""},
			{"village B asks for A", ctxVillageB, literacy, sqltest.Village, 0, healthcell.ENOTFOUND},
			{"unit", ctxUnit, literacy, "", 0, healthcell.ENOTFOUND},
		} {
			t.Run(c.name, func(t *testing.T) {
				list, total, err := db.FindResponses(c.ctx, healthcell.ResponseFilter{Questionnaire: c.code, Division: c.division})
				wantCode(t, err, c.err)
				if total != c.want || len(list) != c.want {
					t.Errorf("got %d (total %d), want %d", len(list), total, c.want)
				}
			})
		}
		_, err = db.FindResponse(ctxVillageB, r.ID)
		wantCode(t, err, healthcell.ENOTFOUND)
	})
}

func TestCreateResponseRefused(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db)
		loadQuestionnaires(t, db)
		typed := func(village string, wrong map[string][]string) *healthcell.Response {
			return &healthcell.Response{Questionnaire: literacy, VillageCode: village, Name: "丙", Sex: "M", Age: 40, SurveyDate: "2025-06-01",
				Answers: keyAnswers(t, db, literacy, wrong)}
		}
		for _, c := range []struct {
			name   string
			ctx    context.Context
			r      *healthcell.Response
			code   string
			fields []string
			msg    string // the message of the first field
		}{
			{"option outside the item's", ctxVillageA, typed(sqltest.Village, map[string][]string{"9": {"F"}}),
				healthcell.EINVALID, []string{"answers.9"}, questionnaire.MsgOptionUnknown},
			{"true/false answered with a letter", ctxVillageA, typed(sqltest.Village, map[string][]string{"1": {"A"}}),
				healthcell.EINVALID, []string{"answers.1"}, questionnaire.MsgOptionUnknown},
			{"missing item", ctxVillageA, typed(sqltest.Village, map[string][]string{"47": nil}),
				healthcell.EINVALID, []string{"answers.47"}, questionnaire.MsgItemMissing},
			{"two choices for a single item", ctxVillageA, typed(sqltest.Village, map[string][]string{"10": {"A", "C"}}),
				healthcell.EINVALID, []string{"answers.10"}, questionnaire.MsgChoiceSingle},
			{"unknown item", ctxVillageA, typed(sqltest.Village, map[string][]string{"99": {"A"}}),
				healthcell.EINVALID, []string{"answers.99"}, questionnaire.MsgItemUnknown},
			{"village outside the officer's scope", ctxVillageA, typed(sqltest.Village2, nil),
				healthcell.EINVALID, []string{"village"}, "response.village.not_found"},
			{"village of another township", ctxTownship, typed(VillageT2, nil),
				healthcell.EINVALID, []string{"village"}, "response.village.not_found"},
			{"a township is not a village", ctxTownship, typed(sqltest.Township, nil),
				healthcell.EINVALID, []string{"village"}, "response.village.not_found"},
			{"unknown village", ctxCounty, typed(UnknownVillage, nil),
				healthcell.EINVALID, []string{"village"}, "response.village.not_found"},
			{"person outside the officer's scope", ctxVillageA,
				&healthcell.Response{Questionnaire: literacy, PersonID: w.pB.ID, Answers: keyAnswers(t, db, literacy, nil)},
				healthcell.EINVALID, []string{"person"}, "response.person.not_found"},
			{"unknown person", ctxCounty,
				&healthcell.Response{Questionnaire: literacy, PersonID: 99999, Answers: keyAnswers(t, db, literacy, nil)},
				healthcell.EINVALID, []string{"person"}, "response.person.not_found"},
			{"a viewer writes nothing", ctxViewer, typed(sqltest.Village, nil),
				healthcell.EINVALID, []string{"village"}, "response.village.not_found"},
			{"bad respondent fields", ctxVillageA,
				&healthcell.Response{Questionnaire: literacy, VillageCode: sqltest.Village, Sex: "X", Age: 200, SurveyDate: "2099-01-01",
					Answers: keyAnswers(t, db, literacy, nil)},
				healthcell.EINVALID, []string{"survey_date", "name", "sex", "age"}, "response.survey_date.invalid"},
			{"several problems at once", ctxVillageA, typed(sqltest.Village2, map[string][]string{"9": {"F"}, "50": nil}),
				healthcell.EINVALID, []string{"village", "answers.9", "answers.50"}, "response.village.not_found"},
			{"unknown questionnaire", ctxVillageA, &healthcell.Response{Questionnaire: "nope", VillageCode: sqltest.Village},
				healthcell.ENOTFOUND, nil, ""},
			{"no caller", ctxNone, typed(sqltest.Village, nil), healthcell.EUNAUTHORIZED, nil, ""},
		} {
			t.Run(c.name, func(t *testing.T) {
				before := takeSnapshot(t, db)
				err := db.CreateResponse(c.ctx, c.r)
				if c.fields != nil {
					wantInvalid(t, err, c.fields...)
					if got := healthcell.ErrorFields(err)[0].Message; got != c.msg {
						t.Errorf("message = %q, want %q", got, c.msg)
					}
				} else {
					wantCode(t, err, c.code)
				}
				if n := responseRows(t, db); n != [3]int{} {
					t.Errorf("rows after a refusal = %v", n)
				}
				before.unchanged(t, db)
			})
		}
	})
}

func TestRescore(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		newWorld(t, db)
		lit := loadQuestionnaires(t, db)
		// Item 9 answered B (right under version 1), C, and A.
		var ids []int64
		for _, label := range []string{"B", "C", "A"} {
			r := &healthcell.Response{Questionnaire: literacy, VillageCode: sqltest.Village, Name: "答" + label, Sex: "F", Age: 30,
				SurveyDate: "2025-06-01", Answers: keyAnswers(t, db, literacy, map[string][]string{"9": {label}, "33": {"A"}, "34": {"A"}, "35": {"A"},
					"36": {"A"}, "37": {"A"}, "38": {"A"}, "39": {"A"}})}
			if err := db.CreateResponse(ctxVillageA, r); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, r.ID)
		}
		points := func() []int {
			var out []int
			for _, id := range ids {
				r, err := db.FindResponse(sqltest.System(), id)
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, r.Points)
			}
			return out
		}
		if got := points(); got[0] != 52 || got[1] != 51 || got[2] != 51 {
			t.Fatalf("points before = %v, want 52 51 51", got)
		}
		_, err := db.Rescore(ctxTownship, literacy)
		wantCode(t, err, healthcell.EFORBIDDEN)

		// Correct the key of item 9 to C and re-score.
		if _, _, err := db.LoadQuestionnaire(sqltest.System(), correctedKey(t, lit)); err != nil {
			t.Fatal(err)
		}
		list, _ := db.FindQuestionnaires(ctxCounty)
		if list[0].Stale != 3 || list[0].Responses != 3 {
			t.Errorf("before rescoring: %+v, want 3 stale of 3", list[0])
		}
		changed, err := db.Rescore(ctxCounty, literacy)
		if err != nil || changed != 2 {
			t.Fatalf("rescore = %d, %v; want 2 changed", changed, err)
		}
		if got := points(); got[0] != 51 || got[1] != 52 || got[2] != 51 {
			t.Errorf("points after = %v, want 51 52 51", got)
		}
		r, _ := db.FindResponse(sqltest.System(), ids[1])
		if r.Version != 2 || r.Items[8].Points != 1 || r.Answers["9"][0] != "C" {
			t.Errorf("rescored response: version %d, item 9 %+v", r.Version, r.Items[8])
		}
		var aspect healthcell.ResponseGroup
		for _, g := range r.Groups {
			if g.Code == "基本知识和理念" {
				aspect = g
			}
		}
		if aspect.Points != 28-6 { // items 33, 35, 36 (2 each) wrong of 28 points; 9 right now
			t.Errorf("aspect after rescoring = %+v", aspect)
		}
		if e := lastAudit(t, db); e.Action != "rescore" || e.Entity != "questionnaire" {
			t.Errorf("audit = %+v", e)
		}
		list, _ = db.FindQuestionnaires(ctxCounty)
		if list[0].Stale != 0 {
			t.Errorf("after rescoring %d stale", list[0].Stale)
		}
		if n, err := db.Rescore(sqltest.System(), literacy); err != nil || n != 0 {
			t.Errorf("second rescore = %d, %v", n, err)
		}

		// A version without item 50 does not fit the stored answers: refused, nothing changed.
		before := auditCount(t, db)
		broken := bytes.Replace(correctedKey(t, lit), []byte(`code: "50"`), []byte(`code: "50b"`), 1)
		if _, _, err := db.LoadQuestionnaire(sqltest.System(), broken); err != nil {
			t.Fatal(err)
		}
		before++
		_, err = db.Rescore(sqltest.System(), literacy)
		wantCode(t, err, healthcell.EINVALID)
		if fieldMessage(err, "answers.50") != questionnaire.MsgItemUnknown || fieldMessage(err, "answers.50b") != questionnaire.MsgItemMissing {
			t.Errorf("refusal = %v", healthcell.ErrorFields(err))
		}
		if got := points(); got[1] != 52 || auditCount(t, db) != before {
			t.Errorf("a refused rescore changed points %v or audit", got)
		}
		_, err = db.Rescore(sqltest.System(), "nope")
		wantCode(t, err, healthcell.ENOTFOUND)
	})
}

func TestLoadResponses(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		sqltest.LoadDivisions(t, db)
		loadQuestionnaires(t, db)
		right := keyAnswers(t, db, literacy, nil)
		wrong := keyAnswers(t, db, literacy, map[string][]string{"32": {"A"}, "33": {"A"}, "34": {"A"}, "35": {"A"}, "36": {"A"}, "37": {"A"}, "38": {"A"}})
		n, err := db.LoadResponses(sqltest.System(), literacy, func(emit func(*healthcell.Response) error) error {
			for i := range 4500 { // more than one batch
				a := right
				if i%3 != 0 {
					a = wrong
				}
				v := sqltest.Village
				if i%2 == 1 {
					v = sqltest.Village2
				}
				if err := emit(&healthcell.Response{VillageCode: v, Name: "批量", Sex: "M", Age: 20 + i%50, SurveyDate: "2025-05-01", Answers: a}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil || n != 4500 {
			t.Fatalf("loaded %d, %v", n, err)
		}
		if got := responseRows(t, db); got != [3]int{4500, 4500 * 50, 4500 * 9} {
			t.Errorf("rows = %v", got)
		}
		passed, _ := db.CountRowsForTest(context.Background(), `SELECT COUNT(*) FROM questionnaire_responses WHERE passed AND points = 66`)
		failed, _ := db.CountRowsForTest(context.Background(), `SELECT COUNT(*) FROM questionnaire_responses WHERE NOT passed AND points = 52`)
		if passed != 1500 || failed != 3000 {
			t.Errorf("passed %d, failed %d; want 1500 and 3000", passed, failed)
		}
		// Entries after a bulk load get fresh ids.
		r := &healthcell.Response{Questionnaire: literacy, VillageCode: sqltest.Village, Name: "丁", Sex: "F", Age: 44, Answers: right}
		if err := db.CreateResponse(ctxVillageA, r); err != nil || r.ID != 4501 {
			t.Errorf("next response id %d, %v", r.ID, err)
		}
		_, err = db.LoadResponses(ctxCounty, literacy, func(func(*healthcell.Response) error) error { return nil })
		wantCode(t, err, healthcell.EFORBIDDEN)
	})
}

func TestSetResponseActive(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		newWorld(t, db)
		loadQuestionnaires(t, db)
		r := &healthcell.Response{Questionnaire: literacy, VillageCode: sqltest.Village, Name: "戊", Sex: "M", Age: 28,
			Answers: keyAnswers(t, db, literacy, nil)}
		if err := db.CreateResponse(ctxVillageA, r); err != nil {
			t.Fatal(err)
		}
		listed := func() int {
			_, n, err := db.FindResponses(ctxCounty, healthcell.ResponseFilter{Questionnaire: literacy})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		for _, c := range []struct {
			name string
			ctx  context.Context
			code string
		}{
			{"another village", ctxVillageB, healthcell.ENOTFOUND},
			{"a viewer", ctxViewer, healthcell.EFORBIDDEN},
			{"unknown", ctxCounty, healthcell.ENOTFOUND},
		} {
			t.Run(c.name, func(t *testing.T) {
				before := auditCount(t, db)
				id := r.ID
				if c.name == "unknown" {
					id = 999
				}
				_, err := db.SetResponseActive(c.ctx, id, false)
				wantCode(t, err, c.code)
				if listed() != 1 || auditCount(t, db) != before {
					t.Error("a refused withdrawal changed something")
				}
			})
		}
		got, err := db.SetResponseActive(ctxTownship, r.ID, false)
		if err != nil || got.Active || listed() != 0 {
			t.Fatalf("withdraw: %+v, %v, %d listed", got, err, listed())
		}
		if e := lastAudit(t, db); e.Action != "withdraw" || e.Division != sqltest.Village {
			t.Errorf("audit %+v", e)
		}
		if n, _ := db.CountRowsForTest(context.Background(), `SELECT COUNT(*) FROM questionnaire_responses WHERE NOT active`); n != 1 {
			t.Errorf("%d withdrawn rows", n)
		}
		if got, err := db.SetResponseActive(ctxVillageA, r.ID, true); err != nil || !got.Active || listed() != 1 {
			t.Fatalf("restore: %+v, %v", got, err)
		}
	})
}
