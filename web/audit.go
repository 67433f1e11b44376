package web

import (
	"net/http"

	"github.com/healthcell/healthcell"
)

type auditView struct {
	Page
	Filter  healthcell.AuditFilter
	Entries []*healthcell.AuditEntry
	Pager   pager
}

// auditPage lists the audit log within the user's scope, filtered by record
// (entity and id) and by user.
func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	page, offset := offsetOf(r)
	f := healthcell.AuditFilter{Entity: q.Get("entity"), EntityID: q.Get("id"), Username: q.Get("user"), Offset: offset, Limit: pageSize}
	entries, total, err := s.svc.Audit.FindAudit(r.Context(), f)
	if err != nil {
		return err
	}
	v := auditView{Page: s.newPage(r, "audit.title"), Filter: f, Entries: entries, Pager: newPager(r, page, total)}
	return s.render(w, r, http.StatusOK, "audit", v)
}
