package sqlstore

import (
	"context"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/plantemplate"
)

// ApplyPlanTemplate makes the campaign's plan a draft copy of the shipped
// template with code, its dates in the campaign's year, replacing the
// current plan read at version (0 when there is none). Errors as for
// SavePlan, and ENOTFOUND for an unknown template.
func (db *DB) ApplyPlanTemplate(ctx context.Context, campaignID int64, code string, version int) (*healthcell.Plan, error) {
	c, err := db.FindCampaign(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	t, err := plantemplate.Find(code)
	if err != nil {
		return nil, err
	}
	p, err := t.Plan(c.Year, c.Division)
	if err != nil {
		return nil, err
	}
	p.CampaignID, p.Version = c.ID, version
	if err := db.SavePlan(ctx, p); err != nil {
		return nil, err
	}
	return p, nil
}

// CopyPlan makes the campaign's plan a draft copy of another campaign's
// plan (last year's), every date and goal year moved by the difference of
// their years, replacing the current plan read at version (0 when there is
// none). Errors as for SavePlan; ENOTFOUND when the other campaign has no
// plan the caller can read.
func (db *DB) CopyPlan(ctx context.Context, campaignID, fromCampaignID int64, version int) (*healthcell.Plan, error) {
	c, err := db.FindCampaign(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	if err := planEditor(a, c.Division); err != nil {
		return nil, err
	}
	from, err := db.FindPlan(ctx, fromCampaignID)
	if err != nil {
		return nil, err
	}
	if from.Division != c.Division {
		return nil, notFound("plan")
	}
	p := plantemplate.NextYear(from, c.Year)
	p.CampaignID, p.Version = c.ID, version
	if err := db.SavePlan(ctx, p); err != nil {
		return nil, err
	}
	return p, nil
}
