package web_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/catalog"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

const literacyCode = "health-literacy-2020"

// loadQuestionnaires stores the shipped questionnaires and returns the text
// of the literacy one.
func (e *env) loadQuestionnaires(t testing.TB) []byte {
	t.Helper()
	files, err := catalog.Questionnaires()
	if err != nil {
		t.Fatal(err)
	}
	var lit []byte
	for _, f := range files {
		if _, _, err := e.db.LoadQuestionnaire(sqltest.System(), f.Text); err != nil {
			t.Fatal(err)
		}
		if f.Name == literacyCode+".yaml" {
			lit = f.Text
		}
	}
	return lit
}

// literacyKey returns the key of every literacy item, with wrong (item →
// labels; nil drops the item) instead.
func (e *env) literacyKey(t testing.TB, wrong map[string][]string) map[string][]string {
	t.Helper()
	_, q, err := e.db.FindQuestionnaire(sqltest.System(), literacyCode)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, it := range q.Items {
		out[it.Code] = it.Answer
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

// responseCount is the number of stored literacy responses, as the system sees them.
func (e *env) responseCount(t testing.TB) int {
	t.Helper()
	list, err := e.db.FindQuestionnaires(sqltest.System())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, v := range list {
		n += v.Responses
	}
	return n
}

func TestQuestionnaireAPI(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.loadQuestionnaires(t)
		village, county := e.as(t, "village"), e.as(t, "county")

		r := village.get(t, "/api/v1/questionnaires")
		if r.status != 200 || len(r.json(t)["items"].([]any)) != 3 { // literacy, the quiz bank, knowledge-behaviour
			t.Fatalf("list: %d %s", r.status, r.body)
		}
		r = village.get(t, "/api/v1/questionnaires/"+literacyCode)
		doc := r.json(t)
		qs := doc["questions"].([]any)
		if r.status != 200 || len(qs) != 50 || doc["max_points"] != 66.0 || doc["pass_points"] != 53.0 {
			t.Fatalf("questionnaire: %d, %d questions", r.status, len(qs))
		}
		if _, ok := qs[0].(map[string]any)["answer"]; ok {
			t.Error("a village officer sees the answer key")
		}
		if _, ok := county.get(t, "/api/v1/questionnaires/"+literacyCode).json(t)["questions"].([]any)[0].(map[string]any)["answer"]; !ok {
			t.Error("a county administrator does not see the answer key")
		}
		if r := village.get(t, "/api/v1/questionnaires/nope"); r.status != 404 {
			t.Errorf("unknown questionnaire: %d", r.status)
		}

		post := func(c *client, body map[string]any) *response {
			return c.do(t, "POST", "/api/v1/questionnaires/"+literacyCode+"/responses", body)
		}
		typed := func(village string, wrong map[string][]string) map[string]any {
			return map[string]any{"village": village, "name": "路人甲", "sex": "F", "age": 33, "survey_date": "2025-06-01",
				"answers": e.literacyKey(t, wrong)}
		}
		r = post(village, typed(sqltest.Village, map[string][]string{"32": {"A"}}))
		if r.status != 201 {
			t.Fatalf("create: %d %s", r.status, r.body)
		}
		if m := r.json(t); m["points"] != 64.0 || m["passed"] != true || m["max_points"] != 66.0 || len(m["groups"].([]any)) != 9 || m["resident"] != true {
			t.Errorf("created: %v", m)
		}
		// A typed-in respondent who is not a permanent resident (常住).
		away := typed(sqltest.Village, nil)
		away["resident"] = false
		if r := post(village, away); r.status != 201 || r.json(t)["resident"] != false {
			t.Errorf("not a permanent resident: %d %s", r.status, r.body)
		}
		r = post(village, map[string]any{"person": e.pA2.ID, "answers": e.literacyKey(t, nil)})
		if r.status != 201 || r.json(t)["name"] != "李四" {
			t.Errorf("resident: %d %s", r.status, r.body)
		}

		// Refusals: 422 with the field, nothing stored.
		for _, c := range []struct {
			name  string
			c     *client
			body  map[string]any
			field string
		}{
			{"option outside the item's", village, typed(sqltest.Village, map[string][]string{"9": {"F"}}), "answers.9"},
			{"missing item", village, typed(sqltest.Village, map[string][]string{"50": nil}), "answers.50"},
			{"village out of scope", village, typed(sqltest.Village2, nil), "village"},
			{"person out of scope", village, map[string]any{"person": e.pB.ID, "answers": e.literacyKey(t, nil)}, "person"},
			{"viewer", e.as(t, "viewer"), typed(sqltest.Village, nil), "village"},
		} {
			t.Run(c.name, func(t *testing.T) {
				before := e.responseCount(t)
				r := post(c.c, c.body)
				if r.status != 422 {
					t.Fatalf("status %d: %s", r.status, r.body)
				}
				fields := r.json(t)["error"].(map[string]any)["fields"].([]any)
				if f := fields[0].(map[string]any); f["field"] != c.field || f["message"] == "" || f["message"] == f["key"] {
					t.Errorf("field error %v, want %s with a message", f, c.field)
				}
				if e.responseCount(t) != before {
					t.Error("a refused response was stored")
				}
			})
		}
		if r := village.do(t, "POST", "/api/v1/questionnaires/"+literacyCode+"/responses", `{"answers": 3}`); r.status != 422 {
			t.Errorf("bad JSON: %d", r.status)
		}

		// Lists.
		if r := e.as(t, "township").get(t, "/api/v1/questionnaires/"+literacyCode+"/responses?division="+sqltest.Village); r.status != 200 ||
			r.json(t)["total"] != 3.0 {
			t.Errorf("township list: %d %s", r.status, r.body)
		}
		if r := village.get(t, "/api/v1/questionnaires/"+literacyCode+"/responses?division="+sqltest.Village2); r.status != 404 {
			t.Errorf("list out of scope: %d", r.status)
		}
	})
}

var itemFieldset = regexp.MustCompile(`<fieldset class="q-item`)

func TestQuestionnairePages(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.loadQuestionnaires(t)
		c := e.browser(t, "village")
		r := c.get(t, "/questionnaires")
		wantPage(t, r, 200, "居民健康素养调查问卷", `href="/questionnaires/`+literacyCode+`/new"`)
		r = c.get(t, "/questionnaires/"+literacyCode+"/new")
		wantPage(t, r, 200, `id="response-form"`, "情景题", `type="checkbox" name="a.32"`, `type="radio" name="a.1" value="对"`, `name="resident" value="1" id="resident" aria-describedby="resident-hint" checked`, villageName)
		if n := len(itemFieldset.FindAll(r.body, -1)); n != 50 {
			t.Errorf("%d items on the form, want 50", n)
		}
		noRawKeys(t, "form", r.body)
		noQuestionnaireKeys(t, r.body)

		form := func(wrong map[string][]string) url.Values {
			v := url.Values{"name": {"路人乙"}, "sex": {"M"}, "age": {"45"}, "village": {sqltest.Village}, "survey_date": {"2025-06-01"}, "resident": {"1"}}
			for item, labels := range e.literacyKey(t, wrong) {
				v["a."+item] = labels
			}
			return v
		}
		// A missing item: the form comes back with the item marked, nothing stored.
		r = c.do(t, "POST", "/questionnaires/"+literacyCode+"/new", form(map[string][]string{"47": nil}))
		wantPage(t, r, 422, "有题目未答或答案有误", `id="item-47-error"`, "这道题还没有作答", `value="路人乙"`)
		if e.responseCount(t) != 0 {
			t.Fatal("a refused form stored a response")
		}
		// Saved: the result page shows the score.
		r = c.do(t, "POST", "/questionnaires/"+literacyCode+"/new", form(map[string][]string{"9": {"A"}, "32": {"A", "B"}}))
		if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/responses/") {
			t.Fatalf("save: %d %q\n%s", r.status, r.header.Get("Location"), r.body)
		}
		result := r.header.Get("Location")
		page := c.get(t, result)
		wantPage(t, page, 200, `id="toggle-active"`, "63 / 66", "具备基本健康素养", "基本知识和理念")
		noQuestionnaireKeys(t, page.body)
		wantPage(t, c.get(t, "/questionnaires/"+literacyCode+"?division="+sqltest.Village), 200, "路人乙", "63 / 66")

		// A resident by ID number: name, sex and age from the record; another village's resident is refused.
		byID := form(nil)
		byID.Set("person", e.pA2.IDNumber)
		byID.Del("name")
		byID.Del("age")
		r = c.do(t, "POST", "/questionnaires/"+literacyCode+"/new", byID)
		if r.status != http.StatusSeeOther {
			t.Fatalf("by ID number: %d\n%s", r.status, r.body)
		}
		wantPage(t, c.get(t, r.header.Get("Location")), 200, "李四", "66 / 66")
		byID.Set("person", e.pB.IDNumber)
		wantPage(t, c.do(t, "POST", "/questionnaires/"+literacyCode+"/new", byID), 422, "居民不存在、已不在册，或不在您的管辖范围内")
		byID.Set("person", "12x")
		wantPage(t, c.do(t, "POST", "/questionnaires/"+literacyCode+"/new", byID), 422, `id="person-error"`, `value="12x"`)

		// Withdrawn and restored.
		if r := c.do(t, "POST", result+"/active", url.Values{"active": {"0"}}); r.status != http.StatusSeeOther {
			t.Fatalf("withdraw: %d %s", r.status, r.body)
		}
		wantPage(t, c.get(t, result), 200, "这份答卷已作废", "恢复这份答卷")
		if r := c.get(t, "/questionnaires/"+literacyCode); strings.Contains(string(r.body), "路人乙") {
			t.Error("a withdrawn response is listed")
		}
		if r := e.browser(t, "viewer").do(t, "POST", result+"/active", url.Values{"active": {"1"}}); r.status != 403 {
			t.Errorf("a viewer restores: %d", r.status)
		}
		if r := c.do(t, "POST", result+"/active", url.Values{"active": {"1"}}); r.status != http.StatusSeeOther {
			t.Fatalf("restore: %d", r.status)
		}

		// English.
		c.setLang(t, "en")
		r = c.get(t, "/questionnaires/"+literacyCode+"/new")
		wantPage(t, r, 200, `lang="en"`, "Respondent", "Single choice", "Scenario")
		noQuestionnaireKeys(t, r.body)
		r = c.get(t, result)
		wantPage(t, r, 200, "Health literate", "63 / 66")
		noQuestionnaireKeys(t, r.body)
	})
}

func TestQuestionnaireRescorePage(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		lit := e.loadQuestionnaires(t)
		village := e.browser(t, "village")
		v := url.Values{"name": {"丙"}, "sex": {"F"}, "age": {"50"}, "village": {sqltest.Village}}
		for item, labels := range e.literacyKey(t, nil) {
			v["a."+item] = labels
		}
		if r := village.do(t, "POST", "/questionnaires/"+literacyCode+"/new", v); r.status != http.StatusSeeOther {
			t.Fatalf("save: %d", r.status)
		}
		corrected := bytes.Replace(lit, []byte("      D: 多睡懒觉\n    answer: B"), []byte("      D: 多睡懒觉\n    answer: C"), 1)
		if _, created, err := e.db.LoadQuestionnaire(sqltest.System(), corrected); err != nil || !created {
			t.Fatalf("corrected version: %v", err)
		}
		county := e.browser(t, "county")
		wantPage(t, county.get(t, "/questionnaires"), 200, "1 份答卷按旧版本计分", `id="rescore-`+literacyCode+`"`)
		if r := village.get(t, "/questionnaires"); strings.Contains(string(r.body), `id="rescore-`) {
			t.Error("a village officer sees the rescore button")
		}
		if r := e.browser(t, "viewer").get(t, "/questionnaires"); r.status != 200 || strings.Contains(string(r.body), `id="enter-`) {
			t.Errorf("a viewer: %d, or sees the enter button", r.status)
		}
		if r := village.do(t, "POST", "/questionnaires/"+literacyCode+"/rescore", url.Values{}); r.status != 403 {
			t.Errorf("village rescore: %d", r.status)
		}
		r := county.do(t, "POST", "/questionnaires/"+literacyCode+"/rescore", url.Values{})
		if r.status != http.StatusSeeOther {
			t.Fatalf("rescore: %d %s", r.status, r.body)
		}
		wantPage(t, county.get(t, r.header.Get("Location")), 200, "已重新计分，1 份答卷的得分有变化")
		// The result page shows the key to the county, not to the village.
		list, _, err := e.db.FindResponses(sqltest.System(), healthcell.ResponseFilter{Questionnaire: literacyCode})
		if err != nil || len(list) != 1 {
			t.Fatalf("responses: %v %v", list, err)
		}
		page := fmt.Sprintf("/responses/%d", list[0].ID)
		wantPage(t, county.get(t, page), 200, "正确答案", "65 / 66")
		if r := village.get(t, page); r.status != 200 || strings.Contains(string(r.body), "正确答案") {
			t.Errorf("the village sees the key: %d", r.status)
		}
		if e.responseCount(t) != 1 {
			t.Error("rescoring changed the number of responses")
		}
	})
}

// questionnaireKey matches a message key of this feature that reached the page untranslated.
var questionnaireKey = regexp.MustCompile(`\b(questionnaires?|response)\.[a-z_][a-z0-9_.]*`)

func noQuestionnaireKeys(t testing.TB, body []byte) {
	t.Helper()
	html := strings.ReplaceAll(string(body), "/static/questionnaire.css", "")
	if m := questionnaireKey.FindAllString(html, 5); len(m) > 0 {
		t.Errorf("untranslated keys %q", m)
	}
}
