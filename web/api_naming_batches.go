package web

import (
	"net/http"
	"strconv"

	"github.com/healthcell/healthcell"
)

// The JSON API of sampling (抽查) by the naming office: /api/v1/naming-batches
// (web/openapi.json, tag workflow).

// apiNamingCandidates lists the recommended units the caller's office may
// draw from, of ?cell_type= (the first waiting when absent).
func (s *Server) apiNamingCandidates(w http.ResponseWriter, r *http.Request) error {
	c, err := s.svc.NamingBatches.NamingCandidates(r.Context(), r.URL.Query().Get("cell_type"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

// apiNamingBatches lists the batches of the offices in the caller's scope.
func (s *Server) apiNamingBatches(w http.ResponseWriter, r *http.Request) error {
	list, err := s.svc.NamingBatches.FindNamingBatches(r.Context())
	if err != nil {
		return err
	}
	if list == nil {
		list = []*healthcell.NamingBatch{}
	}
	writeList(w, list, len(list), 0)
	return nil
}

// apiNamingBatchCreate draws a batch.
func (s *Server) apiNamingBatchCreate(w http.ResponseWriter, r *http.Request) error {
	var in healthcell.NamingBatchRequest
	if err := readJSON(r, &in); err != nil {
		return err
	}
	b, err := s.svc.NamingBatches.CreateNamingBatch(r.Context(), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, b)
	return nil
}

// namingBatchID reads the path's batch id; ENOTFOUND when it is no number.
func namingBatchID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return 0, healthcell.Errorf(healthcell.ENOTFOUND, "error.not_found.naming_batch")
	}
	return id, nil
}

// apiNamingBatch returns one batch.
func (s *Server) apiNamingBatch(w http.ResponseWriter, r *http.Request) error {
	id, err := namingBatchID(r)
	if err != nil {
		return err
	}
	b, err := s.svc.NamingBatches.FindNamingBatch(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, b)
	return nil
}

// apiNamingBatchDecide decides a batch by its sample; the body's comment
// is the reason, required when a drawn unit failed.
func (s *Server) apiNamingBatchDecide(w http.ResponseWriter, r *http.Request) error {
	id, err := namingBatchID(r)
	if err != nil {
		return err
	}
	var in struct {
		Comment string `json:"comment"`
	}
	if err := readJSON(r, &in); err != nil {
		return err
	}
	b, err := s.svc.NamingBatches.DecideNamingBatch(r.Context(), id, in.Comment)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, b)
	return nil
}
