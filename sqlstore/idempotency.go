package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/healthcell/healthcell"
)

// idempotencyStale is how long a reserved key may stay unanswered before a
// retry may take it over: the request that reserved it died with its
// process. A request is never that slow.
const idempotencyStale = 2 * time.Minute

// idempotencyKeep is how long answered keys are kept; a phone retries
// within days, not weeks.
const idempotencyKeep = 30 * 24 * time.Hour

// ReserveKey claims key for the calling user (see healthcell.IdempotencyService).
func (db *DB) ReserveKey(ctx context.Context, key, fingerprint string) (*healthcell.IdempotentResult, *healthcell.IdempotencyClaim, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, nil, err
	}
	if a.UserID == 0 {
		return nil, nil, healthcell.Errorf(healthcell.EFORBIDDEN, "error.forbidden")
	}
	if !healthcell.ValidIdempotencyKey(key) {
		return nil, nil, healthcell.Invalid([]healthcell.FieldError{{Field: "Idempotency-Key", Message: "idempotency.bad_key"}})
	}
	now := db.Now().Unix()
	res, err := db.w.ExecContext(ctx, `INSERT INTO idempotency_keys (user_id, idem_key, fingerprint, status, body, created_at)
		VALUES ($1, $2, $3, 0, '', $4) ON CONFLICT DO NOTHING`, a.UserID, key, fingerprint, now)
	if err != nil {
		return nil, nil, fmt.Errorf("reserve idempotency key: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		// A new key: forget this user's old ones while at it.
		if _, err := db.w.ExecContext(ctx, `DELETE FROM idempotency_keys WHERE user_id = $1 AND created_at < $2`,
			a.UserID, now-int64(idempotencyKeep/time.Second)); err != nil {
			return nil, nil, fmt.Errorf("forget old idempotency keys: %w", err)
		}
		return nil, &healthcell.IdempotencyClaim{Key: key, Token: now}, nil
	}
	var (
		fp      string
		status  int
		body    string
		created int64
	)
	err = db.w.QueryRowContext(ctx, `SELECT fingerprint, status, body, created_at FROM idempotency_keys WHERE user_id = $1 AND idem_key = $2`,
		a.UserID, key).Scan(&fp, &status, &body, &created)
	if errors.Is(err, sql.ErrNoRows) {
		// Released between our insert and this read: try once more.
		return db.ReserveKey(ctx, key, fingerprint)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("read idempotency key: %w", err)
	}
	switch {
	case fp != fingerprint:
		return nil, nil, healthcell.Invalid([]healthcell.FieldError{{Field: "Idempotency-Key", Message: "idempotency.key_reused"}})
	case status != 0:
		return &healthcell.IdempotentResult{Status: status, Body: []byte(body)}, nil, nil
	case now-created < int64(idempotencyStale/time.Second):
		return nil, nil, healthcell.Errorf(healthcell.ECONFLICT, "idempotency.in_progress")
	}
	// An abandoned reservation: take it over, unless another retry did.
	res, err = db.w.ExecContext(ctx, `UPDATE idempotency_keys SET created_at = $1 WHERE user_id = $2 AND idem_key = $3 AND status = 0 AND created_at = $4`,
		now, a.UserID, key, created)
	if err != nil {
		return nil, nil, fmt.Errorf("take over idempotency key: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nil, nil, healthcell.Errorf(healthcell.ECONFLICT, "idempotency.in_progress")
	}
	return nil, &healthcell.IdempotencyClaim{Key: key, Token: now}, nil
}

// FinishKey stores the answer of a reserved key of the calling user.
func (db *DB) FinishKey(ctx context.Context, key string, r healthcell.IdempotentResult) error {
	a, err := actorOf(ctx)
	if err != nil {
		return err
	}
	if _, err := db.w.ExecContext(ctx, `UPDATE idempotency_keys SET status = $1, body = $2 WHERE user_id = $3 AND idem_key = $4`,
		r.Status, string(r.Body), a.UserID, key); err != nil {
		return fmt.Errorf("finish idempotency key: %w", err)
	}
	return nil
}

// ReleaseKey forgets a reserved, unanswered key of the calling user.
func (db *DB) ReleaseKey(ctx context.Context, key string) error {
	a, err := actorOf(ctx)
	if err != nil {
		return err
	}
	if _, err := db.w.ExecContext(ctx, `DELETE FROM idempotency_keys WHERE user_id = $1 AND idem_key = $2 AND status = 0`, a.UserID, key); err != nil {
		return fmt.Errorf("release idempotency key: %w", err)
	}
	return nil
}

// keepAnswer names v as the answer of the request running, to be stored
// with its idempotency key (if it carries one) when tx commits.
func (tx *Tx) keepAnswer(v any) { tx.answer = v }

// settleKey stores the kept answer with the idempotency claim of ctx, in tx,
// just before it commits: the record and the key's answer commit together.
// It does nothing without a claim or a kept answer. It returns ECONFLICT
// idempotency.in_progress when the reservation is no longer the claim's
// (another request took it over), which rolls the record back.
func (tx *Tx) settleKey(ctx context.Context) error {
	c := healthcell.IdempotencyClaimFrom(ctx)
	if c == nil || tx.answer == nil {
		return nil
	}
	body, err := json.Marshal(tx.answer)
	if err != nil {
		return fmt.Errorf("idempotent answer: %w", err)
	}
	res, err := tx.ExecContext(ctx, `UPDATE idempotency_keys SET status = $1, body = $2
		WHERE user_id = $3 AND idem_key = $4 AND status = 0 AND created_at = $5`,
		c.Status, string(body), tx.actor.UserID, c.Key, c.Token)
	if err != nil {
		return fmt.Errorf("idempotent answer: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return healthcell.Errorf(healthcell.ECONFLICT, "idempotency.in_progress")
	}
	return nil
}
