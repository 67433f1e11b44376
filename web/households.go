package web

import (
	"net/http"
	"strconv"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/register"
)

type householdView struct {
	Page
	Household *healthcell.Household
	Village   *healthcell.DivisionView
	Members   []*healthcell.Person
	CanWrite  bool
	Registers []registerCard
}

type householdFormView struct {
	Page
	Household *healthcell.Household
	Villages  []healthcell.Division
	Errors    formErrors
	Error     string
	New       bool
}

// pathID reads the {id} path value; ENOTFOUND when it is not a number.
func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, healthcell.Errorf(healthcell.ENOTFOUND, "error.not_found")
	}
	return id, nil
}

func (s *Server) householdPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		return err
	}
	h, err := s.svc.Households.FindHousehold(ctx, id)
	if err != nil {
		return err
	}
	members, _, err := s.svc.Persons.FindPersons(ctx, healthcell.PersonFilter{HouseholdID: id, Inactive: true, Limit: 100})
	if err != nil {
		return err
	}
	village, err := s.svc.Divisions.FindDivision(ctx, h.VillageCode)
	if err != nil {
		return err
	}
	v := householdView{Page: s.newPage(r, "household.title"), Household: h, Village: village, Members: members,
		CanWrite: healthcell.ActorFrom(ctx).CanWritePersons(h.VillageCode)}
	v.Title = v.T("household.title") + " " + h.Number
	if v.Registers, err = s.subjectRegisters(ctx, register.Household, healthcell.EntryFilter{HouseholdID: h.ID, Division: h.VillageCode}, v.Lang); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "household", v)
}

func (s *Server) householdNew(w http.ResponseWriter, r *http.Request) error {
	h := &healthcell.Household{VillageCode: r.URL.Query().Get("village")}
	return s.householdForm(w, r, http.StatusOK, h, nil, true)
}

func (s *Server) householdEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	h, err := s.svc.Households.FindHousehold(r.Context(), id)
	if err != nil {
		return err
	}
	if !healthcell.ActorFrom(r.Context()).CanWritePersons(h.VillageCode) {
		return healthcell.Errorf(healthcell.EFORBIDDEN, "error.forbidden")
	}
	return s.householdForm(w, r, http.StatusOK, h, nil, false)
}

// householdForm renders the household form, with the field errors of err.
func (s *Server) householdForm(w http.ResponseWriter, r *http.Request, status int, h *healthcell.Household, err error, isNew bool) error {
	u := userFrom(r.Context())
	villages, verr := s.svc.Villages(r.Context(), u.Scope)
	if verr != nil {
		return verr
	}
	v := householdFormView{Page: s.newPage(r, "household.new"), Household: h, Villages: villages, New: isNew}
	if !isNew {
		v.Title = v.T("household.edit")
	}
	if err != nil {
		v.Errors = s.formErrors(v.Lang, err)
		v.Error = v.T(healthcell.ErrorMessage(err))
	}
	return s.render(w, r, status, "household_form", v)
}

func householdFromForm(r *http.Request, h *healthcell.Household) {
	h.Number = r.PostFormValue("number")
	h.VillageCode = r.PostFormValue("village_code")
	h.Group = r.PostFormValue("group")
	h.Address = r.PostFormValue("address")
	h.Version, _ = strconv.Atoi(r.PostFormValue("version"))
}

func (s *Server) householdCreate(w http.ResponseWriter, r *http.Request) error {
	h := &healthcell.Household{}
	householdFromForm(r, h)
	if err := s.svc.Households.CreateHousehold(r.Context(), h); err != nil {
		return s.formFailure(w, r, err, func(status int) error { return s.householdForm(w, r, status, h, err, true) })
	}
	s.sessions.Put(r.Context(), "notice", "common.saved")
	http.Redirect(w, r, "/households/"+strconv.FormatInt(h.ID, 10), http.StatusSeeOther)
	return nil
}

func (s *Server) householdUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	h := &healthcell.Household{ID: id}
	householdFromForm(r, h)
	if err := s.svc.Households.UpdateHousehold(r.Context(), h); err != nil {
		return s.formFailure(w, r, err, func(status int) error { return s.householdForm(w, r, status, h, err, false) })
	}
	s.sessions.Put(r.Context(), "notice", "common.saved")
	http.Redirect(w, r, "/households/"+strconv.FormatInt(h.ID, 10), http.StatusSeeOther)
	return nil
}

// formFailure re-renders a form for errors the user can fix (invalid input,
// a conflicting edit) and passes any other error on.
func (s *Server) formFailure(w http.ResponseWriter, r *http.Request, err error, rerender func(status int) error) error {
	switch code := healthcell.ErrorCode(err); code {
	case healthcell.EINVALID, healthcell.ECONFLICT:
		return rerender(statusOf[code])
	}
	return err
}
