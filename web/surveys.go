package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/questionnaire"
)

// The surveys the county writes (issue 15 item 4): the county office writes
// a questionnaire on the web (or uploads it as .xlsx, survey_upload.go),
// publishes it for officers, the public or both, closes it, and reads its
// results per village.

// rateKey is the message key of a survey kind's rate: 知晓率, 满意率, 合格率.
func rateKey(kind string) string {
	switch kind {
	case healthcell.SurveyAwareness:
		return "survey.rate.awareness"
	case healthcell.SurveySatisfaction:
		return "survey.rate.satisfaction"
	}
	return "survey.rate.passed"
}

type surveysView struct {
	Page
	Surveys   []*healthcell.Survey
	CanManage bool
	Problems  []string // of an uploaded file, nothing stored
}

// surveysPage lists the published questionnaires.
func (s *Server) surveysPage(w http.ResponseWriter, r *http.Request) error {
	list, err := s.svc.Surveys.FindSurveys(r.Context())
	if err != nil {
		return err
	}
	v := surveysView{Page: s.newPage(r, "survey.list.title"), Surveys: list,
		CanManage: healthcell.ActorFrom(r.Context()).CanManageQuestionnaires()}
	return s.render(w, r, http.StatusOK, "surveys", v)
}

// editRow is one item block of the editor.
type editRow struct {
	I                        int
	Text, Type, Options, Key string
	Explanation              string
	Error                    string
}

type surveyEditView struct {
	Page
	Code, Name, Kind string
	Pass             int
	Rows             []editRow
	Errors           map[string]string
	New              bool
}

// editRows are the editor's blocks for q's items plus blank ones.
func editRows(q *questionnaire.Questionnaire, blank int) []editRow {
	var rows []editRow
	if q != nil {
		for _, it := range q.Items {
			var opts []string
			for _, o := range it.Options {
				opts = append(opts, o.Text)
			}
			rows = append(rows, editRow{Text: it.Text, Type: string(it.Type), Options: strings.Join(opts, "\n"),
				Key: strings.Join(it.Answer, ""), Explanation: it.Explanation})
		}
	}
	for i := 0; i < blank; i++ {
		rows = append(rows, editRow{Type: string(questionnaire.Single)})
	}
	for i := range rows {
		rows[i].I = i
	}
	return rows
}

// surveyNew shows an empty editor (county office).
func (s *Server) surveyNew(w http.ResponseWriter, r *http.Request) error {
	if !healthcell.ActorFrom(r.Context()).CanManageQuestionnaires() {
		return healthcell.Errorf(healthcell.EFORBIDDEN, "error.forbidden")
	}
	v := surveyEditView{Page: s.newPage(r, "survey.new.title"), Kind: healthcell.SurveySatisfaction, Pass: 80, Rows: editRows(nil, 5), New: true}
	return s.render(w, r, http.StatusOK, "survey_edit", v)
}

// surveyEdit shows the editor with a survey's items.
func (s *Server) surveyEdit(w http.ResponseWriter, r *http.Request) error {
	if !healthcell.ActorFrom(r.Context()).CanManageQuestionnaires() {
		return healthcell.Errorf(healthcell.EFORBIDDEN, "error.forbidden")
	}
	code := r.PathValue("code")
	sv, err := s.svc.Surveys.FindSurvey(r.Context(), code)
	if err != nil {
		return err
	}
	_, q, err := s.svc.Questionnaires.FindQuestionnaire(r.Context(), code)
	if err != nil {
		return err
	}
	v := surveyEditView{Page: s.newPage(r, "survey.edit.title"), Code: code, Name: q.Name, Kind: sv.Kind,
		Pass: int(q.PassRate*100 + 0.5), Rows: editRows(q, 2)}
	return s.render(w, r, http.StatusOK, "survey_edit", v)
}

// surveyFromForm reads the editor into a questionnaire; errs holds the field
// errors (message keys) by field: name, kind, pass, items, row.<i>.
func surveyFromForm(r *http.Request, code, source string) (*questionnaire.Questionnaire, string, []editRow, map[string]string) {
	errs := map[string]string{}
	q := &questionnaire.Questionnaire{Code: code, Name: strings.TrimSpace(r.PostFormValue("name")), Source: source}
	if q.Name == "" {
		errs["name"] = "survey.name.required"
	} else if len([]rune(q.Name)) > 60 {
		errs["name"] = "survey.name.too_long"
	}
	kind := r.PostFormValue("kind")
	if kind != healthcell.SurveyAwareness && kind != healthcell.SurveySatisfaction && kind != healthcell.SurveyKnowledge {
		errs["kind"] = "survey.kind.invalid"
	}
	pass, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("pass")))
	if err != nil || pass < 1 || pass > 100 {
		errs["pass"] = "survey.pass.invalid"
		pass = 80
	}
	q.PassRate = float64(pass) / 100
	n, _ := strconv.Atoi(r.PostFormValue("rows"))
	if n > 100 {
		n = 100
	}
	var rows []editRow
	for i := 0; i < n; i++ {
		f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k + "_" + strconv.Itoa(i))) }
		row := editRow{I: i, Text: f("text"), Type: f("type"), Options: f("options"), Key: f("key"), Explanation: f("explain")}
		rows = append(rows, row)
		if row.Text == "" && row.Options == "" && row.Key == "" {
			continue // a blank block
		}
		it, msg := itemFromRow(row, kind, len(q.Items)+1)
		if msg != "" {
			rows[len(rows)-1].Error = msg
			errs["row."+strconv.Itoa(i)] = msg
			continue
		}
		q.Items = append(q.Items, it)
	}
	if len(q.Items) == 0 && len(errs) == 0 {
		errs["items"] = "survey.items.none"
	}
	return q, kind, rows, errs
}

// itemFromRow checks one editor block and returns its item, or the message
// key of what is wrong with it.
func itemFromRow(row editRow, kind string, n int) (questionnaire.Item, string) {
	it := questionnaire.Item{Code: "Q" + strconv.Itoa(n), Text: row.Text, Type: questionnaire.Type(row.Type), Explanation: row.Explanation}
	if row.Text == "" {
		return it, "survey.item.text_required"
	}
	if it.Type != questionnaire.Single && it.Type != questionnaire.Multiple {
		return it, "survey.item.type_invalid"
	}
	for _, line := range strings.Split(row.Options, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			it.Options = append(it.Options, questionnaire.Option{Label: string(rune('A' + len(it.Options))), Text: line})
		}
	}
	min := 2
	if it.Type == questionnaire.Multiple {
		min = 3
	}
	if len(it.Options) < min || len(it.Options) > 5 {
		return it, "survey.item.options_count"
	}
	key := strings.ToUpper(strings.NewReplacer(" ", "", ",", "", "，", "", "、", "").Replace(row.Key))
	seen := map[string]bool{}
	for _, r := range key {
		l := string(r)
		if !it.HasOption(l) || seen[l] {
			return it, "survey.item.key_invalid"
		}
		seen[l] = true
	}
	for _, o := range it.Options {
		if seen[o.Label] {
			it.Answer = append(it.Answer, o.Label)
		}
	}
	switch {
	case len(it.Answer) == 0:
		it.Points = 0 // counted, not scored
	case kind == healthcell.SurveySatisfaction:
		it.Satisfied, it.Points = true, 1
	case it.Type == questionnaire.Single && len(it.Answer) > 1:
		return it, "survey.item.key_single"
	case it.Type == questionnaire.Multiple && len(it.Answer) < 2:
		return it, "survey.item.key_multiple"
	default:
		it.Points = 1
		if it.Type == questionnaire.Multiple {
			it.Points = 2
		}
	}
	return it, ""
}

// surveySave stores the editor's questionnaire as a new version (a new
// survey gets a code and is published for officers until the office
// publishes it further).
func (s *Server) surveySave(w http.ResponseWriter, r *http.Request) error {
	a := healthcell.ActorFrom(r.Context())
	if !a.CanManageQuestionnaires() {
		return healthcell.Errorf(healthcell.EFORBIDDEN, "error.forbidden")
	}
	if err := r.ParseForm(); err != nil {
		return healthcell.Errorf(healthcell.EINVALID, "error.invalid")
	}
	code := r.PathValue("code")
	isNew := code == ""
	sv := &healthcell.Survey{Channel: healthcell.ChannelOfficer}
	if isNew {
		code = "survey-" + s.now().Format("20060102-150405")
	} else {
		old, err := s.svc.Surveys.FindSurvey(r.Context(), code)
		if err != nil {
			return err
		}
		sv = old
	}
	p := s.newPage(r, "survey.edit.title")
	q, kind, rows, errs := surveyFromForm(r, code, p.T("survey.source"))
	var src []byte
	if len(errs) == 0 {
		var err error
		if src, err = questionnaire.Format(q); err != nil {
			return err
		}
		if _, err := questionnaire.Parse(strings.NewReader(string(src))); err != nil {
			errs["items"] = "survey.items.invalid"
		}
	}
	if len(errs) > 0 {
		v := surveyEditView{Page: p, Code: r.PathValue("code"), Name: q.Name, Kind: kind, Pass: int(q.PassRate*100 + 0.5),
			Rows: rows, Errors: map[string]string{}, New: isNew}
		for k, m := range errs {
			v.Errors[k] = p.T(m)
		}
		for i := range v.Rows {
			if v.Rows[i].Error != "" {
				v.Rows[i].Error = p.T(v.Rows[i].Error)
			}
		}
		return s.render(w, r, http.StatusUnprocessableEntity, "survey_edit", v)
	}
	if _, _, err := s.svc.Questionnaires.LoadQuestionnaire(r.Context(), src); err != nil {
		return err
	}
	sv.Code, sv.Kind = code, kind
	if err := s.svc.Surveys.SaveSurvey(r.Context(), sv); err != nil {
		return err
	}
	s.public.quiz.Clear() // the quiz page keeps the survey
	http.Redirect(w, r, "/surveys/"+code, http.StatusSeeOther)
	return nil
}

type surveyItemRate struct {
	N      int
	Text   string
	Scored bool
	Count  int
	Rate   string
}

type surveyView struct {
	Page
	Survey    *healthcell.Survey
	Version   *healthcell.QuestionnaireVersion
	RateName  string
	Villages  []healthcell.SurveyVillage
	Rates     map[string]string // village → rate
	Total     healthcell.SurveyVillage
	TotalRate string
	Items     []surveyItemRate
	CanManage bool
	Links     []healthcell.Division
	Channels  []string
}

func percent(n, d int) string {
	if d == 0 {
		return "—"
	}
	return strconv.FormatFloat(float64(n)*100/float64(d), 'f', 1, 64) + "%"
}

// surveyPage shows a survey: how it is published, its public addresses,
// and its results per village with its rate (知晓率, 满意率) and per item.
func (s *Server) surveyPage(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("code")
	sv, err := s.svc.Surveys.FindSurvey(r.Context(), code)
	if err != nil {
		return err
	}
	ver, q, err := s.svc.Questionnaires.FindQuestionnaire(r.Context(), code)
	if err != nil {
		return err
	}
	res, err := s.svc.Surveys.SurveyResults(r.Context(), code, r.URL.Query().Get("division"))
	if err != nil {
		return err
	}
	p := s.newPage(r, "survey.title")
	p.Title = sv.Name
	v := surveyView{Page: p, Survey: sv, Version: ver, RateName: p.T(rateKey(sv.Kind)), Villages: res, Rates: map[string]string{},
		CanManage: healthcell.ActorFrom(r.Context()).CanManageQuestionnaires(), Channels: healthcell.SurveyChannels}
	items := map[string]int{}
	for _, vr := range res {
		v.Rates[vr.Village] = percent(vr.Passed, vr.Respondents)
		v.Total.Respondents += vr.Respondents
		v.Total.Public += vr.Public
		v.Total.Passed += vr.Passed
		for k, n := range vr.Items {
			items[k] += n
		}
	}
	v.TotalRate = percent(v.Total.Passed, v.Total.Respondents)
	for i, it := range q.Items {
		v.Items = append(v.Items, surveyItemRate{N: i + 1, Text: it.Text, Scored: it.Scored(), Count: items[it.Code],
			Rate: percent(items[it.Code], v.Total.Respondents)})
	}
	if sv.Public() && s.svc.Villages != nil {
		if v.Links, err = s.svc.Villages(r.Context(), userFrom(r.Context()).Scope); err != nil {
			return err
		}
	}
	return s.render(w, r, http.StatusOK, "survey", v)
}

// surveyPublish sets a survey's channel and whether it is closed.
func (s *Server) surveyPublish(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("code")
	sv, err := s.svc.Surveys.FindSurvey(r.Context(), code)
	if err != nil {
		return err
	}
	sv.Channel = r.PostFormValue("channel")
	sv.Closed = r.PostFormValue("closed") == "on"
	if err := s.svc.Surveys.SaveSurvey(r.Context(), sv); err != nil {
		return err
	}
	s.public.quiz.Clear() // the quiz page keeps the survey
	s.sessions.Put(r.Context(), "notice", s.i18n.T(langOf(r), "survey.published", nil))
	http.Redirect(w, r, "/surveys/"+code, http.StatusSeeOther)
	return nil
}

// apiSurveyResults answers GET /api/v1/surveys/{code}/results: the survey
// and its results per village under ?division=.
func (s *Server) apiSurveyResults(w http.ResponseWriter, r *http.Request) error {
	if s.svc.Surveys == nil {
		return healthcell.Errorf(healthcell.ENOTFOUND, "error.not_found.survey")
	}
	code := r.PathValue("code")
	sv, err := s.svc.Surveys.FindSurvey(r.Context(), code)
	if err != nil {
		return err
	}
	res, err := s.svc.Surveys.SurveyResults(r.Context(), code, r.URL.Query().Get("division"))
	if err != nil {
		return err
	}
	if res == nil {
		res = []healthcell.SurveyVillage{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"survey": sv, "villages": res})
	return nil
}
