package web

import (
	"html/template"
	"net/http"

	"github.com/healthcell/healthcell"
)

type divisionView struct {
	Page
	Div        *healthcell.DivisionView
	Households []*healthcell.Household
	// HouseholdRows is the household table's rows, rendered in Go (household_rows.go).
	HouseholdRows template.HTML
	// ChildRows is the children table's rows, rendered in Go (division_rows.go).
	ChildRows template.HTML
	Pager     pager
	CanWrite  bool
	Chart     []chartBar
	Crumbs    []crumb // the ancestors, for the breadcrumb
	// CrumbItems is the breadcrumb's items, rendered in Go (crumbs.go).
	CrumbItems template.HTML
	Standards  []selfAssessment         // standards a village can assess itself against
	Sheets     []*healthcell.ScoreSheet // this village's score sheets
	StdNames   stdNames                 // the standards' names, by code
	CanScore   bool
}

// crumb is an ancestor in the breadcrumb, a link when the user's scope
// covers it.
type crumb struct {
	Code, Name string
	Link       bool
}

// selfAssessment is a standard a village can open a self-assessment
// against, with its button's label.
type selfAssessment struct {
	Code, Label string
}

type chartBar struct {
	Name  string `json:"name"`
	Value int    `json:"value"`
}

// divisionPage shows a division with its children and live counts; a village
// lists its households.
func (s *Server) divisionPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := healthcell.ActorFrom(ctx)
	code := healthcell.NormalizeCode(r.PathValue("code"))
	// A village whose residents the caller reads: the village and its
	// households in one call (cached under the village's version).
	var vp *healthcell.VillagePage
	var d *healthcell.DivisionView
	var err error
	page, offset := offsetOf(r)
	if healthcell.CodeLevel(code) == healthcell.LevelVillage && a.CanReadPersons(code) {
		if vp, err = s.svc.Divisions.FindVillagePage(ctx, code, offset, pageSize); err != nil {
			return err
		}
		d = vp.Division
	} else if d, err = s.svc.Divisions.FindDivision(ctx, r.PathValue("code")); err != nil {
		return err
	}
	v := divisionView{Page: s.newPage(r, "nav.tree"), Div: d}
	v.Title = d.Name
	for _, an := range d.Ancestors {
		v.Crumbs = append(v.Crumbs, crumb{Code: an.Code, Name: an.Name, Link: v.Covers(an.Code)})
	}
	v.CrumbItems = crumbItems(v.Crumbs)
	if vp != nil {
		v.Households, v.HouseholdRows, v.Pager = vp.Households, householdRows(vp.Households), newPager(r, page, vp.Total)
		v.CanWrite = a.CanWritePersons(d.Code)
	}
	if d.Level == healthcell.LevelVillage {
		if err := s.villageSheets(r, &v); err != nil {
			return err
		}
	}
	v.ChildRows = childRows(d.Children, v.Covers)
	for _, c := range d.Children {
		if a.CoversDivision(c.Code) {
			v.Chart = append(v.Chart, chartBar{Name: c.Name, Value: c.Persons})
		}
	}
	return s.render(w, r, http.StatusOK, "division", v)
}

// villageSheets fills the village page's score sheets and the standards the
// village can open a self-assessment against.
func (s *Server) villageSheets(r *http.Request, v *divisionView) error {
	ctx := r.Context()
	a := healthcell.ActorFrom(ctx)
	code := v.Div.Code
	v.CanScore = a.CanScore(healthcell.SheetSelf, code, "village", code)
	if !a.CanReadSheet(code, "village", code) {
		return nil
	}
	sheets, _, err := s.svc.Sheets.FindScoreSheets(ctx, healthcell.SheetFilter{Division: code, Limit: 20})
	if err != nil {
		return err
	}
	v.Sheets = sheets
	if v.StdNames, err = s.standardNames(ctx); err != nil {
		return err
	}
	if !v.CanScore {
		return nil // the page shows the standards only as self-assessment buttons
	}
	all, err := s.svc.Standards.FindStandards(ctx)
	if err != nil {
		return err
	}
	for _, std := range all {
		if std.UnitKind == "village" || std.UnitKind == "community" {
			v.Standards = append(v.Standards, selfAssessment{Code: std.Code, Label: v.T("division.self_assess", map[string]any{"Name": std.CellType})})
		}
	}
	return nil
}
