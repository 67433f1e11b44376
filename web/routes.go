package web

import "net/http"

// routes is the whole route table.
func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	static := http.FileServerFS(staticFS())
	mux.Handle("GET /static/", http.StripPrefix("/static/", cacheForever(static)))
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.Handle("GET /metrics", s.metrics.handler())

	// Pages.
	mux.HandleFunc("GET /{$}", s.page(s.home))
	mux.HandleFunc("GET /login", s.page(s.loginForm))
	mux.HandleFunc("POST /login", s.page(s.login))
	mux.HandleFunc("POST /logout", s.page(s.logout))
	mux.HandleFunc("GET /lang", s.page(s.setLang))
	mux.HandleFunc("GET /divisions/{code}", s.page(s.authed(s.divisionPage)))
	mux.HandleFunc("GET /search", s.page(s.authed(s.searchPage)))
	mux.HandleFunc("GET /households/new", s.page(s.authed(s.householdNew)))
	mux.HandleFunc("POST /households/new", s.page(s.authed(s.householdCreate)))
	mux.HandleFunc("GET /households/{id}", s.page(s.authed(s.householdPage)))
	mux.HandleFunc("GET /households/{id}/edit", s.page(s.authed(s.householdEdit)))
	mux.HandleFunc("POST /households/{id}/edit", s.page(s.authed(s.householdUpdate)))
	mux.HandleFunc("GET /persons/new", s.page(s.authed(s.personNew)))
	mux.HandleFunc("POST /persons/new", s.page(s.authed(s.personCreate)))
	mux.HandleFunc("GET /persons/{id}", s.page(s.authed(s.personPage)))
	mux.HandleFunc("GET /persons/{id}/edit", s.page(s.authed(s.personEdit)))
	mux.HandleFunc("POST /persons/{id}/edit", s.page(s.authed(s.personUpdate)))
	mux.HandleFunc("POST /persons/{id}/status", s.page(s.authed(s.personStatus)))
	mux.HandleFunc("GET /users", s.page(s.authed(s.usersPage)))
	mux.HandleFunc("POST /users", s.page(s.authed(s.userCreate)))
	mux.HandleFunc("POST /users/{username}/disabled", s.page(s.authed(s.userDisable)))
	mux.HandleFunc("GET /audit", s.page(s.authed(s.auditPage)))
	mux.HandleFunc("GET /standards", s.page(s.authed(s.standardsPage)))
	mux.HandleFunc("POST /standards", s.page(s.authed(s.standardUpload)))
	mux.HandleFunc("GET /standards/{code}", s.page(s.authed(s.standardPage)))
	mux.HandleFunc("GET /standards/{code}/export/{format}", s.page(s.authed(s.standardExport)))
	mux.HandleFunc("GET /sheets", s.page(s.authed(s.sheetsPage)))
	mux.HandleFunc("POST /sheets", s.page(s.authed(s.sheetCreate)))
	mux.HandleFunc("GET /sheets/{id}", s.page(s.authed(s.sheetPage)))
	mux.HandleFunc("GET /sheets/{id}/print", s.page(s.authed(s.sheetPrint)))
	mux.HandleFunc("GET /sheets/{id}/export.xlsx", s.page(s.authed(s.sheetExport)))
	mux.HandleFunc("POST /sheets/{id}/answers/{item}", s.page(s.authed(s.sheetAnswer)))
	mux.HandleFunc("POST /sheets/{id}/evidence/{item}", s.page(s.authed(s.sheetEvidence)))
	mux.HandleFunc("GET /evidence/{id}/{variant}", s.page(s.authed(s.evidenceFile)))
	mux.HandleFunc("POST /evidence/{id}/delete", s.page(s.authed(s.evidenceRemove)))

	// JSON API.
	mux.HandleFunc("GET /api/v1/openapi.json", s.openapi)
	mux.HandleFunc("POST /api/v1/session", s.api(s.apiLogin))
	mux.HandleFunc("DELETE /api/v1/session", s.api(s.apiLogout))
	mux.HandleFunc("GET /api/v1/me", s.api(s.apiAuthed(s.apiMe)))
	mux.HandleFunc("GET /api/v1/divisions/{code}", s.api(s.apiAuthed(s.apiDivision)))
	mux.HandleFunc("GET /api/v1/households", s.api(s.apiAuthed(s.apiHouseholds)))
	mux.HandleFunc("POST /api/v1/households", s.api(s.apiAuthed(s.apiHouseholdCreate)))
	mux.HandleFunc("GET /api/v1/households/{id}", s.api(s.apiAuthed(s.apiHousehold)))
	mux.HandleFunc("PUT /api/v1/households/{id}", s.api(s.apiAuthed(s.apiHouseholdUpdate)))
	mux.HandleFunc("GET /api/v1/persons", s.api(s.apiAuthed(s.apiPersons)))
	mux.HandleFunc("POST /api/v1/persons", s.api(s.apiAuthed(s.apiPersonCreate)))
	mux.HandleFunc("GET /api/v1/persons/{id}", s.api(s.apiAuthed(s.apiPerson)))
	mux.HandleFunc("PUT /api/v1/persons/{id}", s.api(s.apiAuthed(s.apiPersonUpdate)))
	mux.HandleFunc("POST /api/v1/persons/{id}/status", s.api(s.apiAuthed(s.apiPersonStatus)))
	mux.HandleFunc("GET /api/v1/users", s.api(s.apiAuthed(s.apiUsers)))
	mux.HandleFunc("POST /api/v1/users", s.api(s.apiAuthed(s.apiUserCreate)))
	mux.HandleFunc("GET /api/v1/audit", s.api(s.apiAuthed(s.apiAudit)))
	mux.HandleFunc("GET /api/v1/standards", s.api(s.apiAuthed(s.apiStandards)))
	mux.HandleFunc("POST /api/v1/standards", s.api(s.apiAuthed(s.apiStandardCreate)))
	mux.HandleFunc("GET /api/v1/standards/{code}", s.api(s.apiAuthed(s.apiStandard)))
	mux.HandleFunc("GET /api/v1/sheets", s.api(s.apiAuthed(s.apiSheets)))
	mux.HandleFunc("POST /api/v1/sheets", s.api(s.apiAuthed(s.apiSheetCreate)))
	mux.HandleFunc("GET /api/v1/sheets/{id}", s.api(s.apiAuthed(s.apiSheet)))
	mux.HandleFunc("PUT /api/v1/sheets/{id}/answers/{item}", s.api(s.apiAuthed(s.apiSheetAnswer)))
	mux.HandleFunc("POST /api/v1/sheets/{id}/evidence/{item}", s.api(s.apiAuthed(s.apiSheetEvidence)))
	mux.HandleFunc("/api/", s.api(s.apiNotFound))
	return mux
}

// cacheForever marks vendored static files cacheable.
func cacheForever(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=86400")
		h.ServeHTTP(w, r)
	})
}
