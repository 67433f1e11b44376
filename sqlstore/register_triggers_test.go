package sqlstore_test

import (
	"context"
	"testing"

	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestRegisterTablesHaveVersionTriggers checks that every register's table
// has the three families of triggers that keep indicators current: the data
// version, the village versions and the villages its person or household
// lived in before (migration 0015). A register added by a later migration
// without them would serve stale cached values.
func TestRegisterTablesHaveVersionTriggers(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		for _, d := range db.Registers().All() {
			names, err := db.TriggersForTest(context.Background(), d.Table)
			if err != nil {
				t.Fatal(err)
			}
			want := []string{d.Table + "_data_version"}
			if db.Engine == sqlstore.SQLite {
				want = []string{d.Table + "_dv_insert", d.Table + "_dv_update", d.Table + "_dv_delete"}
			}
			for _, op := range []string{"insert", "update", "delete"} {
				want = append(want, d.Table+"_dv_village_"+op, d.Table+"_dv_history_"+op)
			}
			for _, n := range want {
				if !names[n] {
					t.Errorf("%s: no trigger %s", d.Code, n)
				}
			}
		}
	})
}
