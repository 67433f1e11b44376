package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/importer"
	"github.com/healthcell/healthcell/register"
	"github.com/healthcell/healthcell/tablefile"
)

// maxImportFile bounds an uploaded import file: a million residents are
// about 90 MB of CSV.
const maxImportFile = 256 << 20

// importShownIssues is how many problems the page lists; the report has
// them all.
const importShownIssues = 100

// importKeep is how long a finished import's result and report stay
// available.
const importKeep = time.Hour

// importJob is one import started from the page, run in the background so
// that the page can show its progress.
type importJob struct {
	ID      string
	UserID  int64
	Started time.Time
	rows    atomic.Int64
	done    chan struct{}
	res     *importer.Result
	err     error
	// Register is the register a register import fills ("" for residents);
	// Entries is how many entries it stored.
	Register string
	Entries  int
}

// importJobs are the imports of this server process.
type importJobs struct {
	mu   sync.Mutex
	jobs map[string]*importJob
}

func (j *importJobs) add(job *importJob) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.jobs == nil {
		j.jobs = map[string]*importJob{}
	}
	for id, old := range j.jobs { // forget old finished imports
		select {
		case <-old.done:
			if time.Since(old.Started) > importKeep {
				delete(j.jobs, id)
			}
		default:
		}
	}
	j.jobs[job.ID] = job
}

// get returns the caller's job id, or ENOTFOUND (someone else's job too).
func (j *importJobs) get(ctx context.Context, id string) (*importJob, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	job, ok := j.jobs[id]
	a := healthcell.ActorFrom(ctx)
	if !ok || a == nil || job.UserID != a.UserID {
		return nil, healthcell.Errorf(healthcell.ENOTFOUND, "import.not_found")
	}
	return job, nil
}

// importView is the import page: the form, or one import's progress and
// outcome.
type importView struct {
	Page
	Job      *importJob
	Running  bool
	Rows     int64
	Result   *importer.Result
	Failed   bool // the file has errors: nothing was imported
	Error    string
	Issues   []importer.Issue
	More     int // problems not listed on the page
	CanWrite bool
	// Register is the register being imported into, nil for residents.
	Register *register.Def
	Action   string // where the form posts
}

// importUpload saves the uploaded file ("file") to a temporary file with its
// extension, for tablefile.Open. It returns EINVALID for a missing file or
// one that is neither .xlsx nor .csv.
func importUpload(w http.ResponseWriter, r *http.Request) (path string, err error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxImportFile+1<<20)
	if err := r.ParseMultipartForm(32 << 20); err != nil {
		return "", healthcell.Invalid([]healthcell.FieldError{{Field: "file", Message: "import.file.unreadable"}})
	}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		return "", healthcell.Invalid([]healthcell.FieldError{{Field: "file", Message: "import.file.empty"}})
	}
	defer f.Close()
	kind := tablefile.Kind(hdr.Filename)
	if kind == "" {
		return "", healthcell.Invalid([]healthcell.FieldError{{Field: "file", Message: "import.file.type", Value: filepath.Base(hdr.Filename)}})
	}
	tmp, err := os.CreateTemp("", "healthcell-import-*."+kind)
	if err != nil {
		return "", err
	}
	if _, err := io.Copy(tmp, f); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return "", err
	}
	return tmp.Name(), tmp.Close()
}

// importOptions reads the form's update and dry_run boxes.
func importOptions(r *http.Request) importer.Options {
	on := func(k string) bool { v := r.FormValue(k); return v == "on" || v == "1" || v == "true" }
	return importer.Options{Update: on("update"), DryRun: on("dry_run")}
}

// runImport imports the file at path and removes it.
func (s *Server) runImport(ctx context.Context, path string, opt importer.Options) (*importer.Result, error) {
	defer os.Remove(path)
	table := s.cfg.ResidentTable
	r, err := tablefile.Open(path)
	if err != nil {
		return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "file", Message: "import.file.unreadable"}})
	}
	defer r.Close()
	opt.Now = s.cfg.Now()
	return importer.ImportResidents(ctx, s.svc.Residents, table, r, opt)
}

func (s *Server) importForm(w http.ResponseWriter, r *http.Request) error {
	a := healthcell.ActorFrom(r.Context())
	v := importView{Page: s.newPage(r, "import.title"), CanWrite: a.CanWritePersons(a.Scope), Action: "/imports/residents"}
	return s.render(w, r, http.StatusOK, "import", v)
}

// importStart saves the upload and starts the import in the background,
// then sends the browser to the import's page.
func (s *Server) importStart(w http.ResponseWriter, r *http.Request) error {
	a := healthcell.ActorFrom(r.Context())
	if !a.CanWritePersons(a.Scope) {
		return healthcell.Errorf(healthcell.EFORBIDDEN, "error.forbidden")
	}
	return s.startImport(w, r, nil)
}

// startImport saves the upload and runs the import of residents (d nil) or
// of register d in the background, sending the browser to its page.
func (s *Server) startImport(w http.ResponseWriter, r *http.Request, d *register.Def) error {
	a := healthcell.ActorFrom(r.Context())
	path, err := importUpload(w, r)
	if err != nil {
		if healthcell.ErrorCode(err) == healthcell.EINVALID {
			v := importView{Page: s.newPage(r, "import.title"), CanWrite: true, Error: s.i18n.T(langOf(r), healthcell.ErrorFields(err)[0].Message, nil),
				Register: d, Action: r.URL.Path}
			return s.render(w, r, http.StatusUnprocessableEntity, "import", v)
		}
		return err
	}
	id := make([]byte, 12)
	rand.Read(id)
	job := &importJob{ID: hex.EncodeToString(id), UserID: a.UserID, Started: time.Now(), done: make(chan struct{})}
	if d != nil {
		job.Register = d.Code
	}
	opt := importOptions(r)
	opt.Progress = func(n int) { job.rows.Store(int64(n)) }
	s.imports.add(job)
	// The import outlives the request; it acts as the same user.
	ctx := healthcell.WithActor(context.Background(), a)
	go func() {
		defer close(job.done)
		if d != nil {
			job.res, job.Entries, job.err = s.runEntryImport(ctx, d, path, opt)
		} else {
			job.res, job.err = s.runImport(ctx, path, opt)
		}
		if job.err != nil && healthcell.ErrorMessage(job.err) != "import.has_errors" {
			s.log.Error("import", "err", job.err)
		}
	}()
	http.Redirect(w, r, "/imports/"+job.ID, http.StatusSeeOther)
	return nil
}

// importView builds the view of a job.
func (s *Server) importJobView(r *http.Request) (importView, error) {
	job, err := s.imports.get(r.Context(), r.PathValue("id"))
	if err != nil {
		return importView{}, err
	}
	v := importView{Page: s.newPage(r, "import.title"), Job: job, Rows: job.rows.Load(), CanWrite: true, Action: "/imports/residents"}
	if job.Register != "" {
		v.Register = s.cfg.Definitions.Registers.Get(job.Register)
		v.Action = "/registers/" + job.Register + "/import"
	}
	select {
	case <-job.done:
	default:
		v.Running = true
		return v, nil
	}
	v.Result = job.res
	if job.err != nil {
		v.Failed = healthcell.ErrorMessage(job.err) == "import.has_errors"
		if !v.Failed {
			v.Error = v.T(healthcell.ErrorMessage(job.err))
			for _, f := range healthcell.ErrorFields(job.err) {
				v.Error += " " + v.T(f.Message)
			}
		}
	}
	if v.Result != nil {
		v.Rows = int64(v.Result.Rows)
		list := v.Result.Issues.List
		if len(list) > importShownIssues {
			v.More = len(list) - importShownIssues + (v.Result.Issues.Errors + v.Result.Issues.Warnings - len(list))
			list = list[:importShownIssues]
		}
		for _, i := range list {
			i.Message = v.T(i.Message)
			v.Issues = append(v.Issues, i)
		}
	}
	return v, nil
}

// importPage shows a job: progress while it runs, then its outcome.
func (s *Server) importPage(w http.ResponseWriter, r *http.Request) error {
	v, err := s.importJobView(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "import", v)
}

// importReport downloads a finished job's problems as .xlsx or .csv.
func (s *Server) importReport(w http.ResponseWriter, r *http.Request) error {
	job, err := s.imports.get(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	format := r.PathValue("format")
	if format != "xlsx" && format != "csv" {
		return healthcell.Errorf(healthcell.ENOTFOUND, "error.not_found")
	}
	select {
	case <-job.done:
	default:
		return healthcell.Errorf(healthcell.ENOTFOUND, "import.not_found")
	}
	if job.res == nil {
		return healthcell.Errorf(healthcell.ENOTFOUND, "import.not_found")
	}
	lang := langOf(r)
	if format == "xlsx" {
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	} else {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	}
	setDownload(w, "errors-"+job.ID[:8]+"."+format, downloadName(format, s.i18n.T(lang, "import.report.file", nil), job.ID[:8]))
	return importer.WriteReport(w, format, job.res.Issues.List, func(k string) string { return s.i18n.T(lang, k, nil) })
}

// importSummary is the API's answer to an import.
type importSummary struct {
	Rows     int      `json:"rows"`
	DryRun   bool     `json:"dry_run"`
	Persons  int      `json:"persons"`
	Updated  int      `json:"updated"`
	House    int      `json:"households"`
	Warnings int      `json:"warnings"`
	Unknown  []string `json:"unknown_columns"`
}

// apiImportResidents imports an uploaded file synchronously: 200 with what
// was stored, or 422 with the errors (the first thousand) and nothing
// stored.
func (s *Server) apiImportResidents(w http.ResponseWriter, r *http.Request) error {
	a := healthcell.ActorFrom(r.Context())
	if !a.CanWritePersons(a.Scope) {
		return healthcell.Errorf(healthcell.EFORBIDDEN, "error.forbidden")
	}
	path, err := importUpload(w, r)
	if err != nil {
		return err
	}
	res, err := s.runImport(r.Context(), path, importOptions(r))
	if err != nil {
		return err
	}
	unknown := res.Unknown
	if unknown == nil {
		unknown = []string{}
	}
	writeJSON(w, http.StatusOK, importSummary{Rows: res.Rows, DryRun: res.DryRun, Persons: res.Counts.Persons, Updated: res.Counts.Updated,
		House: res.Counts.Households, Warnings: res.Issues.Warnings, Unknown: unknown})
	return nil
}

// CanImport reports whether the page's user may import residents, for the
// navigation.
func (p Page) CanImport() bool {
	if p.User == nil {
		return false
	}
	return healthcell.ActorOf(p.User).CanWritePersons(p.User.Scope)
}
