package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/healthcell/healthcell"
)

// familiesView is the village's households for 健康家庭 with their items
// from the registers, and the result of a bulk application.
type familiesView struct {
	Page
	List      *healthcell.FamilyList
	Villages  []healthcell.Division
	Campaigns []*healthcell.Campaign
	CanApply  bool
	Eligible  int
	Results   []*healthcell.FamilyApplyResult
	Applied   int
	Error     string
}

// Unmet joins a household's unmet item codes for display.
func (v familiesView) Unmet(h *healthcell.FamilyHousehold) string {
	return strings.Join(h.Unmet, "、")
}

// Reason is a bulk result's reason in the page's language, with its detail.
func (v familiesView) Reason(r *healthcell.FamilyApplyResult) string {
	switch r.Reason {
	case "workflow.guard.members_contracted":
		return v.T("family.reason.uncontracted", map[string]any{"N": r.Detail})
	case "family.sheet.not_passed":
		return v.T("family.reason.not_passed", map[string]any{"Items": r.Detail})
	case "family.already_applied":
		return v.T("family.reason.already", map[string]any{"State": v.StateName(r.Detail)})
	}
	return v.T(r.Reason)
}

// familiesPage lists a village's households for 健康家庭 (the user's own
// village, or ?village= under a township or county), each with the family
// standard's items as the registers answer them, for the village officer to
// select and apply for in bulk.
func (s *Server) familiesPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderFamilies(w, r, http.StatusOK, nil, nil)
}

func (s *Server) renderFamilies(w http.ResponseWriter, r *http.Request, status int, results []*healthcell.FamilyApplyResult, err error) error {
	ctx := r.Context()
	u := userFrom(ctx)
	v := familiesView{Page: s.newPage(r, "family.title"), Results: results, CanApply: u.Role == healthcell.RoleVillage}
	village := r.FormValue("village")
	if u.Role == healthcell.RoleVillage || (village == "" && healthcell.CodeLevel(u.Scope) == healthcell.LevelVillage) {
		village = u.Scope
	}
	var ferr error
	if healthcell.CodeLevel(u.Scope) < healthcell.LevelVillage {
		if v.Villages, ferr = s.svc.Villages(ctx, u.Scope); ferr != nil {
			return ferr
		}
	}
	if village == "" && len(v.Villages) > 0 {
		village = v.Villages[0].Code
	}
	if v.Campaigns, ferr = s.svc.Applications.FindCampaigns(ctx); ferr != nil {
		return ferr
	}
	campaign, _ := strconv.ParseInt(r.FormValue("campaign"), 10, 64)
	if village != "" && len(v.Campaigns) > 0 {
		v.List, ferr = s.svc.Families.FamilyHouseholds(ctx, village, campaign)
		if ferr != nil {
			if healthcell.ErrorCode(ferr) != healthcell.EINVALID {
				return ferr
			}
			err = ferr
		}
	}
	if v.List != nil {
		for _, h := range v.List.Households {
			if h.Eligible() {
				v.Eligible++
			}
		}
	}
	for _, res := range results {
		if res.OK {
			v.Applied++
		}
	}
	if err != nil {
		v.Error = s.errorText(v.Lang, err)
	}
	return s.render(w, r, status, "families", v)
}

// familiesApply applies for the ticked households of the village and shows
// one result per household.
func (s *Server) familiesApply(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	ids, err := formIDs(r, "household")
	if err != nil {
		return err
	}
	campaign, _ := strconv.ParseInt(r.PostFormValue("campaign"), 10, 64)
	res, err := s.svc.Families.ApplyFamilies(r.Context(), userFrom(r.Context()).Scope, campaign, ids)
	if err != nil {
		if code := healthcell.ErrorCode(err); code == healthcell.EINVALID || code == healthcell.EFORBIDDEN {
			return s.renderFamilies(w, r, statusOf[code], nil, err)
		}
		return err
	}
	return s.renderFamilies(w, r, http.StatusOK, res, nil)
}

// formIDs reads the form values named name as ids; errBadRequest when one
// is not a number.
func formIDs(r *http.Request, name string) ([]int64, error) {
	var ids []int64
	for _, v := range r.PostForm[name] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return nil, errBadRequest
		}
		ids = append(ids, id)
	}
	return ids, nil
}
