package web

import (
	"net/http"
	"strconv"

	"github.com/healthcell/healthcell"
)

// batchesView is the township's applied families, ready to sample, and its
// sampling batches.
type batchesView struct {
	Page
	Apps    []*healthcell.Application
	Total   int
	Batches []*healthcell.SampleBatch
	Percent int
	CanDraw bool
	Error   string
}

// SampledCount is how many members of a listed batch were drawn.
func (v batchesView) SampledCount(b *healthcell.SampleBatch) int { return len(b.Sampled()) }

// familyBatchesPage lists the applied 健康家庭 applications of the user's
// township (ticked, to draw a sample from) and its sampling batches.
func (s *Server) familyBatchesPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderBatches(w, r, http.StatusOK, nil)
}

func (s *Server) renderBatches(w http.ResponseWriter, r *http.Request, status int, err error) error {
	ctx := r.Context()
	u := userFrom(ctx)
	v := batchesView{Page: s.newPage(r, "family.batches.title"), CanDraw: u.Role == healthcell.RoleTownship, Percent: s.samplePercent()}
	var ferr error
	if v.Apps, v.Total, ferr = s.svc.Applications.FindApplications(ctx, healthcell.ApplicationFilter{State: "applied", UnitKind: "household",
		Limit: healthcell.MaxFamilyBulk}); ferr != nil {
		return ferr
	}
	if v.Batches, ferr = s.svc.Families.FindSampleBatches(ctx); ferr != nil {
		return ferr
	}
	if err != nil {
		v.Error = s.errorText(v.Lang, err)
	}
	return s.render(w, r, status, "family_batches", v)
}

// samplePercent is the definitions' default share to check by hand
// (catalog/family: sample_percent), 10 when they have no family rules.
func (s *Server) samplePercent() int {
	if f := s.cfg.Definitions.Family; f != nil {
		return f.SamplePercent
	}
	return 10
}

// familyBatchCreate draws a sample from the ticked applications and shows
// the batch.
func (s *Server) familyBatchCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	ids, err := formIDs(r, "id")
	if err != nil {
		return err
	}
	percent, perr := strconv.Atoi(r.PostFormValue("percent"))
	if perr != nil {
		return s.renderBatches(w, r, http.StatusUnprocessableEntity,
			healthcell.Invalid([]healthcell.FieldError{{Field: "percent", Message: "family.percent.invalid", Value: r.PostFormValue("percent")}}))
	}
	b, err := s.svc.Families.CreateSampleBatch(r.Context(), ids, percent, 0)
	if err != nil {
		if code := healthcell.ErrorCode(err); code == healthcell.EINVALID || code == healthcell.EFORBIDDEN {
			return s.renderBatches(w, r, statusOf[code], err)
		}
		return err
	}
	s.sessions.Put(r.Context(), "notice", "family.batch.drawn")
	http.Redirect(w, r, "/families/batches/"+strconv.FormatInt(b.ID, 10), http.StatusSeeOther)
	return nil
}

// batchView is one sampling batch.
type batchView struct {
	Page
	Batch     *healthcell.SampleBatch
	Sampled   []*healthcell.BatchMember
	Rest      []*healthcell.BatchMember
	Checked   int
	Failed    int
	CanDecide bool
	Error     string
}

// familyBatchPage shows a batch: its seed, the sampled households with their
// check sheets, the rest, and the decision.
func (s *Server) familyBatchPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderBatch(w, r, http.StatusOK, nil)
}

func (s *Server) renderBatch(w http.ResponseWriter, r *http.Request, status int, err error) error {
	id, perr := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if perr != nil {
		return healthcell.Errorf(healthcell.ENOTFOUND, "error.not_found.family_batch")
	}
	b, ferr := s.svc.Families.FindSampleBatch(r.Context(), id)
	if ferr != nil {
		return ferr
	}
	v := batchView{Page: s.newPage(r, "family.batch.title"), Batch: b, Sampled: b.Sampled()}
	for _, m := range b.Members {
		if !m.Sampled {
			v.Rest = append(v.Rest, m)
		}
	}
	for _, m := range v.Sampled {
		switch m.Check {
		case "passed":
			v.Checked++
		case "failed":
			v.Checked++
			v.Failed++
		}
	}
	v.CanDecide = b.State == healthcell.BatchSampling && userFrom(r.Context()).Role == healthcell.RoleTownship
	if err != nil {
		v.Error = s.errorText(v.Lang, err)
	}
	v.Page = s.withNames(r.Context(), v.Page, b.CreatedBy)
	return s.render(w, r, status, "family_batch", v)
}

// familyBatchDecide closes the batch by its sample.
func (s *Server) familyBatchDecide(w http.ResponseWriter, r *http.Request) error {
	id, perr := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if perr != nil {
		return healthcell.Errorf(healthcell.ENOTFOUND, "error.not_found.family_batch")
	}
	b, err := s.svc.Families.DecideSampleBatch(r.Context(), id)
	if err != nil {
		if code := healthcell.ErrorCode(err); code == healthcell.EINVALID || code == healthcell.ECONFLICT || code == healthcell.EFORBIDDEN {
			return s.renderBatch(w, r, statusOf[code], err)
		}
		return err
	}
	s.sessions.Put(r.Context(), "notice", "family.batch.decided."+b.State)
	http.Redirect(w, r, "/families/batches/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}
