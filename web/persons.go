package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/register"
)

type personView struct {
	Page
	Person    *healthcell.Person
	Household *healthcell.Household
	Village   *healthcell.DivisionView
	Age       int
	History   []*healthcell.AuditEntry
	Spans     []healthcell.PersonSpan // the status history, oldest first
	CanWrite  bool
	Today     string
	Registers []registerCard
}

type personFormView struct {
	Page
	Person                  *healthcell.Person
	Household               *healthcell.Household
	Relations               []string
	Villages                []healthcell.Division // move targets, on edit
	MoveVillage, MoveNumber string
	Errors                  formErrors
	Error                   string
	New                     bool
	Today                   string // the default and latest day a change takes effect, on edit
}

func (s *Server) personPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := s.svc.Persons.FindPerson(ctx, id)
	if err != nil {
		return err
	}
	h, err := s.svc.Households.FindHousehold(ctx, p.HouseholdID)
	if err != nil {
		return err
	}
	village, err := s.svc.Divisions.FindDivision(ctx, p.VillageCode)
	if err != nil {
		return err
	}
	history, _, err := s.svc.Audit.FindAudit(ctx, healthcell.AuditFilter{Entity: "person", EntityID: strconv.FormatInt(id, 10), Limit: 20})
	if err != nil {
		return err
	}
	v := personView{Page: s.newPage(r, "person.title"), Person: p, Household: h, Village: village, Age: p.Age(s.now()), History: history,
		CanWrite: healthcell.ActorFrom(ctx).CanWritePersons(p.VillageCode), Today: healthcell.CampaignDay(s.now())}
	v.Title = p.Name
	if v.Spans, err = s.svc.Persons.PersonSpans(ctx, id); err != nil {
		return err
	}
	if v.Registers, err = s.subjectRegisters(ctx, register.Person, healthcell.EntryFilter{PersonID: p.ID, Division: p.VillageCode}, v.Lang); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "person", v)
}

func (s *Server) personNew(w http.ResponseWriter, r *http.Request) error {
	hid, _ := strconv.ParseInt(r.URL.Query().Get("household"), 10, 64)
	h, err := s.svc.Households.FindHousehold(r.Context(), hid)
	if err != nil {
		return err
	}
	p := &healthcell.Person{HouseholdID: h.ID, Registered: true, Resident: true}
	if h.HeadID == 0 {
		p.Relation = "户主"
	}
	return s.personForm(w, r, http.StatusOK, p, h, nil, true)
}

func (s *Server) personEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := s.svc.Persons.FindPerson(r.Context(), id)
	if err != nil {
		return err
	}
	if p.Masked {
		return healthcell.Errorf(healthcell.EFORBIDDEN, "error.forbidden")
	}
	h, err := s.svc.Households.FindHousehold(r.Context(), p.HouseholdID)
	if err != nil {
		return err
	}
	return s.personForm(w, r, http.StatusOK, p, h, nil, false)
}

// personForm renders the person form with the field errors of err.
func (s *Server) personForm(w http.ResponseWriter, r *http.Request, status int, p *healthcell.Person, h *healthcell.Household, err error, isNew bool) error {
	v := personFormView{Page: s.newPage(r, "person.new"), Person: p, Household: h, Relations: healthcell.Relations, New: isNew,
		Today: healthcell.CampaignDay(s.now())}
	if !isNew {
		v.Title = v.T("person.edit")
	}
	if err != nil {
		v.Errors = s.formErrors(v.Lang, err)
		v.Error = v.T(healthcell.ErrorMessage(err))
	}
	if !isNew {
		villages, verr := s.svc.Villages(r.Context(), userFrom(r.Context()).Scope)
		if verr != nil {
			return verr
		}
		v.Villages, v.MoveVillage, v.MoveNumber = villages, r.PostFormValue("move_village"), r.PostFormValue("move_number")
		if v.MoveVillage == "" {
			v.MoveVillage = h.VillageCode
		}
	}
	return s.render(w, r, status, "person_form", v)
}

// resolveMove reads the optional move fields (a village and a household
// number in it) and points p at that household; EINVALID on move_number when
// there is no such household in the user's scope.
func (s *Server) resolveMove(r *http.Request, p *healthcell.Person) error {
	num := strings.TrimSpace(r.PostFormValue("move_number"))
	if num == "" {
		return nil
	}
	village := r.PostFormValue("move_village")
	notFound := healthcell.Invalid([]healthcell.FieldError{{Field: "move_number", Message: "household.not_found", Value: num}})
	if healthcell.CodeLevel(village) != healthcell.LevelVillage {
		return notFound
	}
	hs, _, err := s.svc.Households.FindHouseholds(r.Context(), healthcell.HouseholdFilter{Division: village, Number: num, Limit: 1})
	if healthcell.ErrorCode(err) == healthcell.ENOTFOUND || (err == nil && len(hs) == 0) {
		return notFound
	}
	if err != nil {
		return err
	}
	p.HouseholdID = hs[0].ID
	return nil
}

// personFromForm reads the form fields into p.
func personFromForm(r *http.Request, p *healthcell.Person) {
	p.Name = r.PostFormValue("name")
	p.IDNumber = r.PostFormValue("id_number")
	p.Sex = r.PostFormValue("sex")
	p.BirthDate = r.PostFormValue("birth_date")
	p.Relation = r.PostFormValue("relation")
	p.Phone = r.PostFormValue("phone")
	p.Registered = r.PostFormValue("registered") != ""
	p.Resident = r.PostFormValue("resident") != ""
	p.Version, _ = strconv.Atoi(r.PostFormValue("version"))
	p.Since = strings.TrimSpace(r.PostFormValue("since"))
	if hid, err := strconv.ParseInt(r.PostFormValue("household_id"), 10, 64); err == nil {
		p.HouseholdID = hid
	}
}

func (s *Server) personCreate(w http.ResponseWriter, r *http.Request) error {
	p := &healthcell.Person{}
	personFromForm(r, p)
	h, err := s.svc.Households.FindHousehold(r.Context(), p.HouseholdID)
	if err != nil {
		return err
	}
	if err := s.svc.Persons.CreatePerson(r.Context(), p); err != nil {
		return s.formFailure(w, r, err, func(status int) error { return s.personForm(w, r, status, p, h, err, true) })
	}
	s.sessions.Put(r.Context(), "notice", "common.saved")
	http.Redirect(w, r, "/households/"+strconv.FormatInt(h.ID, 10), http.StatusSeeOther)
	return nil
}

func (s *Server) personUpdate(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		return err
	}
	old, err := s.svc.Persons.FindPerson(ctx, id)
	if err != nil {
		return err
	}
	p := &healthcell.Person{ID: id, Status: old.Status, StatusDate: old.StatusDate}
	personFromForm(r, p)
	err = s.resolveMove(r, p)
	if err == nil {
		err = s.svc.Persons.UpdatePerson(ctx, p)
	}
	if err != nil {
		h, herr := s.svc.Households.FindHousehold(ctx, old.HouseholdID)
		if herr != nil {
			return herr
		}
		return s.formFailure(w, r, err, func(status int) error { return s.personForm(w, r, status, p, h, err, false) })
	}
	s.sessions.Put(ctx, "notice", "common.saved")
	http.Redirect(w, r, "/persons/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

func (s *Server) personStatus(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	if _, err := s.svc.Persons.SetPersonStatus(r.Context(), id, version, r.PostFormValue("status"), r.PostFormValue("status_date")); err != nil {
		if code := healthcell.ErrorCode(err); code == healthcell.EINVALID || code == healthcell.ECONFLICT {
			s.sessions.Put(r.Context(), "notice", firstMessage(err))
		} else {
			return err
		}
	} else {
		s.sessions.Put(r.Context(), "notice", "common.saved")
	}
	http.Redirect(w, r, "/persons/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

// firstMessage returns the key of the first field error, or the error's own.
func firstMessage(err error) string {
	if f := healthcell.ErrorFields(err); len(f) > 0 {
		return f[0].Message
	}
	return healthcell.ErrorMessage(err)
}
