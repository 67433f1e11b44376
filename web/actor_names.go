package web

import (
	"context"
	"strings"
)

// Pages name the people who acted by their display names (陵江镇干部),
// never by their login names, and the system as 系统: the audit log and
// histories read AuditEntry.DisplayName, the timeline
// Transition.DisplayName; the fields that hold a username (a
// rectification's AnsweredBy, a bulletin's IssuedBy, …) are looked up with
// withNames before the page is rendered and shown with Page.Who.

// withNames returns p knowing the display names of usernames (a failed
// look-up is logged and leaves the usernames shown).
func (s *Server) withNames(ctx context.Context, p Page, usernames ...string) Page {
	if s.svc.DisplayNames == nil || len(usernames) == 0 {
		return p
	}
	names, err := s.svc.DisplayNames(ctx, usernames)
	if err != nil {
		s.log.Error("display names", "err", err)
		return p
	}
	p.names = names
	return p
}

// Who returns how the page names the account username: its display name
// when known, 系统 for the system (and nobody), else the username.
func (p Page) Who(username string) string {
	if n, ok := p.names[username]; ok {
		return n
	}
	return p.ActorName("", username)
}

// ActorName returns display, or 系统 when username is the system's (or
// empty), else username.
func (p Page) ActorName(display, username string) string {
	switch {
	case display != "":
		return display
	case username == "" || username == "system":
		return p.T("common.system")
	}
	return username
}

// AuditAction names an audit entry's action: its own message, else the
// workflow action's name (apply → 申报), else 其他操作 — never a raw key.
func (p Page) AuditAction(action string) string {
	if p.tr.Has("audit.action." + action) {
		return p.T("audit.action." + action)
	}
	if _, ok := p.defs.Creation.Transition(action); ok {
		return p.ActionName(action)
	}
	return p.T("audit.action.other")
}

// AuditEntity names the kind of record an audit entry is about: a
// register's entries are 台账记录, the others their own message, else 其他.
func (p Page) AuditEntity(entity string) string {
	if strings.HasPrefix(entity, "register.") {
		entity = "register_entry"
	}
	return p.TOr("audit.entity."+entity, p.T("audit.entity.other"))
}
