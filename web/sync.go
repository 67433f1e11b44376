package web

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"

	"github.com/healthcell/healthcell"
)

// maxSyncBody is the largest batch accepted: a day's queue of a phone,
// photos resized on the phone included.
const maxSyncBody = 64 << 20

// maxSyncItems is the most items one batch may hold.
const maxSyncItems = 500

// syncRoutes are the requests a batch may carry: the creates (and the one
// update) offered offline. Each runs through its own endpoint, with its
// scope rules and its idempotency key.
var syncRoutes = map[string]bool{
	"POST /api/v1/registers/{register}/entries":            true,
	"PUT /api/v1/registers/{register}/entries/{id}":        true,
	"POST /api/v1/registers/{register}/entries/{id}/files": true,
	"POST /api/v1/questionnaires/{code}/responses":         true,
	"PUT /api/v1/sheets/{id}/answers/{item}":               true,
	"POST /api/v1/sheets/{id}/evidence/{item}":             true,
}

type syncRequest struct {
	Items []syncItem `json:"items"`
}

// syncItem is one queued request: its key, method, path, and JSON body or
// file (sent as the multipart field "file" of an upload).
type syncItem struct {
	Key    string          `json:"key"`
	Method string          `json:"method"`
	Path   string          `json:"path"`
	Body   json.RawMessage `json:"body,omitempty"`
	File   *syncFile       `json:"file,omitempty"`
}

type syncFile struct {
	Name string `json:"name"`
	Data []byte `json:"data"` // base64 in JSON
}

// syncResult is the answer for one item.
type syncResult struct {
	Key      string          `json:"key"`
	Status   int             `json:"status"`
	ID       int64           `json:"id,omitempty"`
	Message  string          `json:"message"`
	Replayed bool            `json:"replayed,omitempty"`
	Error    *apiErrorBody   `json:"error,omitempty"`
	Record   json.RawMessage `json:"record,omitempty"`
	Current  json.RawMessage `json:"current,omitempty"` // the server's record, for a 409
}

type syncResponse struct {
	Items []syncResult `json:"items"`
}

// apiSync runs a phone's queued requests in order and answers per item:
// the status, the message in the user's language, the created record and
// its id, and for a 409 the server's current record. An item that fails
// does not stop the others. When the connection drops, the item running
// ends and no further item starts; sent again with the same keys, the done
// items answer with their first result and make nothing twice.
func (s *Server) apiSync(w http.ResponseWriter, r *http.Request) error {
	var req syncRequest
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxSyncBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return errBadRequest
	}
	if len(req.Items) > maxSyncItems {
		return healthcell.Invalid([]healthcell.FieldError{{Field: "items", Message: "sync.too_many"}})
	}
	lang := langOf(r)
	out := syncResponse{Items: make([]syncResult, 0, len(req.Items))}
	for i, it := range req.Items {
		if r.Context().Err() != nil {
			return nil // the client is gone: start nothing more
		}
		out.Items = append(out.Items, s.syncOne(r, lang, it))
		if s.cfg.AfterSyncItem != nil {
			s.cfg.AfterSyncItem(r.Context(), i+1)
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// syncOne runs one item through its endpoint.
func (s *Server) syncOne(parent *http.Request, lang string, it syncItem) syncResult {
	res := syncResult{Key: it.Key}
	refuse := func(err error) syncResult {
		body := s.errorBody(lang, err)
		res.Status, res.Message, res.Error = statusOf[healthcell.ErrorCode(err)], body.Error.Message, &body.Error
		return res
	}
	if !healthcell.ValidIdempotencyKey(it.Key) {
		return refuse(healthcell.Invalid([]healthcell.FieldError{{Field: "key", Message: "idempotency.bad_key"}}))
	}
	req, err := s.syncRequest(parent, it)
	if err != nil {
		return refuse(err)
	}
	if _, pattern := s.mux.Handler(req); !syncRoutes[pattern] {
		return refuse(healthcell.Invalid([]healthcell.FieldError{{Field: "path", Message: "sync.bad_item", Value: it.Method + " " + it.Path}}))
	}
	rec := newBufferedResponse()
	s.mux.ServeHTTP(rec, req)
	res.Status = rec.status
	res.Replayed = rec.header.Get(replayedHeader) == "true"
	if rec.status >= 200 && rec.status < 300 {
		res.Record = json.RawMessage(bytes.TrimSpace(rec.body.Bytes()))
		var idOf struct {
			ID int64 `json:"id"`
		}
		json.Unmarshal(rec.body.Bytes(), &idOf)
		res.ID = idOf.ID
		res.Message = s.i18n.T(lang, map[bool]string{false: "sync.saved", true: "sync.already_saved"}[res.Replayed], nil)
		return res
	}
	var doc apiError
	if err := json.Unmarshal(rec.body.Bytes(), &doc); err == nil && doc.Error.Code != "" {
		res.Error, res.Message = &doc.Error, doc.Error.Message
	} else {
		res.Message = s.i18n.T(lang, "error.internal", nil)
	}
	if rec.status == http.StatusConflict && it.Method == http.MethodPut {
		cur, _ := http.NewRequestWithContext(req.Context(), http.MethodGet, it.Path, nil)
		cur.Header = parent.Header.Clone()
		crec := newBufferedResponse()
		s.mux.ServeHTTP(crec, cur)
		if crec.status == http.StatusOK {
			res.Current = json.RawMessage(bytes.TrimSpace(crec.body.Bytes()))
		}
	}
	return res
}

// syncRequest builds the request of an item, as its user, in the language
// of the batch; it runs to its end even if the batch's client goes away.
// It returns EINVALID for an item that is not a request.
func (s *Server) syncRequest(parent *http.Request, it syncItem) (*http.Request, error) {
	if (it.Method != http.MethodPost && it.Method != http.MethodPut) || len(it.Path) < 8 || it.Path[:8] != "/api/v1/" {
		return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "path", Message: "sync.bad_item", Value: it.Method + " " + it.Path}})
	}
	var body bytes.Buffer
	contentType := "application/json"
	switch {
	case it.File != nil:
		mw := multipart.NewWriter(&body)
		fw, err := mw.CreateFormFile("file", it.File.Name)
		if err == nil {
			_, err = fw.Write(it.File.Data)
		}
		if err == nil {
			err = mw.Close()
		}
		if err != nil {
			return nil, errBadRequest
		}
		contentType = mw.FormDataContentType()
	default:
		body.Write(it.Body)
	}
	req, err := http.NewRequestWithContext(context.WithoutCancel(parent.Context()), it.Method, it.Path, &body)
	if err != nil {
		return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "path", Message: "sync.bad_item", Value: it.Path}})
	}
	req.Header = parent.Header.Clone()
	req.Header.Set("Content-Type", contentType)
	req.Header.Del("Content-Length")
	req.Header.Set(idempotencyHeader, it.Key)
	req.RemoteAddr = parent.RemoteAddr
	return req, nil
}
