package web

import (
	"net/http"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/questionnaire"
)

// questionnaireDoc is a questionnaire version as the API shows it. The
// answer keys are shown only to those who manage questionnaires.
type questionnaireDoc struct {
	*healthcell.QuestionnaireVersion
	PassRate   float64        `json:"pass_rate"`
	PassPoints int            `json:"pass_points"`
	Age        *ageDoc        `json:"age,omitempty"`
	Aspects    []groupDoc     `json:"aspects,omitempty"`
	Areas      []groupDoc     `json:"areas,omitempty"`
	Parts      []partDoc      `json:"parts,omitempty"`
	Scenarios  []scenarioDoc  `json:"scenarios,omitempty"`
	Questions  []itemDoc      `json:"questions"`
	Counts     map[string]int `json:"counts"`
	Source     string         `json:"source"`
	Notes      string         `json:"notes,omitempty"`
}

type ageDoc struct {
	Min int `json:"min"`
	Max int `json:"max"`
}

type groupDoc struct {
	Name   string `json:"name"`
	Items  int    `json:"items"`
	Points int    `json:"points"`
}

type partDoc struct {
	Code     string  `json:"code"`
	Name     string  `json:"name"`
	PassRate float64 `json:"pass_rate"`
	Items    int     `json:"items"`
	Points   int     `json:"points"`
}

type scenarioDoc struct {
	Code string `json:"code"`
	Text string `json:"text"`
}

type optionDoc struct {
	Label string `json:"label"`
	Text  string `json:"text"`
}

type itemDoc struct {
	Code     string      `json:"code"`
	Type     string      `json:"type"`
	Text     string      `json:"text"`
	Options  []optionDoc `json:"options"`
	Points   int         `json:"points"`
	Aspect   string      `json:"aspect,omitempty"`
	Area     string      `json:"area,omitempty"`
	Part     string      `json:"part,omitempty"`
	Scenario string      `json:"scenario,omitempty"`
	Optional bool        `json:"optional,omitempty"`
	Answer   []string    `json:"answer,omitempty"`
}

func newQuestionnaireDoc(v *healthcell.QuestionnaireVersion, q *questionnaire.Questionnaire, withKey bool) questionnaireDoc {
	d := questionnaireDoc{QuestionnaireVersion: v, PassRate: q.PassRate, PassPoints: q.PassPoints(), Source: q.Source, Notes: q.Notes,
		Questions: []itemDoc{}, Counts: map[string]int{"truefalse": q.Counts.TrueFalse, "single": q.Counts.Single,
			"multiple": q.Counts.Multiple, "scenario": q.Counts.Scenario}}
	if q.Age != nil {
		d.Age = &ageDoc{Min: q.Age.Min, Max: q.Age.Max}
	}
	for _, g := range q.Aspects {
		d.Aspects = append(d.Aspects, groupDoc(g))
	}
	for _, g := range q.Areas {
		d.Areas = append(d.Areas, groupDoc(g))
	}
	for _, p := range q.Parts {
		d.Parts = append(d.Parts, partDoc{Code: p.Code, Name: p.Name, PassRate: p.PassRate, Items: p.Items, Points: p.Points})
	}
	for _, s := range q.Scenarios {
		d.Scenarios = append(d.Scenarios, scenarioDoc(s))
	}
	for _, it := range q.Items {
		id := itemDoc{Code: it.Code, Type: string(it.Type), Text: it.Text, Points: it.Points, Aspect: it.Aspect, Area: it.Area,
			Part: it.Part, Scenario: it.Scenario, Optional: it.Optional}
		for _, o := range it.Options {
			id.Options = append(id.Options, optionDoc(o))
		}
		if withKey {
			id.Answer = it.Answer
		}
		d.Questions = append(d.Questions, id)
	}
	return d
}

// apiQuestionnaires lists the latest version of every questionnaire.
func (s *Server) apiQuestionnaires(w http.ResponseWriter, r *http.Request) error {
	list, err := s.svc.Questionnaires.FindQuestionnaires(r.Context())
	if err != nil {
		return err
	}
	writeList(w, list, len(list), 0)
	return nil
}

// apiQuestionnaire returns the latest version of {code} with its items.
func (s *Server) apiQuestionnaire(w http.ResponseWriter, r *http.Request) error {
	v, q, err := s.svc.Questionnaires.FindQuestionnaire(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newQuestionnaireDoc(v, q, healthcell.ActorFrom(r.Context()).CanManageQuestionnaires()))
	return nil
}

// apiResponses lists the responses to {code} under ?division= (the caller's
// scope when absent), newest first, without answers.
func (s *Server) apiResponses(w http.ResponseWriter, r *http.Request) error {
	limit, offset, err := listParams(r)
	if err != nil {
		return err
	}
	list, total, err := s.svc.Questionnaires.FindResponses(r.Context(), healthcell.ResponseFilter{
		Questionnaire: r.PathValue("code"), Division: r.URL.Query().Get("division"), Limit: limit, Offset: offset})
	if err != nil {
		return err
	}
	writeList(w, list, total, offset)
	return nil
}

type responseRequest struct {
	Village    string              `json:"village"`
	Person     int64               `json:"person"`
	Unit       int64               `json:"unit"`
	Name       string              `json:"name"`
	Sex        string              `json:"sex"`
	Age        int                 `json:"age"`
	SurveyDate string              `json:"survey_date"`
	Answers    map[string][]string `json:"answers"`
	Resident   *bool               `json:"resident"` // typed-in respondents; nil: a permanent resident
}

// apiResponseCreate checks, scores and stores a response: 201 with the
// stored response (points, passed, the results per group), 422 with the
// fields at fault (answers.<item> for answers), nothing stored.
func (s *Server) apiResponseCreate(w http.ResponseWriter, r *http.Request) error {
	var req responseRequest
	if err := readJSON(r, &req); err != nil {
		return err
	}
	resp := &healthcell.Response{Questionnaire: r.PathValue("code"), VillageCode: req.Village, PersonID: req.Person, UnitID: req.Unit,
		Name: req.Name, Sex: req.Sex, Age: req.Age, SurveyDate: req.SurveyDate, Answers: req.Answers, Resident: req.Resident}
	if err := s.svc.Questionnaires.CreateResponse(r.Context(), resp); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, resp)
	return nil
}
