package web

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/officedoc"
)

// sendDocx writes d as a .docx download named file (ASCII) and, for
// browsers that read it, name (the Chinese title). It returns the writer's
// error, or the document's validation error before anything is sent.
func sendDocx(w http.ResponseWriter, d officedoc.Document, file, name string) error {
	var buf bytes.Buffer
	if err := officedoc.Write(&buf, d); err != nil {
		return err
	}
	w.Header().Set("Content-Type", officedoc.ContentType)
	w.Header().Set("Content-Disposition", attachment(file, name))
	_, err := buf.WriteTo(w)
	return err
}

// pathIDSuffix is pathID for a path segment that may end in suffix, as in
// /api/v1/bulletins/{id}.docx (a pattern wildcard is a whole segment); it
// returns ENOTFOUND when the rest is not a positive number.
func pathIDSuffix(r *http.Request, suffix string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimSuffix(r.PathValue("id"), suffix), 10, 64)
	if err != nil || id <= 0 {
		return 0, healthcell.Errorf(healthcell.ENOTFOUND, "error.not_found")
	}
	return id, nil
}

// divisionName returns the name of a division the caller's scope lies in or
// covers: a township officer reads its county's name from the ancestors of
// its own township. It returns "" when neither is readable.
func (s *Server) divisionName(ctx context.Context, code string) string {
	if d, err := s.svc.Divisions.FindDivision(ctx, code); err == nil {
		return d.Name
	}
	u := userFrom(ctx)
	if u == nil {
		return ""
	}
	if d, err := s.svc.Divisions.FindDivision(ctx, u.Scope); err == nil {
		for _, a := range d.Ancestors {
			if a.Code == code {
				return a.Name
			}
		}
	}
	return ""
}
