package web

import (
	"net/http"

	"github.com/healthcell/healthcell"
)

// personInput is the writable part of a person in the API.
type personInput struct {
	HouseholdID int64  `json:"household_id"`
	Name        string `json:"name"`
	IDNumber    string `json:"id_number"`
	Sex         string `json:"sex"`
	BirthDate   string `json:"birth_date"`
	Relation    string `json:"relation"`
	Phone       string `json:"phone"`
	Registered  *bool  `json:"registered"`
	Resident    *bool  `json:"resident"`
	Version     int    `json:"version"`
}

func (in *personInput) apply(p *healthcell.Person) {
	p.HouseholdID, p.Name, p.IDNumber, p.Sex, p.BirthDate = in.HouseholdID, in.Name, in.IDNumber, in.Sex, in.BirthDate
	p.Relation, p.Phone, p.Version = in.Relation, in.Phone, in.Version
	p.Registered, p.Resident = true, true
	if in.Registered != nil {
		p.Registered = *in.Registered
	}
	if in.Resident != nil {
		p.Resident = *in.Resident
	}
}

func (s *Server) apiPersons(w http.ResponseWriter, r *http.Request) error {
	limit, offset, err := listParams(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := healthcell.PersonFilter{Division: q.Get("division"), Query: q.Get("q"), Inactive: q.Get("inactive") == "true", Limit: limit, Offset: offset}
	if v := q.Get("household"); v != "" {
		r.SetPathValue("id", v)
		if f.HouseholdID, err = pathID(r); err != nil {
			return err
		}
	}
	ps, total, err := s.svc.Persons.FindPersons(r.Context(), f)
	if err != nil {
		return err
	}
	writeList(w, ps, total, offset)
	return nil
}

func (s *Server) apiPerson(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := s.svc.Persons.FindPerson(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

// apiPersonCreate answers 201 with the stored person, or 422 with fields.
func (s *Server) apiPersonCreate(w http.ResponseWriter, r *http.Request) error {
	var in personInput
	if err := readJSON(r, &in); err != nil {
		return err
	}
	p := &healthcell.Person{}
	in.apply(p)
	if err := s.svc.Persons.CreatePerson(r.Context(), p); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/persons/"+itoa(p.ID))
	writeJSON(w, http.StatusCreated, p)
	return nil
}

// apiPersonUpdate answers 200 with the stored person, 409 when version is
// stale, 422 with fields for bad input.
func (s *Server) apiPersonUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in personInput
	if err := readJSON(r, &in); err != nil {
		return err
	}
	old, err := s.svc.Persons.FindPerson(r.Context(), id)
	if err != nil {
		return err
	}
	p := &healthcell.Person{ID: id, Status: old.Status, StatusDate: old.StatusDate}
	in.apply(p)
	if p.HouseholdID == 0 {
		p.HouseholdID = old.HouseholdID
	}
	if err := s.svc.Persons.UpdatePerson(r.Context(), p); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

type statusInput struct {
	Status  string `json:"status"`
	Date    string `json:"date"`
	Version int    `json:"version"`
}

func (s *Server) apiPersonStatus(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in statusInput
	if err := readJSON(r, &in); err != nil {
		return err
	}
	p, err := s.svc.Persons.SetPersonStatus(r.Context(), id, in.Version, in.Status, in.Date)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}
