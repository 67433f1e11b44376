package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/healthcell/healthcell"
)

// Pages of sampling (抽查) by the office that names a title above the
// county: /naming-batches (the recommended units to draw from and the
// batches), /naming-batches/{id} (one batch and its decision). The rules
// are the workflow file's sampling block; the storage decides.

// namingBatchesView is the recommended units of one cell type, ready to
// draw from, and the office's batches.
type namingBatchesView struct {
	Page
	Candidates *healthcell.NamingCandidates
	Batches    []*healthcell.NamingBatch
	CanDraw    bool
	From       string // the sampling's state (recommended)
	Size       string // the size chosen: "percent" or "count"
	Percent    string
	Count      string
	Error      string
}

// SampledCount is how many members of a listed batch were drawn.
func (namingBatchesView) SampledCount(b *healthcell.NamingBatch) int { return len(b.Sampled()) }

// Free is how many candidates are in no open batch.
func (v namingBatchesView) Free() int {
	n := 0
	if v.Candidates != nil {
		for _, u := range v.Candidates.Units {
			if u.OpenBatch == 0 {
				n++
			}
		}
	}
	return n
}

// namingBatchesPage lists the recommended units of the chosen cell type
// (?cell=) and the office's batches.
func (s *Server) namingBatchesPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderNamingBatches(w, r, http.StatusOK, nil)
}

// renderNamingBatches renders the page with err's message (nil: none).
func (s *Server) renderNamingBatches(w http.ResponseWriter, r *http.Request, status int, err error) error {
	ctx := r.Context()
	u := userFrom(ctx)
	v := namingBatchesView{Page: s.newPage(r, "naming.batches.title"), Size: "percent", Percent: r.PostFormValue("percent"),
		Count: r.PostFormValue("count"), CanDraw: s.flow().MaySample(healthcell.ActorOf(u))}
	if r.PostFormValue("size") == "count" {
		v.Size = "count"
	}
	v.From = samplingFrom(s)
	cell := r.FormValue("cell")
	var ferr error
	if v.CanDraw {
		if v.Candidates, ferr = s.svc.NamingBatches.NamingCandidates(ctx, cell); ferr != nil {
			return ferr
		}
		if v.Percent == "" {
			v.Percent = strconv.Itoa(v.Candidates.Percent)
		}
	}
	if v.Batches, ferr = s.svc.NamingBatches.FindNamingBatches(ctx); ferr != nil {
		return ferr
	}
	if err != nil {
		v.Error = s.errorText(v.Lang, err)
	}
	return s.render(w, r, status, "naming_batches", v)
}

// samplingFrom is the state the workflow's sampling draws from, "" when
// the workflow has no sampling block.
func samplingFrom(s *Server) string {
	sp, _ := s.flow().Sampling()
	return sp.From
}

// namingBatchCreate draws a sample from the ticked units, by the share or
// the number chosen, and shows the batch.
func (s *Server) namingBatchCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	ids, err := formIDs(r, "id")
	if err != nil {
		return err
	}
	req := healthcell.NamingBatchRequest{Applications: ids}
	field, value := "percent", strings.TrimSpace(r.PostFormValue("percent"))
	if r.PostFormValue("size") == "count" {
		field, value = "count", strings.TrimSpace(r.PostFormValue("count"))
	}
	n, perr := strconv.Atoi(value)
	if perr != nil || n < 1 {
		return s.renderNamingBatches(w, r, http.StatusUnprocessableEntity,
			healthcell.Invalid([]healthcell.FieldError{{Field: field, Message: "naming." + field + ".invalid", Value: value}}))
	}
	if field == "count" {
		req.Count = n
	} else {
		req.Percent = n
	}
	b, err := s.svc.NamingBatches.CreateNamingBatch(r.Context(), req)
	if err != nil {
		if code := healthcell.ErrorCode(err); code == healthcell.EINVALID || code == healthcell.EFORBIDDEN {
			return s.renderNamingBatches(w, r, statusOf[code], err)
		}
		return err
	}
	s.sessions.Put(r.Context(), "notice", "naming.batch.drawn")
	http.Redirect(w, r, "/naming-batches/"+strconv.FormatInt(b.ID, 10), http.StatusSeeOther)
	return nil
}

// namingBatchView is one batch.
type namingBatchView struct {
	Page
	Batch     *healthcell.NamingBatch
	Sampled   []*healthcell.NamingBatchMember
	Rest      []*healthcell.NamingBatchMember
	Assessed  int // drawn units with an outcome
	Failed    int // drawn units that failed
	Waiting   int // members not drawn still in the sampling's state
	CanDecide bool
	Comment   string
	Error     string
}

// namingBatchPage shows a batch: how it was drawn, the drawn units with
// their assessment, the others, and the decision.
func (s *Server) namingBatchPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderNamingBatch(w, r, http.StatusOK, nil)
}

// renderNamingBatch renders batch {id} with err's message (nil: none).
func (s *Server) renderNamingBatch(w http.ResponseWriter, r *http.Request, status int, err error) error {
	id, perr := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if perr != nil {
		return healthcell.Errorf(healthcell.ENOTFOUND, "error.not_found.naming_batch")
	}
	b, ferr := s.svc.NamingBatches.FindNamingBatch(r.Context(), id)
	if ferr != nil {
		return ferr
	}
	v := namingBatchView{Page: s.newPage(r, "naming.batch.title"), Batch: b, Sampled: b.Sampled(), Comment: r.PostFormValue("comment")}
	from := samplingFrom(s)
	for _, m := range b.Members {
		switch {
		case m.Sampled && m.Assessment != healthcell.SampleUnassessed:
			v.Assessed++
			if m.Assessment == healthcell.SampleFailed {
				v.Failed++
			}
		case !m.Sampled:
			v.Rest = append(v.Rest, m)
			if m.State == from {
				v.Waiting++
			}
		}
	}
	u := userFrom(r.Context())
	v.CanDecide = b.State == healthcell.BatchSampling && s.flow().MaySample(healthcell.ActorOf(u)) && u.Scope == b.Office
	if err != nil {
		v.Error = s.errorText(v.Lang, err)
	}
	v.Page = s.withNames(r.Context(), v.Page, b.CreatedBy, b.DecidedBy)
	return s.render(w, r, status, "naming_batch", v)
}

// namingBatchDecide closes the batch by its sample, with the reason given
// when a drawn unit failed.
func (s *Server) namingBatchDecide(w http.ResponseWriter, r *http.Request) error {
	id, perr := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if perr != nil {
		return healthcell.Errorf(healthcell.ENOTFOUND, "error.not_found.naming_batch")
	}
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	b, err := s.svc.NamingBatches.DecideNamingBatch(r.Context(), id, r.PostFormValue("comment"))
	if err != nil {
		if code := healthcell.ErrorCode(err); code == healthcell.EINVALID || code == healthcell.ECONFLICT || code == healthcell.EFORBIDDEN {
			return s.renderNamingBatch(w, r, statusOf[code], err)
		}
		return err
	}
	s.sessions.Put(r.Context(), "notice", "naming.batch.decided."+b.State)
	http.Redirect(w, r, "/naming-batches/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}
