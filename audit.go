package healthcell

import (
	"context"
	"time"
)

// AuditEntry is one recorded change: who, when, what, before and after.
type AuditEntry struct {
	ID       int64     `json:"id"`
	At       time.Time `json:"at"`
	UserID   int64     `json:"user_id"`
	Username string    `json:"username"`
	// DisplayName is the user's name as people know it (read from the
	// user's account; "" for the system and for a user since removed).
	DisplayName string `json:"display_name,omitempty"`
	Action      string `json:"action"` // create, update, move, status, load, ...
	Entity      string `json:"entity"` // person, household, user, division
	EntityID    string `json:"entity_id"`
	Division    string `json:"division,omitempty"` // where the record lives, for scoping
	Before      string `json:"before,omitempty"`   // JSON
	After       string `json:"after,omitempty"`    // JSON
}

// AuditFilter selects audit entries.
type AuditFilter struct {
	Entity   string
	EntityID string
	Username string
	Offset   int
	Limit    int
}

// AuditService reads the audit log inside the caller's scope.
type AuditService interface {
	// FindAudit returns a page of entries, newest first, and the total.
	FindAudit(ctx context.Context, f AuditFilter) ([]*AuditEntry, int, error)
}
