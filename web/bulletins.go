package web

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/report"
)

type bulletinsView struct {
	Page
	Bulletins []*healthcell.Bulletin
	Campaigns []*healthcell.Campaign
	CanIssue  bool
	// Years are the years of the campaigns in a city or province office's
	// division, newest first, for which it may issue its own bulletin
	// ranking its counties (cities); empty for anyone else.
	Years []int
}

// bulletinsPage lists the bulletins of the user's campaigns, with a button
// to issue one now for the county office.
func (s *Server) bulletinsPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	list, err := s.svc.Bulletins.FindBulletins(ctx, 0)
	if err != nil {
		return err
	}
	camps, err := s.svc.Applications.FindCampaigns(ctx)
	if err != nil {
		return err
	}
	u := userFrom(ctx)
	v := bulletinsView{Page: s.newPage(r, "bulletin.list.title"), Bulletins: list, Campaigns: camps, CanIssue: u.Role == healthcell.RoleCountyAdmin}
	if healthcell.ActorFrom(ctx).UpperBulletinDivision() != "" {
		v.Years = campaignYears(camps)
	}
	var who []string
	for _, b := range list {
		who = append(who, b.IssuedBy)
		s.nameUpperBulletin(ctx, v.Page, b, true)
	}
	v.Page = s.withNames(ctx, v.Page, who...)
	return s.render(w, r, http.StatusOK, "bulletins", v)
}

// bulletinIssue issues a bulletin now and shows it: of a campaign (the
// form's campaign), or, for a city or province office, of its own
// division for the form's year.
func (s *Server) bulletinIssue(w http.ResponseWriter, r *http.Request) error {
	var b *healthcell.Bulletin
	var err error
	if y := r.PostFormValue("year"); y != "" {
		year, perr := strconv.Atoi(y)
		if perr != nil {
			return errBadRequest
		}
		b, err = s.svc.Bulletins.IssueUpperBulletin(r.Context(), healthcell.ActorFrom(r.Context()).UpperBulletinDivision(), year)
	} else {
		id, perr := strconv.ParseInt(r.PostFormValue("campaign"), 10, 64)
		if perr != nil {
			return errBadRequest
		}
		b, err = s.svc.Bulletins.IssueBulletin(r.Context(), id)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/bulletins/"+strconv.FormatInt(b.ID, 10), http.StatusSeeOther)
	return nil
}

// bulletinPage is a stored bulletin, printable.
func (s *Server) bulletinPage(w http.ResponseWriter, r *http.Request) error {
	b, county, err := s.loadBulletin(r)
	if err != nil {
		return err
	}
	v := struct {
		Page
		B      *healthcell.Bulletin
		County string
		// RowsLabel and Area name the bulletin's rows (乡镇（街道）, or
		// 县（市、区） in a city's) and its whole (全县, 全市).
		RowsLabel, Area string
		// ReachHeader and ReachRows are the outreach table as issued
		// (report.ReachTable, the same cells as the .docx and .xlsx);
		// empty for a bulletin without one.
		ReachHeader []string
		ReachRows   [][]string
	}{Page: s.newPage(r, "bulletin.title"), B: b, County: county}
	s.nameUpperBulletin(r.Context(), v.Page, b, false)
	lv := healthcell.CodeLevel(b.Division)
	v.RowsLabel, v.Area = v.T(fmt.Sprintf("bulletin.rows.%d", lv+1)), v.T(fmt.Sprintf("bulletin.area.%d", lv))
	v.ReachHeader, v.ReachRows = report.ReachTable(b)
	v.Title = fmt.Sprintf("%s · %s", b.CampaignName, v.T("bulletin.number", map[string]any{"N": b.Number}))
	return s.render(w, r, http.StatusOK, "bulletin", v)
}

// bulletinExport sends a bulletin as .xlsx.
func (s *Server) bulletinExport(w http.ResponseWriter, r *http.Request) error {
	b, county, err := s.loadBulletin(r)
	if err != nil {
		return err
	}
	s.nameUpperBulletin(r.Context(), Page{Lang: "zh-CN", tr: s.i18n}, b, false) // documents are in Chinese
	var buf bytes.Buffer
	if err := report.BulletinXLSX(&buf, b, county); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	setDownload(w, fmt.Sprintf("bulletin-%d.xlsx", b.ID), fmt.Sprintf("%s%s工作通报（第%d期）.xlsx", county, b.CampaignName, b.Number))
	_, err = buf.WriteTo(w)
	return err
}

// bulletinDocx sends a bulletin as an official document (.docx): GET
// /api/v1/bulletins/{id}.docx, routed through apiBulletin.
func (s *Server) bulletinDocx(w http.ResponseWriter, r *http.Request) error {
	b, county, err := s.loadBulletin(r)
	if err != nil {
		return err
	}
	if n := s.withNames(r.Context(), Page{}, b.IssuedBy).names[b.IssuedBy]; n != "" {
		b.IssuedBy = n // the document's author is a person's name
	}
	s.nameUpperBulletin(r.Context(), Page{Lang: "zh-CN", tr: s.i18n}, b, false) // documents are in Chinese
	d := report.BulletinDocument(b, county)
	return sendDocx(w, d, fmt.Sprintf("bulletin-%d.docx", b.ID), fmt.Sprintf("%s%s工作通报（第%d期）.docx", county, b.CampaignName, b.Number))
}

func (s *Server) loadBulletin(r *http.Request) (*healthcell.Bulletin, string, error) {
	id, err := pathIDSuffix(r, ".docx")
	if err != nil {
		return nil, "", err
	}
	b, err := s.svc.Bulletins.FindBulletin(r.Context(), id)
	if err != nil {
		return nil, "", err
	}
	return b, s.divisionName(r.Context(), b.Division), nil
}

// namedRow is a named unit as the public list shows it, with its county
// when the list covers a city or province.
type namedRow struct {
	*healthcell.Application
	County string
}

// namedPublicPage is the public list of the units named in a county, or in
// every county of a city or province: no login, no personal data.
func (s *Server) namedPublicPage(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("county")
	list, err := s.svc.NamedUnits(r.Context(), code)
	if err != nil {
		return err
	}
	v := struct {
		Page
		Units  []namedRow
		County string
		Upper  bool // the list covers several counties: it names each unit's
	}{Page: s.newPage(r, "named.title"), County: s.countyName(r.Context(), code)}
	v.Upper = healthcell.CodeLevel(healthcell.NormalizeCode(code)) < healthcell.LevelCounty
	names := map[string]string{}
	if v.Upper {
		for _, d := range s.publicCounties(r.Context()) {
			names[d.Code] = d.Name
		}
	}
	for _, a := range list {
		v.Units = append(v.Units, namedRow{Application: a, County: names[healthcell.AncestorAt(a.Division, healthcell.LevelCounty)]})
	}
	if v.County != "" {
		v.Title = v.T("named.title.county", map[string]any{"County": v.County})
	}
	return s.render(w, r, http.StatusOK, "named", v)
}
