package sqlstore_test

import (
	"context"
	"encoding/json"
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

		if r, _, err := db.ReserveKey(a, "k1", "fp1"); r != nil || err != nil {
			t.Fatalf("first reserve: %v %v", r, err)
		}
		if _, _, err := db.ReserveKey(a, "k1", "fp1"); healthcell.ErrorCode(err) != healthcell.ECONFLICT {
			t.Errorf("while running: %s", code(err))
		}
		if r, _, err := db.ReserveKey(b, "k1", "other"); r != nil || err != nil {
			t.Errorf("another user's key of the same name: %v %v", r, err)
		}
		if err := db.FinishKey(a, "k1", healthcell.IdempotentResult{Status: 201, Body: []byte(`{"id":7}`)}); err != nil {
			t.Fatal(err)
		}
		r, _, err := db.ReserveKey(a, "k1", "fp1")
		if err != nil || r == nil || r.Status != 201 || string(r.Body) != `{"id":7}` {
			t.Errorf("replay: %+v %v", r, err)
		}
		if _, _, err := db.ReserveKey(a, "k1", "fp2"); !strings.Contains(code(err), "invalid") || len(healthcell.ErrorFields(err)) != 1 ||
			healthcell.ErrorFields(err)[0].Message != "idempotency.key_reused" {
			t.Errorf("reused for another request: %s", code(err))
		}
		for _, bad := range []string{"", strings.Repeat("x", 101), "with space", "长"} {
			if _, _, err := db.ReserveKey(a, bad, "fp"); healthcell.ErrorCode(err) != healthcell.EINVALID {
				t.Errorf("key %q: %s", bad, code(err))
			}
		}
		// Released: free again.
		if err := db.ReleaseKey(b, "k1"); err != nil {
			t.Fatal(err)
		}
		if r, _, err := db.ReserveKey(b, "k1", "third"); r != nil || err != nil {
			t.Errorf("after release: %v %v", r, err)
		}
		// Abandoned (its process died): taken over after two minutes.
		now = now.Add(3 * time.Minute)
		if r, _, err := db.ReserveKey(b, "k1", "third"); r != nil || err != nil {
			t.Errorf("take over: %v %v", r, err)
		}
		if _, _, err := db.ReserveKey(b, "k1", "third"); healthcell.ErrorCode(err) != healthcell.ECONFLICT {
			t.Errorf("after the take-over it runs again: %s", code(err))
		}
		if _, _, err := db.ReserveKey(sqltest.System(), "k9", "fp"); healthcell.ErrorCode(err) != healthcell.EFORBIDDEN {
			t.Errorf("the system actor: %s", code(err))
		}
	})
}

// TestIdempotentWriteCommitsAnswer checks that a record and its key's answer
// commit in one transaction: a crash after the commit and before FinishKey
// leaves a key that replays the record (a retry stores nothing twice); a
// key taken over meanwhile rolls the record back; a refused write leaves the
// key unanswered, to be released.
func TestIdempotentWriteCommitsAnswer(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db)
		now := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		u := &healthcell.User{Username: "field", Role: healthcell.RoleVillage, Scope: sqltest.Village}
		if err := db.CreateUser(sqltest.System(), u, "long-enough-1"); err != nil {
			t.Fatal(err)
		}
		ctx := healthcell.WithActor(t.Context(), healthcell.ActorOf(u))
		count := func() int {
			_, n, err := db.FindEntries(sqltest.System(), healthcell.EntryFilter{Register: "checkups", Division: sqltest.Village, Limit: 1})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		reserve := func(key string) *healthcell.IdempotencyClaim {
			t.Helper()
			prev, c, err := db.ReserveKey(ctx, key, "fp-"+key)
			if err != nil || prev != nil || c == nil {
				t.Fatalf("reserve %s: %v %v %v", key, prev, c, err)
			}
			c.Status = 201
			return c
		}

		// Committed, then the process dies before FinishKey.
		c := reserve("crash")
		e, err := db.CreateEntry(healthcell.WithIdempotencyClaim(ctx, c), checkup(w.pA, "2026-02-27"))
		if err != nil || !c.Answered {
			t.Fatalf("create: %v, answered %v", err, c.Answered)
		}
		prev, again, err := db.ReserveKey(ctx, "crash", "fp-crash")
		var got struct{ ID int64 }
		if err == nil && prev != nil {
			err = json.Unmarshal(prev.Body, &got)
		}
		if err != nil || prev == nil || again != nil || prev.Status != 201 || got.ID != e.ID {
			t.Fatalf("the retry after the crash: %+v %v %v (want entry %d)", prev, again, err, e.ID)
		}
		if err := db.ReleaseKey(ctx, "crash"); err != nil {
			t.Fatal(err)
		}
		if prev, _, _ := db.ReserveKey(ctx, "crash", "fp-crash"); prev == nil {
			t.Errorf("releasing an answered key forgot it")
		}
		if n := count(); n != 1 {
			t.Errorf("%d check-ups after the crash and retry, want 1", n)
		}

		// A slow request whose key another took over: its record is
		// rolled back with the key's answer.
		slow := reserve("slow")
		now = now.Add(3 * time.Minute)
		taker := reserve("slow")
		_, err = db.CreateEntry(healthcell.WithIdempotencyClaim(ctx, slow), checkup(w.pA, "2026-02-28"))
		if healthcell.ErrorCode(err) != healthcell.ECONFLICT || healthcell.ErrorMessage(err) != "idempotency.in_progress" || slow.Answered {
			t.Fatalf("the overtaken request: %v", err)
		}
		if n := count(); n != 1 {
			t.Fatalf("the overtaken request stored its check-up: %d", n)
		}
		if _, err := db.CreateEntry(healthcell.WithIdempotencyClaim(ctx, taker), checkup(w.pA, "2026-02-28")); err != nil || !taker.Answered {
			t.Fatalf("the request that took over: %v", err)
		}
		if n := count(); n != 2 {
			t.Errorf("%d check-ups, want 2", n)
		}

		// A refused write answers nothing: the key may be released.
		bad := reserve("bad")
		if _, err := db.CreateEntry(healthcell.WithIdempotencyClaim(ctx, bad), checkup(w.pA, "")); healthcell.ErrorCode(err) != healthcell.EINVALID || bad.Answered {
			t.Fatalf("a refused check-up: %v", err)
		}
		if err := db.ReleaseKey(ctx, "bad"); err != nil {
			t.Fatal(err)
		}
		if prev, c, err := db.ReserveKey(ctx, "bad", "fp-bad"); prev != nil || c == nil || err != nil {
			t.Errorf("a released key: %v %v %v", prev, c, err)
		}
	})
}

// TestEveryOfflineWriteAnswersItsKey runs each write the phone queues with
// a reserved key and checks that the key answers with the record as soon
// as the write committed, before any FinishKey.
func TestEveryOfflineWriteAnswersItsKey(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db)
		loadQuestionnaires(t, db)
		std := villageStandard()
		if err := db.CreateStandard(sqltest.System(), std); err != nil {
			t.Fatal(err)
		}
		u := &healthcell.User{Username: "field", Role: healthcell.RoleVillage, Scope: sqltest.Village}
		if err := db.CreateUser(sqltest.System(), u, "long-enough-1"); err != nil {
			t.Fatal(err)
		}
		ctx := healthcell.WithActor(t.Context(), healthcell.ActorOf(u))
		sh := &healthcell.ScoreSheet{StandardCode: std.Code, Kind: healthcell.SheetSelf, UnitKind: "village", UnitRef: sqltest.Village, Year: 2025}
		if err := db.CreateScoreSheet(ctx, sh); err != nil {
			t.Fatal(err)
		}
		act, err := db.CreateEntry(ctx, healthcell.EntryInput{Register: "activities", VillageCode: sqltest.Village,
			Fields: map[string]string{"kind": "lecture", "activity_date": "2025-05-01", "place": "村活动室", "topic": "控烟", "attendance": "2"}})
		if err != nil {
			t.Fatal(err)
		}
		yes := true
		tests := []struct {
			name   string
			status int
			write  func(ctx context.Context) (int64, error) // the id the answer must carry
		}{
			{"check-up", 201, func(ctx context.Context) (int64, error) {
				e, err := db.CreateEntry(ctx, checkup(w.pA2, "2025-03-02"))
				return idOf(e, err)
			}},
			{"edited activity", 200, func(ctx context.Context) (int64, error) {
				e, err := db.UpdateEntry(ctx, act.ID, healthcell.EntryInput{Register: "activities", Version: act.Version,
					Fields: map[string]string{"kind": "lecture", "activity_date": "2025-05-01", "place": "村卫生室", "topic": "控烟", "attendance": "2"}})
				return idOf(e, err)
			}},
			{"activity photo", 201, func(ctx context.Context) (int64, error) {
				f, err := db.AddEntryFile(ctx, "activities", act.ID, "签到表.png", pngBytes(t))
				return idOf(f, err)
			}},
			{"literacy response", 201, func(ctx context.Context) (int64, error) {
				r := &healthcell.Response{Questionnaire: literacy, PersonID: w.pA.ID, SurveyDate: "2025-06-01", Answers: keyAnswers(t, db, literacy, nil)}
				err := db.CreateResponse(ctx, r)
				return r.ID, err
			}},
			{"sheet answer", 200, func(ctx context.Context) (int64, error) {
				return 0, db.SaveAnswer(ctx, sh.ID, &healthcell.Answer{ItemCode: "1", Yes: &yes, Note: "入户核实"})
			}},
			{"evidence", 201, func(ctx context.Context) (int64, error) {
				e, err := db.AddEvidence(ctx, sh.ID, "6", "宣传栏.png", pngBytes(t))
				return idOf(e, err)
			}},
		}
		for _, tc := range tests {
			key := "k-" + strings.ReplaceAll(tc.name, " ", "-")
			_, c, err := db.ReserveKey(ctx, key, "fp")
			if err != nil {
				t.Fatal(err)
			}
			c.Status = tc.status
			id, err := tc.write(healthcell.WithIdempotencyClaim(ctx, c))
			if err != nil || !c.Answered {
				t.Errorf("%s: %v, answered %v", tc.name, err, c.Answered)
				continue
			}
			prev, again, err := db.ReserveKey(ctx, key, "fp")
			var got struct {
				ID   int64  `json:"id"`
				Item string `json:"item_code"`
			}
			if err == nil && prev != nil {
				err = json.Unmarshal(prev.Body, &got)
			}
			if err != nil || prev == nil || again != nil || prev.Status != tc.status || got.ID != id || (id == 0 && got.Item != "1") {
				t.Errorf("%s: the key answers %+v (%v), want status %d and id %d", tc.name, prev, err, tc.status, id)
			}
		}
	})
}

// idOf returns the id of a record a write returned, and its error.
func idOf[T interface {
	*healthcell.Entry | *healthcell.EntryFile | *healthcell.Evidence
}](v T, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	switch x := any(v).(type) {
	case *healthcell.Entry:
		return x.ID, nil
	case *healthcell.EntryFile:
		return x.ID, nil
	case *healthcell.Evidence:
		return x.ID, nil
	}
	return 0, nil
}
