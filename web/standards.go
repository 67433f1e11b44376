package web

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/standardfile"
)

// maxStandardFile bounds an uploaded standard file.
const maxStandardFile = 5 << 20

type standardsView struct {
	Page
	Standards []standardRow
	CanLoad   bool
	Errors    []healthcell.FieldError
	Error     string
}

type standardView struct {
	ShowNotes bool // the standard's notes are for developers: county admins only, folded
	Page
	Standard *healthcell.Standard
	Sections []sectionView
	// Body and Scope are the standard's 发布机关 and 适用范围 (standardOwnerTexts).
	Body, Scope string
}

// sectionView groups a standard's items for display.
type sectionView struct {
	Name        string
	Points      float64
	Subsections []subsectionView
}

type subsectionView struct {
	Name   string
	Points float64
	Items  []healthcell.Item
}

// groupItems groups items by section and subsection, in item order.
func groupItems(items []healthcell.Item) []sectionView {
	var out []sectionView
	for _, it := range items {
		if len(out) == 0 || out[len(out)-1].Name != it.Section {
			out = append(out, sectionView{Name: it.Section})
		}
		sec := &out[len(out)-1]
		if len(sec.Subsections) == 0 || sec.Subsections[len(sec.Subsections)-1].Name != it.Subsection {
			sec.Subsections = append(sec.Subsections, subsectionView{Name: it.Subsection})
		}
		sub := &sec.Subsections[len(sec.Subsections)-1]
		sub.Items = append(sub.Items, it)
		if !it.Bonus {
			sub.Points += it.Points
			sec.Points += it.Points
		}
	}
	return out
}

func (s *Server) standardsPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderStandards(w, r, http.StatusOK, nil)
}

func (s *Server) renderStandards(w http.ResponseWriter, r *http.Request, status int, err error) error {
	list, ferr := s.svc.Standards.FindStandards(r.Context())
	if ferr != nil {
		return ferr
	}
	v := standardsView{Page: s.newPage(r, "standards.title"), CanLoad: healthcell.ActorFrom(r.Context()).CanManageStandards()}
	v.Standards = s.standardRows(r.Context(), v.Page, list)
	if err != nil {
		v.Error = v.T(healthcell.ErrorMessage(err))
		v.Errors = healthcell.ErrorFields(err)
		for i := range v.Errors {
			v.Errors[i].Message = v.T(v.Errors[i].Message)
		}
	}
	return s.render(w, r, status, "standards", v)
}

func (s *Server) standardPage(w http.ResponseWriter, r *http.Request) error {
	std, err := s.findStandard(r)
	if err != nil {
		return err
	}
	v := standardView{Page: s.newPage(r, "standards.title"), Standard: std, Sections: groupItems(std.Items)}
	v.ShowNotes = std.Notes != "" && userFrom(r.Context()).Role == healthcell.RoleCountyAdmin
	v.Body, v.Scope = v.standardOwnerTexts(std.Owner, s.ownerNames(r.Context(), []*healthcell.Standard{std}))
	v.Title = std.Name
	return s.render(w, r, http.StatusOK, "standard", v)
}

// findStandard reads {code} and the optional ?version= (EINVALID when it
// is not a positive number).
func (s *Server) findStandard(r *http.Request) (*healthcell.Standard, error) {
	version, err := queryVersion(r)
	if err != nil {
		return nil, err
	}
	return s.svc.Standards.FindStandard(r.Context(), r.PathValue("code"), version)
}

// readStandardUpload parses the uploaded file of a multipart form ("file")
// as a spreadsheet or the YAML text format, by its extension, checking the
// indicators and activities it names. It returns EINVALID with every
// problem found in the file, each at its row.
func (s *Server) readStandardUpload(r *http.Request) (*healthcell.Standard, error) {
	if !healthcell.ActorFrom(r.Context()).CanManageStandards() {
		return nil, healthcell.Errorf(healthcell.EFORBIDDEN, "error.forbidden")
	}
	r.Body = http.MaxBytesReader(nil, r.Body, maxStandardFile+1<<20)
	f, hdr, err := r.FormFile("file")
	if err != nil {
		return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "file", Message: "standard.file.empty"}})
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxStandardFile+1))
	if err != nil || len(data) > maxStandardFile {
		return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "file", Message: "standard.file.unreadable"}})
	}
	codes, err := s.svc.Standards.StandardCodes(r.Context())
	if err != nil {
		return nil, err
	}
	switch strings.ToLower(filepath.Ext(hdr.Filename)) {
	case ".yaml", ".yml":
		return standardfile.ParseYAMLChecked(bytes.NewReader(data), &codes)
	default:
		return standardfile.ParseSheetChecked(bytes.NewReader(data), hdr.Filename, &codes)
	}
}

// standardUpload loads a county's own standard from a page form.
func (s *Server) standardUpload(w http.ResponseWriter, r *http.Request) error {
	std, err := s.readStandardUpload(r)
	if err == nil {
		err = s.svc.Standards.CreateStandard(r.Context(), std)
	}
	if err != nil {
		if status, ok := uploadRefusal(err); ok {
			return s.renderStandards(w, r, status, err)
		}
		return err
	}
	s.sessions.Put(r.Context(), "notice", "standards.loaded")
	http.Redirect(w, r, "/standards/"+std.Code+"?version="+strconv.Itoa(std.Version), http.StatusSeeOther)
	return nil
}

// uploadRefusal reports whether err refuses an uploaded standard for a
// reason the upload form shows beside the file — a bad file (EINVALID), a
// code owned by an office above (EFORBIDDEN standard.owner.above) or
// another county's (ECONFLICT) — and the status to answer with; false for
// any other error, which is the error page's.
func uploadRefusal(err error) (int, bool) {
	switch code := healthcell.ErrorCode(err); {
	case code == healthcell.EINVALID, code == healthcell.ECONFLICT,
		code == healthcell.EFORBIDDEN && healthcell.ErrorMessage(err) == "standard.owner.above":
		return statusOf[code], true
	}
	return 0, false
}

// standardExport downloads a standard as .xlsx, .csv or .yaml.
func (s *Server) standardExport(w http.ResponseWriter, r *http.Request) error {
	std, err := s.findStandard(r)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	format := r.PathValue("format")
	switch format {
	case "xlsx":
		err = standardfile.WriteXLSX(&buf, std)
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	case "csv":
		err = standardfile.WriteCSV(&buf, std)
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	case "yaml":
		err = standardfile.WriteYAML(&buf, std)
		w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
	default:
		return healthcell.Errorf(healthcell.ENOTFOUND, "error.not_found")
	}
	if err != nil {
		return err
	}
	setDownload(w, std.Code+"-v"+strconv.Itoa(std.Version)+"."+format, fmt.Sprintf("%s（第%d版）.%s", std.Name, std.Version, format))
	_, err = buf.WriteTo(w)
	return err
}

// apiStandards lists the latest version of every standard.
func (s *Server) apiStandards(w http.ResponseWriter, r *http.Request) error {
	list, err := s.svc.Standards.FindStandards(r.Context())
	if err != nil {
		return err
	}
	writeList(w, list, len(list), 0)
	return nil
}

func (s *Server) apiStandard(w http.ResponseWriter, r *http.Request) error {
	std, err := s.findStandard(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, std)
	return nil
}

type standardCreated struct {
	ID          int64   `json:"id"`
	Code        string  `json:"code"`
	Version     int     `json:"version"`
	TotalPoints float64 `json:"total_points"`
}

// apiStandardCreate loads a standard from a multipart upload: 201 with its
// id, code, version and total, or 422 listing every problem with its row.
func (s *Server) apiStandardCreate(w http.ResponseWriter, r *http.Request) error {
	std, err := s.readStandardUpload(r)
	if err != nil {
		return err
	}
	if err := s.svc.Standards.CreateStandard(r.Context(), std); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, standardCreated{ID: std.ID, Code: std.Code, Version: std.Version, TotalPoints: std.TotalPoints})
	return nil
}
