package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"

	"github.com/healthcell/healthcell"
)

// statusOf maps each error code to one HTTP status.
var statusOf = map[string]int{
	healthcell.EINVALID:      http.StatusUnprocessableEntity,
	healthcell.ENOTFOUND:     http.StatusNotFound,
	healthcell.ECONFLICT:     http.StatusConflict,
	healthcell.EUNAUTHORIZED: http.StatusUnauthorized,
	healthcell.EFORBIDDEN:    http.StatusForbidden,
	healthcell.ETHROTTLED:    http.StatusTooManyRequests,
	healthcell.EINTERNAL:     http.StatusInternalServerError,
}

// errBadRequest is a malformed request body or parameter.
var errBadRequest = &healthcell.Error{Code: healthcell.EINVALID, Message: "error.bad_request"}

// handlerFunc is an HTTP handler that returns its error to an adapter.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// page adapts a page handler: errors become a translated error page, and an
// unauthenticated request goes to the login page. A route of replicaRoutes
// may read from a replica.
func (s *Server) page(h handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r = replicaReads(r)
		if err := h(w, r); err != nil {
			s.fail(w, r, err)
		}
	}
}

// authed refuses requests without a logged-in user.
func (s *Server) authed(h handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if userFrom(r.Context()) == nil {
			return healthcell.Errorf(healthcell.EUNAUTHORIZED, "error.unauthorized")
		}
		// Pages and answers behind a login may hold personal data: never cache them.
		w.Header().Set("Cache-Control", "no-store")
		return h(w, r)
	}
}

// isAPI reports whether r is for the JSON API.
func isAPI(r *http.Request) bool {
	return len(r.URL.Path) >= 5 && r.URL.Path[:5] == "/api/"
}

// fail logs err when it is ours and answers with its status: JSON for the
// API, a page (or the login redirect) otherwise. Internal details never
// reach the user.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	code := healthcell.ErrorCode(err)
	status := statusOf[code]
	if code == healthcell.EINTERNAL {
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	lang := langOf(r)
	if isAPI(r) {
		writeJSON(w, status, s.errorBody(lang, err))
		return
	}
	if code == healthcell.EUNAUTHORIZED && r.Method == http.MethodGet {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	view := struct {
		Page
		Message string
		Status  int
	}{Page: s.newPage(r, "error.title"), Message: s.i18n.T(lang, healthcell.ErrorMessage(err), nil), Status: status}
	if rerr := s.render(w, r, status, "error", view); rerr != nil {
		s.log.Error("render error page", "err", rerr)
		http.Error(w, view.Message, status)
	}
}

type apiError struct {
	Error apiErrorBody `json:"error"`
}

type apiErrorBody struct {
	Code    string          `json:"code"`
	Key     string          `json:"key"` // the message's key, e.g. sheet.frozen
	Message string          `json:"message"`
	Fields  []apiFieldError `json:"fields,omitempty"`
}

type apiFieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
	Key     string `json:"key"`
	Row     int    `json:"row,omitempty"`
	Value   string `json:"value,omitempty"`
}

// errorBody is the API's error document, messages in lang.
func (s *Server) errorBody(lang string, err error) apiError {
	key := healthcell.ErrorMessage(err)
	body := apiError{Error: apiErrorBody{Code: healthcell.ErrorCode(err), Key: key, Message: s.i18n.T(lang, key, nil)}}
	for _, f := range healthcell.ErrorFields(err) {
		af := apiFieldError{Field: f.Field, Key: f.Message, Message: s.i18n.T(lang, f.Message, nil), Row: f.Row}
		if f.Field != "id_number" && f.Field != "phone" {
			af.Value = f.Value // personal values are not echoed back
		}
		body.Error.Fields = append(body.Error.Fields, af)
	}
	return body
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	enc.Encode(v)
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "null"
	}
	return string(b)
}

// readJSON decodes a JSON body of at most 1 MiB into v, refusing unknown
// fields; it returns errBadRequest when the body is not such a document.
func readJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return errBadRequest
		}
		return &healthcell.Error{Code: healthcell.EINVALID, Message: "error.bad_request",
			Fields: []healthcell.FieldError{{Field: "body", Message: "error.bad_request", Value: err.Error()}}}
	}
	return nil
}
