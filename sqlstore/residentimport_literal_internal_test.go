package sqlstore

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"
)

// TestSQLiteLiteral: a value written as a literal into an import's INSERT
// is stored exactly as the driver stores it bound (same type, same text),
// quotes included; a string with a NUL and a value of another type are
// bound instead.
func TestSQLiteLiteral(t *testing.T) {
	raw, err := sql.Open("sqlite", sqliteDSN(filepath.Join(t.TempDir(), "l.db"), false))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	ctx := context.Background()
	if _, err := raw.ExecContext(ctx, `CREATE TABLE t (k INTEGER, v ANY)`); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 22, 20, 16, 2, 618949000, time.UTC)
	for i, v := range []any{"O'Brien 李''", "", nil, int64(7), 3, true, false, now} {
		lit, ok := sqliteLiteral(v)
		if !ok {
			t.Fatalf("%v: no literal", v)
		}
		if _, err := raw.ExecContext(ctx, `INSERT INTO t (k, v) VALUES (?, ?), (?, `+lit+`)`, 2*i, v, 2*i+1); err != nil {
			t.Fatalf("%v as %s: %v", v, lit, err)
		}
		var bound, literal, tb, tl string
		if err := raw.QueryRowContext(ctx, `SELECT quote(a.v), quote(b.v), typeof(a.v), typeof(b.v) FROM t a, t b WHERE a.k = ? AND b.k = ?`, 2*i, 2*i+1).Scan(&bound, &literal, &tb, &tl); err != nil {
			t.Fatal(err)
		}
		if bound != literal || tb != tl {
			t.Errorf("%#v: bound %s (%s), literal %s (%s)", v, bound, tb, literal, tl)
		}
	}
	for _, v := range []any{"a\x00b", 1.5, []byte("x")} {
		if lit, ok := sqliteLiteral(v); ok {
			t.Errorf("%#v has the literal %s", v, lit)
		}
	}
}
