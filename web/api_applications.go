package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/healthcell/healthcell"
)

// applicationResponse is an application with the actions the caller may take now.
type applicationResponse struct {
	*healthcell.Application
	Actions []string `json:"actions"`
}

func (s *Server) applicationJSON(r *http.Request, a *healthcell.Application) applicationResponse {
	acts := s.svc.Applications.AvailableActions(r.Context(), a)
	if acts == nil {
		acts = []string{}
	}
	return applicationResponse{Application: a, Actions: acts}
}

func (s *Server) apiCampaigns(w http.ResponseWriter, r *http.Request) error {
	list, err := s.svc.Applications.FindCampaigns(r.Context())
	if err != nil {
		return err
	}
	writeList(w, list, len(list), 0)
	return nil
}

func (s *Server) apiCampaignCreate(w http.ResponseWriter, r *http.Request) error {
	var c healthcell.Campaign
	if err := readJSON(r, &c); err != nil {
		return err
	}
	c.ID = 0
	if err := s.svc.Applications.CreateCampaign(r.Context(), &c); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, &c)
	return nil
}

func (s *Server) apiApplications(w http.ResponseWriter, r *http.Request) error {
	limit, offset, err := listParams(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	camp, _ := strconv.ParseInt(q.Get("campaign"), 10, 64)
	list, total, err := s.svc.Applications.FindApplications(r.Context(), healthcell.ApplicationFilter{Division: q.Get("division"),
		CampaignID: camp, State: q.Get("state"), UnitKind: q.Get("unit_kind"), Limit: limit, Offset: offset})
	if err != nil {
		return err
	}
	writeList(w, list, total, offset)
	return nil
}

type applicationInput struct {
	CampaignID   int64  `json:"campaign_id"`
	StandardCode string `json:"standard_code"`
	StandardID   int64  `json:"standard_id"`
	UnitKind     string `json:"unit_kind"`
	UnitRef      string `json:"unit_ref"`
}

func (s *Server) apiApplicationCreate(w http.ResponseWriter, r *http.Request) error {
	var in applicationInput
	if err := readJSON(r, &in); err != nil {
		return err
	}
	a := &healthcell.Application{CampaignID: in.CampaignID, StandardCode: in.StandardCode, StandardID: in.StandardID, UnitKind: in.UnitKind, UnitRef: in.UnitRef}
	if err := s.svc.Applications.CreateApplication(r.Context(), a); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, s.applicationJSON(r, a))
	return nil
}

// apiApplication returns an application with its timeline, rectification
// items and the actions the caller may take.
func (s *Server) apiApplication(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a, err := s.svc.Applications.FindApplication(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.applicationJSON(r, a))
	return nil
}

// apiTransition takes an action: 200 with the application in its new
// state, 409 when the state changed, 403 for a wrong role or level, 422
// for a missing comment or a condition that does not hold.
func (s *Server) apiTransition(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var req healthcell.TransitionRequest
	if err := readJSON(r, &req); err != nil {
		return err
	}
	a, err := s.svc.Applications.Transition(r.Context(), id, req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.applicationJSON(r, a))
	return nil
}

type bulkInput struct {
	IDs     []int64 `json:"ids"`
	Action  string  `json:"action"`
	Comment string  `json:"comment"`
}

// apiBulkTransition takes one action on several applications, all or
// nothing: 204, or 422 listing each refusal.
func (s *Server) apiBulkTransition(w http.ResponseWriter, r *http.Request) error {
	var in bulkInput
	if err := readJSON(r, &in); err != nil {
		return err
	}
	if err := s.svc.Applications.TransitionMany(r.Context(), in.IDs, healthcell.TransitionRequest{Action: in.Action, Comment: in.Comment}); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiQueue(w http.ResponseWriter, r *http.Request) error {
	q, err := s.svc.Applications.Queue(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, q)
	return nil
}

type rectAnswerInput struct {
	Note    string `json:"note"`
	Version int    `json:"version"`
}

func (s *Server) apiRectificationAnswer(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in rectAnswerInput
	if err := readJSON(r, &in); err != nil {
		return err
	}
	it, err := s.svc.Rectifications.AnswerRectification(r.Context(), id, in.Note, in.Version)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, it)
	return nil
}

type rectCheckInput struct {
	Accept  bool   `json:"accept"`
	Note    string `json:"note"`
	Version int    `json:"version"`
}

func (s *Server) apiRectificationCheck(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in rectCheckInput
	if err := readJSON(r, &in); err != nil {
		return err
	}
	it, err := s.svc.Rectifications.CheckRectification(r.Context(), id, in.Accept, in.Note, in.Version)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, it)
	return nil
}

func (s *Server) apiRectificationFile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	data, name, err := readUpload(w, r, "file", healthcell.MaxEvidenceBytes)
	if err != nil {
		return err
	}
	e, err := s.svc.Rectifications.AddRectificationFile(r.Context(), id, name, data)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, e)
	return nil
}

func (s *Server) apiRectifications(w http.ResponseWriter, r *http.Request) error {
	list, err := s.svc.Rectifications.FindRectifications(r.Context(), r.URL.Query().Get("state"))
	if err != nil {
		return err
	}
	writeList(w, list, len(list), 0)
	return nil
}

func (s *Server) apiBulletins(w http.ResponseWriter, r *http.Request) error {
	camp, _ := strconv.ParseInt(r.URL.Query().Get("campaign"), 10, 64)
	list, err := s.svc.Bulletins.FindBulletins(r.Context(), camp)
	if err != nil {
		return err
	}
	writeList(w, list, len(list), 0)
	return nil
}

// bulletinInput names a campaign, or, for a city or province office, the
// year of its own bulletin above the county.
type bulletinInput struct {
	CampaignID int64 `json:"campaign_id"`
	Year       int   `json:"year"`
}

func (s *Server) apiBulletinIssue(w http.ResponseWriter, r *http.Request) error {
	var in bulletinInput
	if err := readJSON(r, &in); err != nil {
		return err
	}
	var b *healthcell.Bulletin
	var err error
	if in.CampaignID == 0 && in.Year != 0 {
		b, err = s.svc.Bulletins.IssueUpperBulletin(r.Context(), healthcell.ActorFrom(r.Context()).UpperBulletinDivision(), in.Year)
	} else {
		b, err = s.svc.Bulletins.IssueBulletin(r.Context(), in.CampaignID)
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, b)
	return nil
}

func (s *Server) apiBulletin(w http.ResponseWriter, r *http.Request) error {
	if strings.HasSuffix(r.PathValue("id"), ".docx") {
		return s.bulletinDocx(w, r)
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	b, err := s.svc.Bulletins.FindBulletin(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, b)
	return nil
}
