package healthcell

import (
	"context"
	"time"
)

// APIToken is a personal API token: a user's own bearer token for an
// integration (another county system, a reporting script). It acts exactly
// as its user, with the user's role and scope. The token itself is shown
// once, when created; only its SHA-256 is stored.
type APIToken struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"` // what the user calls it, e.g. 区县平台对接
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
}

// MaxTokenNameLen is the longest token name accepted, in characters.
const MaxTokenNameLen = 40

// TokenService manages the caller's own API tokens.
type TokenService interface {
	// CreateToken makes a token named name for the calling user and returns
	// it with its secret, which is not stored and cannot be shown again;
	// EINVALID for a bad name, EFORBIDDEN for the system actor.
	CreateToken(ctx context.Context, name string) (*APIToken, string, error)
	// FindTokens lists the caller's tokens, newest first, revoked ones too.
	FindTokens(ctx context.Context) ([]*APIToken, error)
	// RevokeToken ends one of the caller's tokens; ENOTFOUND for another's
	// or an unknown one.
	RevokeToken(ctx context.Context, id int64) error
	// UserByToken returns the active user of a live token and records its
	// use; ENOTFOUND for an unknown, revoked or disabled user's token.
	UserByToken(ctx context.Context, secret string) (*User, error)
}
