package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/catalog/standards"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestFamilyPages: the bulk family pages for each role, their scope, and
// the per-household results and refusals in Chinese.
func TestFamilyPages(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		_, camp := flowSetup(t, e)
		stds, err := standards.Shipped()
		if err != nil {
			t.Fatal(err)
		}
		var std *healthcell.Standard
		for _, s := range stds {
			if s.Code == "healthy-family" {
				std = s
				if err := e.db.CreateStandard(sqltest.System(), s); err != nil {
					t.Fatal(err)
				}
			}
		}
		v := e.as(t, "village")
		// The village officer sees its own village whatever ?village= says.
		page := v.get(t, "/families?village="+sqltest.Village2)
		if page.status != http.StatusOK || !strings.Contains(page.String(), "A-001") || strings.Contains(page.String(), "B-001") {
			t.Fatalf("village page: %d", page.status)
		}
		// The township reads its villages, not another township's.
		tw := e.as(t, "township")
		if r := tw.get(t, "/families?village="+sqltest.Village2); r.status != http.StatusOK || !strings.Contains(r.String(), "B-001") {
			t.Errorf("township, its village: %d", r.status)
		}
		if r := tw.get(t, "/families?village="+villageT2); r.status != http.StatusNotFound {
			t.Errorf("township, another township's village: %d", r.status)
		}
		// Only the village officer applies; refusals are explained per household.
		apply := url.Values{"campaign": {fmt.Sprint(camp)}, "household": {fmt.Sprint(e.hA.ID), fmt.Sprint(e.hB.ID)}}
		if r := tw.do(t, "POST", "/families/apply", apply); r.status != http.StatusForbidden {
			t.Errorf("township applies: %d", r.status)
		}
		r := v.do(t, "POST", "/families/apply", apply)
		if r.status != http.StatusOK || !strings.Contains(r.String(), "未与家庭医生签约") || !strings.Contains(r.String(), "不是本村的住户") {
			t.Fatalf("village applies: %d %s", r.status, r)
		}
		a := appliedFamily(t, e, camp, std)
		draw := url.Values{"id": {fmt.Sprint(a.ID)}, "percent": {"10"}}
		if r := v.do(t, "POST", "/families/batches", draw); r.status != http.StatusForbidden {
			t.Errorf("village draws: %d", r.status)
		}
		if r := tw.do(t, "POST", "/families/batches", url.Values{"id": {fmt.Sprint(a.ID)}, "percent": {"0.5"}}); r.status != http.StatusUnprocessableEntity ||
			!strings.Contains(r.String(), "抽查比例应为 1 到 100") {
			t.Errorf("bad percent: %d", r.status)
		}
		r = tw.do(t, "POST", "/families/batches", draw)
		if r.status != http.StatusSeeOther {
			t.Fatalf("draw: %d %s", r.status, r)
		}
		batch := r.header.Get("Location")
		if r := tw.get(t, batch); r.status != http.StatusOK || !strings.Contains(r.String(), "随机种子") || !strings.Contains(r.String(), "待初验") {
			t.Errorf("batch page: %d", r.status)
		}
		if r := tw.do(t, "POST", batch+"/decide", nil); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.String(), "尚未完成初验评分表") {
			t.Errorf("decide early: %d", r.status)
		}
		for _, u := range []string{"county", "township"} {
			c := e.as(t, u)
			for _, p := range []string{"/families", "/families/batches", batch} {
				if r := c.get(t, p); r.status != http.StatusOK {
					t.Errorf("%s %s: %d", u, p, r.status)
				}
			}
		}
		if r := v.get(t, batch); r.status != http.StatusNotFound {
			t.Errorf("village reads a batch: %d", r.status)
		}
	})
}

// TestFamilyAPI: the JSON API of the bulk family workflow answers as
// openapi.json says, in scope.
func TestFamilyAPI(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		_, camp := flowSetup(t, e)
		stds, err := standards.Shipped()
		if err != nil {
			t.Fatal(err)
		}
		var std *healthcell.Standard
		for _, s := range stds {
			if s.Code == "healthy-family" {
				std = s
				if err := e.db.CreateStandard(sqltest.System(), s); err != nil {
					t.Fatal(err)
				}
			}
		}
		v := e.as(t, "village")
		r := v.get(t, "/api/v1/families")
		if r.status != http.StatusOK {
			t.Fatalf("families: %d %s", r.status, r)
		}
		var list healthcell.FamilyList
		r.decode(t, &list)
		if list.Village.Code != sqltest.Village || len(list.Households) != 2 || len(list.Items) != 13 {
			t.Errorf("list: %+v", list)
		}
		if r := v.get(t, "/api/v1/families?village="+sqltest.Village2); r.status != http.StatusNotFound {
			t.Errorf("another village: %d", r.status)
		}
		r = v.do(t, "POST", "/api/v1/families/applications", map[string]any{"campaign": camp, "households": []int64{e.hA.ID, e.hB.ID}})
		if r.status != http.StatusOK {
			t.Fatalf("apply: %d %s", r.status, r)
		}
		var res struct {
			Results []healthcell.FamilyApplyResult
		}
		r.decode(t, &res)
		if len(res.Results) != 2 || res.Results[0].Reason != "workflow.guard.members_contracted" || res.Results[1].Reason != "family.household.unknown" {
			t.Errorf("results: %+v", res.Results)
		}
		if r := e.as(t, "township").do(t, "POST", "/api/v1/families/applications", map[string]any{"households": []int64{e.hA.ID}}); r.status != http.StatusForbidden {
			t.Errorf("township applies: %d", r.status)
		}
		tw := e.as(t, "township")
		if r := tw.do(t, "POST", "/api/v1/family-batches", map[string]any{"applications": []int64{999}, "percent": 10}); r.status != http.StatusUnprocessableEntity {
			t.Errorf("batch of a missing application: %d", r.status)
		}
		if r := tw.get(t, "/api/v1/family-batches"); r.status != http.StatusOK {
			t.Errorf("batches: %d", r.status)
		}
		if r := tw.get(t, "/api/v1/family-batches/999"); r.status != http.StatusNotFound {
			t.Errorf("missing batch: %d", r.status)
		}
		if r := tw.do(t, "POST", "/api/v1/family-batches/999/decision", nil); r.status != http.StatusNotFound {
			t.Errorf("decide a missing batch: %d", r.status)
		}
		a := appliedFamily(t, e, camp, std)
		r = tw.do(t, "POST", "/api/v1/family-batches", map[string]any{"applications": []int64{a.ID}, "seed": 7})
		if r.status != http.StatusCreated {
			t.Fatalf("batch: %d %s", r.status, r)
		}
		var b healthcell.SampleBatch
		r.decode(t, &b)
		if b.Seed != 7 || b.Percent != 10 || len(b.Members) != 1 || !b.Members[0].Sampled {
			t.Errorf("batch: %+v", b)
		}
		if r := tw.get(t, fmt.Sprintf("/api/v1/family-batches/%d", b.ID)); r.status != http.StatusOK {
			t.Errorf("batch: %d", r.status)
		}
		if r := tw.do(t, "POST", fmt.Sprintf("/api/v1/family-batches/%d/decision", b.ID), nil); r.status != http.StatusUnprocessableEntity {
			t.Errorf("decide before the check: %d", r.status)
		}
		if r := v.get(t, fmt.Sprintf("/api/v1/family-batches/%d", b.ID)); r.status != http.StatusNotFound {
			t.Errorf("village reads the batch: %d", r.status)
		}
	})
}

// appliedFamily contracts A-001's members, fills its self-assessment with
// every item met and applies, as the system.
func appliedFamily(t *testing.T, e *env, camp int64, std *healthcell.Standard) *healthcell.Application {
	t.Helper()
	sys := sqltest.System()
	for _, p := range []*healthcell.Person{e.pA, e.pA2} {
		if _, err := e.db.CreateEntry(sys, healthcell.EntryInput{Register: "contracts", PersonID: p.ID,
			Fields: map[string]string{"doctor": "王医生", "start_date": "2025-01-01", "end_date": "2099-12-31"}}); err != nil {
			t.Fatal(err)
		}
	}
	a := &healthcell.Application{CampaignID: camp, StandardID: std.ID, UnitKind: "household", UnitRef: fmt.Sprint(e.hA.ID)}
	if err := e.db.CreateApplication(sys, a); err != nil {
		t.Fatal(err)
	}
	s := &healthcell.ScoreSheet{StandardID: std.ID, Kind: healthcell.SheetSelf, UnitKind: "household", UnitRef: a.UnitRef, Year: a.Year}
	if err := e.db.CreateScoreSheet(sys, s); err != nil {
		t.Fatal(err)
	}
	var answers []*healthcell.Answer
	for _, it := range std.Items {
		yes := true
		answers = append(answers, &healthcell.Answer{ItemCode: it.Code, Yes: &yes})
	}
	if err := e.db.FillScoreSheet(sys, s.ID, answers, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.Transition(sys, a.ID, healthcell.TransitionRequest{Action: "apply"}); err != nil {
		t.Fatal(err)
	}
	return a
}
