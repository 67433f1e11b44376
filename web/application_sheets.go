package web

import (
	"context"
	"net/http"
	"strconv"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/score"
)

// sheetCheck is what a checker should see of one of an application's
// sheets before acting: its overrides of computed values and its evidence
// flags.
type sheetCheck struct {
	Kind      string
	SheetID   int64
	Overrides []overrideLine
	Flags     []healthcell.EvidenceFlag
}

// overrideLine is one overridden item.
type overrideLine struct {
	Code, Text, Computed, Value, Reason string
}

// prefillRow is a rectification row filled in from a failing item of the
// township's check sheet.
type prefillRow struct {
	ItemCode, Text string
}

// applicationChecks reads the overrides and evidence flags of the
// application's self-assessment and check sheets.
func (s *Server) applicationChecks(ctx context.Context, app *healthcell.Application) ([]sheetCheck, error) {
	var out []sheetCheck
	for _, k := range []string{healthcell.SheetSelf, healthcell.SheetCheck} {
		id := app.Sheets[k]
		if id == 0 {
			continue
		}
		sh, err := s.svc.Sheets.FindScoreSheet(ctx, id)
		if err != nil {
			return nil, err
		}
		std, err := s.svc.Standards.FindStandardByID(ctx, sh.StandardID)
		if err != nil {
			return nil, err
		}
		c := sheetCheck{Kind: k, SheetID: id}
		for _, it := range std.Items {
			a := sh.Answers[it.Code]
			if a == nil || a.Override == nil {
				continue
			}
			c.Overrides = append(c.Overrides, overrideLine{Code: it.Code, Text: it.Text, Computed: numText(a.Computed.Value),
				Value: strconv.FormatFloat(a.Override.Value, 'f', -1, 64), Reason: a.Override.Reason})
		}
		if c.Flags, err = s.svc.Sheets.SheetEvidenceFlags(ctx, id); err != nil {
			return nil, err
		}
		if len(c.Overrides)+len(c.Flags) > 0 {
			out = append(out, c)
		}
	}
	return out, nil
}

// checkSheetFailures lists the items of the application's check sheet
// (初验) that are not met, to cite when returning it for rectification.
func (s *Server) checkSheetFailures(ctx context.Context, app *healthcell.Application) ([]prefillRow, error) {
	id := app.Sheets[healthcell.SheetCheck]
	if id == 0 {
		return nil, nil
	}
	sh, err := s.svc.Sheets.FindScoreSheet(ctx, id)
	if err != nil {
		return nil, err
	}
	std, err := s.svc.Standards.FindStandardByID(ctx, sh.StandardID)
	if err != nil {
		return nil, err
	}
	res := score.Compute(std, sh)
	var out []prefillRow
	for i, ir := range res.Items {
		if ir.Answered && !ir.Met && !ir.Bonus {
			out = append(out, prefillRow{ItemCode: ir.Code, Text: std.Items[i].Text})
		}
	}
	return out, nil
}

// confirmView is the page asking to confirm a step (申报, 初验通过, 命名)
// before it is taken; it works without JavaScript.
type confirmView struct {
	Page
	App     *healthcell.Application
	Action  string
	Version string
	Comment string
	Checks  []sheetCheck
}

// confirmTransition renders the confirmation page of a step whose
// transition asks for it, unless the form says it is confirmed; it
// reports whether it rendered.
func (s *Server) confirmTransition(w http.ResponseWriter, r *http.Request, id int64, req healthcell.TransitionRequest) (bool, error) {
	t, ok := s.flow().Transition(req.Action)
	if !ok || !t.Confirm || r.PostFormValue("confirmed") == "1" {
		return false, nil
	}
	ctx := r.Context()
	app, err := s.svc.Applications.FindApplication(ctx, id)
	if err != nil {
		return true, err
	}
	v := confirmView{Page: s.newPage(r, "application.confirm.title"), App: app, Action: req.Action,
		Version: strconv.Itoa(req.Version), Comment: req.Comment}
	if v.Checks, err = s.applicationChecks(ctx, app); err != nil {
		return true, err
	}
	return true, s.render(w, r, http.StatusOK, "confirm", v)
}
