package sqlstore

import (
	"context"
	"database/sql"
	"sync"
	"sync/atomic"
)

// maxCachedStatements bounds the statement cache; queries past it run
// unprepared, so a bug that builds unbounded distinct SQL cannot grow memory.
const maxCachedStatements = 512

// readPool is the pool reads go through. On SQLite it keeps one prepared
// statement per distinct query text (database/sql prepares it once on each
// connection), because parsing and planning SQL is a large share of a small
// read with the pure-Go driver. PostgreSQL's driver caches statements itself.
type readPool struct {
	*sql.DB
	cache bool
	stmts sync.Map // query text → *sql.Stmt
	count atomic.Int32
}

func newReadPool(db *sql.DB, cache bool) *readPool { return &readPool{DB: db, cache: cache} }

// stmt returns the cached statement for q, preparing it on first use; nil
// when caching is off, full, or the preparation failed (the caller then runs
// q directly, which reports the error).
func (p *readPool) stmt(ctx context.Context, q string) *sql.Stmt {
	if !p.cache {
		return nil
	}
	if s, ok := p.stmts.Load(q); ok {
		return s.(*sql.Stmt)
	}
	if p.count.Load() >= maxCachedStatements {
		return nil
	}
	s, err := p.DB.PrepareContext(ctx, q)
	if err != nil {
		return nil
	}
	if prev, loaded := p.stmts.LoadOrStore(q, s); loaded {
		s.Close()
		return prev.(*sql.Stmt)
	}
	p.count.Add(1)
	return s
}

// QueryContext runs q through its cached statement.
func (p *readPool) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if s := p.stmt(ctx, q); s != nil {
		return s.QueryContext(ctx, args...)
	}
	return p.DB.QueryContext(ctx, q, args...)
}

// QueryRowContext runs q through its cached statement.
func (p *readPool) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	if s := p.stmt(ctx, q); s != nil {
		return s.QueryRowContext(ctx, args...)
	}
	return p.DB.QueryRowContext(ctx, q, args...)
}

// Close closes the cached statements and the pool.
func (p *readPool) Close() error {
	p.stmts.Range(func(_, s any) bool { s.(*sql.Stmt).Close(); return true })
	return p.DB.Close()
}
