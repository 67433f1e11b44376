package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/report"
)

// loadSummary computes a campaign's summary for the period in the query:
// ENOTFOUND for a campaign out of scope, EINVALID (field period) for a
// period that is not a year or a quarter.
func (s *Server) loadSummary(r *http.Request, period string) (*report.Summary, error) {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	c, err := s.svc.Applications.FindCampaign(ctx, id)
	if err != nil {
		return nil, err
	}
	p, err := healthcell.ParseSummaryPeriod(period)
	if err != nil {
		return nil, err
	}
	prog, err := s.svc.Summaries.CampaignProgress(ctx, c.ID, p)
	if err != nil {
		return nil, err
	}
	goals := report.GoalsFromTargets(prog.Campaign)
	if s.svc.SummaryGoals != nil {
		if goals, err = s.svc.SummaryGoals(ctx, prog.Campaign); err != nil {
			return nil, err
		}
	}
	inds, place, err := s.summaryIndicators(ctx, prog, p)
	if err != nil {
		return nil, err
	}
	y, m, d := s.now().In(healthcell.CampaignLocation()).Date()
	return report.Summarize(report.SummaryInput{Progress: prog, Goals: goals, Indicators: inds, IndicatorPlace: place,
		Date: time.Date(y, m, d, 0, 0, 0, 0, healthcell.CampaignLocation())}), nil
}

// summaryIndicators returns the indicators of the campaign's county in the
// period, or of the caller's own division when the county's registers lie
// outside its scope, with the name of the place they are of; the indicator
// service's error otherwise.
func (s *Server) summaryIndicators(ctx context.Context, prog *healthcell.CampaignProgress, p healthcell.SummaryPeriod) ([]report.IndicatorResult, string, error) {
	defs, err := s.svc.Indicators.Indicators(ctx)
	if err != nil {
		return nil, "", err
	}
	place, div := prog.County, prog.Campaign.Division
	vals, err := s.svc.Indicators.IndicatorValues(ctx, healthcell.IndicatorQuery{Division: div, Period: p.String()})
	if healthcell.ErrorCode(err) == healthcell.ENOTFOUND {
		u := userFrom(ctx)
		div = u.Scope
		place = s.divisionName(ctx, div)
		vals, err = s.svc.Indicators.IndicatorValues(ctx, healthcell.IndicatorQuery{Division: div, Period: p.String()})
	}
	if err != nil {
		return nil, "", err
	}
	var out []report.IndicatorResult
	for _, d := range defs {
		list := vals[d.Code]
		if len(list) == 0 {
			continue
		}
		v := list[0]
		target := v.Target
		if target == nil {
			target = d.Target
		}
		out = append(out, report.IndicatorResult{Name: d.Zh, Unit: d.Unit, Direction: d.Direction, Value: v.Value, Target: target, Met: v.Met})
	}
	return out, place, nil
}

// apiSummaryDocx sends a campaign's stage or year-end summary as .docx:
// GET /api/v1/campaigns/{id}/summary.docx?period=2026 or 2026Q3. Errors as
// loadSummary: ENOTFOUND, EINVALID for the period.
func (s *Server) apiSummaryDocx(w http.ResponseWriter, r *http.Request) error {
	sum, err := s.loadSummary(r, r.URL.Query().Get("period"))
	if err != nil {
		return err
	}
	p := sum.In.Progress
	return sendDocx(w, report.SummaryDocument(sum), fmt.Sprintf("summary-%d-%s.docx", p.Campaign.ID, p.Period),
		p.County+p.Campaign.Name+p.Period.Label()+"工作总结.docx")
}

type summaryView struct {
	Page
	Campaign *healthcell.Campaign
	Period   string
	Periods  []summaryPeriodOption
	Sum      *report.Summary
}

type summaryPeriodOption struct {
	Value, Label string
}

// summaryPage shows a campaign's summary for a period (the current quarter
// by default) with a picker of periods and the download button; errors as
// loadSummary.
func (s *Server) summaryPage(w http.ResponseWriter, r *http.Request) error {
	now := s.now().In(healthcell.CampaignLocation())
	period := r.URL.Query().Get("period")
	if period == "" {
		period = fmt.Sprintf("%dQ%d", now.Year(), (int(now.Month())+2)/3)
	}
	sum, err := s.loadSummary(r, period)
	if err != nil {
		return err
	}
	p := sum.In.Progress
	v := summaryView{Page: s.newPage(r, "summary.title"), Campaign: p.Campaign, Period: p.Period.String(), Sum: sum}
	v.Title = p.Campaign.Name + " · " + v.T("summary.title")
	last := max(now.Year(), p.Campaign.Year)
	for y := last; y >= p.Campaign.Year-1 && y >= last-3; y-- {
		v.Periods = append(v.Periods, summaryPeriodOption{strconv.Itoa(y), healthcell.SummaryPeriod{Year: y}.Label() + "（" + healthcell.SummaryPeriod{Year: y}.Kind() + "）"})
		for q := 4; q >= 1; q-- {
			sp := healthcell.SummaryPeriod{Year: y, Quarter: q}
			v.Periods = append(v.Periods, summaryPeriodOption{sp.String(), sp.Label()})
		}
	}
	return s.render(w, r, http.StatusOK, "summary", v)
}
