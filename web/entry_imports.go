package web

import (
	"context"
	"net/http"
	"os"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/importer"
	"github.com/healthcell/healthcell/register"
	"github.com/healthcell/healthcell/tablefile"
)

// runEntryImport imports the register file at path and removes it; it
// returns the result, the number of entries stored and the error of
// importer.ImportEntries.
func (s *Server) runEntryImport(ctx context.Context, d *register.Def, path string, opt importer.Options) (*importer.Result, int, error) {
	defer os.Remove(path)
	r, err := tablefile.Open(path)
	if err != nil {
		return nil, 0, healthcell.Invalid([]healthcell.FieldError{{Field: "file", Message: "import.file.unreadable"}})
	}
	defer r.Close()
	opt.Now = s.cfg.Now()
	res, err := importer.ImportEntries(ctx, s.svc.Registers, d, r, opt)
	if res == nil {
		return nil, 0, err
	}
	return &res.Result, res.Entries, err
}

// mayImportEntries returns EFORBIDDEN unless the caller writes entries.
func mayImportEntries(r *http.Request) error {
	a := healthcell.ActorFrom(r.Context())
	if !a.CanWritePersons(a.Scope) {
		return healthcell.Errorf(healthcell.EFORBIDDEN, "error.forbidden")
	}
	return nil
}

// entryImportForm is the upload form of a register.
func (s *Server) entryImportForm(w http.ResponseWriter, r *http.Request) error {
	d, err := s.registerOf(r)
	if err != nil {
		return err
	}
	v := importView{Page: s.newPage(r, "import.title"), CanWrite: mayImportEntries(r) == nil, Register: d, Action: r.URL.Path}
	return s.render(w, r, http.StatusOK, "import", v)
}

// entryImportStart starts a register import in the background.
func (s *Server) entryImportStart(w http.ResponseWriter, r *http.Request) error {
	d, err := s.registerOf(r)
	if err != nil {
		return err
	}
	if err := mayImportEntries(r); err != nil {
		return err
	}
	return s.startImport(w, r, d)
}

// entryImportSummary is the API's answer to a register import.
type entryImportSummary struct {
	Rows     int      `json:"rows"`
	DryRun   bool     `json:"dry_run"`
	Entries  int      `json:"entries"`
	Warnings int      `json:"warnings"`
	Unknown  []string `json:"unknown_columns"`
}

// apiEntryImport imports an uploaded register file synchronously: 200 with
// what was stored, or 422 with the errors by row and nothing stored.
func (s *Server) apiEntryImport(w http.ResponseWriter, r *http.Request) error {
	d, err := s.registerOf(r)
	if err != nil {
		return err
	}
	if err := mayImportEntries(r); err != nil {
		return err
	}
	path, err := importUpload(w, r)
	if err != nil {
		return err
	}
	res, n, err := s.runEntryImport(r.Context(), d, path, importOptions(r))
	if err != nil {
		return err
	}
	unknown := res.Unknown
	if unknown == nil {
		unknown = []string{}
	}
	writeJSON(w, http.StatusOK, entryImportSummary{Rows: res.Rows, DryRun: res.DryRun, Entries: n, Warnings: res.Issues.Warnings, Unknown: unknown})
	return nil
}
