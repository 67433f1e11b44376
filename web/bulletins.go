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
	var who []string
	for _, b := range list {
		who = append(who, b.IssuedBy)
	}
	v.Page = s.withNames(ctx, v.Page, who...)
	return s.render(w, r, http.StatusOK, "bulletins", v)
}

// bulletinIssue issues a bulletin of a campaign now and shows it.
func (s *Server) bulletinIssue(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PostFormValue("campaign"), 10, 64)
	if err != nil {
		return errBadRequest
	}
	b, err := s.svc.Bulletins.IssueBulletin(r.Context(), id)
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
		// ReachHeader and ReachRows are the outreach table as issued
		// (report.ReachTable, the same cells as the .docx and .xlsx);
		// empty for a bulletin without one.
		ReachHeader []string
		ReachRows   [][]string
	}{Page: s.newPage(r, "bulletin.title"), B: b, County: county}
	v.ReachHeader, v.ReachRows = report.ReachTable(b.Reach)
	v.Title = fmt.Sprintf("%s · %s", b.CampaignName, v.T("bulletin.number", map[string]any{"N": b.Number}))
	return s.render(w, r, http.StatusOK, "bulletin", v)
}

// bulletinExport sends a bulletin as .xlsx.
func (s *Server) bulletinExport(w http.ResponseWriter, r *http.Request) error {
	b, county, err := s.loadBulletin(r)
	if err != nil {
		return err
	}
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

// namedPublicPage is the public list of the units named in a county: no
// login, no personal data.
func (s *Server) namedPublicPage(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("county")
	list, err := s.svc.NamedUnits(r.Context(), code)
	if err != nil {
		return err
	}
	v := struct {
		Page
		Units  []*healthcell.Application
		County string
	}{Page: s.newPage(r, "named.title"), Units: list, County: s.countyName(r.Context(), code)}
	if v.County != "" {
		v.Title = v.T("named.title.county", map[string]any{"County": v.County})
	}
	return s.render(w, r, http.StatusOK, "named", v)
}
