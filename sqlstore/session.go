package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// SessionStore keeps web sessions in the sessions table of either engine; it
// implements the scs Store and CtxStore interfaces.
type SessionStore struct{ db *DB }

// Sessions returns the session store of db.
func (db *DB) Sessions() *SessionStore { return &SessionStore{db: db} }

// FindCtx returns the data of an unexpired session; found is false when
// there is none. A session this process read or wrote less than
// sessionCacheTTL ago is served from memory (session_cache.go).
func (s *SessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	now := s.db.Now()
	if b, ok := s.db.sessionCache.get(token, now); ok {
		return b, true, nil
	}
	gen := s.db.sessionCache.generation()
	var b []byte
	var expiry time.Time
	err := s.db.r.QueryRowContext(ctx, `SELECT data, expiry FROM sessions WHERE token = $1 AND expiry > $2`, token, now).Scan(&b, &expiry)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	s.db.sessionCache.put(token, b, expiry, gen)
	return b, true, nil
}

// CommitCtx stores or replaces a session.
func (s *SessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	s.db.sessionCache.drop(token)
	gen := s.db.sessionCache.generation()
	if _, err := s.db.w.ExecContext(ctx, `INSERT INTO sessions (token, data, expiry) VALUES ($1, $2, $3)
		ON CONFLICT (token) DO UPDATE SET data = excluded.data, expiry = excluded.expiry`, token, b, expiry.UTC()); err != nil {
		return err
	}
	s.db.sessionCache.put(token, b, expiry, gen)
	return nil
}

// DeleteCtx removes a session.
func (s *SessionStore) DeleteCtx(ctx context.Context, token string) error {
	// Dropped before, so that no read from then on is kept; and after, for
	// a read that began before the delete and kept the row.
	s.db.sessionCache.drop(token)
	_, err := s.db.w.ExecContext(ctx, `DELETE FROM sessions WHERE token = $1`, token)
	s.db.sessionCache.drop(token)
	return err
}

// Find implements scs.Store.
func (s *SessionStore) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}

// Commit implements scs.Store.
func (s *SessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, b, expiry)
}

// Delete implements scs.Store.
func (s *SessionStore) Delete(token string) error { return s.DeleteCtx(context.Background(), token) }

// DeleteExpired removes expired sessions and returns how many.
func (s *SessionStore) DeleteExpired(ctx context.Context) (int64, error) {
	defer s.db.sessionCache.clear()
	res, err := s.db.w.ExecContext(ctx, `DELETE FROM sessions WHERE expiry <= $1`, s.db.Now())
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
