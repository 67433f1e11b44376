package sqlstore

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/healthcell/healthcell"
)

// tokenPrefix starts every API token, so that a leaked one is recognisable.
const tokenPrefix = "hct_"

// tokenUseEvery is how often a token's use is recorded (last_used_at and
// an audit entry "use"): at most once a minute per token, so reading through
// a token does not turn every request into a write.
const tokenUseEvery = time.Minute

// tokenHash is the stored form of a token: hex SHA-256.
func tokenHash(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// CreateToken makes a token for the calling user from 32 random bytes and
// stores its hash, with an audit entry; it returns EINVALID for an empty,
// too long or unprintable name and EFORBIDDEN for the system actor.
func (db *DB) CreateToken(ctx context.Context, name string) (*healthcell.APIToken, string, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, "", err
	}
	if a.System || a.UserID == 0 {
		return nil, "", healthcell.Errorf(healthcell.EFORBIDDEN, "error.forbidden")
	}
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return nil, "", healthcell.Invalid([]healthcell.FieldError{{Field: "name", Message: "field.required"}})
	case len([]rune(name)) > healthcell.MaxTokenNameLen:
		return nil, "", healthcell.Invalid([]healthcell.FieldError{{Field: "name", Message: "token.name.too_long", Value: name}})
	}
	if key := healthcell.CheckText(name); key != "" {
		return nil, "", healthcell.Invalid([]healthcell.FieldError{{Field: "name", Message: key}})
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, "", fmt.Errorf("token: %w", err)
	}
	secret := tokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	t := &healthcell.APIToken{Name: name}
	err = db.write(ctx, func(tx *Tx) error {
		t.CreatedAt = tx.now
		if err := tx.QueryRowContext(ctx, `INSERT INTO api_tokens (user_id, name, hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
			a.UserID, name, tokenHash(secret), tx.now).Scan(&t.ID); err != nil {
			return fmt.Errorf("create token: %w", err)
		}
		return tx.audit(ctx, "create", "token", t.ID, a.Scope, nil, t)
	})
	if err != nil {
		return nil, "", err
	}
	return t, secret, nil
}

// FindTokens lists the caller's tokens, newest first.
func (db *DB) FindTokens(ctx context.Context) ([]*healthcell.APIToken, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := db.r.QueryContext(ctx, `SELECT id, name, created_at, last_used_at, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY id DESC`, a.UserID)
	if err != nil {
		return nil, fmt.Errorf("find tokens: %w", err)
	}
	out := []*healthcell.APIToken{}
	err = eachRow(rows, func(rows *sql.Rows) error {
		t, err := scanToken(rows)
		if err != nil {
			return err
		}
		out = append(out, t)
		return nil
	})
	return out, err
}

func scanToken(row interface{ Scan(...any) error }) (*healthcell.APIToken, error) {
	t := &healthcell.APIToken{}
	var used, revoked sql.NullTime
	if err := row.Scan(&t.ID, &t.Name, &t.CreatedAt, &used, &revoked); err != nil {
		return nil, err
	}
	if used.Valid {
		t.LastUsedAt = &used.Time
	}
	if revoked.Valid {
		t.RevokedAt = &revoked.Time
	}
	return t, nil
}

// RevokeToken ends one of the caller's live tokens, with an audit entry;
// ENOTFOUND for another user's, an unknown or an already revoked token.
func (db *DB) RevokeToken(ctx context.Context, id int64) error {
	a, err := actorOf(ctx)
	if err != nil {
		return err
	}
	return db.write(ctx, func(tx *Tx) error {
		t, err := scanToken(tx.QueryRowContext(ctx, `SELECT id, name, created_at, last_used_at, revoked_at FROM api_tokens
			WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL`, id, a.UserID))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("token")
		}
		if err != nil {
			return fmt.Errorf("revoke token: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE id = $2`, tx.now, id); err != nil {
			return fmt.Errorf("revoke token: %w", err)
		}
		after := *t
		after.RevokedAt = &tx.now
		return tx.audit(ctx, "revoke", "token", id, a.Scope, t, &after)
	})
}

// UserByToken returns the user of a live token: ENOTFOUND for an unknown or
// revoked token or a disabled user. Its use is recorded at most once per
// tokenUseEvery: last_used_at, and an audit entry "use" by the user.
func (db *DB) UserByToken(ctx context.Context, secret string) (*healthcell.User, error) {
	if !strings.HasPrefix(secret, tokenPrefix) {
		return nil, notFound("token")
	}
	var id, uid int64
	var used sql.NullTime
	err := db.r.QueryRowContext(ctx, `SELECT id, user_id, last_used_at FROM api_tokens WHERE hash = $1 AND revoked_at IS NULL`,
		tokenHash(secret)).Scan(&id, &uid, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("token")
	}
	if err != nil {
		return nil, fmt.Errorf("find token: %w", err)
	}
	u, err := db.UserByID(ctx, uid)
	if err != nil {
		return nil, err
	}
	now := db.Now()
	if !used.Valid || now.Sub(used.Time) >= tokenUseEvery {
		a := healthcell.ActorOf(u)
		err := db.write(healthcell.WithActor(ctx, a), func(tx *Tx) error {
			if _, err := tx.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $1 WHERE id = $2`, tx.now, id); err != nil {
				return err
			}
			return tx.audit(ctx, "use", "token", id, a.Scope, nil, nil)
		})
		if err != nil {
			return nil, fmt.Errorf("record token use: %w", err)
		}
	}
	return u, nil
}
