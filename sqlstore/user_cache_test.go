package sqlstore_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestUserByIDCache checks that the session user lookup, which is cached,
// sees every change made by this process at once and one made by another
// process (a second handle, as the command line is) within two seconds.
func TestUserByIDCache(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		var mu sync.Mutex
		clock := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
		advance := func(d time.Duration) { mu.Lock(); clock = clock.Add(d); mu.Unlock() }
		other, err := sqlstore.Open(context.Background(), db.DSN, sqltest.Definitions(t))
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		sqltest.LoadDivisions(t, db)
		u := &healthcell.User{Username: "cun1", DisplayName: "村干部", Role: healthcell.RoleVillage, Scope: sqltest.Village}
		if err := db.CreateUser(sqltest.System(), u, "long enough password"); err != nil {
			t.Fatal(err)
		}
		lookup := func() (*healthcell.User, error) { return db.UserByID(context.Background(), u.ID) }
		steps := []struct {
			name    string
			do      func()
			err     string
			version int // of the user found
		}{
			{name: "first look-up", do: func() {}, version: 1},
			{name: "caller changes its copy", do: func() {
				got, _ := lookup()
				got.Disabled, got.Version = true, 99
			}, version: 1},
			{name: "password changed here: at once", do: func() {
				wantCode(t, db.SetPassword(sqltest.System(), "cun1", "another long password"), "")
			}, version: 2},
			{name: "disabled here: at once", do: func() {
				wantCode(t, db.SetDisabled(sqltest.System(), "cun1", true), "")
			}, err: healthcell.ENOTFOUND},
			{name: "enabled by another process: not yet", do: func() {
				wantCode(t, other.SetDisabled(sqltest.System(), "cun1", false), "")
			}, err: healthcell.ENOTFOUND},
			{name: "enabled by another process: two seconds later", do: func() { advance(2 * time.Second) }, version: 4},
			{name: "disabled by another process: within two seconds", do: func() {
				wantCode(t, other.SetDisabled(sqltest.System(), "cun1", true), "")
				advance(1999 * time.Millisecond)
			}, version: 4},
			{name: "disabled by another process: two seconds later", do: func() { advance(time.Millisecond) }, err: healthcell.ENOTFOUND},
		}
		for _, st := range steps {
			t.Run(st.name, func(t *testing.T) {
				st.do()
				got, err := lookup()
				wantCode(t, err, st.err)
				if st.err == "" && (got.Version != st.version || got.Disabled || got.Username != "cun1") {
					t.Errorf("got %+v, want version %d", got, st.version)
				}
			})
		}
		if _, err := db.UserByID(context.Background(), u.ID+1000); healthcell.ErrorCode(err) != healthcell.ENOTFOUND {
			t.Errorf("unknown user: %v", err)
		}
	})
}
