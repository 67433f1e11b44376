package web

import (
	"net/http"

	"github.com/healthcell/healthcell"
)

// surveyPublicPage shows a survey the county published for the public.
func (s *Server) surveyPublicPage(w http.ResponseWriter, r *http.Request) error {
	village, code := r.PathValue("village"), r.PathValue("code")
	if code == healthcell.QuizCode {
		http.Redirect(w, r, "/public/"+village+"/quiz", http.StatusSeeOther)
		return nil
	}
	sv, q, name, err := s.svc.Surveys.PublicQuestionnaire(r.Context(), code, village)
	if healthcell.ErrorCode(err) == healthcell.ENOTFOUND {
		return s.publicClosed(w, r, sv, name)
	}
	if err != nil {
		return err
	}
	s.device(w, r)
	v := s.surveyView(r, sv, name, village)
	v.Items = formItems(v.Page, q.Items, nil, nil)
	return s.renderPublic(w, r, http.StatusOK, "quiz_public", v)
}

func (s *Server) surveyView(r *http.Request, sv *healthcell.Survey, villageName, village string) pubFormView {
	p := s.newPage(r, "survey.public.title")
	p.Title = sv.Name
	return pubFormView{Page: p, Heading: sv.Name, Village: villageName, Intro: p.T("survey.public.intro"),
		Action: "/public/" + village + "/surveys/" + sv.Code, Submit: p.T("survey.public.submit")}
}

// surveyPublicSubmit stores a resident's answers to a public survey and
// thanks them.
func (s *Server) surveyPublicSubmit(w http.ResponseWriter, r *http.Request) error {
	village, code := r.PathValue("village"), r.PathValue("code")
	device, ok, err := s.admitPublic(w, r, village)
	if !ok {
		return err
	}
	sv, q, name, err := s.svc.Surveys.PublicQuestionnaire(r.Context(), code, village)
	if healthcell.ErrorCode(err) == healthcell.ENOTFOUND || code == healthcell.QuizCode {
		return s.publicClosed(w, r, sv, name)
	}
	if err != nil {
		return err
	}
	answers := readAnswers(r, q.Items)
	ps := &healthcell.PublicSubmission{Questionnaire: code, VillageCode: village, Answers: answers,
		Name: r.PostFormValue("name"), Phone: r.PostFormValue("phone"), Client: device}
	_, _, err = s.svc.Surveys.CreatePublicResponse(r.Context(), ps)
	if healthcell.ErrorCode(err) == healthcell.EINVALID {
		v := s.surveyView(r, sv, name, village)
		s.fillFormErrors(&v, q.Items, answers, err)
		v.Name, v.Phone = ps.Name, ps.Phone
		return s.renderPublic(w, r, http.StatusUnprocessableEntity, "quiz_public", v)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/public/"+village+"/surveys/"+code+"/thanks", http.StatusSeeOther)
	return nil
}

// surveyThanks thanks a resident after answering.
func (s *Server) surveyThanks(w http.ResponseWriter, r *http.Request) error {
	p := s.newPage(r, "pub.thanks.title")
	return s.renderPublic(w, r, http.StatusOK, "pub_message", pubMessageView{Page: p, Heading: p.T("pub.thanks.title"),
		Message: p.T("pub.thanks"), Link: "/public/" + r.PathValue("village") + "/quiz", LinkText: p.T("pub.try_quiz")})
}
