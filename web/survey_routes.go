package web

import "net/http"

// surveyRoutes adds the public quiz and survey pages (no login) and the
// county office's survey pages.
func (s *Server) surveyRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /public/{village}/quiz", s.page(s.quizPage))
	mux.HandleFunc("POST /public/{village}/quiz", s.page(s.quizSubmit))
	mux.HandleFunc("GET /public/{village}/quiz/result/{token}", s.page(s.quizResult))
	mux.HandleFunc("GET /public/{village}/surveys/{code}", s.page(s.surveyPublicPage))
	mux.HandleFunc("POST /public/{village}/surveys/{code}", s.page(s.surveyPublicSubmit))
	mux.HandleFunc("GET /public/{village}/surveys/{code}/thanks", s.page(s.surveyThanks))

	mux.HandleFunc("GET /surveys", s.page(s.authed(s.surveysPage)))
	mux.HandleFunc("GET /surveys/new", s.page(s.authed(s.surveyNew)))
	mux.HandleFunc("POST /surveys/new", s.page(s.authed(s.surveySave)))
	mux.HandleFunc("POST /surveys/upload", s.page(s.authed(s.surveyUpload)))
	mux.HandleFunc("GET /surveys/{code}", s.page(s.authed(s.surveyPage)))
	mux.HandleFunc("GET /surveys/{code}/edit", s.page(s.authed(s.surveyEdit)))
	mux.HandleFunc("POST /surveys/{code}/edit", s.page(s.authed(s.surveySave)))
	mux.HandleFunc("POST /surveys/{code}/publish", s.page(s.authed(s.surveyPublish)))
}
