package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/catalog"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestFamilyPages: the bulk family pages for each role, their scope, and
// the per-household results and refusals in Chinese.
func TestFamilyPages(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		_, camp := flowSetup(t, e)
		stds, err := catalog.Standards()
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
		// An applied family, contracted and self-assessed, for the township to sample.
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
