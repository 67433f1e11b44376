package web_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/catalog"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
	"github.com/healthcell/healthcell/tablefile"
	"github.com/healthcell/healthcell/web"
)

// publicEnv is an env with the shipped questionnaires, the quiz published,
// and client addresses taken from X-Forwarded-For so that each part of a
// test comes from its own address.
func publicEnv(t testing.TB, db *sqlstore.DB, opts ...func(*web.Config)) *env {
	t.Helper()
	e := newEnv(t, db, append([]func(*web.Config){func(c *web.Config) { c.TrustProxy = true }}, opts...)...)
	files, err := catalog.Questionnaires()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if _, _, err := db.LoadQuestionnaire(sqltest.System(), f.Text); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.SaveSurvey(sqltest.System(), &healthcell.Survey{Code: healthcell.QuizCode, Kind: healthcell.SurveyQuiz, Channel: healthcell.ChannelPublic}); err != nil {
		t.Fatal(err)
	}
	return e
}

var drawnRE = regexp.MustCompile(`name="items" value="([^"]+)"`)

// quizForm opens the quiz as c from addr and returns its answers: every
// drawn item answered with its key.
func quizForm(t *testing.T, e *env, c *client, addr string) url.Values {
	t.Helper()
	r := c.get(t, "/public/"+sqltest.Village+"/quiz", "X-Forwarded-For", addr)
	if r.status != http.StatusOK {
		t.Fatalf("quiz page: %d %s", r.status, r)
	}
	m := drawnRE.FindStringSubmatch(r.String())
	if m == nil {
		t.Fatalf("no drawn items in %s", r)
	}
	_, q, err := e.db.FindQuestionnaire(sqltest.System(), healthcell.QuizCode)
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{"items": {m[1]}}
	for _, code := range strings.Split(m[1], ",") {
		it, ok := q.Item(code)
		if !ok {
			t.Fatalf("drawn item %s not in the bank", code)
		}
		form["a_"+code] = append([]string(nil), it.Answer...)
	}
	return form
}

func publicCount(t *testing.T, db *sqlstore.DB, code string) int {
	t.Helper()
	vs, err := db.SurveyResults(sqltest.System(), code, sqltest.County)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, v := range vs {
		n += v.Respondents
	}
	return n
}

func TestPublicQuizWeb(t *testing.T) {
	eachEnv2(t, func(t *testing.T, e *env) {
		quiz := "/public/" + sqltest.Village + "/quiz"
		c := e.anon(t)
		form := quizForm(t, e, c, "198.51.100.1")
		if u, _ := url.Parse(e.srv.URL + quiz); len(c.hc.Jar.Cookies(u)) == 0 {
			t.Error("no device cookie")
		}
		r := c.do(t, "POST", quiz, form, "X-Forwarded-For", "198.51.100.1")
		loc := r.header.Get("Location")
		if r.status != http.StatusSeeOther || !strings.HasPrefix(loc, quiz+"/result/") {
			t.Fatalf("submit: %d %s %s", r.status, loc, r)
		}
		res := e.anon(t).get(t, loc) // shared: another browser sees it
		if res.status != http.StatusOK || !strings.Contains(res.String(), "10 / 10") || !strings.Contains(res.String(), "正确答案") ||
			res.header.Get("Content-Security-Policy") == "" || strings.Contains(res.String(), "<script") {
			t.Errorf("result: %d %s", res.status, res)
		}
		if len(res.body) > 100<<10 {
			t.Errorf("result page is %d bytes", len(res.body))
		}
		// The same answers again from the same browser: dropped, same result.
		if r2 := c.do(t, "POST", quiz, form, "X-Forwarded-For", "198.51.100.1"); r2.header.Get("Location") != loc {
			t.Errorf("repeat went to %q, want %q", r2.header.Get("Location"), loc)
		}
		if n := publicCount(t, e.db, healthcell.QuizCode); n != 1 {
			t.Errorf("stored %d, want 1 (the repeat dropped)", n)
		}
		// A missing answer: the form again with the item marked, nothing stored.
		part := url.Values{}
		for k, v := range form {
			part[k] = v
		}
		for k := range part {
			if strings.HasPrefix(k, "a_") {
				delete(part, k)
				break
			}
		}
		if r := e.anon(t).do(t, "POST", quiz, part, "X-Forwarded-For", "198.51.100.2"); r.status != http.StatusUnprocessableEntity ||
			!strings.Contains(r.String(), `class="bad"`) {
			t.Errorf("missing answer: %d", r.status)
		}

		// Honeypot: a script filling every field gets a thank-you and stores nothing.
		spam := url.Values{}
		for k, v := range form {
			spam[k] = v
		}
		spam.Set("website", "http://spam.example")
		if r := e.anon(t).do(t, "POST", quiz, spam, "X-Forwarded-For", "198.51.100.3"); r.status != http.StatusOK {
			t.Errorf("honeypot: %d", r.status)
		}
		if n := publicCount(t, e.db, healthcell.QuizCode); n != 1 {
			t.Errorf("after the honeypot stored %d, want 1", n)
		}

		// 100 submissions from one address, each from a fresh browser: at most 20 stored, 429 after.
		before := publicCount(t, e.db, healthcell.QuizCode)
		var codes []int
		for i := 0; i < 100; i++ {
			r := e.anon(t).do(t, "POST", quiz, form, "X-Forwarded-For", "203.0.113.7")
			codes = append(codes, r.status)
		}
		stored := publicCount(t, e.db, healthcell.QuizCode) - before
		if stored != web.DefaultPublicSubmitLimit {
			t.Errorf("stored %d of 100 from one address, want %d", stored, web.DefaultPublicSubmitLimit)
		}
		for i, code := range codes {
			want := http.StatusSeeOther
			if i >= web.DefaultPublicSubmitLimit {
				want = http.StatusTooManyRequests
			}
			if code != want {
				t.Fatalf("submission %d: %d, want %d", i+1, code, want)
			}
		}
		// One device over many addresses meets its own limit.
		dev := e.anon(t)
		quizForm(t, e, dev, "192.0.2.200")
		last := 0
		for i := 0; i < web.DefaultPublicSubmitLimit+1; i++ {
			f := url.Values{}
			for k, v := range form {
				f[k] = v
			}
			f.Set("name", fmt.Sprintf("居民%d", i)) // not a repeat
			last = dev.do(t, "POST", quiz, f, "X-Forwarded-For", fmt.Sprintf("192.0.2.%d", i+1)).status
		}
		if last != http.StatusTooManyRequests {
			t.Errorf("device's submission %d: %d, want 429", web.DefaultPublicSubmitLimit+1, last)
		}

		// The indicator counts them; literacy_level is untouched.
		if lit, _, err := e.db.FindResponses(sqltest.System(), healthcell.ResponseFilter{Questionnaire: "health-literacy-2020"}); err != nil || len(lit) != 0 {
			t.Errorf("literacy responses: %d %v", len(lit), err)
		}

		// A town is no village; a closed quiz says so.
		if r := e.anon(t).get(t, "/public/"+sqltest.Township+"/quiz"); r.status != http.StatusNotFound {
			t.Errorf("township quiz: %d", r.status)
		}
		county := e.as(t, "county")
		if r := county.do(t, "POST", "/surveys/"+healthcell.QuizCode+"/publish", url.Values{"channel": {"public"}, "closed": {"on"}}); r.status != http.StatusSeeOther {
			t.Fatalf("close: %d %s", r.status, r)
		}
		if r := e.anon(t).get(t, quiz); r.status != http.StatusNotFound || !strings.Contains(r.String(), "已结束") {
			t.Errorf("closed quiz: %d", r.status)
		}
	})
}

// eachEnv2 is eachEnv with publicEnv's set-up.
func eachEnv2(t *testing.T, fn func(t *testing.T, e *env)) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) { fn(t, publicEnv(t, db)) })
}

var surveyLocRE = regexp.MustCompile(`^/surveys/(survey-[0-9-]+)$`)

func TestSurveyWrittenOnTheWeb(t *testing.T) {
	eachEnv2(t, func(t *testing.T, e *env) {
		county := e.as(t, "county")
		if r := county.get(t, "/surveys/new"); r.status != http.StatusOK || !strings.Contains(r.String(), "满意度") {
			t.Fatalf("editor: %d", r.status)
		}
		form := url.Values{"name": {"家庭医生签约服务满意度调查"}, "kind": {"satisfaction"}, "pass": {"100"}, "rows": {"3"},
			"text_0": {"您对家庭医生的服务态度满意吗？"}, "type_0": {"single"}, "options_0": {"非常满意\n满意\n一般\n不满意"}, "key_0": {"AB"},
			"text_1": {"您对村卫生室的环境满意吗？"}, "type_1": {"single"}, "options_1": {"满意\n一般\n不满意"}, "key_1": {"A"},
			"type_2": {"single"}}
		// Bad input first: an answer letter that is no option; nothing stored.
		bad := url.Values{}
		for k, v := range form {
			bad[k] = v
		}
		bad.Set("key_1", "F")
		if r := county.do(t, "POST", "/surveys/new", bad); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.String(), "row-error-1") {
			t.Fatalf("bad survey: %d %s", r.status, r)
		}
		if r := e.as(t, "viewer").do(t, "POST", "/surveys/new", form); r.status != http.StatusForbidden {
			t.Errorf("viewer writes a survey: %d", r.status)
		}
		r := county.do(t, "POST", "/surveys/new", form)
		m := surveyLocRE.FindStringSubmatch(r.header.Get("Location"))
		if r.status != http.StatusSeeOther || m == nil {
			t.Fatalf("save: %d %s %s", r.status, r.header.Get("Location"), r)
		}
		code := m[1]
		public := "/public/" + sqltest.Village + "/surveys/" + code
		if r := e.anon(t).get(t, public); r.status != http.StatusNotFound {
			t.Errorf("before publishing: %d", r.status)
		}
		if r := county.do(t, "POST", "/surveys/"+code+"/publish", url.Values{"channel": {"both"}}); r.status != http.StatusSeeOther {
			t.Fatalf("publish: %d %s", r.status, r)
		}
		if r := e.anon(t).get(t, public); r.status != http.StatusOK || !strings.Contains(r.String(), "服务态度") {
			t.Fatalf("public survey: %d", r.status)
		}
		// Two residents: satisfied with both; satisfied with one.
		for i, ans := range [][2]string{{"B", "A"}, {"A", "C"}} {
			r := e.anon(t).do(t, "POST", public, url.Values{"a_Q1": {ans[0]}, "a_Q2": {ans[1]}}, "X-Forwarded-For", fmt.Sprintf("198.51.100.%d", 50+i))
			if r.status != http.StatusSeeOther || !strings.HasSuffix(r.header.Get("Location"), "/thanks") {
				t.Fatalf("answer %d: %d %s", i, r.status, r)
			}
		}
		page := county.get(t, "/surveys/"+code)
		if page.status != http.StatusOK || !strings.Contains(page.String(), "满意率") || !strings.Contains(page.String(), `id="total-rate">50.0%`) {
			t.Errorf("results page: %d %s", page.status, page)
		}
		var doc struct {
			Survey   healthcell.Survey          `json:"survey"`
			Villages []healthcell.SurveyVillage `json:"villages"`
		}
		county.get(t, "/api/v1/surveys/"+code+"/results").decode(t, &doc)
		if doc.Survey.Kind != "satisfaction" || len(doc.Villages) != 1 || doc.Villages[0].Respondents != 2 || doc.Villages[0].Passed != 1 ||
			doc.Villages[0].Items["Q1"] != 2 || doc.Villages[0].Items["Q2"] != 1 {
			t.Errorf("results API: %+v", doc)
		}
		// Editing keeps the code and makes a new version.
		edit := county.get(t, "/surveys/"+code+"/edit")
		if edit.status != http.StatusOK || !strings.Contains(edit.String(), "非常满意") {
			t.Errorf("edit page: %d", edit.status)
		}
	})
}

// surveyFile writes a survey sheet as .xlsx and wraps it in a multipart form
// with name and kind; it returns the body and its content type.
func surveyFile(t *testing.T, rows [][]any) ([]byte, string) {
	t.Helper()
	var x bytes.Buffer
	w, err := tablefile.NewWriter(&x, "xlsx", "问卷", []string{"题目", "题型", "选项A", "选项B", "选项C", "选项D", "选项E", "答案", "讲解"})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("name", "健康村政策知晓情况调查")
	mw.WriteField("kind", "awareness")
	fw, err := mw.CreateFormFile("file", "知晓问卷.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(x.Bytes())
	mw.Close()
	return body.Bytes(), mw.FormDataContentType()
}

func TestSurveyUpload(t *testing.T) {
	eachEnv2(t, func(t *testing.T, e *env) {
		county := e.as(t, "county")
		count := func() int {
			list, err := e.db.FindSurveys(sqltest.System())
			if err != nil {
				t.Fatal(err)
			}
			return len(list)
		}
		n0 := count()
		good := []any{"健康村建设是否纳入村规民约？", "单选", "是", "否", "不知道", "", "", "A", ""}
		body, ctype := surveyFile(t, [][]any{good,
			{"下列哪些属于基本公共卫生服务？", "多选", "老年人体检", "慢病随访", "整形美容", "", "", "F", ""},
			{"", "判断", "对", "", "", "", "", "", ""}})
		r := county.do(t, "POST", "/surveys/upload", body, "Content-Type", ctype)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.String(), "第 3 行 H 列（答案）") ||
			!strings.Contains(r.String(), "第 4 行 A 列（题目）") {
			t.Fatalf("bad file: %d %s", r.status, r)
		}
		if count() != n0 {
			t.Errorf("a bad file stored a survey")
		}
		body, ctype = surveyFile(t, [][]any{good, {"下列哪些属于基本公共卫生服务？", "多选", "老年人体检", "慢病随访", "整形美容", "", "", "AB", "免费提供"}})
		r = county.do(t, "POST", "/surveys/upload", body, "Content-Type", ctype)
		if r.status != http.StatusSeeOther || !surveyLocRE.MatchString(r.header.Get("Location")) || count() != n0+1 {
			t.Fatalf("good file: %d %s", r.status, r)
		}
		_, q, err := e.db.FindQuestionnaire(sqltest.System(), strings.TrimPrefix(r.header.Get("Location"), "/surveys/"))
		if err != nil || len(q.Items) != 2 || q.Items[1].Points != 2 || q.Items[1].Explanation != "免费提供" {
			t.Errorf("stored %+v %v", q, err)
		}
	})
}
