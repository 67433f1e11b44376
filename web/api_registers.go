package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/register"
)

// registerOf returns the definition named by the {register} path value, or
// ENOTFOUND.
func (s *Server) registerOf(r *http.Request) (*register.Def, error) {
	d := s.cfg.Definitions.Registers.Get(r.PathValue("register"))
	if d == nil {
		return nil, healthcell.Errorf(healthcell.ENOTFOUND, "error.not_found.register")
	}
	return d, nil
}

// entryRef returns the register and the entry id named by the path, or
// ENOTFOUND for either.
func (s *Server) entryRef(r *http.Request) (*register.Def, int64, error) {
	d, err := s.registerOf(r)
	if err != nil {
		return nil, 0, err
	}
	id, err := pathID(r)
	if err != nil {
		return nil, 0, err
	}
	return d, id, nil
}

func (s *Server) apiRegisters(w http.ResponseWriter, r *http.Request) error {
	defs := s.cfg.Definitions.Registers.All()
	writeList(w, defs, len(defs), 0)
	return nil
}

// entryFilter reads the list parameters shared by the page and the API.
func entryFilter(r *http.Request, code string) (healthcell.EntryFilter, error) {
	q := r.URL.Query()
	f := healthcell.EntryFilter{Register: code, Division: q.Get("division"), From: q.Get("from"), To: q.Get("to"), Inactive: q.Get("inactive") == "true"}
	for name, dst := range map[string]*int64{"person": &f.PersonID, "household": &f.HouseholdID, "unit": &f.UnitID} {
		if v := q.Get(name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n <= 0 {
				return f, healthcell.Invalid([]healthcell.FieldError{{Field: name, Message: "field.invalid", Value: v}})
			}
			*dst = n
		}
	}
	for name, v := range map[string]string{"from": f.From, "to": f.To} {
		if _, ok := register.ParseDate(v); v != "" && !ok {
			return f, healthcell.Invalid([]healthcell.FieldError{{Field: name, Message: "register.bad_date", Value: v}})
		}
	}
	return f, nil
}

func (s *Server) apiEntries(w http.ResponseWriter, r *http.Request) error {
	d, err := s.registerOf(r)
	if err != nil {
		return err
	}
	limit, offset, err := listParams(r)
	if err != nil {
		return err
	}
	f, err := entryFilter(r, d.Code)
	if err != nil {
		return err
	}
	f.Limit, f.Offset = limit, offset
	es, total, err := s.svc.Registers.FindEntries(r.Context(), f)
	if err != nil {
		return err
	}
	writeList(w, es, total, offset)
	return nil
}

func (s *Server) apiEntry(w http.ResponseWriter, r *http.Request) error {
	d, id, err := s.entryRef(r)
	if err != nil {
		return err
	}
	e, err := s.svc.Registers.FindEntry(r.Context(), d.Code, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, e)
	return nil
}

// entryBody is the JSON body of a create or update: values may be given as
// strings, numbers or booleans.
type entryBody struct {
	Village   string         `json:"village"`
	Person    int64          `json:"person"`
	Household int64          `json:"household"`
	Unit      int64          `json:"unit"`
	Values    map[string]any `json:"values"`
	Version   int            `json:"version"`
}

func (b *entryBody) input(code string) healthcell.EntryInput {
	in := healthcell.EntryInput{Register: code, VillageCode: b.Village, PersonID: b.Person, HouseholdID: b.Household,
		UnitID: b.Unit, Version: b.Version, Fields: map[string]string{}}
	for k, v := range b.Values {
		switch x := v.(type) {
		case nil:
			in.Fields[k] = "" // empty, but an unknown key is still refused
		case string:
			in.Fields[k] = x
		case float64:
			in.Fields[k] = strconv.FormatFloat(x, 'f', -1, 64)
		default:
			in.Fields[k] = fmt.Sprint(x)
		}
	}
	return in
}

// apiEntryCreate answers 201 with the stored entry, or 422 with fields.
func (s *Server) apiEntryCreate(w http.ResponseWriter, r *http.Request) error {
	d, err := s.registerOf(r)
	if err != nil {
		return err
	}
	var b entryBody
	if err := readJSON(r, &b); err != nil {
		return err
	}
	e, err := s.svc.Registers.CreateEntry(r.Context(), b.input(d.Code))
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/registers/"+d.Code+"/entries/"+itoa(e.ID))
	writeJSON(w, http.StatusCreated, e)
	return nil
}

// apiEntryUpdate answers 200 with the entry, 409 for a stale version.
func (s *Server) apiEntryUpdate(w http.ResponseWriter, r *http.Request) error {
	d, id, err := s.entryRef(r)
	if err != nil {
		return err
	}
	var b entryBody
	if err := readJSON(r, &b); err != nil {
		return err
	}
	e, err := s.svc.Registers.UpdateEntry(r.Context(), id, b.input(d.Code))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, e)
	return nil
}

// apiEntryDelete withdraws an entry: ?version=N is required; 204, or 409.
func (s *Server) apiEntryDelete(w http.ResponseWriter, r *http.Request) error {
	d, id, err := s.entryRef(r)
	if err != nil {
		return err
	}
	version, err := strconv.Atoi(r.URL.Query().Get("version"))
	if err != nil || version < 1 {
		return healthcell.Invalid([]healthcell.FieldError{{Field: "version", Message: "field.required"}})
	}
	if err := s.svc.Registers.DeactivateEntry(r.Context(), d.Code, id, version); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
