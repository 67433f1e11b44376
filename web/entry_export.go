package web

import (
	"bytes"
	"net/http"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/tablefile"
)

// entryExport sends a register's entries under the division (and period)
// of the query as .xlsx or .csv ({format} or ?format=). The whole file is
// built before anything is sent, so a failure is a clean error page.
func (s *Server) entryExport(w http.ResponseWriter, r *http.Request) error {
	d, err := s.registerOf(r)
	if err != nil {
		return err
	}
	format := r.PathValue("format")
	if format == "" {
		format = r.URL.Query().Get("format")
	}
	if format == "" {
		format = "xlsx"
	}
	if format != "xlsx" && format != "csv" {
		return healthcell.Invalid([]healthcell.FieldError{{Field: "format", Message: "field.invalid", Value: format}})
	}
	f, err := entryFilter(r, d.Code)
	if err != nil {
		return err
	}
	lang := langOf(r)
	var buf bytes.Buffer
	tw, err := tablefile.NewWriter(&buf, format, d.Name(lang), d.Columns(lang))
	if err != nil {
		return err
	}
	err = s.svc.Registers.EachEntry(r.Context(), f, func(e *healthcell.Entry) error { return tw.Write(d.Row(e, lang)) })
	if err != nil {
		return err
	}
	if err := tw.Close(); err != nil {
		return err
	}
	ct := "text/csv; charset=utf-8"
	if format == "xlsx" {
		ct = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	div := f.Division
	if div == "" {
		div = healthcell.ActorFrom(r.Context()).Scope
	}
	name := downloadName(format, d.Name(lang), healthcell.ShortVillageName(s.divisionName(r.Context(), div)))
	w.Header().Set("Content-Type", ct)
	setDownload(w, d.Code+"."+format, name)
	w.Header().Set("Cache-Control", "private, no-store")
	_, err = buf.WriteTo(w)
	return err
}
