package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/workflow"
)

type inspectionsView struct {
	Page
	List       []*healthcell.Inspection
	CanInspect bool
	Standards  []*healthcell.Standard
	Villages   []healthcell.Division
	Units      []*healthcell.Unit
	Today      string
	Deadline   string
	Error      string
}

// inspectionsPage lists the inspections (督查) in the user's scope, with a
// form to record one for those who inspect.
func (s *Server) inspectionsPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderInspections(w, r, http.StatusOK, nil)
}

func (s *Server) renderInspections(w http.ResponseWriter, r *http.Request, status int, err error) error {
	ctx := r.Context()
	list, ferr := s.svc.Inspections.FindInspections(ctx)
	if ferr != nil {
		return ferr
	}
	u := userFrom(ctx)
	v := inspectionsView{Page: s.newPage(r, "inspection.list.title"), List: list, Today: healthcell.CampaignDay(s.now()),
		Deadline: healthcell.CampaignDay(s.now().Add(14 * 24 * time.Hour))}
	switch u.Role {
	case healthcell.RoleCountyAdmin, healthcell.RoleTownship, healthcell.RoleDepartment:
		v.CanInspect = true
		if v.Standards, ferr = s.svc.Standards.FindStandards(ctx); ferr != nil {
			return ferr
		}
		if u.Role != healthcell.RoleDepartment {
			if v.Villages, ferr = s.svc.Villages(ctx, u.Scope); ferr != nil {
				return ferr
			}
		}
		if v.Units, ferr = s.svc.Units.FindUnits(ctx, u.Scope); ferr != nil {
			return ferr
		}
	}
	if err != nil {
		v.Error = s.errorText(v.Lang, err)
	}
	return s.render(w, r, status, "inspections", v)
}

// inspectionCreate records an inspection from the form: the unit as
// "kind:ref", and up to three findings.
func (s *Server) inspectionCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	kind, ref, _ := strings.Cut(r.PostFormValue("unit"), ":")
	in := &healthcell.Inspection{UnitKind: kind, UnitRef: ref, StandardCode: r.PostFormValue("standard"), InspectedOn: r.PostFormValue("inspected_on"),
		Inspectors: r.PostFormValue("inspectors"), Summary: r.PostFormValue("summary")}
	f := r.PostForm
	var findings []healthcell.RectificationInput
	for i := range f["text"] {
		fi := healthcell.RectificationInput{Text: f["text"][i]}
		if i < len(f["item_code"]) {
			fi.ItemCode = f["item_code"][i]
		}
		if i < len(f["owner"]) {
			fi.Owner = f["owner"][i]
		}
		if i < len(f["deadline"]) {
			fi.Deadline = f["deadline"][i]
		}
		if strings.TrimSpace(fi.Text) == "" && fi.ItemCode == "" {
			continue
		}
		findings = append(findings, fi)
	}
	if err := s.svc.Inspections.CreateInspection(r.Context(), in, findings); err != nil {
		if code := healthcell.ErrorCode(err); code == healthcell.EINVALID || code == healthcell.EFORBIDDEN {
			return s.renderInspections(w, r, statusOf[code], err)
		}
		return err
	}
	http.Redirect(w, r, "/inspections/"+strconv.FormatInt(in.ID, 10), http.StatusSeeOther)
	return nil
}

// inspectionPage shows an inspection with its photos and findings, the
// forms to answer them (the unit) or to check the answers (the inspector).
func (s *Server) inspectionPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	in, err := s.svc.Inspections.FindInspection(ctx, id)
	if err != nil {
		return err
	}
	actor := healthcell.ActorFrom(ctx)
	v := struct {
		Page
		In        *healthcell.Inspection
		CanAnswer map[int64]bool
		CanCheck  map[int64]bool
		CanPhoto  bool
		StdNames  stdNames
	}{Page: s.newPage(r, "inspection.title"), In: in, CanAnswer: map[int64]bool{}, CanCheck: map[int64]bool{}}
	if v.StdNames, err = s.standardNames(ctx); err != nil {
		return err
	}
	c := unitContext(actor, in.UnitKind, in.Division, in.UnitRef, in.Department)
	for _, it := range in.Findings {
		v.CanAnswer[it.ID] = it.State != healthcell.RectAccepted && workflow.AtLevel(workflow.LevelSelf, c)
		v.CanCheck[it.ID] = it.State == healthcell.RectAnswered && actor.Role != healthcell.RoleVillage && actor.Role != healthcell.RoleUnit &&
			actor.Role != healthcell.RoleViewer && workflow.AtLevel(workflow.Level(it.CheckerLevel), c)
	}
	switch actor.Role {
	case healthcell.RoleTownship:
		v.CanPhoto = workflow.AtLevel(workflow.LevelTownship, c)
	case healthcell.RoleCountyAdmin, healthcell.RoleDepartment:
		v.CanPhoto = workflow.AtLevel(workflow.LevelCounty, c)
	}
	v.Title = in.UnitName + " · " + v.T("inspection.title")
	var who []string
	for _, it := range in.Findings {
		who = append(who, it.AnsweredBy)
	}
	v.Page = s.withNames(r.Context(), v.Page, who...)
	return s.render(w, r, http.StatusOK, "inspection", v)
}

// inspectionPhoto uploads a photo of an inspection.
func (s *Server) inspectionPhoto(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	data, name, err := readUpload(w, r, "file", healthcell.MaxEvidenceBytes)
	if err == nil {
		_, err = s.svc.Inspections.AddInspectionPhoto(r.Context(), id, name, data)
	}
	if err != nil {
		return err
	}
	s.sessions.Put(r.Context(), "notice", "common.saved")
	http.Redirect(w, r, "/inspections/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

func (s *Server) apiInspections(w http.ResponseWriter, r *http.Request) error {
	list, err := s.svc.Inspections.FindInspections(r.Context())
	if err != nil {
		return err
	}
	writeList(w, list, len(list), 0)
	return nil
}

type inspectionBody struct {
	UnitKind     string                          `json:"unit_kind"`
	UnitRef      string                          `json:"unit_ref"`
	StandardCode string                          `json:"standard_code"`
	InspectedOn  string                          `json:"inspected_on"`
	Inspectors   string                          `json:"inspectors"`
	Summary      string                          `json:"summary"`
	Findings     []healthcell.RectificationInput `json:"findings"`
}

func (s *Server) apiInspectionCreate(w http.ResponseWriter, r *http.Request) error {
	var b inspectionBody
	if err := readJSON(r, &b); err != nil {
		return err
	}
	in := &healthcell.Inspection{UnitKind: b.UnitKind, UnitRef: b.UnitRef, StandardCode: b.StandardCode, InspectedOn: b.InspectedOn,
		Inspectors: b.Inspectors, Summary: b.Summary}
	if err := s.svc.Inspections.CreateInspection(r.Context(), in, b.Findings); err != nil {
		return err
	}
	if in.Photos == nil {
		in.Photos = []*healthcell.Evidence{}
	}
	writeJSON(w, http.StatusCreated, in)
	return nil
}

func (s *Server) apiInspection(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in, err := s.svc.Inspections.FindInspection(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, in)
	return nil
}
