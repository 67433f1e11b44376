package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/healthcell/healthcell"
)

type sheetsView struct {
	Page
	Sheets    []*healthcell.ScoreSheet
	Pager     pager
	Standards []*healthcell.Standard
	StdNames  stdNames
	Villages  []healthcell.Division
	Units     []*healthcell.Unit
	Kinds     []string
	Year      int
	Error     string
}

// sheetsPage lists the score sheets in the user's scope, with a form to
// open a new one.
func (s *Server) sheetsPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderSheets(w, r, http.StatusOK, nil)
}

func (s *Server) renderSheets(w http.ResponseWriter, r *http.Request, status int, err error) error {
	ctx := r.Context()
	page, offset := offsetOf(r)
	list, total, ferr := s.svc.Sheets.FindScoreSheets(ctx, healthcell.SheetFilter{Offset: offset, Limit: pageSize})
	if ferr != nil {
		return ferr
	}
	stds, ferr := s.svc.Standards.FindStandards(ctx)
	if ferr != nil {
		return ferr
	}
	scope := userFrom(ctx).Scope
	villages, ferr := s.svc.Villages(ctx, scope)
	if ferr != nil {
		return ferr
	}
	units, ferr := s.svc.Units.FindUnits(ctx, scope)
	if ferr != nil {
		return ferr
	}
	v := sheetsView{Page: s.newPage(r, "sheets.title"), Sheets: list, Pager: newPager(r, page, total), Standards: stds, StdNames: namesOf(stds),
		Villages: villages, Units: units, Kinds: healthcell.SheetKinds, Year: healthcell.CampaignYear(s.now())}
	if err != nil {
		v.Error = v.T(firstMessage(err))
	}
	return s.render(w, r, status, "sheets", v)
}

// sheetCreate opens (or finds) the sheet for a unit and a standard and goes
// to it. The unit comes as "kind:ref" (village:510824100001, school:12,
// household:345).
func (s *Server) sheetCreate(w http.ResponseWriter, r *http.Request) error {
	kind, ref, _ := strings.Cut(r.PostFormValue("unit"), ":")
	year, _ := strconv.Atoi(r.PostFormValue("year"))
	sh := &healthcell.ScoreSheet{
		StandardCode: r.PostFormValue("standard"), Kind: r.PostFormValue("kind"),
		UnitKind: kind, UnitRef: ref, Year: year, Region: r.PostFormValue("region"),
	}
	if sh.Kind == "" {
		sh.Kind = healthcell.SheetSelf
	}
	if err := s.svc.Sheets.CreateScoreSheet(r.Context(), sh); err != nil {
		if healthcell.ErrorCode(err) == healthcell.EINVALID {
			return s.renderSheets(w, r, http.StatusUnprocessableEntity, err)
		}
		return err
	}
	http.Redirect(w, r, "/sheets/"+strconv.FormatInt(sh.ID, 10), http.StatusSeeOther)
	return nil
}
