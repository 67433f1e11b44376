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

// TestConcurrentTransitions: two township officers act on the same
// application at once; exactly one wins and the other is told the state
// changed (ECONFLICT): always when they name the version they read (as the
// pages and the API clients do), and without it when the loser's step is
// no longer possible from the new state.
func TestConcurrentTransitions(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFlow(t, db)
		other := sqltest.As("township1b", healthcell.RoleTownship, sqltest.Township)
		for _, withVersion := range []bool{true, false} {
			for round := 0; round < 5; round++ {
				app := f.inState(t, "village", sqltest.Village, "applied")
				reqs := []healthcell.TransitionRequest{
					{Action: "pass_check"},
					{Action: "return_for_rectification", Comment: "厕所不达标", Rectifications: []healthcell.RectificationInput{oneItem}},
				}
				if round%2 == 1 || !withVersion {
					// Without the version read, only a step no longer
					// possible from the new state is told apart.
					reqs[1] = healthcell.TransitionRequest{Action: "pass_check"}
				}
				var wg sync.WaitGroup
				errs := make([]error, 2)
				start := make(chan struct{})
				for i, ctx := range []context.Context{ctxTownship, other} {
					if withVersion {
						reqs[i].Version = app.Version
					}
					wg.Add(1)
					go func() {
						defer wg.Done()
						<-start
						_, errs[i] = db.Transition(ctx, app.ID, reqs[i])
					}()
				}
				close(start)
				wg.Wait()
				wins := 0
				for _, err := range errs {
					switch healthcell.ErrorCode(err) {
					case "":
						wins++
					case healthcell.ECONFLICT:
					default:
						t.Fatalf("round %d: unexpected %v", round, err)
					}
				}
				if wins != 1 {
					t.Fatalf("round %d (version %v): %d wins: %v", round, withVersion, wins, errs)
				}
				got, err := db.FindApplication(sqltest.System(), app.ID)
				if err != nil || got.Version != app.Version+1 || len(got.Timeline) != 3 {
					t.Fatalf("after the race: %+v %v", got, err)
				}
			}
		}
	})
}

// TestDeadlineInShanghai: applications are accepted until the end of the
// deadline day in Asia/Shanghai, i.e. 15:59:59 UTC.
func TestDeadlineInShanghai(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFlow(t, db)
		for _, tc := range []struct {
			at   time.Time
			want string
		}{
			{time.Date(2026, 8, 15, 15, 59, 59, 0, time.UTC), ""},
			{time.Date(2026, 8, 14, 23, 0, 0, 0, time.UTC), ""},
			{time.Date(2026, 8, 15, 16, 0, 0, 0, time.UTC), healthcell.EINVALID},
			{time.Date(2026, 8, 16, 1, 0, 0, 0, time.UTC), healthcell.EINVALID},
		} {
			f.at(flowNow)
			app := f.inState(t, "village", sqltest.Village, "self_assessment")
			f.at(tc.at)
			_, err := db.Transition(ctxVillageA, app.ID, healthcell.TransitionRequest{Action: "apply"})
			wantCode(t, err, tc.want)
			if err != nil && fieldMessage(err, "before_deadline") != "workflow.guard.before_deadline" {
				t.Fatalf("%s: %v", tc.at, err)
			}
		}
	})
}

// TestReviewDates: the review date is the naming day in Shanghai plus the
// standard's review years; 29 February moves to 1 March.
func TestReviewDates(t *testing.T) {
	for _, tc := range []struct{ day, want string }{
		{"2026-06-01", "2029-06-01"}, {"2028-02-29", "2031-03-01"}, {"2026-12-31", "2029-12-31"}, {"bad", ""},
	} {
		if got := healthcell.AddYears(tc.day, 3); got != tc.want {
			t.Errorf("AddYears(%s) = %q, want %q", tc.day, got, tc.want)
		}
	}
	for _, tc := range []struct {
		at   time.Time
		want string
	}{
		{time.Date(2026, 6, 30, 15, 59, 0, 0, time.UTC), "2026-06-30"},
		{time.Date(2026, 6, 30, 16, 0, 0, 0, time.UTC), "2026-07-01"},
	} {
		if got := healthcell.CampaignDay(tc.at); got != tc.want {
			t.Errorf("CampaignDay(%s) = %s, want %s", tc.at, got, tc.want)
		}
	}
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFlow(t, db)
		app := f.inState(t, "village", sqltest.Village, "evaluated")
		f.at(time.Date(2026, 6, 30, 16, 0, 0, 0, time.UTC)) // 1 July in Shanghai
		app = f.step(t, app, "name")
		if app.NamedOn != "2026-07-01" || app.ReviewDue != "2029-07-01" {
			t.Fatalf("named %s review %s", app.NamedOn, app.ReviewDue)
		}
		// A failed review gives a deadline; a second failure revokes; a
		// passed review renews the date from the day it passes.
		app = f.step(t, app, "start_review")
		_, err := db.Transition(ctxCounty, app.ID, healthcell.TransitionRequest{Action: "revoke", Comment: "不合格"})
		wantInvalid(t, err, "second_review_failure")
		app = f.step(t, app, "fail_review", oneItemDue("2026-07-20"))
		if app.State != "review_due" || app.FailedReviews != 1 {
			t.Fatalf("after a failed review: %+v", app)
		}
		_, err = db.Transition(ctxCounty, app.ID, healthcell.TransitionRequest{Action: "fail_review", Comment: "仍不合格", Rectifications: []healthcell.RectificationInput{oneItemDue("2026-07-20")}})
		wantInvalid(t, err, "first_review_failure")
		_, err = db.Transition(ctxCounty, app.ID, healthcell.TransitionRequest{Action: "pass_review"})
		wantInvalid(t, err, "rectification_accepted")
		f.answerAll(t, app)
		got, _ := db.FindApplication(sqltest.System(), app.ID)
		for _, r := range got.Rectifications {
			if r.State == healthcell.RectAnswered {
				if r.CheckerLevel != "county" {
					t.Fatalf("review item checked at %s", r.CheckerLevel)
				}
				_, err := db.CheckRectification(ctxTownship, r.ID, true, "", 0)
				wantCode(t, err, healthcell.EFORBIDDEN)
				if _, err := db.CheckRectification(ctxCounty, r.ID, true, "", 0); err != nil {
					t.Fatal(err)
				}
			}
		}
		f.at(time.Date(2027, 3, 1, 2, 0, 0, 0, time.UTC))
		f.sheet(t, &healthcell.Application{StandardID: app.StandardID, UnitKind: app.UnitKind, UnitRef: app.UnitRef, Year: 2027}, healthcell.SheetEvaluation, true)
		app = f.step(t, app, "pass_review")
		if app.State != "named" || app.ReviewDue != "2030-03-01" || app.FailedReviews != 0 || app.CertificateNo != "510824-2026-0001" {
			t.Fatalf("after a passed review: %+v", app)
		}
		// And revocation after two failures.
		f.at(flowNow)
		rev := f.inState(t, "village", sqltest.Village2, "revoked")
		if rev.State != "revoked" || rev.FailedReviews != 1 {
			t.Fatalf("revoked: %+v", rev)
		}
	})
}

func oneItemDue(day string) healthcell.RectificationInput {
	return healthcell.RectificationInput{ItemCode: "1", Text: "领导小组未调整", Deadline: day}
}

// TestOverdueInShanghai: an open item is overdue from the day after its
// deadline in Shanghai; an answered one is not.
func TestOverdueInShanghai(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFlow(t, db)
		app := f.inState(t, "village", sqltest.Village, "applied")
		f.step(t, app, "return_for_rectification", oneItemDue("2026-05-10"), oneItemDue("2026-05-10"))
		got, _ := db.FindApplication(sqltest.System(), app.ID)
		if _, err := db.AnswerRectification(ctxVillageA, got.Rectifications[1].ID, "已调整", 0); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			at   time.Time
			want int
		}{
			{time.Date(2026, 5, 10, 15, 59, 59, 0, time.UTC), 0},
			{time.Date(2026, 5, 10, 16, 0, 0, 0, time.UTC), 1},
		} {
			f.at(tc.at)
			over, err := db.FindRectifications(ctxTownship, "overdue")
			if err != nil || len(over) != tc.want {
				t.Fatalf("%s: %d overdue, want %d (%v)", tc.at, len(over), tc.want, err)
			}
			q, err := db.Queue(ctxVillageA)
			if err != nil || len(q.Overdue) != tc.want || len(q.ToFix) != 1 {
				t.Fatalf("%s: queue %+v %v", tc.at, q, err)
			}
			if tc.want == 1 && !q.ToFix[0].Overdue {
				t.Fatalf("to-fix item not flagged overdue")
			}
		}
		// Out of scope: the other township sees none.
		over, err := db.FindRectifications(ctxTownship2, "overdue")
		if err != nil || len(over) != 0 {
			t.Fatalf("other township: %d %v", len(over), err)
		}
	})
}

// TestApplicationScope: who sees which applications, and each one's queue.
func TestApplicationScope(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFlow(t, db)
		vA := f.inState(t, "village", sqltest.Village, "applied")
		vT2 := f.inState(t, "village", VillageT2, "checked")
		sc := f.inState(t, "school", f.schoolID, "checked")
		dept := healthcell.WithActor(context.Background(), &healthcell.Actor{UserID: 5, Username: "jiaoyu", Role: healthcell.RoleDepartment, Scope: sqltest.County, Department: "县教科体局"})
		health := healthcell.WithActor(context.Background(), &healthcell.Actor{UserID: 6, Username: "weijian", Role: healthcell.RoleDepartment, Scope: sqltest.County, Department: "县卫健局"})
		for _, tc := range []struct {
			name string
			ctx  context.Context
			want []int64
		}{
			{"county", ctxCounty, []int64{vA.ID, vT2.ID, sc.ID}},
			{"township", ctxTownship, []int64{vA.ID, sc.ID}},
			{"village", ctxVillageA, []int64{vA.ID, sc.ID}},
			{"other village", ctxVillageB, nil},
			{"school contact", ctxSchoolContact(f), []int64{sc.ID}},
			{"education bureau", dept, []int64{sc.ID}},
			{"health bureau", health, nil},
		} {
			list, total, err := db.FindApplications(tc.ctx, healthcell.ApplicationFilter{})
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, a := range list {
				ids = append(ids, a.ID)
			}
			if total != len(tc.want) || !sameIDs(ids, tc.want) {
				t.Errorf("%s sees %v (total %d), want %v", tc.name, ids, total, tc.want)
			}
			for _, id := range []int64{vA.ID, vT2.ID, sc.ID} {
				_, err := db.FindApplication(tc.ctx, id)
				if in := containsID(tc.want, id); in != (err == nil) {
					t.Errorf("%s FindApplication(%d): %v", tc.name, id, err)
				}
			}
		}
		// Queues.
		for _, tc := range []struct {
			name string
			ctx  context.Context
			want []int64
		}{
			{"township checks", ctxTownship, []int64{vA.ID}},
			{"county evaluates", ctxCounty, []int64{vT2.ID, sc.ID}},
			{"education bureau evaluates its school", dept, []int64{sc.ID}},
			{"health bureau", health, nil},
			{"village has nothing to do", ctxVillageA, nil},
		} {
			q, err := db.Queue(tc.ctx)
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, a := range q.Actionable {
				ids = append(ids, a.ID)
			}
			if !sameIDs(ids, tc.want) {
				t.Errorf("%s: queue %v, want %v", tc.name, ids, tc.want)
			}
		}
	})
}

// TestBulkTransition: a township officer passes several households at
// once; one refusal refuses all, naming it.
func TestBulkTransition(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFlow(t, db)
		a := f.inState(t, "village", sqltest.Village, "applied")
		b := f.inState(t, "village", sqltest.Village2, "applied")
		c := f.inState(t, "village", sqltest.Village2, "self_assessment")
		err := db.TransitionMany(ctxTownship, []int64{a.ID, b.ID, c.ID}, healthcell.TransitionRequest{Action: "pass_check"})
		wantCode(t, err, healthcell.EINVALID)
		fe := healthcell.ErrorFields(err)
		if len(fe) != 1 || fe[0].Row != 3 || fe[0].Message != "workflow.transition.invalid" {
			t.Fatalf("refusals: %+v", fe)
		}
		for _, id := range []int64{a.ID, b.ID} {
			got, _ := db.FindApplication(ctxTownship, id)
			if got.State != "applied" {
				t.Fatalf("bulk refusal changed %d to %s", id, got.State)
			}
		}
		if err := db.TransitionMany(ctxTownship, []int64{a.ID, b.ID}, healthcell.TransitionRequest{Action: "pass_check"}); err != nil {
			t.Fatal(err)
		}
		got, _ := db.FindApplication(ctxTownship, b.ID)
		if got.State != "checked" {
			t.Fatalf("bulk: %s", got.State)
		}
		wantInvalid(t, db.TransitionMany(ctxTownship, nil, healthcell.TransitionRequest{Action: "pass_check"}), "ids")
	})
}

func containsID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

func sameIDs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !containsID(b, x) {
			return false
		}
	}
	return true
}
