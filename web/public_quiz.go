package web

import (
	"crypto/rand"
	"encoding/hex"
	mrand "math/rand/v2"
	"net/http"
	"strings"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/questionnaire"
)

// The public quiz and surveys (issue 15): standalone pages under
// /public/{village}/ that residents open from the village's QR code, with
// their own light layout (quiz_public.html), no login and no script.

// deviceCookie names a browser for the submission limit and duplicates.
const deviceCookie = "hc_device"

// pubItem is one question of a public form.
type pubItem struct {
	N        int
	Code     string
	Text     string
	Multiple bool
	Options  []pubOption
	Error    string
}

type pubOption struct {
	Label, Text string
	Checked     bool
}

// pubFormView is a public quiz or survey form.
type pubFormView struct {
	Page
	Heading, Village, Intro string
	Action, Submit          string
	Drawn                   string // the quiz's drawn items, comma-separated
	Items                   []pubItem
	Errors                  bool
	Name, Phone             string
	ContactError            string
	itemsHTML               string // the questions written already (FormHTML)
}

// pubMessageView is a public page with one message.
type pubMessageView struct {
	Page
	Heading, Village, Message string
	Link, LinkText            string
}

// renderPublic renders a public page with the public layout.
func (s *Server) renderPublic(w http.ResponseWriter, r *http.Request, status int, name string, view any) error {
	w.Header().Set("Cache-Control", "no-store")
	return s.renderRoot(w, r, status, name, "quizlayout", view)
}

// device returns the request's device cookie, setting a new one when there
// is none.
func (s *Server) device(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(deviceCookie); err == nil && len(c.Value) == 32 {
		return c.Value
	}
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	v := hex.EncodeToString(b)
	http.SetCookie(w, &http.Cookie{Name: deviceCookie, Value: v, Path: "/public/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.cfg.SecureCookies})
	return v
}

// formItems builds the form's questions from q's items, checking what was
// chosen and marking the items with an error.
func formItems(p Page, items []questionnaire.Item, chosen map[string][]string, errs map[string]string) []pubItem {
	out := make([]pubItem, 0, len(items))
	for i, it := range items {
		pi := pubItem{N: i + 1, Code: it.Code, Text: it.Text, Multiple: it.Type == questionnaire.Multiple, Error: errs[it.Code]}
		for _, o := range it.Options {
			c := false
			for _, l := range chosen[it.Code] {
				c = c || l == o.Label
			}
			pi.Options = append(pi.Options, pubOption{Label: o.Label, Text: o.Text, Checked: c})
		}
		out = append(out, pi)
	}
	return out
}

// drawQuiz picks n items of the bank at random, in bank order.
func drawQuiz(q *questionnaire.Questionnaire, n int) []questionnaire.Item {
	if n >= len(q.Items) {
		return q.Items
	}
	idx := mrand.Perm(len(q.Items))[:n]
	pick := make([]bool, len(q.Items))
	for _, i := range idx {
		pick[i] = true
	}
	out := make([]questionnaire.Item, 0, n)
	for i, it := range q.Items {
		if pick[i] {
			out = append(out, it)
		}
	}
	return out
}

// publicClosed answers for a survey that is missing, closed or not public in
// that village: 404 with a plain message in the public layout.
func (s *Server) publicClosed(w http.ResponseWriter, r *http.Request, sv *healthcell.Survey, village string) error {
	v := pubMessageView{Page: s.newPage(r, "pub.closed.title"), Heading: s.i18n.T(langOf(r), "pub.closed.title", nil), Village: village}
	v.Message = s.i18n.T(langOf(r), "pub.not_found", nil)
	if sv != nil && sv.Closed {
		v.Message = s.i18n.T(langOf(r), "pub.closed", nil)
	}
	return s.renderPublic(w, r, http.StatusNotFound, "pub_message", v)
}

// quizPage shows the quiz: QuizItems items drawn from the bank.
func (s *Server) quizPage(w http.ResponseWriter, r *http.Request) error {
	village := r.PathValue("village")
	st, err := s.quizState(r.Context(), village)
	if healthcell.ErrorCode(err) == healthcell.ENOTFOUND {
		return s.publicClosed(w, r, st.survey, st.name)
	}
	if err != nil {
		return err
	}
	s.device(w, r)
	return s.writeQuizPage(w, r, st, village)
}

func (s *Server) quizView(r *http.Request, villageName, village string, items []questionnaire.Item, drawn string) pubFormView {
	p := s.newPage(r, "quiz.title")
	return pubFormView{Page: p, Heading: p.T("quiz.title"), Village: villageName, Intro: p.T("quiz.intro"),
		Action: "/public/" + village + "/quiz", Submit: p.T("quiz.submit"), Drawn: drawn}
}

// readAnswers reads the a_<item> fields of a posted form for items.
func readAnswers(r *http.Request, items []questionnaire.Item) map[string][]string {
	out := map[string][]string{}
	for _, it := range items {
		if vs := r.PostForm["a_"+it.Code]; len(vs) > 0 {
			out[it.Code] = vs
		}
	}
	return out
}

// admitPublic applies the submission limit and the honeypot to a posted
// public form. It returns false when it has answered the request itself: 429
// over the limit; for a filled honeypot a plain thank-you, storing nothing.
func (s *Server) admitPublic(w http.ResponseWriter, r *http.Request, village string) (device string, ok bool, err error) {
	device = s.device(w, r)
	if !s.submits.allow(s.clientIP(r), device) {
		p := s.newPage(r, "pub.limited.title")
		w.Header().Set("Retry-After", "3600")
		return device, false, s.renderPublic(w, r, http.StatusTooManyRequests, "pub_message",
			pubMessageView{Page: p, Heading: p.T("pub.limited.title"), Message: p.T("pub.limited")})
	}
	if err := r.ParseForm(); err != nil {
		return device, false, healthcell.Errorf(healthcell.EINVALID, "error.invalid")
	}
	if strings.TrimSpace(r.PostFormValue("website")) != "" {
		p := s.newPage(r, "pub.thanks.title")
		return device, false, s.renderPublic(w, r, http.StatusOK, "pub_message",
			pubMessageView{Page: p, Heading: p.T("pub.thanks.title"), Message: p.T("pub.thanks")})
	}
	return device, true, nil
}

// quizSubmit scores and stores a resident's quiz and shows the result.
func (s *Server) quizSubmit(w http.ResponseWriter, r *http.Request) error {
	village := r.PathValue("village")
	device, ok, err := s.admitPublic(w, r, village)
	if !ok {
		return err
	}
	st, err := s.quizState(r.Context(), village)
	if healthcell.ErrorCode(err) == healthcell.ENOTFOUND {
		return s.publicClosed(w, r, st.survey, st.name)
	}
	if err != nil {
		return err
	}
	q, name := st.bank, st.name
	drawn := strings.Split(r.PostFormValue("items"), ",")
	sub, ok := q.Subset(drawn)
	if !ok || len(sub.Items) != healthcell.QuizItems && len(sub.Items) != len(q.Items) {
		return healthcell.Errorf(healthcell.EINVALID, "survey.items.invalid")
	}
	answers := readAnswers(r, sub.Items)
	ps := &healthcell.PublicSubmission{Questionnaire: healthcell.QuizCode, VillageCode: village, Items: drawn, Answers: answers,
		Name: r.PostFormValue("name"), Phone: r.PostFormValue("phone"), Client: device}
	token, _, err := s.svc.Surveys.CreatePublicResponse(r.Context(), ps)
	if healthcell.ErrorCode(err) == healthcell.EINVALID {
		v := s.quizView(r, name, village, sub.Items, strings.Join(drawn, ","))
		s.fillFormErrors(&v, sub.Items, answers, err)
		v.Name, v.Phone = ps.Name, ps.Phone
		return s.renderPublic(w, r, http.StatusUnprocessableEntity, "quiz_public", v)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/public/"+village+"/quiz/result/"+token, http.StatusSeeOther)
	return nil
}

// fillFormErrors puts a store's EINVALID on the form: per item, and the
// contact fields.
func (s *Server) fillFormErrors(v *pubFormView, items []questionnaire.Item, answers map[string][]string, err error) {
	errs := map[string]string{}
	for _, f := range healthcell.ErrorFields(err) {
		msg := s.i18n.T(v.Lang, f.Message, nil)
		switch {
		case strings.HasPrefix(f.Field, "answers."):
			errs[strings.TrimPrefix(f.Field, "answers.")] = msg
		case f.Field == "name" || f.Field == "phone":
			v.ContactError = msg
		}
	}
	v.Errors = true
	v.Items = formItems(v.Page, items, answers, errs)
}

// quizResultItem is one answered item on the result page.
type quizResultItem struct {
	N                             int
	Text, Yours, Key, Explanation string
	Right                         bool
}

// quizResult shows a quiz's score and every item with its key and
// explanation; anyone with the address may see it (it is shared).
func (s *Server) quizResult(w http.ResponseWriter, r *http.Request) error {
	village := r.PathValue("village")
	res, err := s.svc.Surveys.FindPublicResult(r.Context(), r.PathValue("token"))
	if err == nil && (res.Response.VillageCode != village || res.Response.Questionnaire != healthcell.QuizCode) {
		err = healthcell.Errorf(healthcell.ENOTFOUND, "error.not_found.response")
	}
	if healthcell.ErrorCode(err) == healthcell.ENOTFOUND {
		return s.publicClosed(w, r, nil, "")
	}
	if err != nil {
		return err
	}
	st, qerr := s.quizState(r.Context(), village)
	p := s.newPage(r, "quiz.result.title")
	rr := res.Response
	v := struct {
		Page
		Village           string
		Correct, Total    int
		Passed            bool
		Items             []quizResultItem
		ShareURL, QuizURL string
	}{Page: p, Village: res.VillageName, Total: len(rr.Items), Passed: rr.Passed, QuizURL: "/public/" + village + "/quiz"}
	v.ShareURL = s.publicBase(r) + r.URL.Path
	for i, it := range rr.Items {
		ri := quizResultItem{N: i + 1, Right: it.Points > 0 && it.Points == it.Max, Yours: strings.Join(it.Labels, "")}
		if ri.Right {
			v.Correct++
		}
		if qerr == nil {
			if qi, ok := st.bank.Item(it.Item); ok {
				ri.Text, ri.Explanation = qi.Text, qi.Explanation
				ri.Yours, ri.Key = optionTexts(qi, it.Labels), optionTexts(qi, qi.Answer)
			}
		}
		v.Items = append(v.Items, ri)
	}
	return s.renderPublic(w, r, http.StatusOK, "quiz_result", v)
}

// optionTexts writes chosen labels with their texts: "B. 140", "对".
func optionTexts(it *questionnaire.Item, labels []string) string {
	var parts []string
	for _, l := range labels {
		t := l
		for _, o := range it.Options {
			if o.Label == l && o.Text != l {
				t = l + ". " + o.Text
			}
		}
		parts = append(parts, t)
	}
	if len(parts) == 0 {
		return "—"
	}
	return strings.Join(parts, "；")
}
