package sqlstore

import (
	"slices"
	"testing"
)

// TestPageClause checks which pages get their numbers in the SQL text and
// which take parameters after the query's own.
func TestPageClause(t *testing.T) {
	for _, c := range []struct {
		limit, offset int
		sql           string
		args          []any
	}{
		{50, 0, " LIMIT 50 OFFSET 0", []any{"a"}},
		{50, 350, " LIMIT 50 OFFSET 350", []any{"a"}},
		{20, 20, " LIMIT 20 OFFSET 20", []any{"a"}},
		{50, 400, " LIMIT CAST($2 AS INTEGER) OFFSET $3", []any{"a", 50, 400}}, // past the first pages
		{50, 7, " LIMIT CAST($2 AS INTEGER) OFFSET $3", []any{"a", 50, 7}},     // not a page boundary
		{40, 0, " LIMIT CAST($2 AS INTEGER) OFFSET $3", []any{"a", 40, 0}},     // another size
	} {
		sql, args := pageClause([]any{"a"}, c.limit, c.offset)
		if sql != c.sql || !slices.Equal(args, c.args) {
			t.Errorf("pageClause(%d, %d) = %q %v, want %q %v", c.limit, c.offset, sql, args, c.sql, c.args)
		}
	}
}
