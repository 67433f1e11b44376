package web

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/report"
	"github.com/healthcell/healthcell/score"
)

// apiDossier sends an application's dossier (申报材料) as a zip: the
// document with its score sheets (per kind the copy the latest step relying
// on it froze, else the sheet in use) and the evidence files in folders by item
// (GET /api/v1/applications/{id}/dossier.zip). It is scoped like the
// application: ENOTFOUND out of scope. Once the zip has started, a failing
// evidence read is logged and the response aborted, so that the client
// never takes a cut archive for a whole one.
func (s *Server) apiDossier(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		return err
	}
	app, err := s.svc.Applications.FindApplication(ctx, id)
	if err != nil {
		return err
	}
	camp, err := s.svc.Applications.FindCampaign(ctx, app.CampaignID)
	if err != nil {
		return err
	}
	std, err := s.svc.Standards.FindStandardByID(ctx, app.StandardID)
	if err != nil {
		return err
	}
	y, m, d := app.UpdatedAt.In(healthcell.CampaignLocation()).Date()
	dos := &report.Dossier{App: app, Campaign: camp.Name, Standard: std, Issuer: app.UnitName,
		Date: time.Date(y, m, d, 0, 0, 0, 0, healthcell.CampaignLocation())}
	frozen, err := s.submittedSheets(ctx, app)
	if err != nil {
		return err
	}
	for _, kind := range healthcell.SheetKinds {
		if sn := frozen[kind]; sn != nil {
			dos.Sheets = append(dos.Sheets, report.DossierSheet{Sheet: sn.Sheet, Result: score.Compute(std, sn.Sheet), FrozenAt: sn.CreatedAt})
			continue
		}
		sid, ok := app.Sheets[kind]
		if !ok || sid == 0 {
			continue
		}
		sh, err := s.svc.Sheets.FindScoreSheet(ctx, sid)
		if err != nil {
			return err
		}
		dos.Sheets = append(dos.Sheets, report.DossierSheet{Sheet: sh, Result: score.Compute(std, sh)})
	}
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", attachment(fmt.Sprintf("dossier-%d.zip", app.ID), app.UnitName+"申报材料.zip"))
	err = report.WriteDossier(w, dos, func(ev *healthcell.Evidence) ([]byte, error) {
		_, data, err := s.svc.Sheets.EvidenceFile(ctx, ev.ID, false)
		return data, err
	})
	if err != nil {
		s.log.Error("dossier cut short", "application", app.ID, "err", err)
		panic(http.ErrAbortHandler)
	}
	return nil
}

// submittedSheets returns, per sheet kind, the frozen copy the latest step
// of the application's timeline relied on (申报, a check); kinds no step
// froze are absent. It returns the first error reading a copy.
func (s *Server) submittedSheets(ctx context.Context, app *healthcell.Application) (map[string]*healthcell.SheetSnapshot, error) {
	out := map[string]*healthcell.SheetSnapshot{}
	for _, tr := range app.Timeline {
		if tr.SnapshotID == 0 {
			continue
		}
		sn, err := s.svc.Sheets.FindSheetSnapshot(ctx, tr.SnapshotID)
		if err != nil {
			return nil, err
		}
		if sn.Sheet == nil {
			continue
		}
		if old := out[sn.Sheet.Kind]; old == nil || !sn.CreatedAt.Before(old.CreatedAt) {
			out[sn.Sheet.Kind] = sn
		}
	}
	return out, nil
}
