package sqlstore_test

import (
	"context"
	"strings"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// A county of another city (绵阳市涪城区), outside 广元市.
const (
	farCity    = "510700000000"
	farVillage = "510703001001"
)

var (
	ctxCityAdmin      = sqltest.As("shi", healthcell.RoleCityAdmin, sqltest.City)
	ctxCityEvaluator  = sqltest.As("shizhuanjia", healthcell.RoleCityEvaluator, sqltest.City)
	ctxFarCity        = sqltest.As("mianyang", healthcell.RoleCityEvaluator, farCity)
	ctxProvince       = sqltest.As("sheng", healthcell.RoleProvinceAdmin, sqltest.Province)
	ctxCangxi         = sqltest.As("cangxi", healthcell.RoleCountyAdmin, sqltest.County)
	ctxChaotian       = sqltest.As("chaotian", healthcell.RoleCountyAdmin, sqltest.NeighbourCounty)
	ctxChaotianViewer = sqltest.As("chaotian-ld", healthcell.RoleViewer, sqltest.NeighbourCounty)
)

// tiers is 广元市 with two counties (苍溪县, 朝天区) and a county of
// another city, one resident each.
type tiers struct {
	cangxi, chaotian, far *healthcell.Person
	cangxiH               *healthcell.Household
}

func newTiers(t *testing.T, db *sqlstore.DB) *tiers {
	t.Helper()
	sqltest.LoadDivisions(t, db)
	sqltest.LoadNeighbour(t, db)
	if _, err := db.LoadDivisions(sqltest.System(), []healthcell.Division{
		{Code: farCity, Name: "绵阳市", Level: healthcell.LevelCity},
		{Code: "510703000000", Name: "涪城区", Level: healthcell.LevelCounty},
		{Code: "510703001000", Name: "城厢街道", Level: healthcell.LevelTownship},
		{Code: farVillage, Name: "测试社区", Level: healthcell.LevelVillage},
	}); err != nil {
		t.Fatal(err)
	}
	w := &tiers{}
	w.cangxiH = sqltest.Household(t, db, sqltest.Village, "0001")
	w.cangxi = sqltest.Person(t, db, w.cangxiH, "王苍溪", sqltest.ID(t, "1980-01-01", 1), "户主")
	w.chaotian = sqltest.Person(t, db, sqltest.Household(t, db, sqltest.NeighbourVillage, "0001"), "李朝天", sqltest.ID(t, "1981-02-02", 2), "户主")
	w.far = sqltest.Person(t, db, sqltest.Household(t, db, farVillage, "0001"), "张绵阳", sqltest.ID(t, "1982-03-03", 3), "户主")
	return w
}

// TestTierScope: a city officer reads its counties' residents masked and
// nothing of another city; a county officer sees nothing of its
// neighbour county; none of them writes residents above the county.
func TestTierScope(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newTiers(t, db)
		_, missing := db.FindPerson(sqltest.System(), 1<<40)
		_, noDivision := db.FindDivision(sqltest.System(), "510799000000")
		reads := []struct {
			name  string
			ctx   context.Context
			p     *healthcell.Person
			found bool
		}{
			{"city: its county", ctxCityAdmin, w.cangxi, true},
			{"city: its other county", ctxCityAdmin, w.chaotian, true},
			{"city: another city's county", ctxCityAdmin, w.far, false},
			{"city evaluator: its county", ctxCityEvaluator, w.chaotian, true},
			{"province: every county", ctxProvince, w.far, true},
			{"county: neighbour county", ctxCangxi, w.chaotian, false},
			{"neighbour county: 苍溪", ctxChaotian, w.cangxi, false},
			{"neighbour viewer: 苍溪", ctxChaotianViewer, w.cangxi, false},
			{"county: own resident", ctxCangxi, w.cangxi, true},
		}
		for _, r := range reads {
			p, err := db.FindPerson(r.ctx, r.p.ID)
			if !r.found {
				if healthcell.ErrorCode(err) != healthcell.ENOTFOUND || err.Error() != missing.Error() {
					t.Errorf("%s: FindPerson = %v, want it to read as missing (%v)", r.name, err, missing)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s: FindPerson: %v", r.name, err)
				continue
			}
			upper := healthcell.ActorFrom(r.ctx).Role.Upper()
			if masked := strings.Contains(p.IDNumber, "****") && strings.Contains(p.Phone, "****"); masked != upper {
				t.Errorf("%s: ID %q phone %q, masked %v, want %v", r.name, p.IDNumber, p.Phone, masked, upper)
			}
		}
		divs := []struct {
			name  string
			ctx   context.Context
			code  string
			found bool
		}{
			{"city: itself", ctxCityAdmin, sqltest.City, true},
			{"city: its county", ctxCityAdmin, sqltest.NeighbourCounty, true},
			{"city: another city", ctxCityAdmin, farCity, false},
			{"city: the province", ctxCityAdmin, sqltest.Province, false},
			{"county: its city", ctxCangxi, sqltest.City, false},
			{"county: neighbour county", ctxCangxi, sqltest.NeighbourCounty, false},
			{"county: neighbour village", ctxCangxi, sqltest.NeighbourVillage, false},
		}
		for _, d := range divs {
			v, err := db.FindDivision(d.ctx, d.code)
			switch {
			case d.found && err != nil:
				t.Errorf("%s: FindDivision(%s): %v", d.name, d.code, err)
			case !d.found && (healthcell.ErrorCode(err) != healthcell.ENOTFOUND || err.Error() != noDivision.Error()):
				t.Errorf("%s: FindDivision(%s) = %v, want it to read as missing", d.name, d.code, err)
			case d.found && d.code == sqltest.City && len(v.Children) != 2:
				t.Errorf("%s: 广元市 shows %d counties, want 2", d.name, len(v.Children))
			}
		}
		// Residents are the county's to write.
		h := &healthcell.Household{Number: "0099", VillageCode: sqltest.Village, Group: "1组"}
		if err := db.CreateHousehold(ctxCityAdmin, h); err == nil {
			t.Error("a city officer created a household")
		}
		ps, n, err := db.FindPersons(ctxCityAdmin, healthcell.PersonFilter{Division: sqltest.City, Limit: 10})
		if err != nil || n != 2 || len(ps) != 2 {
			t.Errorf("city persons: %d of %d, %v; want 2", len(ps), n, err)
		}
		if _, _, err := db.FindPersons(ctxCangxi, healthcell.PersonFilter{Division: sqltest.NeighbourCounty, Limit: 10}); healthcell.ErrorCode(err) != healthcell.ENOTFOUND {
			t.Errorf("county lists its neighbour's persons: %v", err)
		}
	})
}

// TestTierUsers: the city office creates its own accounts, not the
// county's (which see personal data), and a county cannot create city
// accounts; each lists only whom it manages.
func TestTierUsers(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		newTiers(t, db)
		const pw = "secret-pass-1"
		cases := []struct {
			name  string
			ctx   context.Context
			u     healthcell.User
			field string // "" for created
			msg   string
		}{
			{"city creates its evaluator", ctxCityAdmin, healthcell.User{Username: "sz", Role: healthcell.RoleCityEvaluator, Scope: sqltest.City}, "", ""},
			{"province creates a city office", ctxProvince, healthcell.User{Username: "gy", Role: healthcell.RoleCityAdmin, Scope: sqltest.City}, "", ""},
			{"city role at county scope", ctxCityAdmin, healthcell.User{Username: "bad1", Role: healthcell.RoleCityEvaluator, Scope: sqltest.County}, "scope", "user.scope.level"},
			{"city creates a county office", ctxCityAdmin, healthcell.User{Username: "bad2", Role: healthcell.RoleCountyAdmin, Scope: sqltest.NeighbourCounty}, "role", "user.role.upper_only"},
			{"city creates for another city", ctxCityAdmin, healthcell.User{Username: "bad3", Role: healthcell.RoleCityEvaluator, Scope: farCity}, "scope", "division.out_of_scope"},
			{"county creates a city account", ctxCangxi, healthcell.User{Username: "bad4", Role: healthcell.RoleCityAdmin, Scope: sqltest.City}, "scope", "division.out_of_scope"},
			{"province role at city scope", ctxProvince, healthcell.User{Username: "bad5", Role: healthcell.RoleProvinceEvaluator, Scope: sqltest.City}, "scope", "user.scope.level"},
		}
		for _, tc := range cases {
			u := tc.u
			err := db.CreateUser(tc.ctx, &u, pw)
			if tc.field == "" {
				if err != nil {
					t.Errorf("%s: %v", tc.name, err)
				}
				continue
			}
			found := false
			for _, f := range healthcell.ErrorFields(err) {
				found = found || f.Field == tc.field && f.Message == tc.msg
			}
			if healthcell.ErrorCode(err) != healthcell.EINVALID || !found {
				t.Errorf("%s: CreateUser = %v (%+v), want %s on %s", tc.name, err, healthcell.ErrorFields(err), tc.msg, tc.field)
			}
			if _, err := db.FindUserByUsername(sqltest.System(), u.Username); healthcell.ErrorCode(err) != healthcell.ENOTFOUND {
				t.Errorf("%s: the refused account was stored (%v)", tc.name, err)
			}
		}
		county := &healthcell.User{Username: "cx", Role: healthcell.RoleCountyAdmin, Scope: sqltest.County}
		if err := db.CreateUser(sqltest.System(), county, pw); err != nil {
			t.Fatal(err)
		}
		names := func(ctx context.Context) []string {
			us, err := db.FindUsers(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, u := range us {
				out = append(out, u.Username)
			}
			return out
		}
		if got := strings.Join(names(ctxCityAdmin), ","); got != "gy,sz" {
			t.Errorf("city lists %s, want gy,sz", got)
		}
		if got := strings.Join(names(ctxCangxi), ","); got != "cx" {
			t.Errorf("county lists %s, want cx", got)
		}
		// The county's account is not the city's to reset.
		if err := db.SetPassword(ctxCityAdmin, "cx", "another-pass-2"); healthcell.ErrorCode(err) != healthcell.ENOTFOUND {
			t.Errorf("city resets a county password: %v", err)
		}
		if err := db.SetDisabled(ctxCityAdmin, "gy", true); err != nil {
			t.Errorf("city disables a city account: %v", err)
		}
	})
}

// TestRecommendUpward: a 卫生村 is named by the city (named_above in the
// shipped workflow): the county evaluates and recommends, the city's
// assessor scores it on the city's sheet and names it, and the certificate
// carries 广元市 as the naming body. The neighbour county and another city
// see nothing of it.
func TestRecommendUpward(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFlow(t, db)
		sqltest.LoadNeighbour(t, db)
		sys := sqltest.System()
		sanitary := flowStandard("flow-sanitary", "village", "卫生村")
		if err := db.CreateStandard(sys, sanitary); err != nil {
			t.Fatal(err)
		}
		a := &healthcell.Application{CampaignID: f.camp.ID, UnitKind: "village", UnitRef: sqltest.Village, StandardID: sanitary.ID}
		if err := db.CreateApplication(sys, a); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{healthcell.SheetSelf, healthcell.SheetCheck, healthcell.SheetEvaluation} {
			f.sheet(t, a, k, true)
		}
		for _, step := range []string{"apply", "pass_check", "evaluate_pass"} {
			a = f.step(t, a, step)
		}
		tr := func(ctx context.Context, action string) (*healthcell.Application, error) {
			return db.Transition(ctx, a.ID, healthcell.TransitionRequest{Action: action, Comment: "意见"})
		}
		if _, err := tr(ctxCangxi, "name"); healthcell.ErrorMessage(err) != "workflow.guard.named_by_county" {
			t.Fatalf("county names a 卫生村: %v", err)
		}
		if got := db.AvailableActions(ctxCangxi, a); strings.Join(got, ",") != "recommend" {
			t.Errorf("county may %v, want recommend", got)
		}
		var err error
		if a, err = tr(ctxCangxi, "recommend"); err != nil || a.State != "recommended" {
			t.Fatalf("recommend: %v", err)
		}
		// Out of scope reads as missing.
		for name, ctx := range map[string]context.Context{"neighbour county": ctxChaotian, "another city": ctxFarCity} {
			if _, err := db.FindApplication(ctx, a.ID); healthcell.ErrorCode(err) != healthcell.ENOTFOUND {
				t.Errorf("%s reads the application: %v", name, err)
			}
			if _, err := tr(ctx, "name_above"); healthcell.ErrorCode(err) != healthcell.ENOTFOUND {
				t.Errorf("%s names it: %v", name, err)
			}
		}
		// The city names only on its own passing sheet.
		if _, err := tr(ctxCityEvaluator, "name_above"); healthcell.ErrorMessage(err) != "workflow.guard.assessment_passed" {
			t.Fatalf("named without the city's sheet: %v", err)
		}
		if err := db.CreateScoreSheet(ctxCangxi, &healthcell.ScoreSheet{StandardID: sanitary.ID, Kind: healthcell.SheetAssessment,
			UnitKind: "village", UnitRef: sqltest.Village, Year: 2026}); healthcell.ErrorCode(err) != healthcell.EFORBIDDEN {
			t.Errorf("the county opens the city's assessment sheet: %v", err)
		}
		sh := &healthcell.ScoreSheet{StandardID: sanitary.ID, Kind: healthcell.SheetAssessment, UnitKind: "village", UnitRef: sqltest.Village, Year: 2026}
		if err := db.CreateScoreSheet(ctxCityEvaluator, sh); err != nil {
			t.Fatal(err)
		}
		yes := true
		for _, code := range []string{"1", "2"} {
			if err := db.SaveAnswer(ctxCityEvaluator, sh.ID, &healthcell.Answer{ItemCode: code, Yes: &yes}); err != nil {
				t.Fatal(err)
			}
		}
		if a, err = tr(ctxCityEvaluator, "name_above"); err != nil {
			t.Fatalf("name_above: %v", err)
		}
		if a.State != "named" || a.NamedBy != sqltest.City || a.NamedByName != "广元市" || a.CertificateNo != "510800-2026-0001" {
			t.Errorf("named: state %s by %s %s, certificate %s", a.State, a.NamedBy, a.NamedByName, a.CertificateNo)
		}
		got, err := db.FindApplication(ctxCangxi, a.ID)
		if err != nil || got.NamedByName != "广元市" {
			t.Errorf("the county reads the naming body %q (%v)", got.NamedByName, err)
		}
		// A county title is still named by the county.
		b := f.inState(t, "village", sqltest.Village2, "named")
		if b.NamedBy != sqltest.County || b.NamedByName != "苍溪县" || !strings.HasPrefix(b.CertificateNo, "510824-2026-") {
			t.Errorf("county naming: by %s %s, certificate %s", b.NamedBy, b.NamedByName, b.CertificateNo)
		}
	})
}

// TestCityIndicators: a city's indicators roll up from its counties, one
// row per county, and the county's own rows are the city's rows for it.
func TestCityIndicators(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		newTiers(t, db)
		q := healthcell.IndicatorQuery{Codes: []string{"record_rate"}, Division: sqltest.City, Level: healthcell.LevelNameCounty, WithTotal: true, Period: "2026"}
		vals, err := db.IndicatorValues(ctxCityAdmin, q)
		if err != nil {
			t.Fatal(err)
		}
		rows := vals["record_rate"]
		var got []string
		for _, r := range rows {
			got = append(got, r.Name)
		}
		if strings.Join(got, ",") != "广元市,朝天区,苍溪县" {
			t.Fatalf("rows %v, want 广元市 then its two counties", got)
		}
		if rows[0].Denominator == nil || *rows[0].Denominator != 2 || *rows[1].Denominator != 1 || *rows[2].Denominator != 1 {
			t.Errorf("residents: city %v, counties %v %v", rows[0].Denominator, rows[1].Denominator, rows[2].Denominator)
		}
		if _, err := db.IndicatorValues(ctxCangxi, q); healthcell.ErrorCode(err) != healthcell.ENOTFOUND {
			t.Errorf("a county reads its city's indicators: %v", err)
		}
		q.Division, q.Level = sqltest.Province, healthcell.LevelNameCity
		if vals, err := db.IndicatorValues(ctxProvince, q); err != nil || len(vals["record_rate"]) != 3 {
			t.Errorf("province by city: %v, %v", vals["record_rate"], err)
		}
	})
}
