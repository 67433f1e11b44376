package web

import (
	"net/http"
	"strconv"

	"github.com/healthcell/healthcell"
)

// apiFamilies lists a village's households with the family items from the
// registers (?village=, the caller's own village by default; ?campaign=).
func (s *Server) apiFamilies(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	village := q.Get("village")
	if village == "" {
		village = userFrom(r.Context()).Scope
	}
	camp, _ := strconv.ParseInt(q.Get("campaign"), 10, 64)
	list, err := s.svc.Families.FamilyHouseholds(r.Context(), village, camp)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list)
	return nil
}

// familyApplyInput is a bulk application: the campaign (0: the newest) and
// the households of the caller's village.
type familyApplyInput struct {
	Campaign   int64   `json:"campaign"`
	Households []int64 `json:"households"`
}

// apiFamiliesApply applies for many households of the caller's village and
// answers one result per household.
func (s *Server) apiFamiliesApply(w http.ResponseWriter, r *http.Request) error {
	var in familyApplyInput
	if err := readJSON(r, &in); err != nil {
		return err
	}
	res, err := s.svc.Families.ApplyFamilies(r.Context(), userFrom(r.Context()).Scope, in.Campaign, in.Households)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"results": res})
	return nil
}

// apiFamilyBatches lists the caller's sampling batches (members are not
// listed: members_total and sampled_total count them).
func (s *Server) apiFamilyBatches(w http.ResponseWriter, r *http.Request) error {
	list, err := s.svc.Families.FindSampleBatches(r.Context())
	if err != nil {
		return err
	}
	type row struct {
		*healthcell.SampleBatch
		Members      []*healthcell.BatchMember `json:"members,omitempty"`
		MembersTotal int                       `json:"members_total"`
		SampledTotal int                       `json:"sampled_total"`
	}
	out := make([]row, len(list))
	for i, b := range list {
		out[i] = row{SampleBatch: b, MembersTotal: len(b.Members), SampledTotal: len(b.Sampled())}
	}
	writeList(w, out, len(out), 0)
	return nil
}

// batchInput draws a sample: the applications, the share in percent (0:
// the catalog's) and a seed (0: a random one).
type batchInput struct {
	Applications []int64 `json:"applications"`
	Percent      int     `json:"percent"`
	Seed         int64   `json:"seed"`
}

func (s *Server) apiFamilyBatchCreate(w http.ResponseWriter, r *http.Request) error {
	var in batchInput
	if err := readJSON(r, &in); err != nil {
		return err
	}
	b, err := s.svc.Families.CreateSampleBatch(r.Context(), in.Applications, in.Percent, in.Seed)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, b)
	return nil
}

func (s *Server) apiFamilyBatch(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return healthcell.Errorf(healthcell.ENOTFOUND, "error.not_found.family_batch")
	}
	b, err := s.svc.Families.FindSampleBatch(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, b)
	return nil
}

func (s *Server) apiFamilyBatchDecide(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return healthcell.Errorf(healthcell.ENOTFOUND, "error.not_found.family_batch")
	}
	b, err := s.svc.Families.DecideSampleBatch(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, b)
	return nil
}
