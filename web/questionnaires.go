package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/questionnaire"
)

type questionnairesView struct {
	Page
	Questionnaires []*healthcell.QuestionnaireVersion
	CanRescore     bool
	CanEnter       bool   // the user may enter responses in their scope
	Rescored       string // responses changed by the re-scoring just done
}

// questionnairesPage lists the questionnaires, with a re-score button for
// those whose responses were scored against an older version.
func (s *Server) questionnairesPage(w http.ResponseWriter, r *http.Request) error {
	list, err := s.svc.Questionnaires.FindQuestionnaires(r.Context())
	if err != nil {
		return err
	}
	v := questionnairesView{Page: s.newPage(r, "questionnaires.title"), Questionnaires: list,
		CanRescore: healthcell.ActorFrom(r.Context()).CanManageQuestionnaires(),
		CanEnter:   healthcell.ActorFrom(r.Context()).CanEnterResponses(userFrom(r.Context()).Scope)}
	if n, err := strconv.Atoi(r.URL.Query().Get("rescored")); err == nil {
		v.Rescored = strconv.Itoa(n)
	}
	return s.render(w, r, http.StatusOK, "questionnaires", v)
}

// questionnaireRescore re-scores every response of {code} (county
// administrators) and goes back to the list with the count in the notice.
func (s *Server) questionnaireRescore(w http.ResponseWriter, r *http.Request) error {
	n, err := s.svc.Questionnaires.Rescore(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/questionnaires?rescored="+strconv.Itoa(n), http.StatusSeeOther)
	return nil
}

type responsesView struct {
	Page
	Version   *healthcell.QuestionnaireVersion
	Responses []*healthcell.Response
	Pager     pager
	Villages  []healthcell.Division
	Division  string            // the chosen village, or "" for the whole scope
	Names     map[string]string // village code → name
	Passed    int               // on this page
	CanEnter  bool
}

// responsesPage lists the responses to {code} in the user's scope, or in one
// village of it (?division=).
func (s *Server) responsesPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v, _, err := s.svc.Questionnaires.FindQuestionnaire(ctx, r.PathValue("code"))
	if err != nil {
		return err
	}
	division := r.URL.Query().Get("division")
	page, offset := offsetOf(r)
	list, total, err := s.svc.Questionnaires.FindResponses(ctx, healthcell.ResponseFilter{Questionnaire: v.Code, Division: division, Offset: offset, Limit: pageSize})
	if err != nil {
		return err
	}
	villages, err := s.svc.Villages(ctx, userFrom(ctx).Scope)
	if err != nil {
		return err
	}
	a := healthcell.ActorFrom(ctx)
	view := responsesView{Page: s.newPage(r, "questionnaires.list"), Version: v, Responses: list, Pager: newPager(r, page, total),
		Villages: villages, Division: division, CanEnter: len(villages) > 0 && a.CanEnterResponses(villages[0].Code)}
	view.Title = v.Name
	view.Names = map[string]string{}
	for _, d := range villages {
		view.Names[d.Code] = d.Name
	}
	return s.render(w, r, http.StatusOK, "responses", view)
}

type responseFormView struct {
	Page
	Version   *healthcell.QuestionnaireVersion
	Q         *questionnaire.Questionnaire
	Sections  []itemSection
	Response  *healthcell.Response
	Villages  []healthcell.Division
	Errors    formErrors
	Error     string
	PersonArg string
	AgeArg    string
	// NotResident unticks the permanent-resident box of a typed-in respondent.
	NotResident bool
	// ItemErrors link to the items at fault, in questionnaire order.
	ItemErrors []itemError
}

type itemError struct {
	Number        int
	Code, Message string
}

// itemSection is a run of items of one kind on the form: the true/false,
// single and multiple items outside scenarios, and each scenario.
type itemSection struct {
	Title    string // a message key
	Scenario string // the scenario's stem
	Items    []itemView
}

// itemView is one item on the form or the result page.
type itemView struct {
	questionnaire.Item
	Number   int
	Input    string // radio or checkbox
	Options  []optionView
	Error    string // translated
	Answered string // the labels given, joined
	Key      string // the key, joined
	Scored   int
}

type optionView struct {
	Label, Text string
	Checked     bool
}

// sections groups the items as the printed form does, marking the answers
// given and the item errors.
func sections(q *questionnaire.Questionnaire, answers map[string][]string, errs formErrors) []itemSection {
	var out []itemSection
	for i, it := range q.Items {
		title, stem := "response.type."+string(it.Type), ""
		if it.Scenario != "" {
			title = "response.type.scenario"
			if sc, ok := q.Scenario(it.Scenario); ok {
				stem = sc.Text
			}
		}
		if len(out) == 0 || out[len(out)-1].Title != title || out[len(out)-1].Scenario != stem {
			out = append(out, itemSection{Title: title, Scenario: stem})
		}
		iv := itemView{Item: it, Number: i + 1, Input: "radio", Error: errs["answers."+it.Code],
			Answered: strings.Join(it.Ordered(answers[it.Code]), ""), Key: strings.Join(it.Answer, "")}
		if it.Type == questionnaire.Multiple {
			iv.Input = "checkbox"
		}
		chosen := map[string]bool{}
		for _, l := range it.Ordered(answers[it.Code]) {
			chosen[l] = true
		}
		for _, o := range it.Options {
			iv.Options = append(iv.Options, optionView{Label: o.Label, Text: o.Text, Checked: chosen[o.Label]})
		}
		out[len(out)-1].Items = append(out[len(out)-1].Items, iv)
	}
	return out
}

// responseNew shows the empty entry form; ?village= and ?person= preset the
// respondent.
func (s *Server) responseNew(w http.ResponseWriter, r *http.Request) error {
	resp := &healthcell.Response{VillageCode: r.URL.Query().Get("village"), SurveyDate: healthcell.CampaignDay(s.now())}
	resp.PersonID, _ = strconv.ParseInt(r.URL.Query().Get("person"), 10, 64)
	return s.responseForm(w, r, http.StatusOK, resp, nil)
}

// responseForm renders the entry form with the field errors of err.
func (s *Server) responseForm(w http.ResponseWriter, r *http.Request, status int, resp *healthcell.Response, err error) error {
	ctx := r.Context()
	v, q, ferr := s.svc.Questionnaires.FindQuestionnaire(ctx, r.PathValue("code"))
	if ferr != nil {
		return ferr
	}
	villages, ferr := s.svc.Villages(ctx, userFrom(ctx).Scope)
	if ferr != nil {
		return ferr
	}
	view := responseFormView{Page: s.newPage(r, "questionnaires.enter"), Version: v, Q: q, Response: resp, Villages: villages}
	view.NotResident = resp.Resident != nil && !*resp.Resident
	if r.Method == http.MethodPost { // as typed, even when it did not parse
		view.PersonArg, view.AgeArg = r.PostFormValue("person"), r.PostFormValue("age")
	} else if resp.PersonID != 0 {
		view.PersonArg = strconv.FormatInt(resp.PersonID, 10)
	}
	if resp.Answers == nil {
		resp.Answers = map[string][]string{}
	}
	view.Sections = sections(q, resp.Answers, nil)
	if err != nil {
		view.Errors = s.formErrors(view.Lang, err)
		view.Sections = sections(q, resp.Answers, view.Errors)
		for _, sec := range view.Sections {
			for _, it := range sec.Items {
				if it.Error != "" {
					view.ItemErrors = append(view.ItemErrors, itemError{Number: it.Number, Code: it.Code, Message: it.Error})
				}
			}
		}
		view.Error = view.T(healthcell.ErrorMessage(err))
		for _, f := range healthcell.ErrorFields(err) {
			if strings.HasPrefix(f.Field, "answers.") {
				view.Error = view.T("response.answers.invalid")
				break
			}
		}
	}
	return s.render(w, r, status, "response_form", view)
}

// responseCreate stores the response of the form and shows its result.
func (s *Server) responseCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return healthcell.Errorf(healthcell.EINVALID, "error.invalid")
	}
	resp := &healthcell.Response{Questionnaire: r.PathValue("code"), Answers: map[string][]string{},
		Name: r.PostFormValue("name"), Sex: r.PostFormValue("sex"), VillageCode: r.PostFormValue("village"),
		SurveyDate: strings.TrimSpace(r.PostFormValue("survey_date"))}
	resident := r.PostFormValue("resident") != "" // a typed-in respondent; a resident's own flag wins
	resp.Resident = &resident
	var fe []healthcell.FieldError
	if p := strings.TrimSpace(r.PostFormValue("person")); p != "" {
		id, err := s.personOf(r, p)
		if err != nil {
			fe = append(fe, healthcell.FieldError{Field: "person", Message: "response.person.not_found", Value: p})
		}
		resp.PersonID = id
	}
	if a := strings.TrimSpace(r.PostFormValue("age")); a != "" && resp.PersonID == 0 {
		n, err := strconv.Atoi(a)
		if err != nil {
			n = -1
		}
		resp.Age = n
	} else if resp.PersonID == 0 {
		fe = append(fe, healthcell.FieldError{Field: "age", Message: "response.age.invalid"})
	}
	for key, vals := range r.PostForm {
		if item, ok := strings.CutPrefix(key, "a."); ok {
			resp.Answers[item] = vals
		}
	}
	if err := healthcell.Invalid(fe); err != nil {
		return s.responseForm(w, r, statusOf[healthcell.EINVALID], resp, err)
	}
	if err := s.svc.Questionnaires.CreateResponse(r.Context(), resp); err != nil {
		return s.formFailure(w, r, err, func(status int) error { return s.responseForm(w, r, status, resp, err) })
	}
	s.sessions.Put(r.Context(), "notice", "common.saved")
	http.Redirect(w, r, "/responses/"+strconv.FormatInt(resp.ID, 10), http.StatusSeeOther)
	return nil
}

// personOf reads the respondent field: a resident's record number, or a
// resident ID number (15 or 18 characters) that matches exactly one
// resident in the user's scope. It returns an error when neither fits.
func (s *Server) personOf(r *http.Request, v string) (int64, error) {
	if len(v) < 15 {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return 0, healthcell.Errorf(healthcell.ENOTFOUND, "error.not_found.person")
		}
		return id, nil
	}
	list, _, err := s.svc.Persons.FindPersons(r.Context(), healthcell.PersonFilter{Query: v, Limit: 2})
	if err != nil || len(list) != 1 {
		return 0, healthcell.Errorf(healthcell.ENOTFOUND, "error.not_found.person")
	}
	return list[0].ID, nil
}

type responseView struct {
	Page
	Version  *healthcell.QuestionnaireVersion
	Q        *questionnaire.Questionnaire
	Response *healthcell.Response
	Sections []itemSection
	Literacy bool // a questionnaire with aspects and no parts: the result is 具备基本健康素养
	CanWrite bool // the user may withdraw or restore it
	ShowKey  bool // the answer keys, shown to those who manage questionnaires (as in the API)
}

// responsePage shows one response: its score, result, results by group and
// every answer against the key.
func (s *Server) responsePage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return healthcell.Errorf(healthcell.ENOTFOUND, "error.not_found.response")
	}
	resp, err := s.svc.Questionnaires.FindResponse(ctx, id)
	if err != nil {
		return err
	}
	v, q, err := s.svc.Questionnaires.FindQuestionnaire(ctx, resp.Questionnaire)
	if err != nil {
		return err
	}
	view := responseView{Page: s.newPage(r, "response.title"), Version: v, Q: q, Response: resp, Sections: sections(q, resp.Answers, nil),
		Literacy: len(q.Parts) == 0 && len(q.Aspects) > 0, CanWrite: healthcell.ActorFrom(ctx).CanEnterResponses(resp.VillageCode),
		ShowKey: healthcell.ActorFrom(ctx).CanManageQuestionnaires()}
	scored := map[string]int{}
	for _, it := range resp.Items {
		scored[it.Item] = it.Points
	}
	for i := range view.Sections {
		for j := range view.Sections[i].Items {
			view.Sections[i].Items[j].Scored = scored[view.Sections[i].Items[j].Code]
		}
	}
	return s.render(w, r, http.StatusOK, "response", view)
}

// responseActive withdraws (active=0) or restores (active=1) a response and
// goes back to it.
func (s *Server) responseActive(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return healthcell.Errorf(healthcell.ENOTFOUND, "error.not_found.response")
	}
	if _, err := s.svc.Questionnaires.SetResponseActive(r.Context(), id, r.PostFormValue("active") == "1"); err != nil {
		return err
	}
	s.sessions.Put(r.Context(), "notice", "common.saved")
	http.Redirect(w, r, "/responses/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}
