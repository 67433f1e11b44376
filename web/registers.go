package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/register"
)

// registerCard is one register on the registers index.
type registerCard struct {
	Def   *register.Def
	Name  string
	Total int
}

type registersView struct {
	Page
	Division *healthcell.DivisionView
	Cards    []registerCard
}

// column is one shown column of an entries table.
type column struct {
	Field *register.Field
	Label string
}

// entryRow is one entry as a table row: the cells already formatted.
type entryRow struct {
	Entry   *healthcell.Entry
	Subject string
	Cells   []string
}

type entriesView struct {
	Page
	Def      *register.Def
	Division *healthcell.DivisionView
	Columns  []column
	Rows     []entryRow
	Pager    pager
	Filter   healthcell.EntryFilter
	CanWrite bool
	Query    string // the filter as a query string, for export links
}

// listColumns is how many of a register's fields an entries table shows.
const listColumns = 5

// registersPage lists the registers the user may open, with the number of
// active entries under the division (the user's scope by default).
func (s *Server) registersPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := healthcell.ActorFrom(ctx)
	code := r.URL.Query().Get("division")
	if code == "" {
		code = a.Scope
	}
	div, err := s.svc.Divisions.FindDivision(ctx, code)
	if err != nil {
		return err
	}
	v := registersView{Page: s.newPage(r, "register.title"), Division: div}
	for _, d := range s.cfg.Definitions.Registers.All() {
		_, total, err := s.svc.Registers.FindEntries(ctx, healthcell.EntryFilter{Register: d.Code, Division: div.Code, Limit: 1})
		if healthcell.ErrorCode(err) == healthcell.EFORBIDDEN {
			continue
		}
		if err != nil {
			return err
		}
		v.Cards = append(v.Cards, registerCard{Def: d, Name: d.Name(v.Lang), Total: total})
	}
	return s.render(w, r, http.StatusOK, "registers", v)
}

// entriesPage lists a register's entries under a division, newest first.
func (s *Server) entriesPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	d, err := s.registerOf(r)
	if err != nil {
		return err
	}
	f, err := entryFilter(r, d.Code)
	if err != nil {
		return err
	}
	a := healthcell.ActorFrom(ctx)
	if f.Division == "" {
		f.Division = a.Scope
	}
	div, err := s.svc.Divisions.FindDivision(ctx, f.Division)
	if err != nil {
		return err
	}
	f.Division = div.Code
	pg, offset := offsetOf(r)
	f.Limit, f.Offset = pageSize, offset
	es, total, err := s.svc.Registers.FindEntries(ctx, f)
	if err != nil {
		return err
	}
	v := entriesView{Page: s.newPage(r, "register.title"), Def: d, Division: div, Filter: f,
		Pager: newPager(r, pg, total), CanWrite: a.CanWritePersons(div.Code) || (d.Units && a.Role == healthcell.RoleUnit)}
	v.Title = d.Name(v.Lang)
	v.Columns = columnsOf(d, v.Lang)
	for _, e := range es {
		v.Rows = append(v.Rows, entryRow{Entry: e, Subject: subjectOf(e, v.Lang), Cells: cellsOf(d, v.Columns, e, v.Lang)})
	}
	q := url.Values{"division": {div.Code}}
	for k, x := range map[string]string{"from": f.From, "to": f.To} {
		if x != "" {
			q.Set(k, x)
		}
	}
	v.Query = q.Encode()
	return s.render(w, r, http.StatusOK, "entries", v)
}

// columnsOf returns the period field first, then the other fields, at most
// listColumns.
func columnsOf(d *register.Def, lang string) []column {
	cols := []column{{Field: d.Field(d.Period), Label: d.Field(d.Period).Label(lang)}}
	for i := range d.Fields {
		f := &d.Fields[i]
		if f.Code != d.Period && len(cols) < listColumns {
			cols = append(cols, column{Field: f, Label: f.Label(lang)})
		}
	}
	return cols
}

func cellsOf(d *register.Def, cols []column, e *healthcell.Entry, lang string) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.Field.Text(e.Values[c.Field.Code], lang)
	}
	return out
}

// subjectOf names what an entry is about: the person, the household or the
// village (and unit).
func subjectOf(e *healthcell.Entry, lang string) string {
	switch {
	case e.PersonName != "":
		return e.PersonName
	case e.Household != "":
		return e.VillageName + " " + e.Household
	case e.UnitName != "":
		return e.UnitName
	}
	return e.VillageName
}

// entryFormView is the form of one entry, new or existing.
type entryFormView struct {
	Page
	Def      *register.Def
	Entry    *healthcell.Entry // nil for a new one
	Input    healthcell.EntryInput
	Subject  string
	Fields   []formField
	Errors   formErrors
	Error    string
	Villages []healthcell.Division
	Units    []*healthcell.Unit
	Persons  []*healthcell.Person // search results when choosing a person
	Q        string
	History  []*healthcell.AuditEntry
	Files    []*healthcell.EntryFile
	CanWrite bool
}

// formField is one input of an entry form.
type formField struct {
	*register.Field
	Label string
	Value string
	Error string
	Input string // the HTML input type
}

func (s *Server) formFields(d *register.Def, lang string, values map[string]string, errs formErrors) []formField {
	out := make([]formField, len(d.Fields))
	for i := range d.Fields {
		f := &d.Fields[i]
		ff := formField{Field: f, Label: f.Label(lang), Value: values[f.Code], Error: errs[f.Code], Input: "text"}
		switch f.Type {
		case register.Date:
			ff.Input = "date"
		case register.Int, register.Year, register.Money, register.Decimal:
			ff.Input = "number"
		}
		out[i] = ff
	}
	return out
}

// rawValues turns an entry's typed values back into form text.
func rawValues(d *register.Def, e *healthcell.Entry) map[string]string {
	out := map[string]string{}
	for _, f := range d.Fields {
		switch x := e.Values[f.Code].(type) {
		case nil:
		case bool:
			if x {
				out[f.Code] = "1"
			}
		case float64:
			out[f.Code] = strconv.FormatFloat(x, 'f', 2, 64)
		default:
			out[f.Code] = fmt.Sprint(x)
		}
	}
	return out
}

// entryNew shows an empty form; for person and household registers without
// a chosen subject it first offers a search.
func (s *Server) entryNew(w http.ResponseWriter, r *http.Request) error {
	d, err := s.registerOf(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	in := healthcell.EntryInput{Register: d.Code, VillageCode: q.Get("village"), Fields: map[string]string{}}
	in.PersonID, _ = strconv.ParseInt(q.Get("person"), 10, 64)
	in.HouseholdID, _ = strconv.ParseInt(q.Get("household"), 10, 64)
	in.UnitID, _ = strconv.ParseInt(q.Get("unit"), 10, 64)
	return s.entryForm(w, r, http.StatusOK, d, nil, in, nil)
}

func (s *Server) entryCreate(w http.ResponseWriter, r *http.Request) error {
	d, err := s.registerOf(r)
	if err != nil {
		return err
	}
	in := formInput(r, d)
	e, err := s.svc.Registers.CreateEntry(r.Context(), in)
	if healthcell.ErrorCode(err) == healthcell.EINVALID {
		return s.entryForm(w, r, http.StatusUnprocessableEntity, d, nil, in, err)
	}
	if err != nil {
		return err
	}
	s.sessions.Put(r.Context(), "notice", "register.saved")
	http.Redirect(w, r, fmt.Sprintf("/registers/%s/%d", d.Code, e.ID), http.StatusSeeOther)
	return nil
}

// formInput reads an entry form.
func formInput(r *http.Request, d *register.Def) healthcell.EntryInput {
	in := healthcell.EntryInput{Register: d.Code, VillageCode: r.PostFormValue("village"), Fields: map[string]string{}}
	in.PersonID, _ = strconv.ParseInt(r.PostFormValue("person"), 10, 64)
	in.HouseholdID, _ = strconv.ParseInt(r.PostFormValue("household"), 10, 64)
	in.UnitID, _ = strconv.ParseInt(r.PostFormValue("unit"), 10, 64)
	in.Version, _ = strconv.Atoi(r.PostFormValue("version"))
	for _, f := range d.Fields {
		in.Fields[f.Code] = r.PostFormValue(f.Code)
	}
	return in
}

// entryPage shows an entry with its edit form (for those who may write) and
// its history.
func (s *Server) entryPage(w http.ResponseWriter, r *http.Request) error {
	d, id, err := s.entryRef(r)
	if err != nil {
		return err
	}
	e, err := s.svc.Registers.FindEntry(r.Context(), d.Code, id)
	if err != nil {
		return err
	}
	in := healthcell.EntryInput{Register: d.Code, Fields: rawValues(d, e), Version: e.Version}
	return s.entryForm(w, r, http.StatusOK, d, e, in, nil)
}

func (s *Server) entryUpdate(w http.ResponseWriter, r *http.Request) error {
	d, id, err := s.entryRef(r)
	if err != nil {
		return err
	}
	in := formInput(r, d)
	_, err = s.svc.Registers.UpdateEntry(r.Context(), id, in)
	if c := healthcell.ErrorCode(err); c == healthcell.EINVALID || c == healthcell.ECONFLICT {
		e, ferr := s.svc.Registers.FindEntry(r.Context(), d.Code, id)
		if ferr != nil {
			return ferr
		}
		status := http.StatusUnprocessableEntity
		if c == healthcell.ECONFLICT {
			in.Version, status = e.Version, http.StatusConflict
		}
		return s.entryForm(w, r, status, d, e, in, err)
	}
	if err != nil {
		return err
	}
	s.sessions.Put(r.Context(), "notice", "register.saved")
	http.Redirect(w, r, fmt.Sprintf("/registers/%s/%d", d.Code, id), http.StatusSeeOther)
	return nil
}

func (s *Server) entryWithdraw(w http.ResponseWriter, r *http.Request) error {
	d, id, err := s.entryRef(r)
	if err != nil {
		return err
	}
	e, err := s.svc.Registers.FindEntry(r.Context(), d.Code, id)
	if err != nil {
		return err
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	if err := s.svc.Registers.DeactivateEntry(r.Context(), d.Code, id, version); err != nil {
		if healthcell.ErrorCode(err) == healthcell.ECONFLICT {
			in := healthcell.EntryInput{Register: d.Code, Fields: rawValues(d, e), Version: e.Version}
			return s.entryForm(w, r, http.StatusConflict, d, e, in, err)
		}
		return err
	}
	s.sessions.Put(r.Context(), "notice", "register.withdrawn")
	http.Redirect(w, r, "/registers/"+d.Code+"?division="+e.VillageCode, http.StatusSeeOther)
	return nil
}

// entryForm renders the form with the subject resolved to a name.
func (s *Server) entryForm(w http.ResponseWriter, r *http.Request, status int, d *register.Def, e *healthcell.Entry, in healthcell.EntryInput, err error) error {
	ctx := r.Context()
	a := healthcell.ActorFrom(ctx)
	v := entryFormView{Page: s.newPage(r, "register.title"), Def: d, Entry: e, Input: in, Errors: s.formErrors(langOf(r), err)}
	v.Title = d.Name(v.Lang)
	if c := healthcell.ErrorCode(err); c != "" && c != healthcell.EINVALID {
		v.Error = v.T(healthcell.ErrorMessage(err))
	}
	v.Fields = s.formFields(d, v.Lang, in.Fields, v.Errors)
	if e != nil {
		v.Subject = subjectOf(e, v.Lang)
		v.CanWrite = e.Active && (a.CanWritePersons(e.VillageCode) || (d.Units && a.Role == healthcell.RoleUnit && a.Unit == strconv.FormatInt(e.UnitID, 10)))
		hist, _, herr := s.svc.Audit.FindAudit(ctx, healthcell.AuditFilter{Entity: "register." + d.Code, EntityID: strconv.FormatInt(e.ID, 10), Limit: 20})
		if herr != nil {
			return herr
		}
		v.History = hist
		if d.Files {
			if v.Files, herr = s.svc.Registers.EntryFiles(ctx, d.Code, e.ID); herr != nil {
				return herr
			}
		}
		return s.render(w, r, status, "entry", v)
	}
	v.CanWrite = true
	switch d.Subject {
	case register.Person:
		if in.PersonID != 0 {
			p, perr := s.svc.Persons.FindPerson(ctx, in.PersonID)
			if perr != nil {
				return perr
			}
			v.Subject = p.Name + " " + p.IDNumber
		} else {
			v.Q = r.URL.Query().Get("q")
			if v.Q != "" {
				ps, _, perr := s.svc.Persons.FindPersons(ctx, healthcell.PersonFilter{Query: v.Q, Limit: 20})
				if perr != nil {
					return perr
				}
				v.Persons = ps
			}
		}
	case register.Household:
		if in.HouseholdID != 0 {
			h, herr := s.svc.Households.FindHousehold(ctx, in.HouseholdID)
			if herr != nil {
				return herr
			}
			v.Subject = h.Number + " " + h.HeadName
		}
	case register.Village, register.Unit:
		villages, verr := s.svc.Villages(ctx, a.Scope)
		if verr != nil {
			return verr
		}
		v.Villages = villages
		if d.Units {
			units, uerr := s.svc.Units.FindUnits(ctx, "")
			if uerr == nil {
				v.Units = units
			}
		}
	}
	return s.render(w, r, status, "entry", v)
}
