package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/healthcell/healthcell"
)

type campaignsView struct {
	Page
	Campaigns []*healthcell.Campaign
	Townships []healthcell.DivisionNode
	CanCreate bool
	Year      int
	Error     string
}

// campaignsPage lists the county's campaigns and, for the county office, a
// form to start one with a target for each township.
func (s *Server) campaignsPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderCampaigns(w, r, http.StatusOK, nil)
}

func (s *Server) renderCampaigns(w http.ResponseWriter, r *http.Request, status int, err error) error {
	ctx := r.Context()
	list, ferr := s.svc.Applications.FindCampaigns(ctx)
	if ferr != nil {
		return ferr
	}
	u := userFrom(ctx)
	v := campaignsView{Page: s.newPage(r, "campaign.list.title"), Campaigns: list, Year: healthcell.CampaignYear(s.now()),
		CanCreate: u.Role == healthcell.RoleCountyAdmin && healthcell.CodeLevel(u.Scope) == healthcell.LevelCounty}
	if v.CanCreate {
		d, ferr := s.svc.Divisions.FindDivision(ctx, u.Scope)
		if ferr != nil {
			return ferr
		}
		v.Townships = d.Children
	}
	if err != nil {
		v.Error = s.errorText(v.Lang, err)
	}
	return s.render(w, r, status, "campaigns", v)
}

// campaignCreate starts a campaign from the form: targets come as
// target-<township code> fields.
func (s *Server) campaignCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	year, _ := strconv.Atoi(r.PostFormValue("year"))
	days, _ := strconv.Atoi(r.PostFormValue("bulletin_days"))
	c := &healthcell.Campaign{Year: year, Name: r.PostFormValue("name"), Deadline: r.PostFormValue("deadline"), BulletinDays: days}
	for k, vs := range r.PostForm {
		code, ok := strings.CutPrefix(k, "target-")
		if !ok || len(vs) == 0 || strings.TrimSpace(vs[0]) == "" {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSpace(vs[0]))
		if err != nil {
			n = -1 // reported as an invalid target
		}
		c.Targets = append(c.Targets, healthcell.CampaignTarget{Township: code, Target: n})
	}
	if err := s.svc.Applications.CreateCampaign(r.Context(), c); err != nil {
		if code := healthcell.ErrorCode(err); code == healthcell.EINVALID || code == healthcell.ECONFLICT || code == healthcell.EFORBIDDEN {
			return s.renderCampaigns(w, r, statusOf[code], err)
		}
		return err
	}
	s.sessions.Put(r.Context(), "notice", "common.saved")
	http.Redirect(w, r, "/campaigns", http.StatusSeeOther)
	return nil
}
