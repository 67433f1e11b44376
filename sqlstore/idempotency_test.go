package sqlstore_test

import (
	"strings"
	"testing"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestIdempotencyKeys checks a key's life: reserved once, answered, replayed;
// refused for another request or while running; taken over when abandoned;
// forgotten when released; separate for each user.
func TestIdempotencyKeys(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		sqltest.LoadDivisions(t, db)
		now := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		mk := func(name string) *healthcell.User {
			u := &healthcell.User{Username: name, Role: healthcell.RoleVillage, Scope: sqltest.Village}
			if err := db.CreateUser(sqltest.System(), u, "long-enough-1"); err != nil {
				t.Fatal(err)
			}
			return u
		}
		a := healthcell.WithActor(t.Context(), healthcell.ActorOf(mk("alice")))
		b := healthcell.WithActor(t.Context(), healthcell.ActorOf(mk("bob")))
		code := func(err error) string { return healthcell.ErrorCode(err) + " " + healthcell.ErrorMessage(err) }

		if r, err := db.ReserveKey(a, "k1", "fp1"); r != nil || err != nil {
			t.Fatalf("first reserve: %v %v", r, err)
		}
		if _, err := db.ReserveKey(a, "k1", "fp1"); healthcell.ErrorCode(err) != healthcell.ECONFLICT {
			t.Errorf("while running: %s", code(err))
		}
		if r, err := db.ReserveKey(b, "k1", "other"); r != nil || err != nil {
			t.Errorf("another user's key of the same name: %v %v", r, err)
		}
		if err := db.FinishKey(a, "k1", healthcell.IdempotentResult{Status: 201, Body: []byte(`{"id":7}`)}); err != nil {
			t.Fatal(err)
		}
		r, err := db.ReserveKey(a, "k1", "fp1")
		if err != nil || r == nil || r.Status != 201 || string(r.Body) != `{"id":7}` {
			t.Errorf("replay: %+v %v", r, err)
		}
		if _, err := db.ReserveKey(a, "k1", "fp2"); !strings.Contains(code(err), "invalid") || len(healthcell.ErrorFields(err)) != 1 ||
			healthcell.ErrorFields(err)[0].Message != "idempotency.key_reused" {
			t.Errorf("reused for another request: %s", code(err))
		}
		for _, bad := range []string{"", strings.Repeat("x", 101), "with space", "长"} {
			if _, err := db.ReserveKey(a, bad, "fp"); healthcell.ErrorCode(err) != healthcell.EINVALID {
				t.Errorf("key %q: %s", bad, code(err))
			}
		}
		// Released: free again.
		if err := db.ReleaseKey(b, "k1"); err != nil {
			t.Fatal(err)
		}
		if r, err := db.ReserveKey(b, "k1", "third"); r != nil || err != nil {
			t.Errorf("after release: %v %v", r, err)
		}
		// Abandoned (its process died): taken over after two minutes.
		now = now.Add(3 * time.Minute)
		if r, err := db.ReserveKey(b, "k1", "third"); r != nil || err != nil {
			t.Errorf("take over: %v %v", r, err)
		}
		if _, err := db.ReserveKey(b, "k1", "third"); healthcell.ErrorCode(err) != healthcell.ECONFLICT {
			t.Errorf("after the take-over it runs again: %s", code(err))
		}
		if _, err := db.ReserveKey(sqltest.System(), "k9", "fp"); healthcell.ErrorCode(err) != healthcell.EFORBIDDEN {
			t.Errorf("the system actor: %s", code(err))
		}
	})
}
