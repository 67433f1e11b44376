package sqlstore_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// Villages of 广元市 recommended for 卫生村 in the naming-batch tests: three
// of 苍溪县, one of 朝天区.
var sampleVillages = []string{sqltest.Village, sqltest.Village2, "510824100003", sqltest.NeighbourVillage}

var ctxFarCityAdmin = sqltest.As("mianyang-admin", healthcell.RoleCityAdmin, farCity)

// recommendedVillages returns an application for 卫生村 of each village,
// brought by the system to recommended (the county's campaign; 朝天区's
// for its village), and the standard.
func recommendedVillages(t *testing.T, db *sqlstore.DB, villages []string) (*flow, []*healthcell.Application) {
	t.Helper()
	f := newFlow(t, db)
	sqltest.LoadNeighbour(t, db)
	sys := sqltest.System()
	std := flowStandard("flow-sanitary", "village", "卫生村")
	if err := db.CreateStandard(sys, std); err != nil {
		t.Fatal(err)
	}
	neighbour := &healthcell.Campaign{Division: sqltest.NeighbourCounty, Year: 2026, Name: "朝天区2026年健康细胞创建", Deadline: "2026-08-15"}
	if err := db.CreateCampaign(sys, neighbour); err != nil {
		t.Fatal(err)
	}
	var out []*healthcell.Application
	for _, v := range villages {
		camp := f.camp.ID
		if strings.HasPrefix(v, sqltest.NeighbourCounty[:6]) {
			camp = neighbour.ID
		}
		a := &healthcell.Application{CampaignID: camp, UnitKind: "village", UnitRef: v, StandardID: std.ID}
		if err := db.CreateApplication(sys, a); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{healthcell.SheetSelf, healthcell.SheetCheck, healthcell.SheetEvaluation} {
			f.sheet(t, a, k, true)
		}
		for _, step := range []string{"apply", "pass_check", "evaluate_pass", "recommend"} {
			a = f.step(t, a, step)
		}
		out = append(out, a)
	}
	return f, out
}

func appIDs(apps []*healthcell.Application) []int64 {
	var ids []int64
	for _, a := range apps {
		ids = append(ids, a.ID)
	}
	return ids
}

// auditOf returns the audit entries of a naming batch, oldest first.
func auditOf(t *testing.T, db *sqlstore.DB, id int64) []*healthcell.AuditEntry {
	t.Helper()
	list, _, err := db.FindAudit(sqltest.System(), healthcell.AuditFilter{Entity: "naming_batch", EntityID: strconv.FormatInt(id, 10)})
	if err != nil {
		t.Fatal(err)
	}
	slices.Reverse(list)
	return list
}

// TestNamingBatchPassed: the city office draws 2 of 4 recommended units
// across its two counties with a stated seed; the decision waits for the
// drawn units' assessment; once both pass, the drawn ones are named on
// their own sheet and the others with the batch, every certificate by
// 广元市, and the draw and the decision are in the audit log.
func TestNamingBatchPassed(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f, apps := recommendedVillages(t, db, sampleVillages)
		c, err := db.NamingCandidates(ctxCityAdmin, "")
		if err != nil || c.CellType != "卫生村" || len(c.Units) != 4 || c.Percent != 30 {
			t.Fatalf("candidates %+v, %v", c, err)
		}
		counties := map[string]int{}
		for _, u := range c.Units {
			counties[u.CountyName]++
		}
		if counties["苍溪县"] != 3 || counties["朝天区"] != 1 {
			t.Errorf("candidates by county %v", counties)
		}
		const seed = 20260917
		b, err := db.CreateNamingBatch(ctxCityAdmin, healthcell.NamingBatchRequest{Applications: appIDs(apps), Count: 2, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		want := sqlstore.DrawSampleN(appIDs(apps), 2, seed)
		var drawn []int64
		for _, m := range b.Sampled() {
			drawn = append(drawn, m.ApplicationID)
		}
		slices.Sort(drawn)
		if b.Office != sqltest.City || b.OfficeName != "广元市" || b.CellType != "卫生村" || b.Seed != seed || b.State != healthcell.BatchSampling ||
			len(b.Members) != 4 || !slices.Equal(drawn, want) || !b.Redrawn {
			t.Fatalf("batch %+v, drawn %v want %v", b, drawn, want)
		}
		// Drawn again from the same units: refused while the batch is open.
		if _, err := db.CreateNamingBatch(ctxCityAdmin, healthcell.NamingBatchRequest{Applications: appIDs(apps)}); !hasField(err, "naming.batch.open", 4) {
			t.Errorf("second batch over the same units: %v", err)
		}
		c, _ = db.NamingCandidates(ctxCityAdmin, "卫生村")
		for _, u := range c.Units {
			if u.OpenBatch != b.ID {
				t.Errorf("candidate %s open batch %d, want %d", u.UnitName, u.OpenBatch, b.ID)
			}
		}
		// The unit not drawn cannot be named on its own by the batch's step.
		rest := slices.IndexFunc(b.Members, func(m *healthcell.NamingBatchMember) bool { return !m.Sampled })
		if _, err := db.Transition(ctxCityAdmin, b.Members[rest].ApplicationID, healthcell.TransitionRequest{Action: "pass_with_batch"}); healthcell.ErrorMessage(err) != "workflow.batch.only" {
			t.Errorf("pass_with_batch on its own: %v", err)
		}
		if _, err := db.DecideNamingBatch(ctxCityAdmin, b.ID, ""); !hasField(err, "naming.sample.unassessed", 2) {
			t.Fatalf("decided before the assessment: %v", err)
		}
		byID := map[int64]*healthcell.Application{}
		for _, a := range apps {
			byID[a.ID] = a
		}
		for _, m := range b.Sampled() {
			f.sheet(t, byID[m.ApplicationID], healthcell.SheetAssessment, true)
		}
		if _, err := db.DecideNamingBatch(ctxCityEvaluator, b.ID, ""); healthcell.ErrorCode(err) != healthcell.EFORBIDDEN {
			t.Errorf("the city's assessor decides: %v", err)
		}
		d, err := db.DecideNamingBatch(ctxCityAdmin, b.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		if d.State != healthcell.BatchPassed || d.DecidedBy != "shi" || d.DecidedAt == nil {
			t.Errorf("decided %+v", d)
		}
		for _, m := range d.Members {
			a, err := db.FindApplication(ctxCityAdmin, m.ApplicationID)
			if err != nil {
				t.Fatal(err)
			}
			if a.State != "named" || a.NamedBy != sqltest.City || !strings.HasPrefix(a.CertificateNo, "510800-2026-") {
				t.Errorf("%s: %s by %s, certificate %s", a.UnitName, a.State, a.NamedBy, a.CertificateNo)
			}
			last := a.Timeline[len(a.Timeline)-1]
			wantAction, wantText := "pass_with_batch", "随批次通过"
			if m.Sampled {
				wantAction, wantText = "name_above", "被抽中，考核合格"
			}
			if last.Action != wantAction || !strings.Contains(last.Comment, "抽查批次 "+strconv.FormatInt(b.ID, 10)) || !strings.Contains(last.Comment, wantText) {
				t.Errorf("%s: last step %s %q", a.UnitName, last.Action, last.Comment)
			}
		}
		if _, err := db.DecideNamingBatch(ctxCityAdmin, b.ID, ""); healthcell.ErrorCode(err) != healthcell.ECONFLICT {
			t.Errorf("decided twice: %v", err)
		}
		log := auditOf(t, db, b.ID)
		if len(log) != 2 || log[0].Action != "create" || log[1].Action != "decide" || log[0].Division != sqltest.City {
			t.Fatalf("audit %+v", log)
		}
		var after struct {
			Seed    int64   `json:"seed"`
			Count   int     `json:"count"`
			Sampled []int64 `json:"sampled"`
			State   string  `json:"state"`
		}
		if err := json.Unmarshal([]byte(log[0].After), &after); err != nil || after.Seed != seed || after.Count != 2 || !slices.Equal(after.Sampled, want) {
			t.Errorf("audit of the draw %s (%v)", log[0].After, err)
		}
		if err := json.Unmarshal([]byte(log[1].After), &after); err != nil || after.State != healthcell.BatchPassed {
			t.Errorf("audit of the decision %s (%v)", log[1].After, err)
		}
	})
}

// TestNamingBatchFailed: one drawn unit fails the city's assessment; the
// batch cannot pass: the decision needs the reason, returns the failed
// unit to its county with it, names the drawn unit that passed, and
// leaves the unit not drawn recommended and free for a new batch.
func TestNamingBatchFailed(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f, apps := recommendedVillages(t, db, sampleVillages[:3])
		b, err := db.CreateNamingBatch(ctxCityAdmin, healthcell.NamingBatchRequest{Applications: appIDs(apps), Percent: 50, Seed: 7})
		if err != nil {
			t.Fatal(err)
		}
		sampled := b.Sampled()
		if len(sampled) != 2 || b.Percent != 50 || b.Count != 0 {
			t.Fatalf("50 %% of 3 drew %d (%+v)", len(sampled), b)
		}
		byID := map[int64]*healthcell.Application{}
		for _, a := range apps {
			byID[a.ID] = a
		}
		good, bad := sampled[0], sampled[1]
		f.sheet(t, byID[good.ApplicationID], healthcell.SheetAssessment, true)
		f.sheet(t, byID[bad.ApplicationID], healthcell.SheetAssessment, false)
		got, err := db.FindNamingBatch(ctxCityEvaluator, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		outcome := map[int64]string{}
		for _, m := range got.Sampled() {
			outcome[m.ApplicationID] = m.Assessment
		}
		if outcome[good.ApplicationID] != healthcell.SamplePassed || outcome[bad.ApplicationID] != healthcell.SampleFailed {
			t.Errorf("assessments %v", outcome)
		}
		if _, err := db.DecideNamingBatch(ctxCityAdmin, b.ID, " "); !hasField(err, "naming.batch.comment_required", 1) {
			t.Fatalf("failed batch without a reason: %v", err)
		}
		d, err := db.DecideNamingBatch(ctxCityAdmin, b.ID, "公共厕所不达标")
		if err != nil {
			t.Fatal(err)
		}
		if d.State != healthcell.BatchFailed || d.Comment != "公共厕所不达标" {
			t.Errorf("decided %+v", d)
		}
		states := map[string]string{}
		var rest int64
		for _, m := range d.Members {
			a, err := db.FindApplication(ctxCangxi, m.ApplicationID)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case m.ApplicationID == good.ApplicationID:
				states["good"] = a.State
			case m.ApplicationID == bad.ApplicationID:
				states["bad"] = a.State
				last := a.Timeline[len(a.Timeline)-1]
				if last.Action != "return_recommendation" || !strings.Contains(last.Comment, "公共厕所不达标") {
					t.Errorf("returned with %s %q", last.Action, last.Comment)
				}
			default:
				states["rest"], rest = a.State, a.ID
			}
		}
		if states["good"] != "named" || states["bad"] != "checked" || states["rest"] != "recommended" {
			t.Errorf("after a failed sample: %v", states)
		}
		c, err := db.NamingCandidates(ctxCityAdmin, "卫生村")
		if err != nil || len(c.Units) != 1 || c.Units[0].ApplicationID != rest || c.Units[0].OpenBatch != 0 {
			t.Fatalf("candidates after the failed batch %+v, %v", c, err)
		}
		if _, err := db.CreateNamingBatch(ctxCityAdmin, healthcell.NamingBatchRequest{Applications: []int64{rest}, Percent: 100}); err != nil {
			t.Errorf("drawing the unit left over again: %v", err)
		}
		if log := auditOf(t, db, b.ID); len(log) != 2 || !strings.Contains(log[1].After, "公共厕所不达标") {
			t.Errorf("audit %+v", log)
		}
	})
}

// TestNamingBatchScope: only the city office draws and decides its own
// batches, over recommended 卫生村 of its own counties; the county, the
// city's assessor, another city and the province (which does not name
// 卫生村) cannot; bad sizes and units are refused one by one.
func TestNamingBatchScope(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f, apps := recommendedVillages(t, db, sampleVillages)
		ids := appIDs(apps)
		evaluated := f.inState(t, "village", "510824100004", "evaluated")
		b, err := db.CreateNamingBatch(ctxCityAdmin, healthcell.NamingBatchRequest{Applications: ids[:2], Count: 1})
		if err != nil {
			t.Fatal(err)
		}
		draws := []struct {
			name string
			ctx  context.Context
			req  healthcell.NamingBatchRequest
			code string
			msg  string // a field error's message, or the error's
			n    int    // field errors with msg
		}{
			{"county office", ctxCangxi, healthcell.NamingBatchRequest{Applications: ids[2:]}, healthcell.EFORBIDDEN, "naming.batch.forbidden", 0},
			{"neighbour county", ctxChaotian, healthcell.NamingBatchRequest{Applications: ids[3:]}, healthcell.EFORBIDDEN, "naming.batch.forbidden", 0},
			{"city assessor", ctxCityEvaluator, healthcell.NamingBatchRequest{Applications: ids[2:]}, healthcell.EFORBIDDEN, "naming.batch.forbidden", 0},
			{"another city", ctxFarCityAdmin, healthcell.NamingBatchRequest{Applications: ids[2:]}, healthcell.EINVALID, "error.not_found.application", 2},
			{"province", ctxProvince, healthcell.NamingBatchRequest{Applications: ids[2:]}, healthcell.EINVALID, "naming.batch.not_named_here", 2},
			{"not recommended", ctxCityAdmin, healthcell.NamingBatchRequest{Applications: []int64{ids[2], evaluated.ID}}, healthcell.EINVALID, "naming.batch.not_recommended", 1},
			{"repeated", ctxCityAdmin, healthcell.NamingBatchRequest{Applications: []int64{ids[2], ids[2]}}, healthcell.EINVALID, "naming.batch.repeated", 1},
			{"in an open batch", ctxCityAdmin, healthcell.NamingBatchRequest{Applications: ids[1:3]}, healthcell.EINVALID, "naming.batch.open", 1},
			{"missing", ctxCityAdmin, healthcell.NamingBatchRequest{Applications: []int64{1 << 40}}, healthcell.EINVALID, "error.not_found.application", 1},
			{"no units", ctxCityAdmin, healthcell.NamingBatchRequest{}, healthcell.EINVALID, "application.bulk.empty", 1},
			{"percent and count", ctxCityAdmin, healthcell.NamingBatchRequest{Applications: ids[2:], Percent: 10, Count: 1}, healthcell.EINVALID, "naming.batch.size_both", 1},
			{"percent 101", ctxCityAdmin, healthcell.NamingBatchRequest{Applications: ids[2:], Percent: 101}, healthcell.EINVALID, "naming.percent.invalid", 1},
			{"count above the units", ctxCityAdmin, healthcell.NamingBatchRequest{Applications: ids[2:], Count: 3}, healthcell.EINVALID, "naming.count.invalid", 1},
		}
		for _, d := range draws {
			_, err := db.CreateNamingBatch(d.ctx, d.req)
			if healthcell.ErrorCode(err) != d.code || (d.n == 0 && healthcell.ErrorMessage(err) != d.msg) || (d.n > 0 && !hasField(err, d.msg, d.n)) {
				t.Errorf("%s: CreateNamingBatch = %v, want %s %s ×%d", d.name, err, d.code, d.msg, d.n)
			}
		}
		reads := []struct {
			name  string
			ctx   context.Context
			found bool
		}{
			{"city office", ctxCityAdmin, true},
			{"city assessor", ctxCityEvaluator, true},
			{"province", ctxProvince, true},
			{"county office", ctxCangxi, false},
			{"neighbour county", ctxChaotian, false},
			{"another city", ctxFarCityAdmin, false},
		}
		for _, r := range reads {
			_, err := db.FindNamingBatch(r.ctx, b.ID)
			list, lerr := db.FindNamingBatches(r.ctx)
			if lerr != nil {
				t.Fatal(lerr)
			}
			if r.found != (err == nil) || (!r.found && healthcell.ErrorCode(err) != healthcell.ENOTFOUND) || r.found != (len(list) == 1) {
				t.Errorf("%s: FindNamingBatch = %v, FindNamingBatches %d", r.name, err, len(list))
			}
		}
		for name, ctx := range map[string]context.Context{"county": ctxCangxi, "another city": ctxFarCityAdmin} {
			if _, err := db.DecideNamingBatch(ctx, b.ID, "意见"); healthcell.ErrorCode(err) != healthcell.ENOTFOUND {
				t.Errorf("%s decides the city's batch: %v", name, err)
			}
		}
		if _, err := db.DecideNamingBatch(ctxProvince, b.ID, "意见"); healthcell.ErrorCode(err) != healthcell.EFORBIDDEN {
			t.Errorf("the province decides the city's batch: %v", err)
		}
		if c, err := db.NamingCandidates(ctxFarCityAdmin, ""); err != nil || len(c.Units) != 0 || len(c.CellTypes) != 0 {
			t.Errorf("another city's candidates %+v, %v", c, err)
		}
		if _, err := db.NamingCandidates(ctxCangxi, ""); healthcell.ErrorCode(err) != healthcell.EFORBIDDEN {
			t.Errorf("the county's candidates: %v", err)
		}
	})
}

// hasField reports whether err is EINVALID with n field errors of msg.
func hasField(err error, msg string, n int) bool {
	var e *healthcell.Error
	if !errors.As(err, &e) || e.Code != healthcell.EINVALID {
		return false
	}
	k := 0
	for _, f := range e.Fields {
		if f.Message == msg {
			k++
		}
	}
	return k == n
}
