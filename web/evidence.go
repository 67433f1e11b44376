package web

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/report"
)

// sheetEvidence uploads one evidence file (a phone photo or a PDF) for an item.
func (s *Server) sheetEvidence(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	code := r.PathValue("item")
	data, name, err := readUpload(w, r, "file", healthcell.MaxEvidenceBytes)
	if err == nil {
		_, err = s.svc.Sheets.AddEvidence(r.Context(), id, code, name, data)
	}
	return s.afterSheetChange(w, r, id, code, err)
}

// readUpload reads the multipart file field of at most limit bytes. It
// returns EINVALID (evidence.too_large, evidence.empty) for a file too big
// or missing.
func readUpload(w http.ResponseWriter, r *http.Request, field string, limit int64) ([]byte, string, error) {
	r.Body = http.MaxBytesReader(w, r.Body, limit+1<<20)
	f, hdr, err := r.FormFile(field)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, "", healthcell.Invalid([]healthcell.FieldError{{Field: "file", Message: "evidence.too_large"}})
		}
		return nil, "", healthcell.Invalid([]healthcell.FieldError{{Field: "file", Message: "evidence.empty"}})
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, "", healthcell.Invalid([]healthcell.FieldError{{Field: "file", Message: "evidence.too_large"}})
	}
	if int64(len(data)) > limit {
		return nil, "", healthcell.Invalid([]healthcell.FieldError{{Field: "file", Message: "evidence.too_large"}})
	}
	return data, hdr.Filename, nil
}

// evidenceFile serves an evidence file, or its thumbnail for /thumb, to
// users whose scope covers its unit; 404 otherwise.
func (s *Server) evidenceFile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	thumb := r.PathValue("variant") == "thumb"
	e, data, err := s.svc.Sheets.EvidenceFile(r.Context(), id, thumb)
	if err != nil {
		return err
	}
	return sendFile(w, e.MIME, thumb && e.HasThumb, "evidence-"+strconv.FormatInt(e.ID, 10), e.Name, data, r.URL.Query().Get("download") != "")
}

// sendFile writes an uploaded file's bytes (a thumbnail, always JPEG, when
// thumb is set) under headers that keep a browser from running it: its
// sniffed type, no sniffing, a sandboxing content policy, private caching.
// fallback (ASCII, without extension) and the uploaded file's name title
// name the download. It returns the write error.
func sendFile(w http.ResponseWriter, mime string, thumb bool, fallback, title string, data []byte, download bool) error {
	ct := mime
	if thumb {
		ct = "image/jpeg"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.Header().Set("Cache-Control", "private, max-age=3600")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox")
	disposition := "inline"
	if download {
		disposition = "attachment"
	}
	ext := report.ExtOfMIME(mime)
	if title != "" && !strings.HasSuffix(strings.ToLower(title), ext) {
		title += ext
	}
	w.Header().Set("Content-Disposition", disposition+strings.TrimPrefix(attachment(fallback+ext, title), "attachment"))
	_, err := w.Write(data)
	return err
}

// evidenceRemove detaches an evidence file and returns to its sheet.
func (s *Server) evidenceRemove(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	e, _, err := s.svc.Sheets.EvidenceFile(r.Context(), id, true)
	if err != nil {
		return err
	}
	if err := s.svc.Sheets.RemoveEvidence(r.Context(), id); err != nil {
		return err
	}
	r.SetPathValue("id", strconv.FormatInt(e.SheetID, 10))
	return s.afterSheetChange(w, r, e.SheetID, e.ItemCode, nil)
}
