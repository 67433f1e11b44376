package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/workflow"
)

type applicationsView struct {
	Page
	Apps        []*healthcell.Application
	Pager       pager
	State       string
	States      []workflow.State
	Campaigns   []*healthcell.Campaign
	Standards   []standardChoice // those that apply to the units offered
	Villages    []healthcell.Division
	Units       []*healthcell.Unit
	CanCreate   bool
	CanBulk     bool
	BulkActions []workflow.Transition
	Error       string
}

// applicationsPage lists the applications in the user's scope, filtered by
// state, with a form to start one and, for township officers, bulk actions.
func (s *Server) applicationsPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderApplications(w, r, http.StatusOK, nil)
}

func (s *Server) renderApplications(w http.ResponseWriter, r *http.Request, status int, err error) error {
	ctx := r.Context()
	page, offset := offsetOf(r)
	state := r.URL.Query().Get("state")
	list, total, ferr := s.svc.Applications.FindApplications(ctx, healthcell.ApplicationFilter{State: state, Offset: offset, Limit: pageSize})
	if ferr != nil {
		return ferr
	}
	u := userFrom(ctx)
	v := applicationsView{Page: s.newPage(r, "application.list.title"), Apps: list, Pager: newPager(r, page, total), State: state,
		States: s.flow().States()}
	switch u.Role {
	case healthcell.RoleCountyAdmin, healthcell.RoleTownship, healthcell.RoleVillage, healthcell.RoleUnit:
		v.CanCreate = true
	}
	if v.CanCreate {
		if v.Campaigns, ferr = s.svc.Applications.FindCampaigns(ctx); ferr != nil {
			return ferr
		}
		stds, ferr := s.svc.Standards.FindStandards(ctx)
		if ferr != nil {
			return ferr
		}
		if u.Role != healthcell.RoleUnit {
			if v.Villages, ferr = s.svc.Villages(ctx, u.Scope); ferr != nil {
				return ferr
			}
		}
		units, ferr := s.svc.Units.FindUnits(ctx, u.Scope)
		if ferr != nil {
			return ferr
		}
		for _, un := range units {
			if u.Role != healthcell.RoleUnit || strconv.FormatInt(un.ID, 10) == u.Unit {
				v.Units = append(v.Units, un)
			}
		}
		var kinds []string
		for _, d := range v.Villages {
			kinds = append(kinds, villageKind(d))
		}
		for _, un := range v.Units {
			kinds = append(kinds, un.Kind)
		}
		if u.Role != healthcell.RoleUnit {
			kinds = append(kinds, "household")
		}
		v.Standards = standardChoices(stds, kinds)
	}
	// Bulk actions: those a township (or county) officer may take on many at once.
	if u.Role == healthcell.RoleTownship || u.Role == healthcell.RoleCountyAdmin {
		v.CanBulk = true
		for _, t := range s.flow().Transitions() {
			if containsRole(t.Roles, u.Role) && !t.CommentRequired && !containsString(t.Guards, "rectification_items") {
				v.BulkActions = append(v.BulkActions, t)
			}
		}
	}
	if err != nil {
		v.Error = s.errorText(v.Lang, err)
	}
	return s.render(w, r, status, "applications", v)
}

// VillageKind is the unit kind of a village-level division (village or
// community), for the new-application form.
func (applicationsView) VillageKind(d healthcell.Division) string { return villageKind(d) }

func containsRole(list []healthcell.Role, r healthcell.Role) bool {
	for _, x := range list {
		if x == r {
			return true
		}
	}
	return false
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// errorText is an error's message, with the field errors' messages (and
// their rows) after it.
func (s *Server) errorText(lang string, err error) string {
	msg := s.i18n.T(lang, healthcell.ErrorMessage(err), nil)
	var parts []string
	for _, f := range healthcell.ErrorFields(err) {
		t := s.i18n.T(lang, f.Message, nil)
		if f.Row > 0 {
			t = s.i18n.T(lang, "application.error.row", map[string]any{"Row": f.Row, "Value": f.Value}) + t
		}
		if !containsString(parts, t) && t != msg {
			parts = append(parts, t)
		}
	}
	if len(parts) > 0 {
		if healthcell.ErrorMessage(err) == "error.invalid" {
			return strings.Join(parts, "；")
		}
		return msg + "：" + strings.Join(parts, "；")
	}
	return msg
}

// applicationCreate starts an application from the list page's form; the
// unit comes as "kind:ref".
func (s *Server) applicationCreate(w http.ResponseWriter, r *http.Request) error {
	kind, ref, _ := strings.Cut(r.PostFormValue("unit"), ":")
	if number := strings.TrimSpace(r.PostFormValue("household")); number != "" {
		// A family (健康家庭) by its household number in the user's scope.
		hs, _, err := s.svc.Households.FindHouseholds(r.Context(), healthcell.HouseholdFilter{Number: number, Limit: 2})
		if err != nil {
			return err
		}
		if len(hs) != 1 {
			return s.renderApplications(w, r, http.StatusUnprocessableEntity,
				healthcell.Invalid([]healthcell.FieldError{{Field: "household", Message: "application.household.unknown", Value: number}}))
		}
		kind, ref = "household", strconv.FormatInt(hs[0].ID, 10)
	}
	camp, _ := strconv.ParseInt(r.PostFormValue("campaign"), 10, 64)
	a := &healthcell.Application{CampaignID: camp, StandardCode: r.PostFormValue("standard"), UnitKind: kind, UnitRef: ref}
	if err := s.svc.Applications.CreateApplication(r.Context(), a); err != nil {
		switch healthcell.ErrorCode(err) {
		case healthcell.EINVALID, healthcell.ECONFLICT, healthcell.EFORBIDDEN:
			return s.renderApplications(w, r, statusOf[healthcell.ErrorCode(err)], err)
		}
		return err
	}
	http.Redirect(w, r, "/applications/"+strconv.FormatInt(a.ID, 10), http.StatusSeeOther)
	return nil
}

// applicationBulk takes one action on the ticked applications, all or nothing.
func (s *Server) applicationBulk(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	var ids []int64
	for _, v := range r.PostForm["id"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return errBadRequest
		}
		ids = append(ids, id)
	}
	action := r.PostFormValue("action")
	if action == "" { // the neutral first option: nothing decided
		return s.renderApplications(w, r, http.StatusUnprocessableEntity,
			healthcell.Invalid([]healthcell.FieldError{{Field: "action", Message: "application.bulk.choose"}}))
	}
	err := s.svc.Applications.TransitionMany(r.Context(), ids, healthcell.TransitionRequest{Action: action, Comment: r.PostFormValue("comment")})
	if err != nil {
		if code := healthcell.ErrorCode(err); code != healthcell.EINTERNAL {
			return s.renderApplications(w, r, statusOf[code], err)
		}
		return err
	}
	s.sessions.Put(r.Context(), "notice", doneNotice+action)
	back := "/applications"
	if st := r.PostFormValue("state"); st != "" {
		back += "?state=" + st
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}

// applicationView is the page of one application.
type applicationView struct {
	Page
	App             *healthcell.Application
	Campaign        *healthcell.Campaign
	Standard        *healthcell.Standard
	Actions         []workflow.Transition // allowed to this user's role and level from the state
	Waiting         map[string]bool       // of those, the ones whose conditions do not hold yet
	CanAnswer       map[int64]bool
	CanCheck        map[int64]bool
	CanOpen         map[string]bool // sheet kinds this user may open
	Needs           map[string]bool // actions that take rectification items
	DefaultDeadline string
	Error           string
	Today           string
	Checks          []sheetCheck // overrides and evidence flags of the sheets, for the checker
	Prefill         []prefillRow // failing items of the check sheet, to cite when returning it
}

// PrefillAt is the i-th (1-based) prefilled rectification row, or an empty one.
func (v applicationView) PrefillAt(i int) prefillRow {
	if i-1 < len(v.Prefill) {
		return v.Prefill[i-1]
	}
	return prefillRow{}
}

// applicationPage shows an application: where it stands, its score
// sheets, the buttons this user may press, rectification items and the timeline.
func (s *Server) applicationPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderApplication(w, r, http.StatusOK, nil)
}

func (s *Server) renderApplication(w http.ResponseWriter, r *http.Request, status int, err error) error {
	id, perr := pathID(r)
	if perr != nil {
		return perr
	}
	ctx := r.Context()
	app, ferr := s.svc.Applications.FindApplication(ctx, id)
	if ferr != nil {
		return ferr
	}
	v := applicationView{Page: s.newPage(r, "application.title"), App: app, CanAnswer: map[int64]bool{}, CanCheck: map[int64]bool{},
		CanOpen: map[string]bool{}, Needs: map[string]bool{}, Waiting: map[string]bool{}, Today: healthcell.CampaignDay(s.now()),
		DefaultDeadline: healthcell.CampaignDay(s.now().Add(14 * 24 * time.Hour))}
	v.Title = app.UnitName + " · " + app.StandardName
	if v.Campaign, ferr = s.svc.Applications.FindCampaign(ctx, app.CampaignID); ferr != nil {
		return ferr
	}
	if v.Standard, ferr = s.svc.Standards.FindStandardByID(ctx, app.StandardID); ferr != nil {
		return ferr
	}
	actor := healthcell.ActorFrom(ctx)
	avail := s.svc.Applications.AvailableActions(ctx, app)
	c := applicationContext(actor, app)
	for _, t := range s.flow().Allowed(app.State, c) {
		v.Needs[t.Action] = containsString(t.Guards, "rectification_items")
		v.Actions = append(v.Actions, t)
		v.Waiting[t.Action] = !containsString(avail, t.Action)
	}
	for _, it := range app.Rectifications {
		ic := unitContext(actor, it.UnitKind, it.Division, it.UnitRef, app.Department)
		v.CanAnswer[it.ID] = it.State != healthcell.RectAccepted && workflow.AtLevel(workflow.LevelSelf, ic)
		v.CanCheck[it.ID] = it.State == healthcell.RectAnswered && actor.Role != healthcell.RoleVillage && actor.Role != healthcell.RoleUnit &&
			actor.Role != healthcell.RoleViewer && workflow.AtLevel(workflow.Level(it.CheckerLevel), ic)
	}
	for _, k := range healthcell.SheetKinds {
		v.CanOpen[k] = actor.CanScore(k, app.Division, app.UnitKind, app.UnitRef)
	}
	if v.Checks, ferr = s.applicationChecks(ctx, app); ferr != nil {
		return ferr
	}
	if v.Needs["return_for_rectification"] {
		if v.Prefill, ferr = s.checkSheetFailures(ctx, app); ferr != nil {
			return ferr
		}
	}
	if err != nil {
		v.Error = s.errorText(v.Lang, err)
	}
	var who []string
	for _, it := range app.Rectifications {
		who = append(who, it.AnsweredBy)
	}
	v.Page = s.withNames(ctx, v.Page, who...)
	return s.render(w, r, status, "application", v)
}

// applicationTransition takes the action of a button on the application
// page; refusals are shown on the page with their reason.
func (s *Server) applicationTransition(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	req := healthcell.TransitionRequest{Action: r.PostFormValue("action"), Comment: r.PostFormValue("comment"), Version: version}
	f := r.PostForm
	for i := range f["text"] {
		in := healthcell.RectificationInput{Text: f["text"][i]}
		if i < len(f["item_code"]) {
			in.ItemCode = f["item_code"][i]
		}
		if i < len(f["owner"]) {
			in.Owner = f["owner"][i]
		}
		if i < len(f["deadline"]) {
			in.Deadline = f["deadline"][i]
		}
		if strings.TrimSpace(in.Text) == "" && in.ItemCode == "" {
			continue // an empty row of the form
		}
		req.Rectifications = append(req.Rectifications, in)
	}
	if asked, err := s.confirmTransition(w, r, id, req); asked || err != nil {
		return err
	}
	if _, err := s.svc.Applications.Transition(r.Context(), id, req); err != nil {
		if code := healthcell.ErrorCode(err); code != healthcell.EINTERNAL && code != healthcell.ENOTFOUND && code != healthcell.EUNAUTHORIZED {
			return s.renderApplication(w, r, statusOf[code], err)
		}
		return err
	}
	s.sessions.Put(r.Context(), "notice", doneNotice+req.Action)
	http.Redirect(w, r, "/applications/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

// applicationSheet opens (or finds) the application's score sheet of a kind
// for the year that counts and goes to it.
func (s *Server) applicationSheet(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	app, err := s.svc.Applications.FindApplication(r.Context(), id)
	if err != nil {
		return err
	}
	year := app.Year
	if app.State == "named" || app.State == "review_due" {
		year, _ = strconv.Atoi(healthcell.CampaignDay(s.now())[:4])
	}
	sh := &healthcell.ScoreSheet{StandardID: app.StandardID, Kind: r.PathValue("kind"), UnitKind: app.UnitKind, UnitRef: app.UnitRef, Year: year}
	if err := s.svc.Sheets.CreateScoreSheet(r.Context(), sh); err != nil {
		if code := healthcell.ErrorCode(err); code == healthcell.EINVALID || code == healthcell.EFORBIDDEN {
			return s.renderApplication(w, r, statusOf[code], err)
		}
		return err
	}
	http.Redirect(w, r, "/sheets/"+strconv.FormatInt(sh.ID, 10), http.StatusSeeOther)
	return nil
}

// certificatePage is the printable certificate of a named unit.
func (s *Server) certificatePage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	app, err := s.svc.Applications.FindApplication(r.Context(), id)
	if err != nil {
		return err
	}
	if app.CertificateNo == "" {
		return healthcell.Errorf(healthcell.ENOTFOUND, "error.not_found.certificate")
	}
	camp, err := s.svc.Applications.FindCampaign(r.Context(), app.CampaignID)
	if err != nil {
		return err
	}
	v := struct {
		Page
		App      *healthcell.Application
		Campaign *healthcell.Campaign
	}{s.newPage(r, "certificate.title"), app, camp}
	return s.render(w, r, http.StatusOK, "certificate", v)
}
