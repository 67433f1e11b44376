package web

import (
	"net/http"
	"strconv"

	"github.com/healthcell/healthcell"
)

type householdInput struct {
	Number      string `json:"number"`
	VillageCode string `json:"village_code"`
	Group       string `json:"group"`
	Address     string `json:"address"`
	Version     int    `json:"version"`
}

func (in *householdInput) apply(h *healthcell.Household) {
	h.Number, h.VillageCode, h.Group, h.Address, h.Version = in.Number, in.VillageCode, in.Group, in.Address, in.Version
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

func (s *Server) apiHouseholds(w http.ResponseWriter, r *http.Request) error {
	limit, offset, err := listParams(r)
	if err != nil {
		return err
	}
	hs, total, err := s.svc.Households.FindHouseholds(r.Context(), healthcell.HouseholdFilter{Division: r.URL.Query().Get("division"), Limit: limit, Offset: offset})
	if err != nil {
		return err
	}
	writeList(w, hs, total, offset)
	return nil
}

func (s *Server) apiHousehold(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	h, err := s.svc.Households.FindHousehold(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, h)
	return nil
}

func (s *Server) apiHouseholdCreate(w http.ResponseWriter, r *http.Request) error {
	var in householdInput
	if err := readJSON(r, &in); err != nil {
		return err
	}
	h := &healthcell.Household{}
	in.apply(h)
	if err := s.svc.Households.CreateHousehold(r.Context(), h); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/households/"+itoa(h.ID))
	writeJSON(w, http.StatusCreated, h)
	return nil
}

func (s *Server) apiHouseholdUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in householdInput
	if err := readJSON(r, &in); err != nil {
		return err
	}
	h := &healthcell.Household{ID: id}
	in.apply(h)
	if err := s.svc.Households.UpdateHousehold(r.Context(), h); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, h)
	return nil
}
