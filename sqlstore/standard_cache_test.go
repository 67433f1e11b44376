package sqlstore_test

import (
	"context"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestStandardsCache checks that the cached standards list follows every
// load by this process at once and one by another process (a second handle
// on the same database, as the command line is) once the check is due, and
// that callers cannot change it.
func TestStandardsCache(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := sqltest.System()
		other, err := sqlstore.Open(context.Background(), db.DSN, sqltest.Definitions(t))
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		versions := func() map[string]int {
			t.Helper()
			list, err := db.FindStandards(ctx)
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]int{}
			for _, s := range list {
				out[s.Code] = s.Version
			}
			return out
		}
		load := func(d *sqlstore.DB, code string, pass float64) {
			t.Helper()
			s := villageStandard()
			s.Code, s.PassScore = code, pass
			if err := d.CreateStandard(ctx, s); err != nil {
				t.Fatal(err)
			}
		}
		steps := []struct {
			name string
			do   func()
			want map[string]int
		}{
			{name: "empty", do: func() {}, want: map[string]int{}},
			{name: "loaded here", do: func() { load(db, "a", 30) }, want: map[string]int{"a": 1}},
			{name: "loaded by another process", do: func() { load(other, "b", 30); db.ExpireStandardsCheckForTest() }, want: map[string]int{"a": 1, "b": 1}},
			{name: "new version by another process", do: func() { load(other, "a", 35); db.ExpireStandardsCheckForTest() }, want: map[string]int{"a": 2, "b": 1}},
			{name: "identical load changes nothing", do: func() { load(db, "a", 35) }, want: map[string]int{"a": 2, "b": 1}},
			{name: "caller changes its copy", do: func() {
				list, err := db.FindStandards(ctx)
				if err != nil || len(list) == 0 {
					t.Fatal(list, err)
				}
				list[0].Version, list[0].Code = 99, "changed"
			}, want: map[string]int{"a": 2, "b": 1}},
		}
		for _, st := range steps {
			t.Run(st.name, func(t *testing.T) {
				st.do()
				got := versions()
				if len(got) != len(st.want) {
					t.Fatalf("standards %v, want %v", got, st.want)
				}
				for code, v := range st.want {
					if got[code] != v {
						t.Errorf("standards %v, want %v", got, st.want)
					}
				}
			})
		}
		if _, err := db.FindStandards(context.Background()); healthcell.ErrorCode(err) != healthcell.EUNAUTHORIZED {
			t.Errorf("no actor: %v", err)
		}
	})
}
