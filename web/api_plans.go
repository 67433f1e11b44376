package web

import (
	"net/http"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/plantemplate"
)

// planTemplateInfo is a shipped template as the API lists it.
type planTemplateInfo struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Level  string `json:"level"`
	Source string `json:"source"`
}

func (s *Server) apiPlanTemplates(w http.ResponseWriter, r *http.Request) error {
	all, err := plantemplate.Shipped()
	if err != nil {
		return err
	}
	out := make([]planTemplateInfo, 0, len(all))
	for _, t := range all {
		out = append(out, planTemplateInfo{Code: t.Code, Name: t.Name, Level: t.Level, Source: t.Source})
	}
	writeList(w, out, len(out), 0)
	return nil
}

func (s *Server) apiPlan(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := s.svc.Plans.FindPlan(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

// apiPlanSave creates (version 0) or replaces (the version read) the plan.
func (s *Server) apiPlanSave(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var p healthcell.Plan
	if err := readJSON(r, &p); err != nil {
		return err
	}
	p.CampaignID = id
	if err := s.svc.Plans.SavePlan(r.Context(), &p); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, &p)
	return nil
}

// apiPlanTemplate copies a template ({"template": code}) or another
// campaign's plan ({"from": id}) into the campaign's plan.
func (s *Server) apiPlanTemplate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var req struct {
		Template string `json:"template"`
		From     int64  `json:"from"`
		Version  int    `json:"version"`
	}
	if err := readJSON(r, &req); err != nil {
		return err
	}
	var p *healthcell.Plan
	if req.From != 0 {
		p, err = s.svc.Plans.CopyPlan(r.Context(), id, req.From, req.Version)
	} else {
		p, err = s.svc.Plans.ApplyPlanTemplate(r.Context(), id, req.Template, req.Version)
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, p)
	return nil
}

func (s *Server) apiPlanPublish(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var req struct {
		Version int `json:"version"`
	}
	if err := readJSON(r, &req); err != nil {
		return err
	}
	p, err := s.svc.Plans.PublishPlan(r.Context(), id, req.Version)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

func (s *Server) apiPlanProgress(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	g, err := s.svc.Plans.PlanProgress(r.Context(), id, r.URL.Query().Get("day"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, g)
	return nil
}

func (s *Server) apiPlanReport(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var rep healthcell.PlanTaskReport
	if err := readJSON(r, &rep); err != nil {
		return err
	}
	rep.ID, rep.CampaignID, rep.Task = 0, id, r.PathValue("task")
	if err := s.svc.Plans.ReportTask(r.Context(), &rep); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, &rep)
	return nil
}

func (s *Server) apiPlanSpending(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var sp healthcell.PlanSpending
	if err := readJSON(r, &sp); err != nil {
		return err
	}
	sp.ID, sp.CampaignID = 0, id
	if err := s.svc.Plans.RecordSpending(r.Context(), &sp); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, &sp)
	return nil
}

func (s *Server) apiPlanGaps(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	g, err := s.svc.Plans.PlanGaps(r.Context(), id, r.URL.Query().Get("division"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, g)
	return nil
}

// apiGapRectification turns a failing item of an application into a
// rectification item ({"item": code, "deadline": day}).
func (s *Server) apiGapRectification(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var req struct {
		Item     string `json:"item"`
		Deadline string `json:"deadline"`
	}
	if err := readJSON(r, &req); err != nil {
		return err
	}
	rect, err := s.svc.Plans.GapToRectification(r.Context(), id, req.Item, req.Deadline)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, rect)
	return nil
}
