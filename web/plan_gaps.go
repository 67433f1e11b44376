package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/healthcell/healthcell"
)

// gapsView is the gap list (差距清单) of a village or township.
type gapsView struct {
	Page
	Campaign  *healthcell.Campaign
	Gaps      *healthcell.Gaps
	Townships []healthcell.DivisionNode // for a county user without a division chosen
	Deadline  string                    // the default deadline of a new rectification item
	CanTurn   bool
	Error     string
}

// planGapsPage shows the gap list of ?division= (the user's own township or
// village when empty; a county user first picks a township).
func (s *Server) planGapsPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderGaps(w, r, http.StatusOK, nil)
}

func (s *Server) renderGaps(w http.ResponseWriter, r *http.Request, status int, gerr error) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	c, err := s.svc.Applications.FindCampaign(ctx, id)
	if err != nil {
		return err
	}
	u := userFrom(ctx)
	v := gapsView{Page: s.newPage(r, "plan.gaps.title"), Campaign: c, Deadline: healthcell.CampaignDay(s.now().AddDate(0, 0, 14)),
		CanTurn: u.Role == healthcell.RoleCountyAdmin || u.Role == healthcell.RoleTownship}
	division := r.URL.Query().Get("division")
	if division == "" && healthcell.CodeLevel(u.Scope) >= healthcell.LevelTownship {
		division = u.Scope
	}
	if division == "" {
		d, err := s.svc.Divisions.FindDivision(ctx, c.Division)
		if err != nil {
			return err
		}
		v.Townships = d.Children
	} else if v.Gaps, err = s.svc.Plans.PlanGaps(ctx, c.ID, division); err != nil {
		return err
	}
	if gerr != nil {
		v.Error = s.errorText(v.Lang, gerr)
	}
	return s.render(w, r, status, "plan_gaps", v)
}

// planGapTurn turns a failing item into a rectification item and returns
// to the gap list.
func (s *Server) planGapTurn(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	app, err := strconv.ParseInt(r.PostFormValue("application"), 10, 64)
	if err != nil {
		return errBadRequest
	}
	_, err = s.svc.Plans.GapToRectification(r.Context(), app, r.PostFormValue("item"), r.PostFormValue("deadline"))
	if err != nil {
		if code := healthcell.ErrorCode(err); code == healthcell.EINVALID || code == healthcell.ECONFLICT || code == healthcell.EFORBIDDEN {
			return s.renderGaps(w, r, statusOf[code], err)
		}
		return err
	}
	s.sessions.Put(r.Context(), "notice", "plan.gap.turned")
	http.Redirect(w, r, fmt.Sprintf("/campaigns/%d/gaps?division=%s", id, url.QueryEscape(r.URL.Query().Get("division"))), http.StatusSeeOther)
	return nil
}
